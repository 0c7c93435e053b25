import CTorch

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
