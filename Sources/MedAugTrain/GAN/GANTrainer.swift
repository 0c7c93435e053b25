import Foundation
import MedAugCore
import MedAugData
import MedAugImage
import MedAugModels
import MedAugTorch

/// One iteration's figures, named as the DCGAN tutorial logs them.
public struct GANStep: Codable, Equatable, Sendable {
    public var epoch: Int
    public var iteration: Int
    public var lossD: Double
    public var lossG: Double
    public var dX: Double
    public var dGZ1: Double
    public var dGZ2: Double
}

/// Where one class's GAN training stands (for --resume).
public struct GANState: Codable, Equatable, Sendable {
    public var epochsDone: Int
    public var iterations: Int
    public var imageCount: Int
    public var nc: Int
    public var stoppedForNaN: Bool = false
}

/// One iteration of the DCGAN tutorial's loop: D on a real batch and on
/// G(noise) detached, one D step, then G through D, one G step. The
/// parity harness runs this same function against PyTorch.
public enum DCGANIteration {
    public static func run(g: DCGANGenerator, d: DCGANDiscriminator, optG: Optimizer, optD: Optimizer,
                           real: Tensor, noise: Tensor) throws -> GANStep {
        let m = real.shape[0]
        let ones = try Tensor.full([m], 1).to(real.device), zeros = try Tensor.full([m], 0).to(real.device)
        // (1) D: maximise log D(x) + log(1 - D(G(z)))
        try optD.zeroGrad()
        let outReal = try d(real)
        let errDReal = try Loss.binaryCrossEntropy(outReal, ones)
        try errDReal.backward()
        let fake = try g(noise)
        let outFake = try d(fake.detached())
        let errDFake = try Loss.binaryCrossEntropy(outFake, zeros)
        try errDFake.backward()
        try optD.step()
        // (2) G: maximise log D(G(z))
        try optG.zeroGrad()
        let outG = try d(fake)
        let errG = try Loss.binaryCrossEntropy(outG, ones)
        try errG.backward()
        try optG.step()
        return GANStep(epoch: 0, iteration: 0, lossD: try errDReal.item() + errDFake.item(), lossG: try errG.item(),
                       dX: try outReal.mean().item(), dGZ1: try outFake.mean().item(), dGZ2: try outG.mean().item())
    }
}

/// The study's DCGAN training, one GAN per class: the tutorial's loop.
public final class GANTrainer {
    public let options: GANOptions
    public var log: (String) -> Void = { print($0) }
    public var showProgress = isatty(STDERR_FILENO) != 0

    public init(options: GANOptions) { self.options = options }

    public struct Outcome: Sendable {
        public var classes: [String]
        public var interrupted: Bool
        public var health: [String: GANHealth]
    }

    /// Trains one GAN per wanted class into `out/<class>/`.
    public func run(data: String, out: String, resume: Bool) throws -> Outcome {
        try options.validate()
        try OutputGuard.check(output: out, inputs: [data])
        let set = try LabeledSamples.load(data, part: .train)
        let wanted = options.classes.isEmpty ? set.classes : options.classes
        for c in wanted where !set.classes.contains(c) {
            throw TrainError(.setting, "--class '\(c)' is not a class of \(data); classes: \(set.classes.joined(separator: ", "))")
        }
        let folder = RunFolder(out, settings: "gan.json", holds: "GAN runs")
        if try folder.begin(resume: resume, as: GANRunConfig.self) == nil {
            var o = options
            o.classes = wanted
            try folder.record(GANRunConfig(data: data, options: o, torchVersion: Torch.version, medaugVersion: MedAugVersion.string))
        }
        let device = try options.device.resolve()
        var health: [String: GANHealth] = [:]
        for (k, cls) in wanted.enumerated() {
            let samples = set.samples.filter { $0.className == cls && !SourceGroup.isSynthetic($0.path) }
            guard !samples.isEmpty else { throw TrainError(.data, "class '\(cls)' has no images to train a GAN on") }
            let dir = folder.path(GANFiles.folderName(cls))
            log("GAN \(k + 1)/\(wanted.count): class '\(cls)', \(samples.count) images, \(options.epochs) epochs of batch \(options.batchSize)")
            let (h, interrupted) = try trainOne(samples: samples, dir: dir, classIndex: k, device: device, resume: resume)
            health[cls] = h
            if interrupted { return Outcome(classes: wanted, interrupted: true, health: health) }
        }
        return Outcome(classes: wanted, interrupted: false, health: health)
    }

    /// One class's networks, optimizers, data and records between epochs.
    struct Session {
        let files: GANFiles
        let seed: UInt64
        let config: DCGANConfig
        let g: DCGANGenerator, d: DCGANDiscriminator
        let optG: Optimizer, optD: Optimizer
        let fixedNoise: Tensor
        let real: Tensor
        let count: Int
        let device: Device
        var state: GANState
        var steps: [GANStep]
        var monitor: GANHealthMonitor
    }

    func trainOne(samples: [Sample], dir: String, classIndex: Int, device: Device, resume: Bool) throws -> (GANHealth, Bool) {
        var s = try start(samples: samples, dir: dir, classIndex: classIndex, device: device, resume: resume)
        let started = Date(), first = s.state.epochsDone
        for epoch in first..<options.epochs {
            guard let epochSteps = try trainEpoch(&s, epoch) else {
                log("interrupted: epochs 1-\(epoch) of this GAN are saved in \(dir); continue with --resume")
                return (s.monitor.health, true)
            }
            s.steps += epochSteps
            s.state.epochsDone = epoch + 1
            try saveEpoch(&s, epoch, dir: dir)
            let eta = Date().timeIntervalSince(started) / Double(epoch + 1 - first) * Double(options.epochs - epoch - 1)
            if let l = epochSteps.last {
                log(String(format: "  epoch %d/%d  loss_D %.4f  loss_G %.4f  D(x) %.3f  D(G(z)) %.3f/%.3f", epoch + 1, options.epochs,
                           l.lossD, l.lossG, l.dX, l.dGZ1, l.dGZ2) + "  ETA \(ProgressLine.duration(eta))")
            }
        }
        for w in s.monitor.health.warnings { log("  warning: \(w)") }
        return (s.monitor.health, false)
    }

    /// Networks from the class's seed (and its checkpoint when resuming), the data on the device.
    func start(samples: [Sample], dir: String, classIndex: Int, device: Device, resume: Bool) throws -> Session {
        let files = GANFiles(dir)
        try FileManager.default.createDirectory(atPath: files.path("samples"), withIntermediateDirectories: true)
        let state = resume ? try JSONRecord.readIfPresent(files.state, as: GANState.self) : nil
        let nc = state?.nc ?? options.nc ?? (GANData.allGray(samples) ? 1 : 3)
        let cfg = options.dcgan(nc: nc)
        let seed = SeedDerivation.derive(options.seed, [0x4741_4E, UInt64(classIndex)])
        try Torch.manualSeed(seed)
        let g = try DCGANGenerator(cfg), d = try DCGANDiscriminator(cfg)
        let fixedNoise = try Tensor.randn([64, options.nz, 1, 1])
        var steps: [GANStep] = []
        if let st = state {
            try g.load(safetensors: files.generator)
            try d.load(safetensors: files.discriminator)
            steps = try GANLossFile.read(files.losses).filter { $0.epoch <= st.epochsDone }
        }
        try g.move(to: device)
        try d.move(to: device)
        let noiseOnDevice = try fixedNoise.to(device)
        let optD = try Optimizer.adam(d.parameters(), lr: options.lr, betas: (options.beta1, 0.999))
        let optG = try Optimizer.adam(g.parameters(), lr: options.lr, betas: (options.beta1, 0.999))
        if state != nil {
            try optD.loadState(try [UInt8](Data(contentsOf: URL(fileURLWithPath: files.optimizerD))))
            try optG.loadState(try [UInt8](Data(contentsOf: URL(fileURLWithPath: files.optimizerG))))
        }
        let real = try GANData.load(samples, size: options.imageSize.rawValue, channels: nc)
        var monitor = GANHealthMonitor()
        for step in steps { monitor.observe(step) }
        return Session(files: files, seed: seed, config: cfg, g: g, d: d, optG: optG, optD: optD, fixedNoise: noiseOnDevice,
                       real: real, count: samples.count, device: device,
                       state: state ?? GANState(epochsDone: 0, iterations: 0, imageCount: samples.count, nc: nc),
                       steps: steps, monitor: monitor)
    }

    /// One pass over the class's images; nil when Ctrl-C stopped it.
    func trainEpoch(_ s: inout Session, _ epoch: Int) throws -> [GANStep]? {
        let n = s.count, batches = (n + options.batchSize - 1) / options.batchSize
        try Torch.manualSeed(SeedDerivation.derive(s.seed, [UInt64(epoch)]))
        var order = Array(0..<n)
        var rng = Xoshiro256(seed: s.seed, path: [0x5348_5546, UInt64(epoch)])
        rng.shuffle(&order)
        let progress = ProgressLine(label: "  epoch \(epoch + 1)/\(options.epochs)", enabled: showProgress)
        defer { progress.finish() }
        var epochSteps: [GANStep] = []
        for b in 0..<batches {
            if Interrupt.requested { return nil }
            let idx = Array(order[(b * options.batchSize)..<min(n, (b + 1) * options.batchSize)])
            let batch = try s.real.indexSelect(dim: 0, Tensor(idx.map(Int64.init), shape: [idx.count])).to(s.device)
            let noise = try Tensor.randn([idx.count, options.nz, 1, 1]).to(s.device)
            var step = try DCGANIteration.run(g: s.g, d: s.d, optG: s.optG, optD: s.optD, real: batch, noise: noise)
            step.epoch = epoch + 1
            step.iteration = s.state.iterations + 1
            s.state.iterations += 1
            guard step.lossD.isFinite && step.lossG.isFinite else {
                s.state.stoppedForNaN = true
                s.monitor.nonFinite(at: step)
                try s.monitor.health.write(to: s.files.health)
                throw TrainError(.diverged, "GAN for \(s.files.dir): loss became \(step.lossD.isFinite ? step.lossG : step.lossD) at epoch \(epoch + 1), iteration \(step.iteration); "
                    + "stopped, the checkpoint of epoch \(s.state.epochsDone) is kept. Try a lower --lr or another --seed.")
            }
            s.monitor.observe(step)
            epochSteps.append(step)
            progress.update(b + 1, batches)
        }
        return epochSteps
    }

    /// Sample grids, checkpoints, optimizer states, losses, charts and health; the state record last.
    func saveEpoch(_ s: inout Session, _ epoch: Int, dir: String) throws {
        let files = s.files
        let last = epoch + 1 == options.epochs
        if (epoch + 1) % options.sampleEvery == 0 || last {
            // One pass over the fixed noise serves both the grid and the diversity check.
            let samples = try withNoGrad { () throws in try s.g(s.fixedNoise) }
            let grid = ImageGrid.make(try samples.images(scaling: .symmetric))
            s.monitor.checkDiversity(try samples.values(as: Float.self), count: 64)
            try ImageFile.write(grid, to: files.path(String(format: "samples/epoch_%04d.png", epoch + 1)))
            if last { try ImageFile.write(grid, to: files.path("samples/final.png")) }
        }
        try SafeTensors.write(s.g.stateDict(), metadata: ["format": "medaug-dcgan-generator", "config": try s.config.json()], to: files.generator)
        try SafeTensors.write(s.d.stateDict(), metadata: ["format": "medaug-dcgan-discriminator", "config": try s.config.json()], to: files.discriminator)
        try AtomicWrite.write(Data(try s.optD.stateBytes()), to: files.optimizerD)
        try AtomicWrite.write(Data(try s.optG.stateBytes()), to: files.optimizerG)
        try GANLossFile.write(s.steps, to: files.losses)
        try AtomicWrite.write(GANCharts.losses(s.steps, title: "DCGAN losses: \((dir as NSString).lastPathComponent)"), to: files.curves)
        try s.monitor.health.write(to: files.health)
        try AtomicWrite.write(try JSONEncoder().encode(s.state), to: files.state)
    }
}

public struct GANRunConfig: Codable, Sendable {
    public var data: String
    public var options: GANOptions
    public var torchVersion: String
    public var medaugVersion: String
}

extension DCGANConfig {
    func json() throws -> String {
        String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
    }
}

/// The files of one class's GAN.
public struct GANFiles: Sendable {
    public let dir: String
    public init(_ dir: String) { self.dir = dir }
    public func path(_ n: String) -> String { (dir as NSString).appendingPathComponent(n) }
    public var generator: String { path("generator.safetensors") }
    public var discriminator: String { path("discriminator.safetensors") }
    public var optimizerG: String { path("optimizer_g.state") }
    public var optimizerD: String { path("optimizer_d.state") }
    public var losses: String { path("losses.csv") }
    public var curves: String { path("curves.svg") }
    public var health: String { path("health.json") }
    public var state: String { path("state.json") }

    /// Class names become folder names as they are (spaces and all), minus path separators.
    public static func folderName(_ cls: String) -> String {
        cls.replacingOccurrences(of: "/", with: "_")
    }
}

/// losses.csv: one row per iteration, the tutorial's figures.
public enum GANLossFile {
    public static let header = "epoch,iteration,loss_d,loss_g,d_x,d_g_z1,d_g_z2"

    public static func write(_ steps: [GANStep], to path: String) throws {
        var out = header + "\n"
        out.reserveCapacity(steps.count * 60)
        for s in steps {
            out += "\(s.epoch),\(s.iteration),\(String(format: "%.6f,%.6f,%.6f,%.6f,%.6f", s.lossD, s.lossG, s.dX, s.dGZ1, s.dGZ2))\n"
        }
        try AtomicWrite.write(out, to: path)
    }

    public static func read(_ path: String) throws -> [GANStep] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return CSV.parse(text).dropFirst().compactMap { r in
            guard r.count >= 7, let e = Int(r[0]), let i = Int(r[1]), let ld = Double(r[2]), let lg = Double(r[3]),
                  let dx = Double(r[4]), let z1 = Double(r[5]), let z2 = Double(r[6]) else { return nil }
            return GANStep(epoch: e, iteration: i, lossD: ld, lossG: lg, dX: dx, dGZ1: z1, dGZ2: z2)
        }
    }
}

public enum GANCharts {
    /// Both losses per iteration, as the tutorial plots them.
    public static func losses(_ steps: [GANStep], title: String) -> String {
        var svg = SVG(width: 720, height: 340)
        let stride = max(1, steps.count / 1500)
        let sampled = Swift.stride(from: 0, to: steps.count, by: stride).map { steps[$0] }
        LineChart(title: title, xLabel: "iteration", yLabel: "loss", series: [
            .init(name: "G", points: sampled.map { (Double($0.iteration), $0.lossG) }, color: "#1f77b4"),
            .init(name: "D", points: sampled.map { (Double($0.iteration), $0.lossD) }, color: "#ff7f0e"),
        ]).draw(into: &svg, x: 0, y: 0, width: 720, height: 340)
        return svg.document
    }
}
