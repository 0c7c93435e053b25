import MedAugImage

/// PerspectiveTransform's border modes, as imgaug names them.
public enum PerspectiveMode: String, CaseIterable, Sendable {
    /// BORDER_CONSTANT: cval outside the image.
    case constant
    /// BORDER_REPLICATE: the edge pixel repeated.
    case replicate

    /// The matching ``BorderMode``.
    public var borderMode: BorderMode { self == .constant ? .constant : .edge }
}

/// imgaug's PerspectiveTransform: each corner moves inwards by a distance
/// drawn from Normal(0, scale) (|draw| mod 1, as a fraction of the side), the
/// quadrilateral they span is warped to a rectangle (cv2.getPerspectiveTransform
/// and cv2.warpPerspective, bilinear) and, with `keepSize`, resized back to the
/// input size.
///
/// As in imgaug, the drawn corners only zoom in (the absolute value of the
/// draw is used). Deviation: imgaug draws scale once per batch; MedAug draws it
/// once per image, from the image's own stream.
public struct PerspectiveTransform: Augmenter {
    /// The standard deviation of the corner jitter, as a fraction of the image
    /// side, drawn per image (imgaug's `scale`).
    public var scale: Continuous
    /// The fill value for `constant` mode, drawn per image and channel (three
    /// draws), rounded to the sample type as OpenCV does (imgaug's `cval`).
    public var cval: Continuous
    /// `constant` or `replicate`, one picked per image (imgaug's `mode`).
    public var mode: Choice<PerspectiveMode>
    /// Resize the warped image back to the input size (imgaug's `keep_size`).
    public var keepSize: Bool
    /// Enlarge the output so that the whole transformed image fits (imgaug's `fit_output`).
    public var fitOutput: Bool

    /// Creates the augmenter; the defaults are imgaug's: `scale=(0, 0.06)`,
    /// `cval=0`, `mode="constant"`, `keep_size=True`, `fit_output=False`.
    public init(scale: Continuous = .range(0, 0.06), cval: Continuous = .constant(0),
                mode: Choice<PerspectiveMode> = .constant(.constant), keepSize: Bool = true, fitOutput: Bool = false) {
        self.scale = scale
        self.cval = cval
        self.mode = mode
        self.keepSize = keepSize
        self.fitOutput = fitOutput
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "PerspectiveTransform" }

    /// The values drawn for one image.
    public struct Sample: Equatable, Sendable {
        /// The three fill values.
        public var cval: [Double]
        /// The border mode.
        public var mode: PerspectiveMode
        /// The eight corner draws from Normal(0, scale), x then y of top-left,
        /// top-right, bottom-right, bottom-left, as float32.
        public var jitter: [Double]
    }

    /// Draws in imgaug's order: cval (three), mode, then scale and the eight jitter values.
    public func sample(_ rng: inout AugmentRandom) -> Sample {
        let c = (0..<3).map { _ in cval.sample(&rng) }
        let m = mode.sample(&rng)
        let s = scale.sample(&rng)
        let j = (0..<8).map { _ in Double(Float(rng.gaussian(mean: 0, sd: s))) }
        return Sample(cval: c, mode: m, jitter: j)
    }

    /// Draws a ``Sample`` and warps the image with it; any channel count and bit depth.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let s = drawn(&context)
        return PerspectiveKernel.apply(image, jitter: s.jitter, mode: s.mode.borderMode, cval: s.cval,
                                       keepSize: keepSize, fitOutput: fitOutput)
    }

    /// Draws one ``Sample`` and warps the image and its targets with it
    /// (imgaug's rules are at ``PerspectiveKernel``'s `apply` for an `AnnotatedImage`).
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        let s = drawn(&context)
        return PerspectiveKernel.apply(sample, jitter: s.jitter, mode: s.mode.borderMode, cval: s.cval,
                                       keepSize: keepSize, fitOutput: fitOutput)
    }

    /// Masks, heatmaps, keypoints and boxes move with the image.
    public var targetRule: TargetRule { .moved }

    /// One image's draws, recorded: the image-only and the annotated call share
    /// it so that both draw and record the same.
    func drawn(_ context: inout AugmentContext) -> Sample {
        let s = sample(&context.rng)
        context.record(name, [("cval", s.cval.map { fmt($0) }.joined(separator: ",")), ("mode", s.mode.rawValue),
                              ("jitter", s.jitter.map { fmt($0) }.joined(separator: ","))])
        return s
    }
}
