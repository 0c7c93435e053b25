import MedAugModels
import MedAugTorch

/// Settings of `medaug gan train`; the defaults are the DCGAN tutorial's and the study's.
public struct GANOptions: Codable, Equatable, Sendable {
    public var epochs: Int = 200
    public var batchSize: Int = 16
    public var imageSize: Int = 64
    public var nz: Int = 100
    public var ngf: Int = 64
    public var ndf: Int = 64
    /// nil: 1 for grayscale datasets, 3 otherwise.
    public var nc: Int?
    public var lr: Double = 0.0002
    public var beta1: Double = 0.5
    public var seed: UInt64 = 0
    public var device: String = "auto"
    /// Sample grids from the fixed noise every this many epochs (and at the end).
    public var sampleEvery: Int = 10
    public var classes: [String] = []

    public init() {}

    public func dcgan(nc: Int) -> DCGANConfig {
        DCGANConfig(imageSize: imageSize, nz: nz, ngf: ngf, ndf: ndf, nc: nc)
    }

    public func validate() throws {
        guard [32, 64, 128, 256].contains(imageSize) else { throw TorchError("--image-size must be 32, 64, 128 or 256, got \(imageSize)") }
        guard epochs >= 1 else { throw TorchError("--epochs must be at least 1") }
        guard batchSize >= 1 else { throw TorchError("--batch-size must be at least 1") }
        guard lr > 0, (0..<1).contains(beta1) else { throw TorchError("--lr must be positive and --beta1 in [0, 1)") }
        if let nc, nc != 1 && nc != 3 { throw TorchError("--nc must be 1 or 3, got \(nc)") }
        guard sampleEvery >= 1 else { throw TorchError("--sample-every must be at least 1") }
    }
}
