import MedAugCore
import MedAugModels
import MedAugTorch

/// The image sizes the DCGAN builds: the tutorial's 64 and one stride-2 block
/// more or less per factor of two.
public enum GANImageSize: Int, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// 32x32.
    case px32 = 32
    /// 64x64, the tutorial's network.
    case px64 = 64
    /// 128x128.
    case px128 = 128
    /// 256x256.
    case px256 = 256

    /// The side in pixels, as written on the command line.
    public var description: String { String(rawValue) }
}

/// The DCGAN settings an experiment may set (its `gan:` block) and `medaug gan
/// train` exposes as options: one struct, used by both, so nothing is copied
/// field by field.
public struct GANShape: Codable, Equatable, Sendable {
    /// Epochs per class.
    public var epochs: Int = 200
    /// Generated image side.
    public var imageSize: GANImageSize = .px64
    /// Images per batch.
    public var batchSize: Int = 16
    /// Generator feature maps.
    public var ngf: Int = 64
    /// Discriminator feature maps.
    public var ndf: Int = 64

    /// The tutorial's and the study's values.
    public init() {}

    /// The experiment file's keys, in the order they are listed.
    public static let keys = ["epochs", "image_size", "batch_size", "ngf", "ndf"]

    /// Sets one value by its experiment-file key; the message says what is allowed.
    public mutating func set(_ key: String, _ value: Int) throws(TrainError) {
        switch key {
        case "epochs": epochs = value
        case "image_size":
            guard let s = GANImageSize(rawValue: value) else {
                throw TrainError(.setting, "image_size must be one of \(GANImageSize.allCases.map(\.description).joined(separator: ", ")), got \(value)")
            }
            imageSize = s
        case "batch_size": batchSize = value
        case "ngf": ngf = value
        case "ndf": ndf = value
        default: throw TrainError(.setting, "'\(key)' is not a GAN setting; allowed: \(GANShape.keys.joined(separator: ", "))")
        }
    }

    /// Range checks, named by the experiment-file keys.
    public func check() throws(TrainError) {
        guard epochs >= 1 else { throw TrainError(.setting, "epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw TrainError(.setting, "batch_size must be at least 1, got \(batchSize)") }
        guard ngf >= 1, ndf >= 1 else { throw TrainError(.setting, "ngf and ndf must be at least 1") }
    }
}

/// Settings of `medaug gan train`; the defaults are the DCGAN tutorial's and the study's.
/// gan.json stores them as they are here, side by side.
public struct GANOptions: Codable, Equatable, Sendable {
    /// Epochs per class.
    public var epochs: Int = 200
    /// Images per batch.
    public var batchSize: Int = 16
    /// Generated image side.
    public var imageSize: GANImageSize = .px64
    /// Length of the noise vector.
    public var nz: Int = 100
    /// Generator feature maps.
    public var ngf: Int = 64
    /// Discriminator feature maps.
    public var ndf: Int = 64
    /// nil: 1 for grayscale datasets, 3 otherwise.
    public var nc: Int?
    /// Adam learning rate.
    public var lr: Double = 0.0002
    /// Adam beta1.
    public var beta1: Double = 0.5
    /// Seeds every random draw.
    public var seed: UInt64 = 0
    /// Where to compute.
    public var device: DeviceSetting = .auto
    /// Sample grids from the fixed noise every this many epochs (and at the end).
    public var sampleEvery: Int = 10
    /// Classes to train; empty means all.
    public var classes: [String] = []

    /// The tutorial's and the study's values.
    public init() {}

    /// Options with an experiment's shape and the library defaults for the rest.
    public init(shape: GANShape) {
        self.init()
        self.shape = shape
    }

    /// The part an experiment's `gan:` block sets: epochs, image size, batch
    /// size and feature maps. The one place that maps between the two.
    public var shape: GANShape {
        get {
            var s = GANShape()
            (s.epochs, s.imageSize, s.batchSize, s.ngf, s.ndf) = (epochs, imageSize, batchSize, ngf, ndf)
            return s
        }
        set { (epochs, imageSize, batchSize, ngf, ndf) = (newValue.epochs, newValue.imageSize, newValue.batchSize, newValue.ngf, newValue.ndf) }
    }

    /// The networks' configuration for `nc` channels.
    public func dcgan(nc: Int) -> DCGANConfig {
        DCGANConfig(imageSize: imageSize.rawValue, nz: nz, ngf: ngf, ndf: ndf, nc: nc)
    }

    /// Range checks; the message names the command-line option.
    public func validate() throws(TrainError) {
        func bad(_ m: String) -> TrainError { TrainError(.setting, m) }
        if let m = RangeRule.violation("--epochs", epochs, 1...100_000) { throw bad(m) }
        if let m = RangeRule.violation("--batch-size", batchSize, 1...4096) { throw bad(m) }
        if let m = RangeRule.violation("--nz", nz, 1...4096) { throw bad(m) }
        guard (1...1024).contains(ngf), (1...1024).contains(ndf) else { throw bad("--ngf and --ndf must be 1 to 1024, got \(ngf) and \(ndf)") }
        guard lr.isFinite, lr > 0 else { throw bad("--lr must be a positive number, got \(lr)") }
        guard beta1.isFinite, (0..<1).contains(beta1) else { throw bad("--beta1 must be in [0, 1), got \(beta1)") }
        if let nc, nc != 1 && nc != 3 { throw bad("--nc must be 1 or 3, got \(nc)") }
        guard sampleEvery >= 1 else { throw bad("--sample-every must be at least 1, got \(sampleEvery)") }
    }
}
