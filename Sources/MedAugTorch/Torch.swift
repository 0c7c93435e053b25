import CTorch
import MedAugCore

/// Process-wide libtorch settings and facts.
public enum Torch {
    public static var version: String { String(cString: ct_torch_version()) }
    public static var cudaAvailable: Bool { ct_cuda_is_available() != 0 }
    public static var cudaDeviceCount: Int { Int(ct_cuda_device_count()) }

    /// Seeds libtorch's generators (CPU and CUDA): initial weights, dropout, noise.
    public static func manualSeed(_ seed: UInt64) throws(TorchError) {
        try torchCall { ct_manual_seed(seed, $0) }
    }

    public static var threads: Int { Int(ct_get_num_threads()) }

    public static func setThreads(_ n: Int) throws(TorchError) {
        try torchCall { ct_set_num_threads(Int32(n), $0) }
    }

    /// Repeatable cuDNN kernels (slower); CPU runs are repeatable without it.
    public static func setDeterministic(_ on: Bool) throws(TorchError) {
        try torchCall { ct_set_deterministic(on ? 1 : 0, $0) }
    }
}

/// libtorch could not be loaded: the torch wheel or the runtime built beside
/// the executable is missing, or does not match.
public struct TorchRuntimeError: MedAugError {
    /// The loader's account: which file, and the system's reason.
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String {
        "\(reason). Networks need the pinned torch wheel and libMedAugTorchRuntime.so beside the executable: run `make setup` and then `make build` (or set MEDAUG_TORCH_RUNTIME to the library's path)."
    }
}

extension Torch {
    /// Loads libtorch, through libMedAugTorchRuntime.so, unless already loaded.
    ///
    /// Every other call loads it on first use too, but exits the process when
    /// that fails; call this first to get the failure as an error instead.
    /// Commands that train nothing never call into libtorch, so they neither
    /// pay for loading it nor need it installed.
    public static func loadRuntime() throws(TorchRuntimeError) {
        var err: UnsafeMutablePointer<CChar>? = nil
        if ct_runtime_load(&err) != 0 { return }
        let reason = err.map { String(cString: $0) } ?? "cannot load the torch runtime"
        if let err { ct_string_free(err) }
        throw TorchRuntimeError(reason: reason)
    }

    /// Where the runtime is, or would be, loaded from.
    public static var runtimePath: String { String(cString: ct_runtime_path()) }
}
