import Foundation
import MedAugCore

/// Where a pipeline comes from: a built-in preset or a YAML/JSON file.
///
/// Commands, training runs and experiments all accept "a preset name or a
/// pipeline file" in one string; this is the one place that decides which.
public enum PipelineSource: Equatable, Sendable, CustomStringConvertible {
    /// A preset by name (`aug1`, `aug2`, `aug3`).
    case preset(String)
    /// A pipeline file by path.
    case file(String)

    /// A preset when `text` names one (case-insensitive), else a file path.
    public init(_ text: String) {
        self = Presets.text(text) != nil ? .preset(text) : .file(text)
    }

    /// The string `init(_:)` reads back.
    public var description: String {
        switch self {
        case .preset(let n), .file(let n): return n
        }
    }

    /// Reads and checks the pipeline.
    public func load() throws -> Sequential {
        switch self {
        case .preset(let n): return try Presets.pipeline(n)
        case .file(let p): return try PipelineReader.load(path: p)
        }
    }

    /// The pipeline's text (the preset's YAML or the file's content), or
    /// nil when a file cannot be read: what caches key on, so that an edited
    /// file is a different pipeline.
    public var text: String? {
        switch self {
        case .preset(let n): return Presets.text(n)
        case .file(let p): return try? String(contentsOfFile: p, encoding: .utf8)
        }
    }
}
