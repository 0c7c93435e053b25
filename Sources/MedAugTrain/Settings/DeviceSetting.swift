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
        case "cuda", "gpu": self = .cuda(nil)
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

    /// The libtorch device: `auto` is the first GPU when libtorch sees one,
    /// else the CPU. A CUDA device that is not there is a
    /// `TrainError(.setting)` naming `--device` and the fix, since the
    /// setting is at fault, not libtorch.
    public func resolve() throws(TrainError) -> Device {
        switch self {
        case .auto:
            return Torch.cudaAvailable ? .cuda(0) : .cpu
        case .cpu:
            return .cpu
        case .cuda(let index):
            guard Torch.cudaAvailable else {
                throw TrainError(.setting, "--device \(description) asks for a GPU (cuda and gpu are the same), but no CUDA GPU is visible; use --device cpu or auto")
            }
            let i = index ?? 0
            let count = Torch.cudaDeviceCount
            guard i < count else {
                throw TrainError(.setting, "--device \(description) was asked for, but there is no CUDA device \(i) (\(count) visible: cuda:0 to cuda:\(count - 1)); use one of them, cpu or auto")
            }
            return .cuda(i)
        }
    }
}
