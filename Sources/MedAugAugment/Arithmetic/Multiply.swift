import MedAugCore
import MedAugImage

/// imgaug's Multiply: every sample times a factor (one per image, or one per
/// channel when `per_channel` fires). uint8 results are truncated, as in imgaug.
public struct Multiply: Augmenter {
    /// The factor, drawn per image or per channel (imgaug's `mul`); 1 leaves
    /// samples unchanged.
    public var mul: Continuous
    /// The chance, per image, that each channel gets its own factor (imgaug's
    /// `per_channel`: false, true, or a probability).
    public var perChannel: Probability

    /// Creates the augmenter; the defaults are imgaug's `mul=(0.8, 1.2)`,
    /// `per_channel=False`.
    public init(mul: Continuous = .range(0.8, 1.2), perChannel: Probability = .constant(0)) {
        self.mul = mul
        self.perChannel = perChannel
    }

    /// Multiplies every image by the same constant factor.
    public init(_ mul: Double, perChannel: Bool = false) {
        self.init(mul: .constant(mul), perChannel: .constant(perChannel ? 1 : 0))
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Multiply" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { Multiply.table.arguments(self) }

    /// Draws per_channel, then one factor per channel, and multiplies, clipping
    /// to the bit depth's range.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        MultiplyPixels.apply(image, multipliers: sample(channels: image.channels, &context))
    }

    /// Draws per_channel and the factors for an image of `channels` channels
    /// and records them: one factor, or one per channel.
    func sample(channels: Int, _ context: inout AugmentContext) -> [Float] {
        let values = ArithmeticConfig.sampleChannelValues(mul, perChannel, channels: channels, &context.rng)
        context.record(name, [("mul", ArithmeticConfig.format(values))])
        return values
    }
}
