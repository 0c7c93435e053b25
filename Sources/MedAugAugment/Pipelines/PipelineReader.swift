import Foundation
import MedAugCore
import MedAugImage

/// Pipeline files: a list of augmenters applied in order, each entry
/// `{ImgaugName: {imgaug_argument: value}}`, in YAML or JSON.
public enum PipelineReader {
    /// Reads a file; the format follows the extension (.json, else YAML).
    public static func load(path: String) throws -> Sequential {
        let text: String
        do { text = try RegularFile.readText(path) } catch {
            throw PipelineError(source: path, location: "", message: "cannot read pipeline file: \(error.reason)")
        }
        return try parse(text, format: ConfigCoding.format(forPath: path), source: path)
    }

    /// Reads pipeline text; `source` names it in errors (a file path, `preset aug3`).
    public static func parse(_ text: String, format: ConfigCoding.Format, source: String = "<pipeline>") throws -> Sequential {
        try pipeline(try ConfigCoding.parse(text, format: format, source: source), source: source)
    }

    /// Builds the pipeline from an already parsed value: a list of entries.
    public static func pipeline(_ value: ConfigValue, source: String) throws -> Sequential {
        guard case .list(let items) = value else {
            throw PipelineError(source: source, location: "", message: "a pipeline is a list of augmenters, got \(value.kindName)")
        }
        let children = try items.enumerated().map { i, item in
            try entry(item, source: source, location: "entry \(i + 1)")
        }
        return Sequential(children)
    }

    static func entry(_ item: ConfigValue, source: String, location: String) throws -> any Augmenter {
        let name: String
        let args: ConfigValue
        switch item {
        case .string(let s):
            name = s
            args = .map([])
        case .map(let m) where m.count == 1:
            name = m[0].0
            args = m[0].1
        default:
            throw PipelineError(source: source, location: location,
                                message: "each entry is one augmenter, written `- Name: {parameters}`; got \(item.kindName)")
        }
        guard let spec = AugmenterRegistry.spec(named: name) else {
            throw PipelineError(source: source, location: location,
                                message: "unknown augmenter '\(name)'; allowed: \(AugmenterRegistry.names.joined(separator: ", "))")
        }
        let pairs: [(String, ConfigValue)]
        switch args {
        case .null: pairs = []
        case .map(let m): pairs = m
        default:
            throw PipelineError(source: source, location: "\(location) (\(name))",
                                message: "parameters must be a mapping {key: value}, got \(args.kindName)")
        }
        let reader = ArgumentReader(augmenter: name, source: source, location: location, pairs: pairs, allowed: spec.parameters)
        try reader.finish()
        return try spec.make(reader)
    }
}

/// Writes pipelines back as files: every augmenter's arguments come from its
/// parameter table, so a written file reads back to the same pipeline.
public enum PipelineWriter {
    /// The pipeline as a file would hold it: a list of entries.
    public static func value(_ pipeline: Sequential) -> ConfigValue {
        .list(pipeline.children.map(\.config))
    }

    /// The file text in `format`: block-style YAML as people write it, or indented JSON.
    public static func render(_ pipeline: Sequential, format: ConfigCoding.Format) -> String {
        ConfigCoding.render(value(pipeline), format: format)
    }

    /// Writes the file atomically; the format follows the extension (.json, else YAML).
    public static func save(_ pipeline: Sequential, path: String) throws {
        try AtomicWrite.write(render(pipeline, format: ConfigCoding.format(forPath: path)), to: path)
    }
}
