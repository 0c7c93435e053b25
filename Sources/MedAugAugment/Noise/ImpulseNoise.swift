import MedAugCore
import MedAugImage

/// imgaug's ImpulseNoise: SaltAndPepper with `per_channel` always on, so each
/// sample is replaced on its own with probability p (drawn once per image).
/// 16-bit images get replacements scaled to 65535, as SaltAndPepper.
public struct ImpulseNoise: Augmenter {
    /// The chance of replacing a sample (imgaug's `p`); a range or choice is drawn per image.
    public var p: Probability

    /// Creates the augmenter; the default is imgaug's `p=(0.0, 0.03)`.
    public init(p: Probability = Probability(.range(0, 0.03))) {
        self.p = p
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "ImpulseNoise" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { ImpulseNoise.table.arguments(self) }

    /// Draws p, the per-sample mask and the replacements, and replaces.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let pImage = p.sampleP(&context.rng)
        context.record(name, [("p", fmt(pImage))])
        return SaltAndPepper.replace(image, p: pImage, perChannel: true, &context.rng)
    }
}
