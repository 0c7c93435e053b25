import Foundation
import MedAugModels
import MedAugTrain

/// What one cell of an experiment needs from a Slurm node: wall time and
/// memory, estimated from the config and the size of its data before
/// anything runs. The figures are this project's measurements (BENCHMARKS.md,
/// README "Measured on this project's machine": 2 CPU threads, no GPU); a
/// node with more cores only finishes sooner. `--time` and `--mem` replace
/// the estimates when a first task's log shows better figures.
public struct CellEstimate: Sendable, Equatable {
    /// The variant whose cells these are.
    public var variant: String
    /// The work itself, in seconds, before the safety factor and the floor.
    public var workSeconds: Double
    /// The wall time to ask for: the work times ``safetyFactor``, at least
    /// ``floorSeconds``, rounded up to whole minutes.
    public var seconds: Int
    /// The memory to ask for, in MiB (whole GiB).
    public var memoryMiB: Int

    /// Covers slower nodes, a busy file system and the figures' spread.
    public static let safetyFactor = 2.0
    /// Start-up, data preparation and the cell's own report take about a
    /// minute even on a tiny set; a queue slot shorter than this buys nothing.
    public static let floorSeconds = 15 * 60
    /// Loading the data, the start of libtorch and the report of one cell.
    static let overheadSeconds = 60.0

    /// Seconds per training image per epoch on 2 CPU threads, and the input
    /// side they were measured at (the time grows with the pixel count).
    /// Small CNN: 30 epochs of 2,637 images took 294 s (3.7 ms; the bare
    /// step is 2.7 ms); ResNet50: 1.44 s per step of 8 images (BENCHMARKS.md);
    /// ResNet18 and 34 scaled from ResNet50 by their multiply-adds (1.8 and
    /// 3.6 against 4.1 GFLOPs).
    static func secondsPerImageEpoch(_ model: ModelArchitecture) -> (seconds: Double, side: Double) {
        switch model {
        case .simpleCNN: return (0.005, 64)
        case .resnet18: return (0.09, 224)
        case .resnet34: return (0.16, 224)
        case .resnet50: return (0.20, 224)
        }
    }

    /// Per image and epoch, at 64x64 with ngf = ndf = 64: `medaug gan train`
    /// took 12 min for 5 epochs of 2,637 images with other work on the
    /// machine (README), 0.055 s; alone, one epoch of 1,440 images took
    /// 23.5 s (BENCHMARKS.md), 0.016 s. The slower figure, since a GAN cell
    /// that runs out of time loses the most.
    static let ganSecondsPerImageEpoch = 0.055
    /// Offline augmentation: decoding, the pipeline and a PNG written, per copy.
    static let augmentSecondsPerCopy = 0.02
    /// Superpixel images are made at full resolution: per image.
    static let superpixelSecondsPerImage = 0.1
    /// A GPU's speed-up over the 2 CPU threads the figures were measured on,
    /// for `device: cuda`. Not measured here (no GPU): kept low on purpose,
    /// since a cell that runs out of time must be resubmitted.
    static let gpuSpeedUp = 5.0

    /// Activation memory of one training image at the measured side, and the
    /// memory of the weights with their gradients and optimizer state, in MiB.
    static func memoryFigures(_ model: ModelArchitecture) -> (perImage: Double, side: Double, weights: Double) {
        switch model {
        case .simpleCNN: return (2, 64, 10)
        case .resnet18: return (40, 224, 180)
        case .resnet34: return (60, 224, 340)
        case .resnet50: return (170, 224, 400)
        }
    }
    /// libtorch and MedAug themselves (the small CNN's run peaks at 675 MB),
    /// and with CUDA the host side of its context.
    static let baseMiB = 1024.0, cudaBaseMiB = 3072.0

    /// The estimate for the cells of `variant`.
    public init(config: ExperimentConfig, variant: Variant, counts: DataCounts) throws {
        let o = try config.trainOptions(epochs: config.epochs.max()!, seed: 0)
        let gpu: Double
        if case .cuda = config.device { gpu = Self.gpuSpeedUp } else { gpu = 1 }
        let n = Double(counts.train)
        let copies = variant.augment == nil ? 0.0 : Double(variant.copies)
        let superpixels = (n * variant.superpixel).rounded(), ganImages = (n * variant.gan).rounded()
        let trained = n * (1 + copies) + superpixels + ganImages
        let (perImage, side) = Self.secondsPerImageEpoch(o.model)
        let perImageEpoch = perImage * pow(Double(o.imageSize) / side, 2) / gpu
        // Scoring is a forward pass, about a third of a training step.
        // With folds each fold is a cell of its own, on (k-1)/k of the set: counted whole, to be safe.
        var work = trained * Double(o.epochs) * perImageEpoch + Double(counts.test * config.epochs.count) * perImageEpoch / 3
        work += n * copies * Self.augmentSecondsPerCopy + superpixels * Self.superpixelSecondsPerImage
        if variant.gan > 0 { work += Self.ganSeconds(config, images: n) / gpu }
        work += Self.overheadSeconds
        self.variant = variant.name
        workSeconds = work
        let asked = max(Double(Self.floorSeconds), work * Self.safetyFactor)
        seconds = Int((asked / 60).rounded(.up)) * 60

        let m = Self.memoryFigures(o.model)
        var mib = (gpu > 1 ? Self.cudaBaseMiB : Self.baseMiB) + m.weights
            + Double(o.batchSize) * m.perImage * pow(Double(o.imageSize) / m.side, 2)
        // A GAN holds its class's images in memory as float tensors, plus its two small networks.
        if variant.gan > 0 { mib += n * pow(Double(config.gan.imageSize.rawValue), 2) * 3 * 4 / 1_048_576 + 256 }
        memoryMiB = max(2, Int((mib * 1.5 / 1024).rounded(.up))) * 1024
    }

    /// The per-class DCGANs of one seed: every real training image (each in
    /// its class's GAN) for the configured epochs. The time grows with the
    /// pixel count and, for the convolutions, with the square of the
    /// feature-map counts.
    static func ganSeconds(_ config: ExperimentConfig, images: Double) -> Double {
        let g = config.gan
        let size = pow(Double(g.imageSize.rawValue) / 64, 2)
        let width = (pow(Double(g.ngf), 2) + pow(Double(g.ndf), 2)) / (2 * 64 * 64)
        return images * Double(g.epochs) * ganSecondsPerImageEpoch * size * width
    }

    /// The estimates of every variant; the array job asks for the largest.
    public static func all(_ config: ExperimentConfig, counts: DataCounts) throws -> [CellEstimate] {
        try config.variants.map { try CellEstimate(config: config, variant: $0, counts: counts) }
    }
}
