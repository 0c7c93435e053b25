import MedAugTorch

/// Where a run asks to compute, as written on the command line and in
/// config.json: `auto`, `cpu`, `cuda` or `cuda:N`. Parsing is pure (a typo is
/// a usage error); whether the device exists is asked of libtorch only when a
/// run starts (`resolve()`).
public enum DeviceSetting: Equatable, Sendable, Codable, LosslessStringConvertible {
    /// CUDA when libtorch sees a GPU, else the CPU.
    case auto
    /// The CPU.
    case cpu
    /// A CUDA device; nil means the first.
    case cuda(Int?)

    /// The accepted spellings, for help texts and error messages.
    public static let forms = ["auto", "cpu", "cuda", "cuda:N"]

    /// Parses one of `forms` (case-insensitive); nil for anything else.
    public init?(_ text: String) {
        switch text.lowercased() {
        case "auto": self = .auto
        case "cpu": self = .cpu
        case "cuda": self = .cuda(nil)
        case let s where s.hasPrefix("cuda:"):
            guard let i = Int(s.dropFirst(5)), i >= 0 else { return nil }
            self = .cuda(i)
        default: return nil
        }
    }

    /// The canonical spelling.
    public var description: String {
        switch self {
        case .auto: return "auto"
        case .cpu: return "cpu"
        case .cuda(nil): return "cuda"
        case .cuda(let i?): return "cuda:\(i)"
        }
    }

    /// Reads the spelling from a string (config.json keeps it as one).
    public init(from decoder: any Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let d = DeviceSetting(s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "unknown device '\(s)'; allowed: \(DeviceSetting.forms.joined(separator: ", "))"))
        }
        self = d
    }

    /// Writes the canonical spelling.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// The libtorch device; fails when the asked-for GPU is not there.
    public func resolve() throws(TorchError) -> Device {
        try Device.parse(description)
    }
}
