import ArgumentParser
import MedAugTorch

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that libtorch loads and say which devices it sees.",
        discussion: """
        Prints where the torch runtime was loaded from, the torch version MedAug was built against, the CPU thread count and whether CUDA is available. Run it first when training fails to start.
        """
    )

    func run() throws {
        do {
            try Torch.loadRuntime()
        } catch {
            print("libtorch: not loaded (\(error.reason))")
            print("info, synth, augment, preview and augmenters work without it; train, evaluate, gan, experiment and demo need it: run `make setup` and `make build`.")
            throw ExitCode(1)
        }
        print("runtime: \(Torch.runtimePath)")
        print("torch \(Torch.version)")
        print("cpu threads: \(Torch.threads)")
        if Torch.cudaAvailable {
            print("cuda: available, \(Torch.cudaDeviceCount) device(s)")
        } else {
            print("cuda: not available (training runs on CPU)")
        }
        // A real kernel call proves the libraries load, not just link.
        let a = try Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        let s = try a.matmul(a).sum().values(as: Float.self)
        print("libtorch check: \(s == [54] ? "ok" : "FAILED (got \(s))")")
    }
}
