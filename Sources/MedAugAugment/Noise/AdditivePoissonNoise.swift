import MedAugCore
import MedAugImage

/// imgaug's AdditivePoissonNoise: adds `RandomSign(Poisson(lam))` noise, a
/// Poisson count with a random sign (even odds), drawn per pixel (one value
/// shared by the pixel's channels) or, when `per_channel` fires, per sample.
/// lam is drawn once per image. The noise has mean 0, |noise| has mean lam
/// and the noise has variance lam + lam². Integer noise, so no rounding;
/// saturation at 0 and the bit depth's maximum. Alpha gets noise too, as in imgaug.
public struct AdditivePoissonNoise: Augmenter {
    /// The Poisson λ, drawn per image (imgaug's `lam`); 0 leaves the image unchanged.
    public var lam: Continuous
    /// The chance, per image, that every channel gets its own noise (imgaug's `per_channel`).
    public var perChannel: Probability

    /// Creates the augmenter; the defaults are imgaug's `lam=(0.0, 15.0)`, `per_channel=False`.
    public init(lam: Continuous = .range(0, 15), perChannel: Probability = .constant(0)) {
        self.lam = lam
        self.perChannel = perChannel
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "AdditivePoissonNoise" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { AdditivePoissonNoise.table.arguments(self) }

    /// Draws per_channel and lam (imgaug's order), then the signed counts, and adds them.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let independent = perChannel.sample(&context.rng)
        let l = max(lam.sample(&context.rng), 0)
        context.record(name, [("lam", fmt(l)), ("per_channel", independent ? "1" : "0")])
        let count = NoiseFamily.valueCount(image, independent)
        guard count > 0, l > 0 else { return image }
        if image.bitDepth == 8 {
            let perSample = independent && image.channels > 1
            return NoiseFast.add8(image, NoiseAliasTable.signedPoisson8(lam: l), perSample: perSample, &context.rng)
        }
        return NoiseKernel.add(image, values: NoiseSampler.signedPoisson(count: count, lam: l, &context.rng))
    }
}
