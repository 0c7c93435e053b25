import MedAugCore
import MedAugImage

/// imgaug's MultiplyElementwise: every pixel (one factor shared by its
/// channels) or, when `per_channel` fires, every sample is multiplied by its
/// own factor drawn from `mul`. 8-bit results are truncated after clipping, as
/// imgaug (and Multiply) do; 16-bit results are rounded half to even.
/// Alpha is multiplied too, as in imgaug.
public struct MultiplyElementwise: Augmenter {
    /// The factor, drawn per pixel (or per sample) (imgaug's `mul`); 1 leaves samples unchanged.
    public var mul: Continuous
    /// The chance, per image, that every channel gets its own factors (imgaug's `per_channel`).
    public var perChannel: Probability

    /// Creates the augmenter; the defaults are imgaug's `mul=(0.8, 1.2)`, `per_channel=False`.
    public init(mul: Continuous = .range(0.8, 1.2), perChannel: Probability = .constant(0)) {
        self.mul = mul
        self.perChannel = perChannel
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "MultiplyElementwise" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { MultiplyElementwise.table.arguments(self) }

    /// Draws per_channel, then one float32 factor per pixel (or sample), and multiplies.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let independent = perChannel.sample(&context.rng)
        context.record(name, [("per_channel", independent ? "1" : "0")])
        let count = NoiseFamily.valueCount(image, independent)
        guard count > 0 else { return image }
        if case .constant(let m) = mul.param {
            if m == 1 { return image }
            return NoiseKernel.multiply(image, factors: [Float](repeating: Float(m), count: count))
        }
        if case .range(let a, let b) = mul.param, image.bitDepth == 8 {
            return NoiseFast.multiplyUniform8(image, lo: min(a, b), hi: max(a, b),
                                              perSample: independent && image.channels > 1, &context.rng)
        }
        var factors = [Float](repeating: 0, count: count)
        for i in 0..<count { factors[i] = Float(mul.sample(&context.rng)) }
        return NoiseKernel.multiply(image, factors: factors)
    }
}
