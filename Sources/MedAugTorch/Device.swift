import CTorch

/// Where tensors live. `auto` picks CUDA when libtorch sees a GPU.
public enum Device: Equatable, Sendable, CustomStringConvertible {
    case cpu
    case cuda(Int)

    /// Parses `auto`, `cpu`, `cuda` or `cuda:N`; `cuda` without a GPU is an error naming the fix.
    public static func parse(_ s: String) throws(TorchError) -> Device {
        switch s.lowercased() {
        case "auto": return Torch.cudaAvailable ? .cuda(0) : .cpu
        case "cpu": return .cpu
        case "cuda", "gpu":
            guard Torch.cudaAvailable else { throw TorchError("--device cuda was asked for, but libtorch sees no CUDA GPU; use --device cpu or auto") }
            return .cuda(0)
        default:
            if s.hasPrefix("cuda:"), let i = Int(s.dropFirst(5)) {
                guard i < Torch.cudaDeviceCount else { throw TorchError("no CUDA device \(i); libtorch sees \(Torch.cudaDeviceCount)") }
                return .cuda(i)
            }
            throw TorchError("unknown device '\(s)'; use auto, cpu, cuda or cuda:N")
        }
    }

    public var description: String {
        switch self {
        case .cpu: return "cpu"
        case .cuda(let i): return "cuda:\(i)"
        }
    }

    var code: (Int32, Int32) {
        switch self {
        case .cpu: return (Int32(CT_CPU), 0)
        case .cuda(let i): return (Int32(CT_CUDA), Int32(i))
        }
    }
}
