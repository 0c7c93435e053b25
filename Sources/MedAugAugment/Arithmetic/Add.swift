import MedAugCore
import MedAugImage

/// imgaug's Add: a value added to every sample (one per image, or one per
/// channel when `per_channel` fires). For uint8 the value is first rounded
/// half to even and limited to -255...255.
public struct Add: Augmenter {
    /// The value added, in sample units (0...255 for 8-bit, 0...65535 for
    /// 16-bit images), drawn per image or per channel (imgaug's `value`).
    public var value: Continuous
    /// The chance, per image, that each channel gets its own value (imgaug's
    /// `per_channel`: false, true, or a probability).
    public var perChannel: Probability

    /// Creates the augmenter; the defaults are imgaug's `value=(-20, 20)`,
    /// `per_channel=False`.
    public init(value: Continuous = .range(-20, 20), perChannel: Probability = .constant(0)) {
        self.value = value
        self.perChannel = perChannel
    }

    /// Adds the same constant to every sample of every image.
    public init(_ value: Double, perChannel: Bool = false) {
        self.init(value: .constant(value), perChannel: .constant(perChannel ? 1 : 0))
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Add" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { Add.table.arguments(self) }

    /// Draws per_channel, then one value per channel, and adds them with
    /// saturation at 0 and the bit depth's maximum.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        AddPixels.apply(image, values: sample(channels: image.channels, &context))
    }

    /// Draws per_channel and the values for an image of `channels` channels
    /// and records them: one value, or one per channel.
    func sample(channels: Int, _ context: inout AugmentContext) -> [Float] {
        let values = ArithmeticConfig.sampleChannelValues(value, perChannel, channels: channels, &context.rng)
        context.record(name, [("value", ArithmeticConfig.format(values))])
        return values
    }
}
