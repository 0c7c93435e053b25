import MedAugTorch

/// Every setting of a classifier run; written whole to config.json.
public struct TrainOptions: Codable, Equatable, Sendable {
    public var model: String = "simple-cnn"
    public var epochs: Int = 30
    public var batchSize: Int = 64
    public var imageSize: Int = 64
    public var optimizer: String = "adam"
    public var lr: Double = 0.001
    public var momentum: Double = 0.9
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    /// Keras-style time decay of the learning rate per iteration.
    public var decay: Double = 0
    public var weightDecay: Double = 0
    public var valSplit: Double = 0.15
    public var seed: UInt64 = 0
    public var device: String = "auto"
    public var dropout: Double = 0.8
    public var pretrained: String?
    public var freezeBackbone: Bool = false
    /// A preset name or a pipeline file, applied on the fly to training images.
    public var augment: String?
    /// Weight the loss by inverse class frequency.
    public var classWeights: Bool = false
    public var scaling: PixelScaling = .unit
    public var recipe: String?

    public init() {}

    public static let models = ["simple-cnn", "resnet18", "resnet34", "resnet50"]
    public static let recipes = ["study-cnn", "study-resnet50"]

    /// The study's two recipes; flags given on the command line override them.
    public static func recipe(_ name: String) throws -> TrainOptions {
        var o = TrainOptions()
        o.recipe = name
        switch name {
        case "study-cnn":
            o.model = "simple-cnn"; o.imageSize = 64; o.optimizer = "adam"; o.lr = 0.001
            o.batchSize = 64; o.epochs = 30; o.valSplit = 0.15; o.dropout = 0.8
        case "study-resnet50":
            o.model = "resnet50"; o.imageSize = 224; o.optimizer = "sgd"; o.lr = 0.001; o.momentum = 0.9
            o.decay = 0.01; o.batchSize = 8; o.epochs = 50; o.valSplit = 0.15
        default:
            throw TorchError("unknown recipe '\(name)'; allowed: \(recipes.joined(separator: ", "))")
        }
        return o
    }

    public func validate() throws {
        guard TrainOptions.models.contains(model) else {
            throw TorchError("unknown model '\(model)'; allowed: \(TrainOptions.models.joined(separator: ", "))")
        }
        guard ["adam", "sgd"].contains(optimizer) else { throw TorchError("unknown optimizer '\(optimizer)'; allowed: adam, sgd") }
        guard epochs >= 1 else { throw TorchError("--epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw TorchError("--batch-size must be at least 1, got \(batchSize)") }
        guard (0..<1).contains(valSplit) else { throw TorchError("--val-split must be in [0, 1), got \(valSplit)") }
        guard lr > 0 else { throw TorchError("--lr must be positive, got \(lr)") }
        if model == "simple-cnn" && imageSize != 64 {
            throw TorchError("the small CNN takes 64x64 inputs (CS230 layout); --image-size \(imageSize) does not fit")
        }
        guard imageSize >= 32 else { throw TorchError("--image-size must be at least 32, got \(imageSize)") }
    }
}
