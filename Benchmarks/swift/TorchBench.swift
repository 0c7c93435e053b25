import Foundation
import MedAugModels
import MedAugTorch

/// Training-step timings of the study's networks, mirrored line for line by
/// Benchmarks/torch_bench.py so that both sides do the same work. The
/// networks come from the model registry, as training builds them (the
/// small CNN with CS230's dropout 0.8); the mode names are the registry's, as torch_bench.py sends them.
enum TorchBench {
    static func step(model: String, steps: Int, warmup: Int) throws -> [String: Any] {
        try Torch.manualSeed(0)
        switch model {
        case "simple-cnn":
            let net = try ModelArchitecture.simpleCNN.build(classes: 2, dropout: 0.8)
            let opt = try Optimizer.adam(net.parameters(), lr: 0.001)
            let x = try Tensor.randn([64, 3, 64, 64])
            let y = try Tensor([Int64](repeating: 1, count: 64), shape: [64])
            return try time(steps: steps, warmup: warmup, batch: 64) {
                try opt.zeroGrad()
                let loss = try Loss.crossEntropy(net(x), y)
                try loss.backward()
                try opt.step()
            }
        case "resnet50":
            let net = try ModelArchitecture.resnet50.build(classes: 2, dropout: 0)
            let opt = try Optimizer.sgd(net.parameters(), lr: 0.001, momentum: 0.9)
            opt.decay = 0.01
            let x = try Tensor.randn([8, 3, 224, 224])
            let y = try Tensor([Int64](repeating: 1, count: 8), shape: [8])
            return try time(steps: steps, warmup: warmup, batch: 8) {
                try opt.zeroGrad()
                let loss = try Loss.crossEntropy(net(x), y)
                try loss.backward()
                try opt.step()
            }
        case "dcgan":
            let g = try DCGANGenerator()
            let d = try DCGANDiscriminator()
            let optG = try Optimizer.adam(g.parameters(), lr: 0.0002, betas: (0.5, 0.999))
            let optD = try Optimizer.adam(d.parameters(), lr: 0.0002, betas: (0.5, 0.999))
            let real = try Tensor.randn([16, 3, 64, 64])
            let ones = try Tensor.full([16], 1)
            let zeros = try Tensor.full([16], 0)
            return try time(steps: steps, warmup: warmup, batch: 16) {
                // The tutorial's iteration: D on real, D on fake (detached), then G.
                try optD.zeroGrad()
                try Loss.binaryCrossEntropy(d(real), ones).backward()
                let fake = try g(Tensor.randn([16, 100, 1, 1]))
                try Loss.binaryCrossEntropy(d(fake.detached()), zeros).backward()
                try optD.step()
                try optG.zeroGrad()
                try Loss.binaryCrossEntropy(d(fake), ones).backward()
                try optG.step()
            }
        default:
            throw BenchUsageError("unknown benchmark model \(model); allowed: simple-cnn, dcgan, resnet50")
        }
    }

    static func time(steps: Int, warmup: Int, batch: Int, _ body: () throws -> Void) throws -> [String: Any] {
        for _ in 0..<warmup { try body() }
        var times: [Double] = []
        for _ in 0..<steps {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        let sorted = times.sorted()
        return ["median_s": sorted[sorted.count / 2], "mean_s": times.reduce(0, +) / Double(times.count),
                "images_per_s": Double(batch) / sorted[sorted.count / 2], "steps": steps]
    }

    /// Resident memory (kB) sampled every 100 small-CNN training steps.
    static func memory(steps: Int) throws -> [String: Any] {
        try Torch.manualSeed(0)
        let net = try ModelArchitecture.simpleCNN.build(classes: 2, dropout: 0.8)
        let opt = try Optimizer.adam(net.parameters(), lr: 0.001)
        let x = try Tensor.randn([64, 3, 64, 64])
        let y = try Tensor([Int64](repeating: 1, count: 64), shape: [64])
        var samples: [Int] = []
        for i in 1...steps {
            try opt.zeroGrad()
            let loss = try Loss.crossEntropy(net(x), y)
            try loss.backward()
            try opt.step()
            if i % 100 == 0 { samples.append(residentKB()) }
        }
        return ["rss_kb": samples]
    }

    static func residentKB() -> Int {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in s.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }
}
