import MedAugCore
import MedAugImage

/// imgaug's TotalDropout: with probability p the whole image becomes 0.
/// The default p = 1 drops every image.
public struct TotalDropout: Augmenter {
    /// The chance that an image is dropped entirely (imgaug's `p`).
    public var p: DropoutProbability

    /// Creates the augmenter; the default is imgaug's `p=1` (drop every image).
    public init(p: DropoutProbability = .constant(1)) {
        self.p = p
    }

    /// Drops each image with the same probability.
    public init(_ p: Double) {
        self.init(p: .constant(p))
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "TotalDropout" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { TotalDropout.table.arguments(self) }

    /// Draws whether to drop and returns either the image or an all-zero copy
    /// of the same size, channels and bit depth.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        // imgaug draws a Binomial(keep) sample and drops when it is < 0.5.
        let keep = p.sampleKeep(&context.rng)
        let kept: Bool
        if keep >= 1 {
            kept = true
        } else if keep <= 0 {
            kept = false
        } else {
            kept = context.rng.nextDouble() < keep
        }
        context.record(name, [("dropped", kept ? "0" : "1")])
        return kept ? image : DropoutMask.zeroAll(image)
    }
}
