import ArgumentParser
import MedAugAugment
import MedAugData
import MedAugFormats
import MedAugImage
import MedAugModels
import MedAugTrain

// The typed values options take. Each lists its allowed values, so `--help`
// shows them, shell completion offers them, and a typo is a usage error
// (exit 64) naming the option and the choices.

extension ModelArchitecture: ExpressibleByArgument {
    /// Each model's one-line summary from the registry, listed under the option.
    public static var allValueDescriptions: [String: String] {
        Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0.spec.summary) })
    }
}

extension OptimizerKind: ExpressibleByArgument {}

extension Recipe: ExpressibleByArgument {
    /// Each recipe's settings, listed under the option.
    public static var allValueDescriptions: [String: String] {
        Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0.summary) })
    }
}
extension SyntheticKind: ExpressibleByArgument {}

extension GANImageSize: ExpressibleByArgument {
    /// Reads the side in pixels.
    public init?(argument: String) {
        guard let n = Int(argument) else { return nil }
        self.init(rawValue: n)
    }
    public static var allValueStrings: [String] { allCases.map(\.description) }
}

extension DeviceSetting: ExpressibleByArgument {
    /// Reads `auto`, `cpu`, `cuda` or `cuda:N`.
    public init?(argument: String) { self.init(argument) }
    public static var allValueStrings: [String] { DeviceSetting.forms }
    public var defaultValueDescription: String { description }
}

extension ThresholdRule: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public static var allValueStrings: [String] { ["youden", "sensitivity=0.95"] }
}

extension CheckpointChoice: ExpressibleByArgument {
    /// Reads `best`, `last` or a file path.
    public init?(argument: String) { self.init(argument) }
    public var defaultValueDescription: String { description }
    public static var defaultCompletionKind: CompletionKind { .file(extensions: ["safetensors"]) }
}

extension TrainError {
    /// The same message as a usage error: swift-argument-parser prints it with
    /// the command's usage and exits 64.
    var usage: ValidationError { ValidationError(message) }
}

extension ImageFormat: ExpressibleByArgument {
    /// Reads `png` or `jpg` (and the other JPEG extensions).
    public init?(argument: String) { self.init(fileExtension: argument) }
    public static var allValueStrings: [String] { ["png", "jpg"] }
    public static var allValueDescriptions: [String: String] { [:] }
}

/// A built-in pipeline's name; the list comes from the augmentation library.
struct PresetName: ExpressibleByArgument, CustomStringConvertible {
    let name: String
    init?(argument: String) {
        guard Presets.text(argument) != nil else { return nil }
        name = argument
    }
    static var allValueStrings: [String] { Presets.names }
    var description: String { name }
}

extension WindowSetting: ExpressibleByArgument {
    /// Reads `dicom`, `none`, `auto` or `CENTER,WIDTH`.
    public init?(argument: String) { self.init(argument) }
    public static var allValueStrings: [String] { forms }
    public var defaultValueDescription: String { description }

    /// `--window`'s help, the same on every command that reads DICOM.
    static let help = ArgumentHelp(
        "DICOM window: dicom (the file's VOI LUT or first window; auto without one), none (stored values), auto (0.5-99.5 percentile), or CENTER,WIDTH such as 40,400.",
        valueName: "window")
}

extension FrameChoice: ExpressibleByArgument {}
