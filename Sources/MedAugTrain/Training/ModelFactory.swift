import Foundation
import MedAugModels
import MedAugTorch

/// Builds the classifier a run names, and reads its checkpoints.
public enum ClassifierFactory {
    /// The run's network, new, through the model registry (`ModelArchitecture.spec`).
    public static func make(_ options: TrainOptions, classes: Int) throws -> any Classifier {
        try options.model.build(classes: classes, dropout: options.dropout)
    }

    /// Loads backbone weights from a torchvision state_dict (.pth) or a
    /// safetensors file; the classifier head (the model's `headKeyPrefix`)
    /// is left new, for this dataset's classes. A file that cannot be read or
    /// does not fit the model is a `CheckpointError` naming `path`.
    public static func loadPretrained(_ path: String, into model: any Classifier) throws {
        let tensors: [String: Tensor]
        if path.hasSuffix(".safetensors") {
            tensors = try SafeTensors.read(path).tensors
        } else {
            tensors = Dictionary(try PyTorchStateDict.read(path), uniquingKeysWith: { a, _ in a })
        }
        var weights = tensors.filter { !model.isHeadKey($0.key) }
        for (key, own) in model.stateDict() {
            // The head keeps its new values; files saved before BatchNorm
            // counted batches lack num_batches_tracked, which keeps ours.
            if model.isHeadKey(key) || (key.hasSuffix("num_batches_tracked") && weights[key] == nil) {
                weights[key] = own
            }
        }
        do {
            try model.load(stateDict: weights)
        } catch let error as CheckpointError {
            // Keys that do not fit name the file they came from; a failure
            // inside libtorch (copying the values) stays a TorchError.
            throw CheckpointError(file: path, error.message)
        }
    }
}
