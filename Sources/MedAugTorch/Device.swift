import CTorch

/// Where tensors live. Reading a device from text (`auto`, `cuda:N`) and
/// checking that it exists is the settings layer's (`DeviceSetting`).
public enum Device: Equatable, Sendable, CustomStringConvertible {
    case cpu
    case cuda(Int)

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
