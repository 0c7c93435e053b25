import MedAugCore
import MedAugImage

/// imgaug 0.4.0's RandAugment (Cubuk et al.), composed as imgaug composes it:
/// a Sequential of `Fliplr(0.5)` and a crop of Uniform(0, M)/224 of each side
/// resized back to the input size (linear), then `SomeOf(n, ...)` with
/// `random_order` over eighteen operations (see ``mainAugmenters(valueScale:)``):
/// Identity, pillike Autocontrast (cutoff 0), Equalize, Invert, a rotation,
/// Posterize, Solarize, the four pillike Enhance operations, x/y shears and
/// x/y translations, Cutout, FilterBlur and FilterSmooth.
///
/// Magnitudes follow imgaug's helpers with `M_MAX = 30`: a float magnitude is
/// `M * maxval / 30`, an integer one is that truncated, a sign is drawn where
/// imgaug uses `RandomSign`, and the Enhance factors are
/// `clip(1 ± M * 0.9 / 30, 0.1, 1.9)`. M is drawn per operation and image, as
/// each of imgaug's child parameters draws M itself. MedAug writes each
/// child's parameter as the equivalent choice (every value of M, and both
/// signs, with equal weight), so the children are ordinary augmenters whose
/// traces show what ran and with which value.
///
/// Differences from imgaug: the draws come from MedAug's stream, not numpy's;
/// the distributions are imgaug's for a batch of one image (imgaug's crop
/// draws its M once per batch and side, MedAug once per image and side). On
/// 16-bit images (refused by imgaug) `cval` and Solarize's thresholds are
/// scaled by 257 so that they keep their 8-bit meaning. Gray images get the
/// fill value in the affine operations, where imgaug 0.4.0 with Pillow 13
/// fails.
public struct RandAugment: Augmenter {
    /// How many of the main operations run per image (imgaug's `n`, read as SomeOf's).
    var nForm: SomeOfCount
    /// The magnitude M in 0...30 (higher values are allowed), drawn per
    /// operation and image (imgaug's `m`: a number, `[a, b]` or a choice).
    public var m: Discrete
    /// The fill value of the affine operations and Cutout (imgaug's `cval`).
    public var cval: Continuous

    /// imgaug's `M_MAX`: the magnitude at which every operation reaches its `maxval`.
    public static let maxMagnitude = 30.0

    /// Creates the policy; the defaults are imgaug's `n=2`, `m=(6, 12)`, `cval=128`.
    public init(n: Discrete = .constant(2), m: Discrete = .range(6, 12), cval: Continuous = .constant(128)) {
        self.nForm = .fixed(n)
        self.m = m
        self.cval = cval
    }

    /// How many main operations run per image; nil is all of them (imgaug's `n=None`).
    public var n: Discrete? {
        get { if case .fixed(let d) = nForm { return d } else { return nil } }
        set { nForm = newValue.map { .fixed($0) } ?? .all }
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "RandAugment" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { RandAugment.table.arguments(self) }

    /// The first step, always run: Fliplr(0.5), then the crop resized back.
    public var initialAugmenters: [any Augmenter] { [Fliplr(0.5), RandAugmentCrop(m: m)] }

    /// The operations SomeOf chooses from, in imgaug's order. `valueScale`
    /// multiplies the sample values (cval, Solarize's threshold): 1 for 8-bit
    /// images, 257 for 16-bit ones.
    public func mainAugmenters(valueScale: Double = 1) -> [any Augmenter] {
        let magnitude = RandAugmentMagnitude(m)
        let fill = Continuous(RandAugmentMagnitude.scaled(cval.param, valueScale))
        let shearMax = 0.3 * 180 / Double.pi
        func affine(rotate: Continuous = .constant(0), shear: AffineShear = .xOnly(0),
                    translate: AxisParam? = nil, center: FixedSizePosition = .fixed(x: 0, y: 0)) -> PillikeAffine {
            PillikeAffine(translate: translate.map { .percent($0) } ?? .px(.shared(.constant(0))), rotate: rotate,
                          shear: shear, fillcolor: fill, center: center)
        }
        let enhance = Continuous(magnitude.enhance())
        var posterize = Posterize()
        posterize.nbBits = Discrete(magnitude.param { Double(8 - min(max(magnitude.int($0, 6), 0), 6)) })
        let threshold = magnitude.param { Double(min(max(256 - magnitude.int($0, 256), 0), 256)) }
        return [
            Identity(),
            PillikeAutocontrast(cutoff: .constant(0)),
            PillikeEqualize(),
            Invert(p: .constant(1)),
            affine(rotate: Continuous(magnitude.signed { magnitude.float($0, 30) }), center: .center),
            PillikePosterize(posterize),
            PillikeSolarize(p: .constant(1), threshold: Continuous(RandAugmentMagnitude.scaled(threshold, valueScale))),
            PillikeEnhanceAugmenter(.color, factor: enhance),
            PillikeEnhanceAugmenter(.contrast, factor: enhance),
            PillikeEnhanceAugmenter(.brightness, factor: enhance),
            PillikeEnhanceAugmenter(.sharpness, factor: enhance),
            affine(shear: .perAxis(x: Continuous(magnitude.signed { magnitude.float($0, shearMax) }), y: .constant(0))),
            affine(shear: .perAxis(x: .constant(0), y: Continuous(magnitude.signed { magnitude.float($0, shearMax) }))),
            affine(translate: .perAxis(x: Continuous(magnitude.signed { magnitude.float($0, 0.33) }), y: .constant(0))),
            affine(translate: .perAxis(x: .constant(0), y: Continuous(magnitude.signed { magnitude.float($0, 0.33) }))),
            Cutout(nbIterations: .constant(1),
                   size: Continuous(magnitude.param { min(max(magnitude.float($0, 20.0 / 32), 0), 20.0 / 32) }),
                   squared: .constant(1), fillMode: .constant("constant"), cval: fill),
            PillikeFilter(.blur),
            PillikeFilter(.smooth),
        ]
    }

    /// imgaug's composition for an image of this bit depth.
    public func composition(bitDepth: Int = 8) -> Sequential {
        var main = SomeOf(n: nil, mainAugmenters(valueScale: bitDepth == 16 ? 257 : 1), randomOrder: true)
        main.nForm = nForm
        return Sequential([Sequential(initialAugmenters), main])
    }

    /// Runs the initial step, then n of the main operations in random order.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        try composition(bitDepth: image.bitDepth).augment(image, &context)
    }

    /// imgaug's RandAugment warps with pillike.Affine, which takes images
    /// only; an image with targets is refused as a whole, rather than only on
    /// the draws that happen to pick an affine operation.
    public var targetRule: TargetRule { .refused }
}

/// imgaug's magnitude helpers over a drawn M, written as parameters: each
/// value of M (and each sign) becomes one equally likely choice, which is the
/// distribution imgaug's stochastic parameters draw from.
struct RandAugmentMagnitude {
    /// The values M takes with equal weight.
    let values: [Int]
    let isConstant: Bool

    init(_ m: Discrete) {
        switch m.param {
        case .constant(let v): values = [Int(v)]; isConstant = true
        case .range(let a, let b):
            let lo = min(Int(a), Int(b)), hi = max(Int(a), Int(b))
            values = Array(lo...hi); isConstant = false
        case .choice(let l): values = l.map { Int($0) }; isConstant = false
        }
    }

    /// imgaug's `_float_parameter`: `M * (maxval / M_MAX)` in float64.
    func float(_ m: Int, _ maxval: Double) -> Double { Double(m) * (maxval / RandAugment.maxMagnitude) }

    /// imgaug's `_int_parameter`: the float parameter truncated.
    func int(_ m: Int, _ maxval: Double) -> Int { Int(float(m, maxval).rounded(.towardZero)) }

    /// `f(M)` as a parameter.
    func param(_ f: (Int) -> Double) -> Param {
        isConstant ? .constant(f(values[0])) : .choice(values.map(f))
    }

    /// `RandomSign(f(M))`: both signs of every value, equally likely.
    func signed(_ f: (Int) -> Double) -> Param {
        .choice(values.flatMap { [-abs(f($0)), abs(f($0))] })
    }

    /// imgaug's `_enhance_parameter`: `clip(1 + RandomSign(M * 0.9 / 30), 0.1, 1.9)`.
    func enhance() -> Param {
        .choice(values.flatMap { m -> [Double] in
            let v = abs(float(m, 0.9))
            return [min(max(1 - v, 0.1), 1.9), min(max(1 + v, 0.1), 1.9)]
        })
    }

    /// A parameter with every value multiplied by `s`.
    static func scaled(_ p: Param, _ s: Double) -> Param {
        guard s != 1 else { return p }
        switch p {
        case .constant(let v): return .constant(v * s)
        case .range(let a, let b): return .range(a * s, b * s)
        case .choice(let l): return .choice(l.map { $0 * s })
        }
    }
}

/// RandAugment's crop step, imgaug's `KeepSizeByResize(Crop(percent=Uniform(0,
/// M) / 224, sample_independently=True, keep_size=False), "linear")`: each
/// side draws M and then Uniform(0, M) / 224 (float32) of the height or
/// width, rounded half to even, and the result is resized back to the input
/// size with linear interpolation.
public struct RandAugmentCrop: Augmenter {
    /// The magnitude whose draw bounds the crop fraction (times 1/224).
    public var m: Discrete

    /// Creates the step for RandAugment's `m`.
    public init(m: Discrete) { self.m = m }

    /// imgaug's class inside the step.
    public var name: String { "Crop" }

    /// What the step was built from, for listings.
    public var arguments: [(String, ConfigValue)] { [("m", m.param.config)] }

    /// Draws M and the fraction for each side in turn, crops and resizes back.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let px = drawn(&context, width: image.width, height: image.height)
        guard image.width > 0, image.height > 0 else { return image }
        return RandAugmentCrop.apply(image, px)
    }

    /// Draws once and crops the image and its targets, then resizes them back
    /// as imgaug's `KeepSizeByResize(..., "linear")` does: the image and the
    /// heatmaps linearly (heatmaps follow the image's interpolation there),
    /// masks by nearest neighbour, points projected onto the input size
    /// after moving by the left and top crop.
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        let px = drawn(&context, width: sample.image.width, height: sample.image.height)
        return RandAugmentCrop.apply(sample, px)
    }

    /// Crops an image and its targets by `px` and resizes them back (see
    /// the `augment` that takes an ``AnnotatedImage``); an empty image is returned as it is.
    static func apply(_ sample: AnnotatedImage, _ px: (top: Int, right: Int, bottom: Int, left: Int)) -> AnnotatedImage {
        let image = sample.image
        guard image.width > 0, image.height > 0 else { return sample }
        let out = apply(image, px)
        guard !sample.targets.isEmpty else { return AnnotatedImage(out, targets: sample.targets) }
        let w = image.width, h = image.height
        let window = CropAndPad.window(width: w, height: h, top: -px.top, right: -px.right, bottom: -px.bottom, left: -px.left)
        var targets = sample.targets.croppedAndPadded(window, width: w, height: h)
        if window.width != w || window.height != h {
            let fx = Double(window.width), fy = Double(window.height)
            targets = targets.moved(maps: { map, isMask in
                map.resized(width: w, height: h, interpolation: isMask ? .nearest : .linear)
            }, points: { points in
                points.map { Keypoint(x: $0.x / fx * Double(w), y: $0.y / fy * Double(h)) }
            })
        }
        return AnnotatedImage(out, targets: targets)
    }

    /// Masks, heatmaps, keypoints and boxes are cropped and resized back with the image.
    public var targetRule: TargetRule { .moved }

    /// Draws the four crops in pixels (top, right, bottom, left) and records them.
    func drawn(_ context: inout AugmentContext, width: Int, height: Int) -> (top: Int, right: Int, bottom: Int, left: Int) {
        // imgaug's Crop holds one parameter per side, and each side's draw draws its own M.
        let fractions = (0..<4).map { _ -> Float in
            let bound = Double(max(m.sample(&context.rng), 0))
            let u = bound == 0 ? 0 : Float(bound * context.rng.nextDouble())
            return u / 224
        }
        let sizes = [height, width, height, width]
        let px = (0..<4).map { Affine.pythonInt(Double((Float(sizes[$0]) * fractions[$0]).rounded(.toNearestOrEven))) }
        context.record(name, [("top", String(px[0])), ("right", String(px[1])), ("bottom", String(px[2])), ("left", String(px[3]))])
        return (px[0], px[1], px[2], px[3])
    }

    /// Crops a non-empty image by `px` and resizes a changed size back linearly.
    static func apply(_ image: Image, _ px: (top: Int, right: Int, bottom: Int, left: Int)) -> Image {
        let cropped = CropAndPad.apply(image, top: -px.top, right: -px.right, bottom: -px.bottom, left: -px.left,
                                       padMode: .constant, padCval: 0, keepSize: false)
        guard cropped.width != image.width || cropped.height != image.height else { return cropped }
        return cropped.resized(width: image.width, height: image.height, interpolation: .linear)
    }
}
