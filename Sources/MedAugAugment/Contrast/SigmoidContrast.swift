import MedAugCore
import MedAugImage

/// imgaug's SigmoidContrast: every sample becomes
/// `255 / (1 + exp(gain * (cutoff - v/255)))` (65535 for 16-bit), truncated.
/// Every channel is changed, alpha included, as in imgaug.
public struct SigmoidContrast: Augmenter {
    /// The steepness, drawn per image or per channel (imgaug's `gain`, >= 0).
    public var gain: Continuous
    /// Where the curve crosses the middle, as a fraction of the range
    /// (imgaug's `cutoff`, 0...1).
    public var cutoff: Continuous
    /// The chance, per image, that each channel gets its own values (imgaug's
    /// `per_channel`: false, true, or a probability).
    public var perChannel: Probability

    /// Creates the augmenter; the defaults are imgaug's `gain=(5, 6)`,
    /// `cutoff=(0.3, 0.6)`, `per_channel=False`.
    public init(gain: Continuous = .range(5, 6), cutoff: Continuous = .range(0.3, 0.6),
                perChannel: Probability = .constant(0)) {
        self.gain = gain
        self.cutoff = cutoff
        self.perChannel = perChannel
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "SigmoidContrast" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { SigmoidContrast.table.arguments(self) }

    /// Draws per_channel, then gain, then cutoff (each once, or per channel),
    /// and applies the curve.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let s = ContrastKernel.sample(perChannel, [gain, cutoff], channels: image.channels, &context.rng)
        context.record(name, [("gain", ArithmeticConfig.format(s[0])), ("cutoff", ArithmeticConfig.format(s[1]))])
        return ContrastKernel.apply(image, curves: zip(s[0], s[1]).map { .sigmoid(gain: $0, cutoff: $1) })
    }
}
