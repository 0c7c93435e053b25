import MedAugCore
import MedAugModels
import MedAugTorch
import MedAugAugment

/// Every setting of a classifier run; written whole to config.json.
public struct TrainOptions: Codable, Equatable, Sendable {
    /// The network (see `ModelArchitecture`).
    public var model: ModelArchitecture = .simpleCNN
    /// Epochs to train in all (a resumed run counts the ones already done).
    public var epochs: Int = 30
    /// Images per training batch.
    public var batchSize: Int = 64
    /// Side of the square network input in pixels.
    public var imageSize: Int = 64
    /// Adam or SGD.
    public var optimizer: OptimizerKind = .adam
    /// Initial learning rate.
    public var lr: Double = 0.001
    /// SGD momentum.
    public var momentum: Double = 0.9
    /// Adam's beta1.
    public var beta1: Double = 0.9
    /// Adam's beta2.
    public var beta2: Double = 0.999
    /// Keras-style time decay of the learning rate per iteration.
    public var decay: Double = 0
    /// L2 weight decay of the optimizer.
    public var weightDecay: Double = 0
    /// Share of source images held out for validation, in [0, 1).
    public var valSplit: Double = 0.15
    /// Seeds every random draw of the run.
    public var seed: UInt64 = 0
    /// Where to compute.
    public var device: DeviceSetting = .auto
    /// Dropout rate of the small CNN.
    public var dropout: Double = 0.8
    /// Backbone weights to start from (.pth or .safetensors).
    public var pretrained: String?
    /// Train only the classifier head.
    public var freezeBackbone: Bool = false
    /// A preset name or a pipeline file, applied on the fly to training images.
    public var augment: String?
    /// Weight the loss by inverse class frequency.
    public var classWeights: Bool = false
    /// How pixels become network inputs.
    public var scaling: PixelScaling = .unit
    /// MixUp/CutMix of training batches (nil: none; runs made before it have none).
    public var mix: MixSettings?
    /// The recipe the settings started from, if any.
    public var recipe: Recipe?

    /// The library defaults (the small-CNN recipe's values without its name).
    public init() {}

    /// The study's recipes; flags given on the command line override them.
    public init(recipe: Recipe) {
        self.init()
        self.recipe = recipe
        switch recipe {
        case .studyCNN:
            model = .simpleCNN; imageSize = 64; optimizer = .adam; lr = 0.001
            batchSize = 64; epochs = 30; valSplit = 0.15; dropout = 0.8
        case .studyResNet50:
            model = .resnet50; imageSize = 224; optimizer = .sgd; lr = 0.001; momentum = 0.9
            decay = 0.01; batchSize = 8; epochs = 50; valSplit = 0.15
        }
    }

    /// Picks a network with what its registry entry says it takes: its input
    /// size (fixed, or the default) and its pixel scaling.
    public mutating func select(_ architecture: ModelArchitecture) {
        model = architecture
        imageSize = architecture.spec.fixedInputSize ?? architecture.spec.defaultInputSize
        scaling = architecture.spec.defaultScaling
    }

    /// Checks ranges and combinations; the message names the command-line option.
    public func validate() throws(TrainError) {
        func bad(_ m: String) -> TrainError { TrainError(.setting, m) }
        if let m = RangeRule.violation("--epochs", epochs, 1...100_000) { throw bad(m) }
        if let m = RangeRule.violation("--batch-size", batchSize, 1...4096) { throw bad(m) }
        guard valSplit.isFinite, (0..<1).contains(valSplit) else { throw bad("--val-split must be in [0, 1), got \(valSplit)") }
        guard lr.isFinite, lr > 0 else { throw bad("--lr must be a positive number, got \(lr)") }
        for (name, v) in [("--momentum", momentum), ("--decay", decay), ("--weight-decay", weightDecay)] {
            guard v.isFinite, v >= 0 else { throw bad("\(name) must be a number >= 0, got \(v)") }
        }
        guard dropout.isFinite, (0..<1).contains(dropout) else { throw bad("--dropout must be in [0, 1), got \(dropout)") }
        if let fixed = model.spec.fixedInputSize, imageSize != fixed {
            throw bad("\(model) takes \(fixed)x\(fixed) inputs; --image-size \(imageSize) does not fit")
        }
        if let m = RangeRule.violation("--image-size", imageSize, Preprocessing.imageSizes) { throw bad(m) }
        if let mix {
            for (name, a) in [("--mixup", mix.mixup), ("--cutmix", mix.cutmix)] {
                if let a, !(a.isFinite && a > 0 && a <= 100) { throw bad("\(name) takes Beta's alpha, a number above 0 and at most 100, got \(a)") }
            }
            guard mix.switchProbability.isFinite, (0...1).contains(mix.switchProbability) else {
                throw bad("--mix-switch-prob must be a probability in [0, 1], got \(mix.switchProbability)")
            }
        }
    }
}
