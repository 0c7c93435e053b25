import MedAugCore
import MedAugImage

/// imgaug's Dropout: each pixel (or each sample, with per_channel) is set
/// to 0 with probability p; p is drawn once per image.
public struct Dropout: Augmenter {
    /// The chance that a pixel (or sample) is dropped, in 0...1 (imgaug's `p`).
    public var p: DropoutProbability
    /// The chance, per image, that samples are dropped channel by channel
    /// rather than whole pixels (imgaug's `per_channel`).
    public var perChannel: Probability

    /// Creates the augmenter; the defaults are imgaug's `p=(0.0, 0.05)`,
    /// `per_channel=False`.
    public init(p: DropoutProbability = .range(0, 0.05), perChannel: Probability = .constant(0)) {
        self.p = p
        self.perChannel = perChannel
    }

    /// Drops with the same probability in every image.
    public init(_ p: Double, perChannel: Bool = false) {
        self.init(p: .constant(p), perChannel: .constant(perChannel ? 1 : 0))
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Dropout" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { Dropout.table.arguments(self) }

    /// Draws per_channel, then p, then the mask, and zeroes the dropped samples.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let independent = perChannel.sample(&context.rng)
        let keep = p.sampleKeep(&context.rng)
        context.record(name, [("p", fmt(1 - keep)), ("per_channel", independent ? "1" : "0")])
        let count = image.width * image.height * (independent ? image.channels : 1)
        guard count > 0, keep < 1 else { return image }
        let mask = DropoutMask.bernoulli(count: count, keep: keep, rng: &context.rng)
        return DropoutMask.apply(image, mask: mask)
    }
}
