import MedAugTorch

/// What MedAug knows about one architecture, in one place: how to build it,
/// what input it takes, how its pixels are scaled by default, where its head
/// is and what it is called in PyTorch. Training, evaluation, the command
/// line's help and the parity harness all read it here instead of switching
/// on model names themselves.
public struct ModelSpec: Sendable {
    /// The architecture this describes.
    public let architecture: ModelArchitecture
    /// One line for `--help` and reports.
    public let summary: String
    /// The PyTorch model it reproduces, with the same state_dict keys.
    public let pytorchName: String
    /// The only input side the network accepts (its layout hard-codes it), or nil for any.
    public let fixedInputSize: Int?
    /// The input side used when a run names none.
    public let defaultInputSize: Int
    /// How pixels become inputs unless a run says otherwise.
    public let defaultScaling: PixelScaling
    /// The head's state_dict key: what fine-tuning replaces and freezing keeps trainable.
    public let headKeyPrefix: String
    /// A new network with a head for `classes` classes; `dropout` is the
    /// rate before the head where the architecture has one (the small CNN)
    /// and is ignored otherwise (torchvision's ResNets have no dropout).
    public let build: @Sendable (_ classes: Int, _ dropout: Double) throws -> any Classifier
}

extension ModelArchitecture {
    /// This architecture's description.
    public var spec: ModelSpec {
        switch self {
        case .simpleCNN:
            return ModelSpec(
                architecture: self,
                summary: "CS230's SIGNS CNN: 3 conv blocks, dropout before the head, 64x64 only",
                pytorchName: "CS230 SIGNS net",
                fixedInputSize: SmallCNN.inputSize, defaultInputSize: SmallCNN.inputSize,
                defaultScaling: .unit, headKeyPrefix: SmallCNN.headKeyPrefix,
                build: { classes, dropout in try SmallCNN(classes: classes, dropoutRate: dropout) })
        case .resnet18: return resnetSpec(.resnet18)
        case .resnet34: return resnetSpec(.resnet34)
        case .resnet50: return resnetSpec(.resnet50)
        }
    }

    /// A new network of this architecture for `classes` classes (see `ModelSpec.build`).
    /// Fewer than one class or a dropout outside [0, 1] is a `ModelError`.
    public func build(classes: Int, dropout: Double) throws -> any Classifier {
        guard classes >= 1 else { throw ModelError("\(self) needs at least one class, got \(classes)") }
        guard dropout.isFinite, (0...1).contains(dropout) else {
            throw ModelError("\(self): dropout must be in [0, 1], got \(dropout)")
        }
        return try spec.build(classes, dropout)
    }

    /// torchvision's ResNets differ only in depth.
    private func resnetSpec(_ depth: ResNetDepth) -> ModelSpec {
        ModelSpec(
            architecture: self,
            summary: "torchvision ResNet-\(depth.rawValue) with a global-average-pooling head (224x224 default)",
            pytorchName: "torchvision.models.resnet\(depth.rawValue)",
            fixedInputSize: nil, defaultInputSize: 224,
            defaultScaling: .unit, headKeyPrefix: ResNet.headKeyPrefix,
            build: { classes, _ in try ResNet(depth, classes: classes) })
    }
}
