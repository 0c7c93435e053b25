import MedAugCore
import MedAugImage

/// imgaug's GammaContrast: every sample becomes `255 * (v/255)^gamma`
/// (`65535 * (v/65535)^gamma` for 16-bit), truncated. Higher gamma darkens.
/// Every channel is changed, alpha included, as in imgaug. For 16-bit images
/// a negative gamma, which scikit-image refuses, saturates as on 8-bit images.
public struct GammaContrast: Augmenter {
    /// The exponent, drawn per image or per channel (imgaug's `gamma`).
    public var gamma: Continuous
    /// The chance, per image, that each channel gets its own gamma (imgaug's
    /// `per_channel`: false, true, or a probability).
    public var perChannel: Probability

    /// Creates the augmenter; the defaults are imgaug's `gamma=(0.7, 1.7)`,
    /// `per_channel=False`.
    public init(gamma: Continuous = .range(0.7, 1.7), perChannel: Probability = .constant(0)) {
        self.gamma = gamma
        self.perChannel = perChannel
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "GammaContrast" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { GammaContrast.table.arguments(self) }

    /// Draws per_channel, then gamma (once, or per channel), and applies the curve.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let s = ContrastKernel.sample(perChannel, [gamma], channels: image.channels, &context.rng)
        context.record(name, [("gamma", ArithmeticConfig.format(s[0]))])
        return ContrastKernel.apply(image, curves: s[0].map { .gamma($0) })
    }
}
