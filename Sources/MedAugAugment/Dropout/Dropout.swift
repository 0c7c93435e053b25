import MedAugCore
import MedAugImage

/// imgaug's Dropout: each pixel (or each sample, with per_channel) is set
/// to 0 with probability p; p is drawn once per image.
public struct Dropout: Augmenter {
    public var p: DropoutProbability
    public var perChannel: Probability

    public init(p: DropoutProbability = .range(0, 0.05), perChannel: Probability = .constant(0)) {
        self.p = p
        self.perChannel = perChannel
    }

    public init(_ p: Double, perChannel: Bool = false) {
        self.init(p: .constant(p), perChannel: .constant(perChannel ? 1 : 0))
    }

    public var name: String { "Dropout" }

    public var arguments: [(String, ConfigValue)] {
        [("p", p.p.config), ("per_channel", ArithmeticConfig.probability(perChannel))]
    }

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
