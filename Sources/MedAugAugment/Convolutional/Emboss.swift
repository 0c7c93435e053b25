import MedAugCore
import MedAugImage

/// Embosses with `E = [[-1-s, -s, 0], [-s, 1, s], [0, s, 1+s]]` (sums to 1)
/// blended with the identity by alpha.
public struct Emboss: Augmenter {
    /// How much of the embossed image is blended over the original, in 0...1,
    /// drawn per image (imgaug's `alpha`).
    public var alpha: Continuous
    /// The relief's strength s in the kernel, drawn per image (imgaug's
    /// `strength`); larger values give a deeper relief.
    public var strength: Continuous

    /// Creates the augmenter; the defaults are imgaug's `alpha=(0.0, 1.0)`,
    /// `strength=(0.25, 1.0)`.
    public init(alpha: Continuous = .range(0, 1), strength: Continuous = .range(0.25, 1)) {
        self.alpha = alpha
        self.strength = strength
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Emboss" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { Emboss.table.arguments(self) }

    /// Draws alpha, then strength, and convolves every channel; throws
    /// ``AugmentError`` when a drawn alpha is outside 0...1.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        if image.width == 0 || image.height == 0 { return image }
        let a = alpha.sample(&context.rng)
        try ConvolveKernel.checkAlpha(a, name)
        let s = strength.sample(&context.rng)
        context.record(name, [("alpha", fmt(a)), ("strength", fmt(s))])
        return filter2D(image, Emboss.kernel(alpha: a, strength: s))
    }

    /// The 3x3 kernel for one alpha and strength.
    public static func kernel(alpha: Double, strength s: Double) -> Kernel2D {
        let effect: [Float] = [
            Float(-1 - s), Float(0 - s), 0,
            Float(0 - s), 1, Float(0 + s),
            0, Float(0 + s), Float(1 + s),
        ]
        return ConvolveKernel.blend(effect, alpha: alpha)
    }
}
