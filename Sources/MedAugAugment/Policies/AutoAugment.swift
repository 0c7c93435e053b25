import MedAugCore
import MedAugImage

/// torchvision.transforms.v2.AutoAugment (torchvision 0.29): per image, one
/// of the policy's 25 sub-policies drawn uniformly; each of its two steps
/// runs when a uniform draw is `<= probability`, with the magnitude of its
/// fixed bin in a 10-bin table, negated with probability 1/2 for the signed
/// operations. The operations run through ``TorchvisionOps`` with
/// torchvision's float32 arithmetic. `policy` is torchvision's
/// AutoAugmentPolicy value: "imagenet" (the default), "cifar10" or "svhn".
///
/// Draws come from MedAug's stream, not torch's generator, so single images
/// differ from torchvision's for a given seed; the distribution of
/// sub-policies, steps and signs is torchvision's (checked by
/// parity/policy_parity.py). Interpolation is nearest only. Alpha and 16-bit
/// images are handled as ``TorchvisionOps`` describes.
public struct AutoAugment: Augmenter {
    /// The learned policy: "imagenet", "cifar10" or "svhn" (torchvision's `policy`).
    public var policy: String
    /// How geometric operations sample: "nearest" (torchvision's `interpolation`).
    public var interpolation: String
    /// Value of the area geometric operations uncover, in 8-bit units; nil is zeros (torchvision's `fill`).
    public var fill: [Double]?

    /// Creates the augmenter; the defaults are torchvision's `policy=IMAGENET`,
    /// `interpolation="nearest"`, `fill=None`.
    public init(policy: String = "imagenet", interpolation: String = "nearest", fill: [Double]? = nil) {
        self.policy = policy
        self.interpolation = interpolation
        self.fill = fill
    }

    /// The torchvision class name, as pipeline files write it.
    public var name: String { "AutoAugment" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { AutoAugment.table.arguments(self) }

    /// Draws the sub-policy, then per step whether it runs and its sign, in
    /// torchvision's order; records them and applies the steps that run.
    /// torchvision's geometric operations here do not move targets yet: an
    /// image with masks, keypoints or boxes is refused rather than misaligned.
    public var targetRule: TargetRule { .refused }

    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        guard TorchvisionPolicyTables.policyNames.contains(policy) else {
            throw AugmentError(name, "unknown policy '\(policy)'; allowed: "
                               + TorchvisionPolicyTables.policyNames.joined(separator: ", "))
        }
        let policies = TorchvisionPolicyTables.subPolicies(policy)
        let index = context.rng.nextInt(below: policies.count)
        var values: [(String, String)] = [("sub_policy", String(index))]
        var out = image
        for (k, step) in policies[index].enumerated() {
            let key = k == 0 ? "first" : "second"
            guard context.rng.nextDouble() <= step.probability else {
                values.append((key, "skipped"))
                continue
            }
            let space = TorchvisionPolicyTables.autoAugmentSpace(step.op, width: image.width, height: image.height)
            var magnitude = 0.0
            var text = step.op.rawValue
            if let table = space.magnitudes, let bin = step.bin {
                magnitude = table[bin]
                if space.signed, context.rng.nextDouble() <= 0.5 { magnitude = -magnitude }
                text += " " + fmt(magnitude)
            }
            values.append((key, text))
            out = TorchvisionOps.apply(out, op: step.op, magnitude: magnitude, fill: fill)
        }
        context.record(name, values)
        return out
    }
}
