import Foundation
import MedAugModels
import MedAugTorch

/// Builds the classifier a run names, and reads its checkpoints.
public enum ClassifierFactory {
    public static func make(_ options: TrainOptions, classes: Int) throws -> Layer {
        switch options.model {
        case "simple-cnn": return try SmallCNN(classes: classes, dropoutRate: options.dropout)
        case "resnet18": return try ResNet(.resnet18, classes: classes)
        case "resnet34": return try ResNet(.resnet34, classes: classes)
        case "resnet50": return try ResNet(.resnet50, classes: classes)
        default: throw TorchError("unknown model '\(options.model)'")
        }
    }

    /// Loads backbone weights from a torchvision state_dict (.pth) or a
    /// safetensors file; the classifier head (`fc.*`) is left new, for this
    /// dataset's classes.
    public static func loadPretrained(_ path: String, into model: Layer) throws {
        let tensors: [String: Tensor]
        if path.hasSuffix(".safetensors") {
            tensors = try SafeTensors.read(path).tensors
        } else {
            tensors = Dictionary(try PyTorchStateDict.read(path), uniquingKeysWith: { a, _ in a })
        }
        var backbone = tensors.filter { !$0.key.hasPrefix("fc.") }
        let mine = Set(model.stateDict().map(\.0))
        // Files saved before BatchNorm counted batches lack num_batches_tracked: keep ours.
        for k in mine where k.hasSuffix("num_batches_tracked") && backbone[k] == nil {
            backbone[k] = model.stateDict().first { $0.0 == k }!.1
        }
        let head = model.stateDict().filter { $0.0.hasPrefix("fc.") }
        for (k, t) in head { backbone[k] = t }
        do {
            try model.load(stateDict: backbone)
        } catch {
            throw TorchError("\(path): \(error)")
        }
    }
}
