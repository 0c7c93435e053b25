/// Which weights of a classifier run to use: the best (lowest validation
/// loss), the last, or a checkpoint file.
public enum CheckpointChoice: Equatable, Sendable, Codable, LosslessStringConvertible {
    /// best.safetensors of the run.
    case best
    /// last.safetensors of the run.
    case last
    /// A safetensors file given by path.
    case file(String)

    /// `best`, `last`, or anything else as a file path.
    public init(_ text: String) {
        switch text {
        case "best": self = .best
        case "last": self = .last
        default: self = .file(text)
        }
    }

    /// The spelling `init(_:)` reads back.
    public var description: String {
        switch self {
        case .best: return "best"
        case .last: return "last"
        case .file(let p): return p
        }
    }

    /// The checkpoint's path for the run in `files`.
    public func path(in files: RunFiles) -> String {
        switch self {
        case .best: return files.best
        case .last: return files.last
        case .file(let p): return p
        }
    }

    /// Reads the spelling from a string.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Writes the spelling.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
