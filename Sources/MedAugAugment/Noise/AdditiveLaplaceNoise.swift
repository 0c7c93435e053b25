import MedAugCore
import MedAugImage

/// imgaug's AdditiveLaplaceNoise: adds Laplace(loc, scale) noise (variance
/// 2·scale²) drawn per pixel (one value shared by the pixel's channels) or,
/// when `per_channel` fires, per sample. loc and scale are drawn once per
/// image, in sample units; rounding and saturation as AdditiveGaussianNoise.
/// Every channel gets noise, alpha included, as in imgaug.
public struct AdditiveLaplaceNoise: Augmenter {
    /// The centre of the noise, drawn per image (imgaug's `loc`).
    public var loc: Continuous
    /// The Laplace scale b, drawn per image (imgaug's `scale`); 0 adds only loc.
    public var scale: Continuous
    /// The chance, per image, that every channel gets its own noise (imgaug's `per_channel`).
    public var perChannel: Probability

    /// Creates the augmenter; the defaults are imgaug's `loc=0`, `scale=(0, 15)`, `per_channel=False`.
    public init(loc: Continuous = .constant(0), scale: Continuous = .range(0, 15),
                perChannel: Probability = .constant(0)) {
        self.loc = loc
        self.scale = scale
        self.perChannel = perChannel
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "AdditiveLaplaceNoise" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { AdditiveLaplaceNoise.table.arguments(self) }

    /// Draws per_channel, loc and scale (imgaug's order), then the noise, and adds it.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let independent = perChannel.sample(&context.rng)
        let l = loc.sample(&context.rng)
        let s = max(scale.sample(&context.rng), 0)
        context.record(name, [("loc", fmt(l)), ("scale", fmt(s)), ("per_channel", independent ? "1" : "0")])
        let count = NoiseFamily.valueCount(image, independent)
        guard count > 0 else { return image }
        if image.bitDepth == 8 {
            let perSample = independent && image.channels > 1
            return NoiseFast.add8(image, NoiseAliasTable.laplace8(loc: l, scale: s), perSample: perSample, &context.rng)
        }
        return NoiseKernel.add(image, values: NoiseSampler.laplace(count: count, loc: l, scale: s, &context.rng))
    }
}
