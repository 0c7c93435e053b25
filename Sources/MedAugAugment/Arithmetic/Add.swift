import MedAugCore
import MedAugImage

/// imgaug's Add: a value added to every sample (one per image, or one per
/// channel when `per_channel` fires). For uint8 the value is first rounded
/// half to even and limited to -255...255.
public struct Add: Augmenter {
    public var value: Continuous
    public var perChannel: Probability

    public init(value: Continuous = .range(-20, 20), perChannel: Probability = .constant(0)) {
        self.value = value
        self.perChannel = perChannel
    }

    public init(_ value: Double, perChannel: Bool = false) {
        self.init(value: .constant(value), perChannel: .constant(perChannel ? 1 : 0))
    }

    public var name: String { "Add" }

    public var arguments: [(String, ConfigValue)] {
        [("value", value.param.config), ("per_channel", ArithmeticConfig.probability(perChannel))]
    }

    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let values = ArithmeticConfig.sampleChannelValues(value, perChannel, channels: image.channels, &context.rng)
        context.record(name, [("value", ArithmeticConfig.format(values))])
        return AddPixels.apply(image, values: values)
    }
}
