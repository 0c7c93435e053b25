import MedAugCore
import MedAugImage

/// torchvision.transforms.v2.TrivialAugmentWide (torchvision 0.29): per
/// image, one of 14 operations drawn uniformly (Identity, ShearX, ShearY,
/// TranslateX, TranslateY, Rotate, Brightness, Color, Contrast, Sharpness,
/// Posterize, Solarize, AutoContrast, Equalize), then for those with a
/// magnitude table one of `num_magnitude_bins` bins drawn uniformly, then for
/// the signed ones a sign, negative with probability 1/2. The operation runs
/// through ``TorchvisionOps`` with torchvision's float32 arithmetic.
///
/// Draws come from MedAug's stream, not torch's generator, so single images
/// differ from torchvision's for a given seed; the distribution of operations,
/// bins and signs is torchvision's (checked by parity/policy_parity.py).
/// Interpolation is nearest only (torchvision's default); bilinear is refused
/// by the pipeline reader. Alpha and 16-bit images are handled as
/// ``TorchvisionOps`` describes.
public struct TrivialAugmentWide: Augmenter {
    /// Bins each magnitude range is split into (torchvision's `num_magnitude_bins`).
    public var numMagnitudeBins: Int
    /// How geometric operations sample: "nearest" (torchvision's `interpolation`).
    public var interpolation: String
    /// Value of the area geometric operations uncover, in 8-bit units; nil is zeros (torchvision's `fill`).
    public var fill: [Double]?

    /// Creates the augmenter; the defaults are torchvision's `num_magnitude_bins=31`,
    /// `interpolation="nearest"`, `fill=None`.
    public init(numMagnitudeBins: Int = 31, interpolation: String = "nearest", fill: [Double]? = nil) {
        self.numMagnitudeBins = numMagnitudeBins
        self.interpolation = interpolation
        self.fill = fill
    }

    /// The torchvision class name, as pipeline files write it.
    public var name: String { "TrivialAugmentWide" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { TrivialAugmentWide.table.arguments(self) }

    /// Draws the operation, its bin and its sign in torchvision's order, records them and applies the operation.
    /// torchvision's geometric operations here do not move targets yet: an
    /// image with masks, keypoints or boxes is refused rather than misaligned.
    public var targetRule: TargetRule { .refused }

    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        // Two bins at least: torchvision's Posterize table divides by bins - 1.
        let bins = max(numMagnitudeBins, 2)
        let space = TorchvisionPolicyTables.trivialAugmentWide(bins: bins)
        let (op, entry) = space[context.rng.nextInt(below: space.count)]
        var magnitude = 0.0
        var values: [(String, String)] = [("op", op.rawValue)]
        if let table = entry.magnitudes {
            let bin = context.rng.nextInt(below: bins)
            magnitude = table[bin]
            values.append(("bin", String(bin)))
            if entry.signed {
                let negative = context.rng.nextDouble() <= 0.5
                if negative { magnitude = -magnitude }
                values.append(("sign", negative ? "-" : "+"))
            }
            values.append(("magnitude", fmt(magnitude)))
        }
        context.record(name, values)
        return TorchvisionOps.apply(image, op: op, magnitude: magnitude, fill: fill)
    }
}
