import MedAugCore
import MedAugImage

/// imgaug's LinearContrast: every sample becomes `127 + alpha * (v - 127)`,
/// clipped and truncated on 8-bit images (imgaug's table); on 16-bit images
/// `32767 + alpha * (v - 32767)`, rounded half to even and clipped (imgaug's
/// numpy path). Every channel is changed, alpha included, as in imgaug.
public struct LinearContrast: Augmenter {
    /// The factor on the distance from the centre, drawn per image or per
    /// channel (imgaug's `alpha`); below 0 inverts.
    public var alpha: Continuous
    /// The chance, per image, that each channel gets its own alpha (imgaug's
    /// `per_channel`: false, true, or a probability).
    public var perChannel: Probability

    /// Creates the augmenter; the defaults are imgaug's `alpha=(0.6, 1.4)`,
    /// `per_channel=False`.
    public init(alpha: Continuous = .range(0.6, 1.4), perChannel: Probability = .constant(0)) {
        self.alpha = alpha
        self.perChannel = perChannel
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "LinearContrast" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { LinearContrast.table.arguments(self) }

    /// Draws per_channel, then alpha (once, or per channel), and applies the curve.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let s = ContrastKernel.sample(perChannel, [alpha], channels: image.channels, &context.rng)
        context.record(name, [("alpha", ArithmeticConfig.format(s[0]))])
        return ContrastKernel.apply(image, curves: s[0].map { .linear(alpha: $0) })
    }
}
