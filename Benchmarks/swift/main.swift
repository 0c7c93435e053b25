// medaug-bench: the Swift side of the side-by-side benchmarks. Each mode
// prints one JSON object; the Python drivers in Benchmarks/ run the
// reference library in the same run and compute the ratios.
import CProcess
import Foundation
import MedAugCore
import MedAugImage
import MedAugTorch

/// A mistake in how the benchmark driver called this binary.
struct BenchUsageError: MedAugError {
    let description: String
    init(_ d: String) { description = d }
}

_ = mc_tune_allocator()  // keeps per-image buffers in the heap (CProcess)

func emit(_ obj: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

let args = Array(CommandLine.arguments.dropFirst())
do {
    switch args.first {
    case "torch-step":
        guard args.count >= 3, let steps = Int(args[2]) else { throw BenchUsageError("usage: torch-step MODEL STEPS [THREADS]") }
        try Torch.setThreads(args.count > 3 ? Int(args[3]) ?? 2 : 2)
        emit(try TorchBench.step(model: args[1], steps: steps, warmup: 2))
    case "torch-memory":
        guard args.count >= 2, let steps = Int(args[1]) else { throw BenchUsageError("usage: torch-memory STEPS [THREADS]") }
        try Torch.setThreads(args.count > 2 ? Int(args[2]) ?? 2 : 2)
        emit(try TorchBench.memory(steps: steps))
    default:
        FileHandle.standardError.write(Data("usage: medaug-bench torch-step MODEL STEPS [THREADS] | torch-memory STEPS [THREADS]\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("medaug-bench: \(error)\n".utf8))
    exit(1)
}
