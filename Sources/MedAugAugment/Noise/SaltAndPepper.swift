import MedAugCore
import MedAugImage

/// imgaug's SaltAndPepper (a ReplaceElementwise): each pixel (or, when
/// `per_channel` fires, each sample) is replaced with probability p, p drawn
/// once per image, by `round(Beta(0.5, 0.5) · 255)`: mostly near 0 (pepper)
/// or near 255 (salt), half of them above the middle. Without per_channel a
/// replaced pixel gets the same value in every channel. Alpha is replaced
/// too, as in imgaug.
///
/// Deviation: on 16-bit images the replacement is scaled to 65535 (imgaug
/// writes 0...255 into 16-bit images, so its "salt" is nearly black there).
public struct SaltAndPepper: Augmenter {
    /// The chance of replacing a pixel (or sample) (imgaug's `p`); a range or choice is drawn per image.
    public var p: Probability
    /// The chance, per image, that samples are replaced channel by channel (imgaug's `per_channel`).
    public var perChannel: Probability

    /// Creates the augmenter; the defaults are imgaug's `p=(0.0, 0.03)`, `per_channel=False`.
    public init(p: Probability = Probability(.range(0, 0.03)), perChannel: Probability = .constant(0)) {
        self.p = p
        self.perChannel = perChannel
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "SaltAndPepper" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { SaltAndPepper.table.arguments(self) }

    /// Draws per_channel, then p, the mask and the replacements, and replaces.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let independent = perChannel.sample(&context.rng)
        let pImage = p.sampleP(&context.rng)
        context.record(name, [("p", fmt(pImage)), ("per_channel", independent ? "1" : "0")])
        return SaltAndPepper.replace(image, p: pImage, perChannel: independent, &context.rng)
    }

    /// The replacement for one image with a drawn p: each pixel (or sample)
    /// replaced with probability p by an arcsine-distributed value, the
    /// replaced ones found by geometric gaps rather than a full mask.
    static func replace(_ image: Image, p: Double, perChannel: Bool, _ rng: inout AugmentRandom) -> Image {
        let count = NoiseFamily.valueCount(image, perChannel)
        guard count > 0, p > 0 else { return image }
        return NoiseFast.saltAndPepper(image, p: p, perSample: perChannel && image.channels > 1, &rng)
    }
}
