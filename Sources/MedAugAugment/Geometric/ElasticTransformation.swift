import MedAugImage

/// ElasticTransformation's border modes, as imgaug (scipy) names them.
public enum ElasticMode: String, CaseIterable, Sendable {
    /// BORDER_CONSTANT: cval outside the image.
    case constant
    /// BORDER_REPLICATE: the edge pixel repeated.
    case nearest
    /// BORDER_REFLECT_101: mirrored without repeating the edge.
    case reflect
    /// BORDER_WRAP: the image tiled.
    case wrap

    /// The OpenCV border imgaug maps it to (`_MAPPING_MODE_SCIPY_CV2`).
    public var borderMode: BorderMode {
        switch self {
        case .constant: return .constant
        case .nearest: return .edge
        case .reflect: return .reflect
        case .wrap: return .wrap
        }
    }
}

/// imgaug's ElasticTransformation through its cv2 path: a displacement
/// field per axis, uniform in [-1, 1), smoothed by a Gaussian of `sigma`
/// (imgaug's kernel size rule, the field padded by the kernel size), scaled by
/// `alpha`; every output pixel samples the input at (x − dx, y − dy) with
/// cv2.remap.
///
/// Orders 2, 4 and 5 run as bicubic, as imgaug's cv2 path does. Deviations:
/// the field is MedAug's own stream; images with a side of 32767 or more, which
/// imgaug sends to scipy, are remapped the same way as smaller ones.
public struct ElasticTransformation: Augmenter {
    /// The displacement strength in pixels, drawn per image (imgaug's `alpha`).
    public var alpha: Continuous
    /// The smoothness of the field (Gaussian sigma), drawn per image (imgaug's `sigma`).
    public var sigma: Continuous
    /// The interpolation order 0...5, drawn per image (imgaug's `order`).
    public var order: Discrete
    /// The fill value for `constant` mode, drawn per image, clipped to the sample
    /// range and truncated; it fills the first three channels (imgaug's `cval`).
    public var cval: Continuous
    /// How pixels from outside the image are filled, one picked per image (imgaug's `mode`).
    public var mode: Choice<ElasticMode>

    /// Creates the augmenter; the defaults are imgaug's: `alpha=(0, 40)`,
    /// `sigma=(4, 8)`, `order=3`, `cval=0`, `mode="constant"`.
    public init(alpha: Continuous = .range(0, 40), sigma: Continuous = .range(4, 8), order: Discrete = .constant(3),
                cval: Continuous = .constant(0), mode: Choice<ElasticMode> = .constant(.constant)) {
        self.alpha = alpha
        self.sigma = sigma
        self.order = order
        self.cval = cval
        self.mode = mode
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "ElasticTransformation" }

    /// Draws alpha, sigma, order, cval and mode (imgaug's order), then the raw
    /// field, and remaps the image; any channel count and bit depth. alpha = 0
    /// leaves the image unchanged (the remap would be the identity).
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let s = drawn(&context)
        guard let (dx, dy) = ElasticTransformation.field(s, width: image.width, height: image.height,
                                                          channels: image.channels, &context.rng) else { return image }
        return ElasticKernel.remap(image, dx: dx, dy: dy, order: s.order, mode: s.mode.borderMode, cval: s.fill(for: image))
    }

    /// Draws as the image-only call does and moves the image and its targets
    /// with the one field (imgaug's rules are at ``ElasticKernel``'s `apply`
    /// for an `AnnotatedImage`). alpha = 0 leaves everything unchanged.
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        let s = drawn(&context)
        let image = sample.image
        guard let (dx, dy) = ElasticTransformation.field(s, width: image.width, height: image.height,
                                                          channels: image.channels, &context.rng) else { return sample }
        return ElasticKernel.apply(sample, dx: dx, dy: dy, alpha: s.alpha, sigma: s.sigma, order: s.order,
                                   mode: s.mode.borderMode, cval: s.fill(for: image))
    }

    /// Masks, heatmaps, keypoints and boxes move with the image.
    public var targetRule: TargetRule { .moved }

    /// One image's scalar draws.
    struct Drawn {
        var alpha, sigma: Double
        var order: Int
        var cval: Double
        var mode: ElasticMode

        /// The fill for `image`: clipped to the sample type, then truncated by int().
        func fill(for image: Image) -> Int {
            Int(min(max(cval, 0), image.bitDepth == 16 ? 65535.0 : 255.0))
        }
    }

    /// Draws and records alpha, sigma, order, cval and mode, in imgaug's order.
    func drawn(_ context: inout AugmentContext) -> Drawn {
        let a = alpha.sample(&context.rng)
        let s = sigma.sample(&context.rng)
        let o = min(max(order.sample(&context.rng), 0), 5)
        let c = cval.sample(&context.rng)
        let m = mode.sample(&context.rng)
        context.record(name, [("alpha", fmt(a)), ("sigma", fmt(s)), ("order", String(o)), ("cval", fmt(c)),
                              ("mode", m.rawValue)])
        return Drawn(alpha: a, sigma: s, order: o, cval: c, mode: m)
    }

    /// Draws the raw field for a `width` × `height` image and smooths it; nil,
    /// drawing nothing, when alpha is 0 or the image is empty.
    static func field(_ s: Drawn, width: Int, height: Int, channels: Int,
                      _ rng: inout AugmentRandom) -> (dx: [Float], dy: [Float])? {
        if s.alpha == 0 || width == 0 || height == 0 || channels == 0 { return nil }
        let pad = ElasticKernel.padding(sigma: s.sigma)
        let count = 2 * (height + 2 * pad) * (width + 2 * pad)
        var raw = [Float](repeating: 0, count: count)
        for i in 0..<count { raw[i] = rng.nextFloat() * 2 - 1 }
        return ElasticKernel.shiftMaps(raw: raw, width: width, height: height, alpha: s.alpha, sigma: s.sigma, pad: pad)
    }
}
