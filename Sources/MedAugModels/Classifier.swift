import MedAugTorch

/// A network that maps images to class logits through a backbone and one
/// head layer. Fine-tuning replaces the head for a new class count and
/// freezing trains the head alone; both address the head by its state_dict
/// key, which each model declares once (`headKeyPrefix`), so no caller needs
/// to know a model's concrete type or its layer names.
public protocol Classifier: FeatureExtractor {
    /// The state_dict key of the head layer ("fc" for torchvision's ResNet,
    /// "fc2" for CS230's net): its tensors are `<key>.weight`, `<key>.bias`.
    static var headKeyPrefix: String { get }

    /// The head's parameters: what `--freeze-backbone` leaves trainable.
    func headParameters() -> [Tensor]

    /// Every other parameter: what `--freeze-backbone` freezes. With
    /// `headParameters()` it partitions `parameters()`, in the same order.
    func backboneParameters() -> [Tensor]
}

extension Classifier {
    /// `Self.headKeyPrefix`, for callers holding `any Classifier`.
    public var headKeyPrefix: String { Self.headKeyPrefix }

    /// Whether a state_dict key belongs to the head: fine-tuning keeps the
    /// model's own values for these keys instead of a file's.
    public func isHeadKey(_ key: String) -> Bool {
        key == Self.headKeyPrefix || key.hasPrefix(Self.headKeyPrefix + ".")
    }

    public func headParameters() -> [Tensor] {
        namedParameters().filter { isHeadKey($0.0) }.map(\.1)
    }

    public func backboneParameters() -> [Tensor] {
        namedParameters().filter { !isHeadKey($0.0) }.map(\.1)
    }
}
