import ArgumentParser
import Foundation
import MedAugTorch
import MedAugTrain

struct GANCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gan",
        abstract: "Train DCGANs (one per class), sample images from them, and score the samples.",
        subcommands: [GANTrainCommand.self, GANSampleCommand.self, GANScoreCommand.self]
    )
}

struct GANTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the study's DCGAN, one per class.",
        discussion: """
        The PyTorch DCGAN tutorial's networks and loop; the defaults are the tutorial's and the study's (200 epochs, batch 16, Adam 0.0002, beta1 0.5). Images are resized and centre-cropped to --image-size and scaled to [-1, 1]; grayscale datasets train with one channel unless --nc 3. Sizes 32, 64 (the tutorial's network), 128 and 256.

        Per class, RUN/<class>/ receives generator.safetensors, discriminator.safetensors, optimizer state, losses.csv (every iteration), samples/epoch_XXXX.png from a fixed noise batch, curves.svg and health.json (NaN stops, collapse warnings). Each finished epoch is committed by the class's state.json, which names its files under checkpoints/. Ctrl-C or a kill keeps every committed epoch; --resume continues with the saved settings and ends as an uninterrupted run would. --epochs with --resume trains on to that count.

        Example:
          medaug gan train --data data/skin --out runs/gan --epochs 50
        """
    )

    @Option(help: "Dataset root (train/ is used) or class-folder tree.") var data: String
    @OptionGroup var reading: ReadingOptions
    @OptionGroup(title: "Labels and patients") var dataset: DatasetArguments
    @Option(help: "Output folder.") var out: String
    @Option(name: .customLong("class"), help: "Train only this class (repeatable). Default: every class.") var classes: [String] = []
    @Option(parsing: .unconditional, help: "Epochs per class (default 200; with --resume, the saved count).") var epochs: Int?
    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Images per batch (default 16).") var batchSize: Int?
    @Option(name: .customLong("image-size"), help: "Side of the generated images (default 64).") var imageSize: GANImageSize?
    @Option(parsing: .unconditional, help: "Length of the noise vector (default 100).") var nz: Int?
    @Option(parsing: .unconditional, help: "Generator feature maps (default 64).") var ngf: Int?
    @Option(parsing: .unconditional, help: "Discriminator feature maps (default 64).") var ndf: Int?
    @Option(parsing: .unconditional, help: "Image channels (default: 1 for grayscale data, else 3).") var nc: Int?
    @Option(parsing: .unconditional, help: "Adam learning rate (default 0.0002).") var lr: Double?
    @Option(parsing: .unconditional, help: "Adam beta1 (default 0.5).") var beta1: Double?
    @Option(parsing: .unconditional, help: "Seed of every random draw (default 0).") var seed: UInt64?
    @Option(help: "Where to compute.") var device: DeviceSetting = .auto
    @Option(name: .customLong("sample-every"), parsing: .unconditional, help: "Write a sample grid every N epochs (default 10).") var sampleEvery: Int?
    @Flag(help: "Continue the runs in --out.") var resume = false

    var options: GANOptions {
        var o = GANOptions()
        if let epochs { o.epochs = epochs }
        if let batchSize { o.batchSize = batchSize }
        if let imageSize { o.imageSize = imageSize }
        if let nz { o.nz = nz }
        if let ngf { o.ngf = ngf }
        if let ndf { o.ndf = ndf }
        if let lr { o.lr = lr }
        if let beta1 { o.beta1 = beta1 }
        if let seed { o.seed = seed }
        if let sampleEvery { o.sampleEvery = sampleEvery }
        o.nc = nc; o.device = device; o.classes = classes
        return o
    }

    /// The flags that set what the GANs are (all but --epochs, --device and --class), as typed.
    var settingFlags: [String] {
        let given: [(String, Bool)] = [
            ("--batch-size", batchSize != nil), ("--image-size", imageSize != nil), ("--nz", nz != nil), ("--ngf", ngf != nil),
            ("--ndf", ndf != nil), ("--nc", nc != nil), ("--lr", lr != nil), ("--beta1", beta1 != nil), ("--seed", seed != nil),
            ("--sample-every", sampleEvery != nil),
        ]
        return given.filter(\.1).map(\.0)
    }

    func validate() throws {
        // As for train: resumed GANs keep their settings; a flag that would change them is refused, not ignored.
        if resume, !settingFlags.isEmpty {
            throw ValidationError("--resume continues the GANs with their saved settings; \(settingFlags.joined(separator: ", ")) cannot change them (only --epochs, --device and --class may be given with --resume)")
        }
        do { try options.validate() } catch { throw error.usage }
    }

    func run() throws {
        let o = options
        Interrupt.install()
        let trainer = GANTrainer(options: o)
        trainer.epochsGiven = epochs != nil
        let r = try trainer.run(data: data, out: out, resume: resume)
        if r.interrupted { throw ExitCode(130) }
        print("GANs saved in \(out): \(r.classes.joined(separator: ", "))")
    }
}

struct GANSampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write N generated images per class.",
        discussion: """
        Images go to DIR/<class>/gan_<seed>_<i>.png with a manifest.csv. --size WxH upscales them with bicubic interpolation (OpenCV's, a = -0.75); without it they keep the GAN's size. Each image is written as soon as it is made: after a kill, the same command again makes only the missing ones, identical to those of an uninterrupted run (other arguments into an unfinished folder are refused).

        Example:
          medaug gan sample --run runs/gan --count 100 --out gan-images --size 224x224
        """
    )

    @Option(name: .customLong("run"), help: "A `medaug gan train` output folder.") var runDir: String
    @Option(name: .customLong("class"), help: "Only this class (repeatable).") var classes: [String] = []
    @Option(parsing: .unconditional, help: "Images per class.") var count: Int
    @Option(help: "Output folder.") var out: String
    @Option(help: "Output size WxH (upscaled with bicubic interpolation).") var size: String?
    @Option(parsing: .unconditional, help: "Seed of the noise.") var seed: UInt64 = 0
    @Option(help: "Where to compute.") var device: DeviceSetting = .auto

    /// `WxH` as two positive sides, or nil when it does not read so.
    static func parseSize(_ s: String) -> (Int, Int)? {
        let p = s.lowercased().split(separator: "x").compactMap { Int($0) }
        guard p.count == 2, p[0] > 0, p[1] > 0 else { return nil }
        return (p[0], p[1])
    }

    func validate() throws {
        try CommandLimits.check("--count", count, CommandLimits.sampleCount)
        if let size {
            guard let (w, h) = Self.parseSize(size) else { throw ValidationError("--size must look like 224x224, got '\(size)'") }
            try CommandLimits.check("--size width", w, CommandLimits.sampleSide)
            try CommandLimits.check("--size height", h, CommandLimits.sampleSide)
        }
    }

    func run() throws {
        try GANSampler.sample(run: runDir, classes: classes.isEmpty ? nil : classes, count: count, out: out,
                              size: size.flatMap(Self.parseSize), seed: seed, device: device)
    }
}

struct GANScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Measure generated images against the real ones.",
        discussion: """
        Needs a classifier trained on the real data (`medaug train`): Inception weights cannot be downloaded, so the Kernel Inception Distance is computed in that classifier's feature space (its last hidden layer). Also reports the share of samples the classifier assigns to the intended class, and a memorisation check: each sample's distance to its nearest training image, and how many are closer than half the typical real-to-real distance. Writes RUN/score.json.

        Example:
          medaug gan score --run runs/gan --data data/skin --classifier runs/cnn
        """
    )

    @Option(name: .customLong("run"), help: "A `medaug gan train` output folder.") var runDir: String
    @Option(help: "The real dataset the GANs were trained on.") var data: String
    @OptionGroup var reading: ReadingOptions
    @OptionGroup(title: "Labels and patients") var dataset: DatasetArguments
    @Option(help: "A `medaug train` run trained on the real data.") var classifier: String
    @Option(parsing: .unconditional, help: "Samples per class.") var samples: Int = 200
    @Option(parsing: .unconditional, help: "Seed of the noise.") var seed: UInt64 = 0
    @Option(help: "Where to compute.") var device: DeviceSetting = .auto

    func validate() throws {
        // The kernel distance compares sample pairs: one sample has none.
        guard samples >= 2 else { throw ValidationError("--samples must be at least 2, got \(samples)") }
    }

    func run() throws {
        _ = try GANScorer.score(run: runDir, data: data, classifierRun: classifier, samples: samples, seed: seed, device: device)
    }
}
