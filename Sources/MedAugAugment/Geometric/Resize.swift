import MedAugCore
import MedAugImage

/// One side of Resize's target (imgaug's `size` values).
public enum ResizeValue: Equatable, Sendable {
    /// The image's own size on this side (imgaug's "keep").
    case keep
    /// This side follows the other with the image's aspect ratio (imgaug's "keep-aspect-ratio").
    case keepAspectRatio
    /// Whole pixels: imgaug's integers (a range is an inclusive integer range).
    case pixels(Discrete)
    /// A fraction of the image's side: imgaug's floats (1.0 keeps the size).
    case fraction(Continuous)

    /// The drawn form of a value.
    enum Drawn: Equatable { case keep, keepAspectRatio, pixels(Int), fraction(Double) }

    func sample(_ rng: inout AugmentRandom) -> Drawn {
        switch self {
        case .keep: return .keep
        case .keepAspectRatio: return .keepAspectRatio
        case .pixels(let d): return .pixels(d.sample(&rng))
        case .fraction(let c): return .fraction(c.sample(&rng))
        }
    }
}

/// Resize's target size in imgaug's three forms.
public enum ResizeSize: Equatable, Sendable {
    /// One value drawn once per image and used for both height and width
    /// (imgaug's number, tuple, list or "keep").
    case both(ResizeValue)
    /// `{height: ..., width: ...}` (a missing side is "keep").
    case heightWidth(height: ResizeValue, width: ResizeValue)
    /// `{shorter-side: ..., longer-side: ...}` (a missing side is "keep").
    case shorterLonger(shorter: ResizeValue, longer: ResizeValue)
}

/// imgaug's Resize: resizes each image to a drawn size with `cv2.resize`
/// (nearest, linear, area or cubic; imgaug's default is cubic). Any channel
/// count, 8 and 16 bits.
public struct Resize: Augmenter {
    /// The target size (imgaug's `size`).
    public var size: ResizeSize
    /// The interpolation, one picked per image (imgaug's `interpolation`).
    public var interpolation: Choice<Interpolation>

    /// imgaug requires `size`; MedAug's default "keep" leaves the size alone.
    /// The default interpolation is imgaug's "cubic".
    public init(size: ResizeSize = .both(.keep), interpolation: Choice<Interpolation> = .constant(.cubic)) {
        self.size = size
        self.interpolation = interpolation
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Resize" }
    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { Resize.table.arguments(self) }

    /// Draws the size (height then width, or one value for both) and the
    /// interpolation in imgaug's order, and resizes.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let d = try drawn(&context, width: image.width, height: image.height)
        return image.resized(width: d.width, height: d.height, interpolation: d.interpolation)
    }

    /// Draws once and resizes the image and its targets as imgaug's
    /// `_augment_maps_by_samples` and `_augment_keypoints_by_samples` do:
    /// masks by nearest neighbour, heatmaps with the image's drawn
    /// interpolation (clipped to 0...1); points projected onto the new size.
    /// Maps keep the image's size even when it is drawn as 0 (imgaug makes
    /// them 1 x 1 then), so that later steps see matching sizes.
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        let image = sample.image
        let d = try drawn(&context, width: image.width, height: image.height)
        let out = image.resized(width: d.width, height: d.height, interpolation: d.interpolation)
        // imgaug's on_() leaves points alone when the size is unchanged; maps
        // are skipped too, sparing heatmaps the 16-bit round trip.
        let same = d.width == image.width && d.height == image.height
        guard !sample.targets.isEmpty, !same else { return AnnotatedImage(out, targets: sample.targets) }
        let fx = Double(image.width), fy = Double(image.height), tx = Double(d.width), ty = Double(d.height)
        let targets = sample.targets.moved(maps: { map, isMask in
            map.resized(width: d.width, height: d.height, interpolation: isMask ? .nearest : d.interpolation)
        }, points: { points in
            // A zero-sized input has no scale to project with.
            guard image.width > 0, image.height > 0 else { return points }
            return points.map { Keypoint(x: $0.x / fx * tx, y: $0.y / fy * ty) }
        })
        return AnnotatedImage(out, targets: targets)
    }

    /// Masks, heatmaps, keypoints and boxes are resized with the image.
    public var targetRule: TargetRule { .moved }

    func drawn(_ context: inout AugmentContext, width imw: Int, height imh: Int) throws
        -> (width: Int, height: Int, interpolation: Interpolation) {
        let a: ResizeValue.Drawn, b: ResizeValue.Drawn
        let shorterLonger: Bool
        switch size {
        case .both(let v):
            a = v.sample(&context.rng); b = a; shorterLonger = false
        case .heightWidth(let h, let w):
            a = h.sample(&context.rng); b = w.sample(&context.rng); shorterLonger = false
        case .shorterLonger(let s, let l):
            a = s.sample(&context.rng); b = l.sample(&context.rng); shorterLonger = true
        }
        let ip = interpolation.sample(&context.rng)
        let (w, h) = Resize.targetSize(width: imw, height: imh, a, b, shorterLonger: shorterLonger)
        // "keep-aspect-ratio" follows the image's shape, so no limit on the file's values bounds it:
        // a long thin image can ask for more pixels than any machine holds.
        if Double(w) * Double(h) > Double(ImageCodec.defaultMaxPixels) {
            throw AugmentError(name, "the drawn size \(w)x\(h) (from a \(imw)x\(imh) image) is over "
                + "\(ImageCodec.defaultMaxPixels) pixels; give both sides, or smaller ones")
        }
        context.record(name, [("height", String(h)), ("width", String(w)), ("interpolation", ip.rawValue)])
        return (w, h, ip)
    }

    /// imgaug's `_compute_height_width`: fractions (float32 samples in imgaug) round half to even (at least
    /// 1 pixel), "keep" is the image's side, "keep-aspect-ratio" follows the
    /// other side. With `shorterLonger`, `a` is the shorter side's value.
    static func targetSize(width imw: Int, height imh: Int, _ a: ResizeValue.Drawn, _ b: ResizeValue.Drawn,
                           shorterLonger: Bool) -> (width: Int, height: Int) {
        let hv: ResizeValue.Drawn, wv: ResizeValue.Drawn
        if shorterLonger && imh >= imw { (wv, hv) = (a, b) } else { (hv, wv) = (a, b) }
        func resolve(_ v: ResizeValue.Drawn, _ side: Int) -> Int? {
            switch v {
            case .keep: return side
            case .keepAspectRatio: return nil
            case .pixels(let p): return p
            case .fraction(let f): return max(Affine.pythonInt((Double(side) * Double(Float(f))).rounded(.toNearestOrEven)), 1)  // float32 samples
            }
        }
        var h = resolve(hv, imh), w = resolve(wv, imw)
        if h == nil, let w {
            h = imw > 0 ? Affine.pythonInt((Double(w) * (Double(imh) / Double(imw))).rounded(.toNearestOrEven)) : 0
        }
        if w == nil, let h {
            w = imh > 0 ? Affine.pythonInt((Double(h) * (Double(imw) / Double(imh))).rounded(.toNearestOrEven)) : 0
        }
        return (max(w ?? imw, 0), max(h ?? imh, 0))
    }
}
