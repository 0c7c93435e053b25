import MedAugImage

/// imgaug's integer per-axis form (`translate_px`).
public typealias AffineAxisDiscrete = PerAxis<Discrete>

/// Affine's translation: a fraction of the image size or whole pixels (never both).
public enum AffineTranslate: Equatable, Sendable {
    /// imgaug's `translate_percent`: fractions of the width (x) and height (y);
    /// 0.1 moves by a tenth of the image.
    case percent(AxisParam)
    /// imgaug's `translate_px`: whole pixels, x right and y down.
    case px(AffineAxisDiscrete)
}

/// Affine's shear, in degrees, in imgaug's three forms.
public enum AffineShear: Equatable, Sendable {
    /// A plain number shears along x only.
    case xOnly(Double)
    /// A range or choice: one draw used for **both** x and y (imgaug's code, not its docstring).
    case shared(Continuous)
    /// `{x: ..., y: ...}`: independent draws.
    case perAxis(x: Continuous, y: Continuous)

    /// Draws the x and y shear angles in degrees for one image.
    public func sample(_ rng: inout AugmentRandom) -> (x: Double, y: Double) {
        switch self {
        case .xOnly(let v): return (v, 0)
        case .shared(let p):
            let v = p.sample(&rng)
            return (v, v)
        case .perAxis(let x, let y):
            let vx = x.sample(&rng)
            let vy = y.sample(&rng)
            return (vx, vy)
        }
    }
}

/// imgaug's Affine through its OpenCV backend: scale, translate, rotate
/// (clockwise on screen) and shear about the image centre, one set of values
/// per image, warped as cv2.warpAffine does it.
public struct Affine: Augmenter {
    /// The zoom factor per axis, drawn per image: 1 keeps the size, 0.5 halves
    /// it, 2 doubles it (imgaug's `scale`).
    public var scale: AxisParam
    /// The shift after scaling, rotating and shearing.
    public var translate: AffineTranslate
    /// The rotation in degrees, clockwise on screen, drawn per image (imgaug's
    /// `rotate`).
    public var rotate: Continuous
    /// The shear in degrees (imgaug's `shear`).
    public var shear: AffineShear
    /// The interpolation order, one picked per image (imgaug's `order`: 0, 1
    /// or 3).
    public var order: Choice<AffineOrder>
    /// The fill value for `constant` mode, in sample units, drawn per image and
    /// channel (three draws) and truncated to an integer (imgaug's `cval`).
    public var cval: Continuous
    /// How pixels from outside the image are filled, one picked per image
    /// (imgaug's `mode`: constant, edge, symmetric, reflect, wrap).
    public var mode: Choice<BorderMode>
    /// When true the output grows or shrinks to hold the whole transformed image
    /// instead of keeping the input size (imgaug's `fit_output`).
    public var fitOutput: Bool
    /// "auto" or "cv2": both mean OpenCV for the orders MedAug supports.
    public var backend: String
    /// Whether rotate / shear were left to imgaug's float defaults (which matters
    /// only for the float32-or-float64 angle arithmetic, see `Sample.anglesInFloat64`).
    var rotateIsDefault = false, shearIsDefault = false

    /// With scale, translate, rotate and shear all nil, imgaug's random defaults
    /// apply (scale x/y 0.9–1.1, translate_percent x/y ±0.1, rotate ±15, shear
    /// x/y ±10); once any is given, the others are the identity.
    public init(scale: AxisParam? = nil, translate: AffineTranslate? = nil, rotate: Continuous? = nil,
                shear: AffineShear? = nil, order: Choice<AffineOrder> = .constant(.linear),
                cval: Continuous = .constant(0), mode: Choice<BorderMode> = .constant(.constant),
                fitOutput: Bool = false, backend: String = "auto") {
        if scale == nil && translate == nil && rotate == nil && shear == nil {
            self.scale = .perAxis(x: .range(0.9, 1.1), y: .range(0.9, 1.1))
            self.translate = .percent(.perAxis(x: .range(-0.1, 0.1), y: .range(-0.1, 0.1)))
            self.rotate = .range(-15, 15)
            self.shear = .perAxis(x: .range(-10, 10), y: .range(-10, 10))
        } else {
            self.scale = scale ?? .shared(.constant(1))
            self.translate = translate ?? .px(.shared(.constant(0)))
            self.rotate = rotate ?? .constant(0)
            self.shear = shear ?? .xOnly(0)
            rotateIsDefault = rotate == nil
            shearIsDefault = shear == nil
        }
        self.order = order
        self.cval = cval
        self.mode = mode
        self.fitOutput = fitOutput
        self.backend = backend
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Affine" }

    /// The values drawn for one image, in imgaug's order.
    public struct Sample: Equatable, Sendable {
        /// The drawn zoom factors along x and y.
        public var scaleX, scaleY: Double
        /// Pixels (translate_px) or fractions of the size (translate_percent).
        public var translateX, translateY: Double
        /// True when `translateX`/`translateY` are fractions of the image size.
        public var translateIsPercent: Bool
        /// The drawn rotation in degrees, clockwise on screen.
        public var rotate: Double
        /// The drawn shear angles in degrees.
        public var shearX, shearY: Double
        /// The drawn fill values, one for each of the first three channels.
        public var cval: [Double]
        /// The drawn border mode.
        public var mode: BorderMode
        /// The drawn interpolation order.
        public var order: AffineOrder
        /// True when imgaug would hold one of rotate / shear_x / shear_y as an
        /// integer (an integer constant or a choice of integers): numpy then
        /// computes the angles in float64 rather than float32.
        public var anglesInFloat64: Bool

        /// A sample with chosen values; the defaults are the identity transform with
        /// bilinear interpolation and black constant fill.
        public init(scaleX: Double = 1, scaleY: Double = 1, translateX: Double = 0, translateY: Double = 0,
                    translateIsPercent: Bool = false, rotate: Double = 0, shearX: Double = 0, shearY: Double = 0,
                    cval: [Double] = [0, 0, 0], mode: BorderMode = .constant, order: AffineOrder = .linear,
                    anglesInFloat64: Bool = false) {
            self.scaleX = scaleX; self.scaleY = scaleY
            self.translateX = translateX; self.translateY = translateY; self.translateIsPercent = translateIsPercent
            self.rotate = rotate; self.shearX = shearX; self.shearY = shearY
            self.cval = cval; self.mode = mode; self.order = order
            self.anglesInFloat64 = anglesInFloat64
        }
    }

    /// Draws one image's values in imgaug's order: scale, translation, rotation,
    /// shear, cval (three), mode, order.
    public func sample(_ rng: inout AugmentRandom) -> Sample {
        let s = scale.sample(&rng)
        let t: (Double, Double)
        let isPercent: Bool
        switch translate {
        case .percent(let p):
            t = p.sample(&rng)
            isPercent = true
        case .px(let p):
            let v = p.sample(&rng)
            t = (Double(v.x), Double(v.y))
            isPercent = false
        }
        let r = rotate.sample(&rng)
        let sh = shear.sample(&rng)
        let c = (0..<3).map { _ in cval.sample(&rng) }
        let m = mode.sample(&rng)
        let o = order.sample(&rng)
        return Sample(scaleX: s.x, scaleY: s.y, translateX: t.0, translateY: t.1, translateIsPercent: isPercent,
                      rotate: r, shearX: sh.x, shearY: sh.y, cval: c, mode: m, order: o,
                      anglesInFloat64: anglesAreIntegers)
    }

    /// imgaug draws integer constants and choices of integers as int32; one int32
    /// angle makes numpy compute all three in float64.
    var anglesAreIntegers: Bool {
        func integral(_ p: Param) -> Bool {
            switch p {
            case .constant(let v): return v == v.rounded()
            case .choice(let l): return l.allSatisfy { $0 == $0.rounded() }
            case .range: return false
            }
        }
        let rotateInt = !rotateIsDefault && integral(rotate.param)
        let shearInt: Bool
        switch shear {
        case .xOnly(let v): shearInt = !shearIsDefault && v == v.rounded()
        case .shared(let p): shearInt = integral(p.param)
        case .perAxis(let x, let y): shearInt = integral(x.param) || integral(y.param)
        }
        return rotateInt || shearInt
    }

    /// The forward matrix and output size imgaug uses for an image of this size.
    public static func matrix(for s: Sample, width: Int, height: Int, fitOutput: Bool) -> (matrix: AffineMatrix, width: Int, height: Int) {
        let w = Double(width), h = Double(height)
        // imgaug: percent (a float32 sample) times the size; px as (t / W) * W. Kept for identical rounding.
        let tx = s.translateIsPercent ? Double(Float(s.translateX)) * w : (s.translateX / w) * w
        let ty = s.translateIsPercent ? Double(Float(s.translateY)) * h : (s.translateY / h) * h
        let m = AffineMatrix.imgaug(width: width, height: height, scaleX: s.scaleX, scaleY: s.scaleY,
                                    translateX: tx, translateY: ty, rotate: s.rotate, shearX: s.shearX, shearY: s.shearY,
                                    anglesInFloat64: s.anglesInFloat64)
        return fitOutput ? m.fittingOutput(width: width, height: height) : (m, width, height)
    }

    /// Applies one drawn sample: the identity shortcut, cval truncation and the
    /// RGBA rule (more than 3 channels all use cval[0]) as imgaug's cv2 path does.
    public static func apply(_ image: Image, _ s: Sample, fitOutput: Bool) -> Image {
        guard image.width > 0, image.height > 0 else { return image }
        let (m, ow, oh) = matrix(for: s, width: image.width, height: image.height, fitOutput: fitOutput)
        if m.isNearIdentity { return image }
        let ints = s.cval.map { Affine.pythonInt(Double(Float($0))) }  // float32 samples, int() truncates
        let fill = image.channels > 3 ? [Int](repeating: ints[0], count: image.channels) : ints
        return WarpAffine.apply(image, matrix: m, width: ow, height: oh, order: s.order, mode: s.mode, cval: fill)
    }

    /// Draws a ``Sample`` and warps the image with it; any channel count and
    /// bit depth. Empty images and near-identity transforms come back unchanged.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        Affine.apply(image, Affine.drawn(self, as: name, &context), fitOutput: fitOutput)
    }

    /// Draws one ``Sample`` and applies it to the image and its targets.
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        Affine.apply(sample, Affine.drawn(self, as: name, &context), fitOutput: fitOutput)
    }

    /// Masks, heatmaps, keypoints and boxes move with the image.
    public var targetRule: TargetRule { .moved }

    /// Draws a sample from `affine` and records it under `name` (Affine's own
    /// name, or a wrapper's).
    static func drawn(_ affine: Affine, as name: String, _ context: inout AugmentContext) -> Sample {
        let s = affine.sample(&context.rng)
        context.record(name, [
            ("scale_x", fmt(s.scaleX)), ("scale_y", fmt(s.scaleY)),
            (s.translateIsPercent ? "translate_percent_x" : "translate_px_x", fmt(s.translateX)),
            (s.translateIsPercent ? "translate_percent_y" : "translate_px_y", fmt(s.translateY)),
            ("rotate", fmt(s.rotate)), ("shear_x", fmt(s.shearX)), ("shear_y", fmt(s.shearY)),
            ("cval", s.cval.map { String(Affine.pythonInt(Double(Float($0)))) }.joined(separator: ",")),
            ("mode", s.mode.rawValue), ("order", String(s.order.rawValue)),
        ])
        return s
    }

    /// Applies one drawn sample to an image and its targets as imgaug does:
    /// masks with order 0, constant mode and fill 0; heatmaps with order 3,
    /// constant mode and fill 0; keypoints and box corners through the same
    /// transform about the image's centre (nothing moves when the matrix is
    /// near the identity).
    public static func apply(_ sample: AnnotatedImage, _ s: Sample, fitOutput: Bool) -> AnnotatedImage {
        let image = sample.image
        var out = AnnotatedImage(apply(image, s, fitOutput: fitOutput), targets: sample.targets)
        guard image.width > 0, image.height > 0, !sample.targets.isEmpty else { return out }
        let m = matrix(for: s, width: image.width, height: image.height, fitOutput: fitOutput).matrix
        if m.isNearIdentity { return out }
        var maskSample = s, heatSample = s
        (maskSample.order, maskSample.mode, maskSample.cval) = (.nearest, .constant, [0, 0, 0])
        (heatSample.order, heatSample.mode, heatSample.cval) = (.cubic, .constant, [0, 0, 0])
        // imgaug warps images about (w/2 - 0.5, h/2 - 0.5) but moves points about
        // (w/2, h/2) (`to_matrix_cba`); shifting by half a pixel either side of
        // the image matrix gives the point matrix. With fit_output the re-fit
        // absorbs the difference, so the image matrix is the point matrix.
        let half = fitOutput ? 0 : 0.5
        out.targets = sample.targets.moved(maps: { map, isMask in
            apply(map, isMask ? maskSample : heatSample, fitOutput: fitOutput)
        }, points: { points in
            points.map { p in
                let q = m.apply(p.x - half, p.y - half)
                return Keypoint(x: q.x + half, y: q.y + half)
            }
        })
        return out
    }
}

extension Affine {
    /// Python's int() on a float (truncation toward zero), saturating instead of failing.
    static func pythonInt(_ v: Double) -> Int {
        if v.isNaN { return 0 }
        if v >= 9.2e18 { return Int.max }
        if v <= -9.2e18 { return Int.min }
        return Int(v)
    }
}
