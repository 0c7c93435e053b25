import MedAugCore
import MedAugImage

/// imgaug's Multiply: every sample times a factor (one per image, or one per
/// channel when `per_channel` fires). uint8 results are truncated, as in imgaug.
public struct Multiply: Augmenter {
    public var mul: Continuous
    public var perChannel: Probability

    public init(mul: Continuous = .range(0.8, 1.2), perChannel: Probability = .constant(0)) {
        self.mul = mul
        self.perChannel = perChannel
    }

    public init(_ mul: Double, perChannel: Bool = false) {
        self.init(mul: .constant(mul), perChannel: .constant(perChannel ? 1 : 0))
    }

    public var name: String { "Multiply" }

    public var arguments: [(String, ConfigValue)] {
        [("mul", mul.param.config), ("per_channel", ArithmeticConfig.probability(perChannel))]
    }

    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let values = ArithmeticConfig.sampleChannelValues(mul, perChannel, channels: image.channels, &context.rng)
        context.record(name, [("mul", ArithmeticConfig.format(values))])
        return MultiplyPixels.apply(image, multipliers: values)
    }
}
