import MedAugCore
import MedAugImage

/// Sharpens with `E = [[-1,-1,-1],[-1,8+L,-1],[-1,-1,-1]]` blended with the
/// identity by alpha; lightness L != 1 also scales overall brightness (K sums
/// to 1 − α + αL). One kernel per image, used on every channel.
public struct Sharpen: Augmenter {
    /// How much of the sharpened image is blended over the original, in 0...1,
    /// drawn per image (imgaug's `alpha`).
    public var alpha: Continuous
    /// The brightness of the sharpened image (the kernel's centre is 8 +
    /// lightness), drawn per image; 1 keeps overall brightness.
    public var lightness: Continuous

    /// Creates the augmenter; the defaults are imgaug's `alpha=(0.0, 0.2)`,
    /// `lightness=(0.8, 1.2)`.
    public init(alpha: Continuous = .range(0, 0.2), lightness: Continuous = .range(0.8, 1.2)) {
        self.alpha = alpha
        self.lightness = lightness
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Sharpen" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { Sharpen.table.arguments(self) }

    /// Draws alpha, then lightness, and convolves every channel; throws
    /// ``AugmentError`` when a drawn alpha is outside 0...1.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        // imgaug skips empty images before generating their kernel.
        if image.width == 0 || image.height == 0 { return image }
        let a = alpha.sample(&context.rng)
        try ConvolveKernel.checkAlpha(a, name)
        let l = lightness.sample(&context.rng)
        context.record(name, [("alpha", fmt(a)), ("lightness", fmt(l))])
        return filter2D(image, Sharpen.kernel(alpha: a, lightness: l))
    }

    /// The 3x3 kernel for one alpha and lightness.
    public static func kernel(alpha: Double, lightness: Double) -> Kernel2D {
        let centre = Float(8 + lightness)
        return ConvolveKernel.blend([-1, -1, -1, -1, centre, -1, -1, -1, -1], alpha: alpha)
    }
}
