import MedAugCore
import MedAugImage

/// Sharpens with `E = [[-1,-1,-1],[-1,8+L,-1],[-1,-1,-1]]` blended with the
/// identity by alpha; lightness L != 1 also scales overall brightness (K sums
/// to 1 − α + αL). One kernel per image, used on every channel.
public struct Sharpen: Augmenter {
    public var alpha: Continuous
    public var lightness: Continuous

    public init(alpha: Continuous = .range(0, 0.2), lightness: Continuous = .range(0.8, 1.2)) {
        self.alpha = alpha
        self.lightness = lightness
    }

    public var name: String { "Sharpen" }

    public var arguments: [(String, ConfigValue)] {
        [("alpha", alpha.param.config), ("lightness", lightness.param.config)]
    }

    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        // imgaug skips empty images before generating their kernel.
        if image.width == 0 || image.height == 0 { return image }
        let a = alpha.sample(&context.rng)
        try ConvolveKernel.checkAlpha(a, name)
        let l = lightness.sample(&context.rng)
        context.record(name, [("alpha", fmt(a)), ("lightness", fmt(l))])
        return filter2D(image, Sharpen.kernel(alpha: a, lightness: l))
    }

    public static func kernel(alpha: Double, lightness: Double) -> Kernel2D {
        let centre = Float(8 + lightness)
        return ConvolveKernel.blend([-1, -1, -1, -1, centre, -1, -1, -1, -1], alpha: alpha)
    }
}
