import MedAugCore
import MedAugImage

/// imgaug's LogContrast: every sample becomes `255 * gain * log2(1 + v/255)`
/// (65535 for 16-bit), truncated and clipped. Every channel is changed, alpha
/// included, as in imgaug. On 16-bit images a gain above 1 saturates at 65535,
/// where imgaug's cast wraps around (see PARITY.md).
public struct LogContrast: Augmenter {
    /// The multiplier, drawn per image or per channel (imgaug's `gain`, >= 0).
    public var gain: Continuous
    /// The chance, per image, that each channel gets its own gain (imgaug's
    /// `per_channel`: false, true, or a probability).
    public var perChannel: Probability

    /// Creates the augmenter; the defaults are imgaug's `gain=(0.4, 1.6)`,
    /// `per_channel=False`.
    public init(gain: Continuous = .range(0.4, 1.6), perChannel: Probability = .constant(0)) {
        self.gain = gain
        self.perChannel = perChannel
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "LogContrast" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { LogContrast.table.arguments(self) }

    /// Draws per_channel, then gain (once, or per channel), and applies the curve.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let s = ContrastKernel.sample(perChannel, [gain], channels: image.channels, &context.rng)
        context.record(name, [("gain", ArithmeticConfig.format(s[0]))])
        return ContrastKernel.apply(image, curves: s[0].map { .log(gain: $0) })
    }
}
