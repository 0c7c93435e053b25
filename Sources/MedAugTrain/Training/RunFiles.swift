import Foundation
import MedAugCore
import MedAugImage
import MedAugTorch

/// The files of a classifier run folder. state.json commits each epoch and
/// names the checkpoint files under checkpoints/ that belong to it;
/// last.safetensors, best.safetensors, history.csv and curves.svg are
/// refreshed from it after each commit.
public struct RunFiles: Sendable {
    public let dir: String
    public init(_ dir: String) { self.dir = dir }

    public func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }
    public var config: String { path("config.json") }
    public var history: String { path("history.csv") }
    public var best: String { path("best.safetensors") }
    public var last: String { path("last.safetensors") }
    /// Where runs made before state.json named its files kept the optimizer state.
    public var optimizerState: String { path("last.optimizer") }
    public var state: String { path("state.json") }
    public var curves: String { path("curves.svg") }
    /// The images the run validated on (path, class): `evaluate` chooses an
    /// operating point on them without touching the test set.
    public var validation: String { path("validation.csv") }
    /// The folder's resumable-run skeleton: config.json is its settings record.
    public var folder: RunFolder { RunFolder(dir, settings: "config.json", holds: "a run") }

    /// The last committed state, or nil when no epoch has been committed.
    public func committedState() throws -> TrainState? {
        try JSONRecord.readIfPresent(state, as: TrainState.self)
    }
}

/// state.json: where training stands, and the one record that commits an
/// epoch. It is written last, after the files it names; a file under
/// checkpoints/ that it does not name belongs to an epoch that never
/// committed. (Fields are optional only so that runs made before it named
/// its files still resume, from last.safetensors, last.optimizer and history.csv.)
public struct TrainState: Codable, Equatable, Sendable {
    public var epochsDone: Int
    public var iteration: Int
    public var bestValLoss: Double?
    public var bestEpoch: Int?
    /// Every committed epoch's figures, exactly (history.csv rounds them).
    public var history: [EpochRecord]?
    /// The weights after `epochsDone` epochs, relative to the run folder.
    public var weights: String?
    /// The optimizer state after `epochsDone` epochs.
    public var optimizer: String?
    /// The weights of `bestEpoch`.
    public var best: String?
    /// Checkpoints kept past later epochs for scoring, by epoch (`ClassifierTrainer.keepEpochs`).
    public var kept: [Int: String]?

    /// The weights to continue from.
    public var weightsFile: String { weights ?? "last.safetensors" }
    /// The optimizer state to continue from.
    public var optimizerFile: String { optimizer ?? "last.optimizer" }
    /// Every file this state names.
    public var files: Set<String> {
        Set([weightsFile, optimizerFile] + [best].compactMap { $0 } + (kept ?? [:]).values)
    }
}

/// config.json: every setting, the classes in label order, the preprocessing, versions.
public struct RunConfig: Codable, Equatable, Sendable {
    public var medaugVersion: String
    public var torchVersion: String
    public var data: String
    public var classes: [String]
    public var preprocessing: Preprocessing
    public var options: TrainOptions
    public var trainCount: Int
    public var validationCount: Int
    public var device: String

    public static func read(_ path: String) throws -> RunConfig {
        guard let d = FileManager.default.contents(atPath: path) else {
            throw TrainError(.runFolder, "\(path): no run configuration here (is this a `medaug train` output folder?)")
        }
        do { return try JSONDecoder().decode(RunConfig.self, from: d) } catch {
            throw TrainError(.runFolder, "\(path): unreadable run configuration: \(DecodingProblem.describe(error))")
        }
    }
}

public enum MedAugVersion {
    public static let string = "0.1.0"
}

/// Checkpoints: safetensors with the run's description in the metadata, so a
/// file alone says what network it holds and how to feed it.
public enum ClassifierCheckpoint {
    public static func write(_ model: Module, config: RunConfig, epoch: Int, to path: String) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let meta: [String: String] = [
            "format": "medaug-classifier",
            "model": config.options.model.rawValue,
            "classes": String(decoding: try enc.encode(config.classes), as: UTF8.self),
            "preprocessing": String(decoding: try enc.encode(config.preprocessing), as: UTF8.self),
            "epoch": String(epoch),
            "medaug_version": MedAugVersion.string,
        ]
        let bytes = try SafeTensors.encode(model.stateDict(), metadata: meta)
        try AtomicWrite.write(Data(bytes), to: path)
    }
}
