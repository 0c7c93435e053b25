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

/// A class folder's state.json: where its GAN training stands, and the one
/// record that commits an epoch. It is written last, after the files it
/// names (under checkpoints/) and after losses.csv; files it does not name
/// and loss rows past `epochsDone` belong to an epoch that never committed.
/// (The file fields are optional only so that runs made before they existed
/// still resume, from the plain file names.)
public struct GANState: Codable, Equatable, Sendable {
    public var epochsDone: Int
    public var iterations: Int
    public var imageCount: Int
    public var nc: Int
    public var stoppedForNaN: Bool = false
    /// The generator after `epochsDone` epochs, relative to the class folder.
    public var generator: String?
    /// The discriminator after `epochsDone` epochs.
    public var discriminator: String?
    /// The generator's optimizer state.
    public var optimizerG: String?
    /// The discriminator's optimizer state.
    public var optimizerD: String?
    /// What the health checks had seen by then (the diversity check only runs on sample epochs).
    var monitor: GANHealthMonitor?

    /// The committed files: generator, discriminator, and their optimizers' states.
    var checkpointFiles: [String] {
        [generator ?? "generator.safetensors", discriminator ?? "discriminator.safetensors",
         optimizerG ?? "optimizer_g.state", optimizerD ?? "optimizer_d.state"]
    }
}

/// One iteration's figures as losses.csv keeps them (6 decimals). A resumed
/// run reads the earlier ones back from that file, so an uninterrupted run
/// works with the same rounded values (health checks, curves) and both end
/// with identical files.
extension GANStep {
    var atFilePrecision: GANStep {
        func r(_ x: Double) -> Double { Double(String(format: "%.6f", x)) ?? x }
        return GANStep(epoch: epoch, iteration: iteration, lossD: r(lossD), lossG: r(lossG), dX: r(dX), dGZ1: r(dGZ1), dGZ2: r(dGZ2))
    }
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
    /// The settings asked for (a resumed run takes the saved ones instead).
    public let options: GANOptions
    /// The settings `run` trains with: `options`, or the saved ones when it
    /// continues a folder (with `options.epochs` when `epochsGiven`).
    private(set) var settings: GANOptions
    /// Whether `options.epochs` was asked for: a resumed run then trains to
    /// that count (fewer than a class has done is refused), otherwise to the saved one.
    public var epochsGiven = true
    public var log: (String) -> Void = { print($0) }
    public var showProgress = isatty(STDERR_FILENO) != 0
    /// How the data folder is labelled (default: the process-wide options when the trainer was made).
    public var datasetOptions: DatasetOptions = .current

    public init(options: GANOptions) {
        self.options = options
        self.settings = options
    }

    public struct Outcome: Sendable {
        public var classes: [String]
        public var interrupted: Bool
        public var health: [String: GANHealth]
    }

    /// Trains one GAN per wanted class into `out/<class>/`.
    public func run(data: String, out: String, resume: Bool) throws -> Outcome {
        try options.validate()
        try OutputGuard.check(output: out, inputs: [data])
        let set = try LabeledSamples.load(data, part: .train, options: datasetOptions)
        let folder = RunFolder(out, settings: "gan.json", holds: "GAN runs")
        let resuming = try settle(folder, resume: resume, classes: set.classes, data: data)
        let wanted = settings.classes
        let device = try settings.device.resolve()
        var health: [String: GANHealth] = [:]
        for (k, cls) in wanted.enumerated() {
            let samples = set.samples.filter { $0.className == cls && !SourceGroup.isSynthetic($0.path) }
            guard !samples.isEmpty else { throw TrainError(.data, "class '\(cls)' has no images to train a GAN on") }
            let dir = folder.path(GANFiles.folderName(cls))
            log("GAN \(k + 1)/\(wanted.count): class '\(cls)', \(samples.count) images, \(settings.epochs) epochs of batch \(settings.batchSize)")
            let (h, interrupted) = try trainOne(samples: samples, dir: dir, classIndex: k, device: device, resume: resuming)
            health[cls] = h
            if interrupted { return Outcome(classes: wanted, interrupted: true, health: health) }
        }
        return Outcome(classes: wanted, interrupted: false, health: health)
    }

    /// Decides the settings (the saved ones when continuing, with --epochs
    /// when given), records them, and says whether committed progress is
    /// continued. Settings without any committed class state are a start that
    /// failed before its first commit: they block nothing.
    func settle(_ folder: RunFolder, resume: Bool, classes: [String], data: String) throws -> Bool {
        let recorded = try folder.readIfPresent(folder.settingsName, as: GANRunConfig.self)
        func state(_ cls: String) throws -> GANState? {
            try JSONRecord.readIfPresent(GANFiles(folder.path(GANFiles.folderName(cls))).state, as: GANState.self)
        }
        let committed = try (recorded?.options.classes ?? []).contains { try state($0) != nil }
        let saved = try folder.begin(resume: resume, as: GANRunConfig.self, committed: committed)
        var o = options
        if let saved {
            o = saved.options
            if epochsGiven { o.epochs = options.epochs }
            try o.validate()
        }
        if o.classes.isEmpty { o.classes = classes }
        for c in o.classes where !classes.contains(c) {
            throw TrainError(.setting, "--class '\(c)' is not a class of \(data); classes: \(classes.joined(separator: ", "))")
        }
        if saved != nil && committed {
            for c in o.classes {
                guard let done = try state(c)?.epochsDone, done > o.epochs else { continue }
                throw TrainError(.setting, "--epochs \(o.epochs): the GAN for class '\(c)' in \(folder.dir) has already trained \(done) epochs; "
                    + "ask for \(done) or more (or leave --epochs out to go on to the saved \(saved!.options.epochs)), or choose another --out")
            }
        }
        if saved?.options != o {
            try folder.record(GANRunConfig(data: data, options: o, torchVersion: Torch.version, medaugVersion: MedAugVersion.string))
        }
        settings = o
        return saved != nil && committed
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
        for epoch in first..<settings.epochs {
            guard let epochSteps = try trainEpoch(&s, epoch) else {
                log("interrupted: epochs 1-\(epoch) of this GAN are saved in \(dir); continue with --resume")
                return (s.monitor.health, true)
            }
            s.steps += epochSteps
            try commitEpoch(&s, epoch)
            let eta = Date().timeIntervalSince(started) / Double(epoch + 1 - first) * Double(settings.epochs - epoch - 1)
            if let l = epochSteps.last {
                log(String(format: "  epoch %d/%d  loss_D %.4f  loss_G %.4f  D(x) %.3f  D(G(z)) %.3f/%.3f", epoch + 1, settings.epochs,
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
        let nc = state?.nc ?? settings.nc ?? (GANData.allGray(samples) ? 1 : 3)
        let cfg = settings.dcgan(nc: nc)
        let seed = SeedDerivation.derive(settings.seed, [0x4741_4E, UInt64(classIndex)])
        try Torch.manualSeed(seed)
        let g = try DCGANGenerator(cfg), d = try DCGANDiscriminator(cfg)
        let fixedNoise = try Tensor.randn([64, settings.nz, 1, 1])
        var steps: [GANStep] = []
        if let st = state {
            try g.load(safetensors: files.path(st.checkpointFiles[0]))
            try d.load(safetensors: files.path(st.checkpointFiles[1]))
            steps = try GANLossFile.read(files.losses).filter { $0.epoch <= st.epochsDone }
        }
        try g.move(to: device)
        try d.move(to: device)
        let noiseOnDevice = try fixedNoise.to(device)
        let optD = try Optimizer.adam(d.parameters(), lr: settings.lr, betas: (settings.beta1, 0.999))
        let optG = try Optimizer.adam(g.parameters(), lr: settings.lr, betas: (settings.beta1, 0.999))
        var monitor = GANHealthMonitor()
        if let st = state {
            try optG.loadState(try [UInt8](Data(contentsOf: URL(fileURLWithPath: files.path(st.checkpointFiles[2])))))
            try optD.loadState(try [UInt8](Data(contentsOf: URL(fileURLWithPath: files.path(st.checkpointFiles[3])))))
            if let m = st.monitor { monitor = m } else { for step in steps { monitor.observe(step) } }
            // A kill after the last commit may have left files of a newer, uncommitted epoch.
            try GANLossFile.write(steps, to: files.losses)
            try publish(st, steps: steps, files: files)
        }
        let real = try GANData.load(samples, size: settings.imageSize.rawValue, channels: nc)
        return Session(files: files, seed: seed, config: cfg, g: g, d: d, optG: optG, optD: optD, fixedNoise: noiseOnDevice,
                       real: real, count: samples.count, device: device,
                       state: state ?? GANState(epochsDone: 0, iterations: 0, imageCount: samples.count, nc: nc),
                       steps: steps, monitor: monitor)
    }

    /// One pass over the class's images; nil when Ctrl-C stopped it.
    func trainEpoch(_ s: inout Session, _ epoch: Int) throws -> [GANStep]? {
        let n = s.count, batches = (n + settings.batchSize - 1) / settings.batchSize
        try Torch.manualSeed(SeedDerivation.derive(s.seed, [UInt64(epoch)]))
        var order = Array(0..<n)
        var rng = Xoshiro256(seed: s.seed, path: [0x5348_5546, UInt64(epoch)])
        rng.shuffle(&order)
        let progress = ProgressLine(label: "  epoch \(epoch + 1)/\(settings.epochs)", enabled: showProgress)
        defer { progress.finish() }
        var epochSteps: [GANStep] = []
        for b in 0..<batches {
            if Interrupt.requested { return nil }
            let idx = Array(order[(b * settings.batchSize)..<min(n, (b + 1) * settings.batchSize)])
            let batch = try s.real.indexSelect(dim: 0, Tensor(idx.map(Int64.init), shape: [idx.count])).to(s.device)
            let noise = try Tensor.randn([idx.count, settings.nz, 1, 1]).to(s.device)
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
            step = step.atFilePrecision
            s.monitor.observe(step)
            epochSteps.append(step)
            progress.update(b + 1, batches)
        }
        return epochSteps
    }

    /// Commits a finished epoch: sample grids, the networks and optimizer
    /// states under new names and losses.csv, then state.json naming them
    /// (the commit), then the user-facing files. A kill before the commit
    /// leaves the previous epoch's state and files; --resume redoes this one.
    func commitEpoch(_ s: inout Session, _ epoch: Int) throws {
        let files = s.files, e = epoch + 1
        let last = e == settings.epochs
        if e % settings.sampleEvery == 0 || last {
            // One pass over the fixed noise serves both the grid and the diversity check.
            let samples = try withNoGrad { () throws in try s.g(s.fixedNoise) }
            let grid = ImageGrid.make(try samples.images(scaling: .symmetric))
            s.monitor.checkDiversity(try samples.values(as: Float.self), count: 64)
            try ImageFile.write(grid, to: files.path(String(format: "samples/epoch_%04d.png", e)))
            if last { try ImageFile.write(grid, to: files.path("samples/final.png")) }
        }
        var st = s.state
        st.epochsDone = e
        st.generator = RunFolder.versioned(e, "generator.safetensors")
        st.discriminator = RunFolder.versioned(e, "discriminator.safetensors")
        st.optimizerG = RunFolder.versioned(e, "optimizer_g")
        st.optimizerD = RunFolder.versioned(e, "optimizer_d")
        st.monitor = s.monitor
        let meta = try s.config.json()
        try SafeTensors.write(s.g.stateDict(), metadata: ["format": "medaug-dcgan-generator", "config": meta], to: files.path(st.generator!))
        try SafeTensors.write(s.d.stateDict(), metadata: ["format": "medaug-dcgan-discriminator", "config": meta], to: files.path(st.discriminator!))
        try AtomicWrite.write(Data(try s.optG.stateBytes()), to: files.path(st.optimizerG!))
        try AtomicWrite.write(Data(try s.optD.stateBytes()), to: files.path(st.optimizerD!))
        // Before the commit: a resumed run reads the committed epochs' rows back from it.
        try GANLossFile.write(s.steps, to: files.losses)
        try files.folder.commit(st, to: "state.json")
        s.state = st
        try publish(st, steps: s.steps, files: files)
    }

    /// The user-facing files of a committed state (networks, optimizer
    /// states, curves, health), then the removal of what it no longer names.
    func publish(_ st: GANState, steps: [GANStep], files: GANFiles) throws {
        let names = ["generator.safetensors", "discriminator.safetensors", "optimizer_g.state", "optimizer_d.state"]
        for (file, name) in zip(st.checkpointFiles, names) { try files.folder.publish(file, as: name) }
        try AtomicWrite.write(GANCharts.losses(steps, title: "DCGAN losses: \((files.dir as NSString).lastPathComponent)"), to: files.curves)
        try (st.monitor ?? GANHealthMonitor()).health.write(to: files.health)
        try files.folder.sweep(keeping: Set(st.checkpointFiles))
    }
}

public struct GANRunConfig: Codable, Sendable {
    public var data: String
    public var options: GANOptions
    public var torchVersion: String
    public var medaugVersion: String
}

extension DCGANConfig {
    /// The configuration as checkpoint metadata; sorted keys, so that equal
    /// networks make equal files (the encoder's key order varies otherwise).
    func json() throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return String(decoding: try enc.encode(self), as: UTF8.self)
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
    /// The class folder's commit helpers (state.json is its record).
    public var folder: RunFolder { RunFolder(dir, settings: "state.json", holds: "a GAN") }

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
