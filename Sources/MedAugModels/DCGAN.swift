import MedAugTorch

/// The PyTorch DCGAN tutorial's networks. At 64x64 they are the tutorial's
/// exactly, with its `main.N` parameter names; other sizes (32 to 256) add or
/// remove one stride-2 block per factor of two.
public struct DCGANConfig: Codable, Equatable, Sendable {
    public var imageSize: Int = 64
    public var nz: Int = 100
    public var ngf: Int = 64
    public var ndf: Int = 64
    public var nc: Int = 3

    public init(imageSize: Int = 64, nz: Int = 100, ngf: Int = 64, ndf: Int = 64, nc: Int = 3) {
        self.imageSize = imageSize
        self.nz = nz
        self.ngf = ngf
        self.ndf = ndf
        self.nc = nc
    }

    /// Stride-2 blocks between the 4x4 core and the last layer: 3 at 64x64.
    /// Any size but 32, 64, 128 or 256 is a `ModelError`.
    public func middleBlocks() throws(ModelError) -> Int {
        let sizes = [32: 2, 64: 3, 128: 4, 256: 5]
        guard let m = sizes[imageSize] else {
            throw ModelError("DCGAN image size must be 32, 64, 128 or 256, got \(imageSize)")
        }
        return m
    }
}

/// The tutorial's weights_init: conv weights N(0, 0.02); BatchNorm weights N(1, 0.02), biases 0.
func dcganInit(_ layers: [any Layer]) throws(TorchError) {
    for l in layers {
        if let c = l as? Conv2d { try Init.normal(c.weight, mean: 0, std: 0.02) }
        if let c = l as? ConvTranspose2d { try Init.normal(c.weight, mean: 0, std: 0.02) }
        if let b = l as? BatchNorm {
            try Init.normal(b.weight, mean: 1, std: 0.02)
            try Init.constant(b.bias, 0)
        }
    }
}

/// The tutorial's generator: noise to images, under its `main.N` names.
public final class DCGANGenerator: Module, Layer {
    public let config: DCGANConfig
    public let main: MedAugTorch.Sequential

    /// The generator for `config`, with the tutorial's initial weights; an
    /// unsupported image size is a `ModelError`.
    public init(_ config: DCGANConfig = DCGANConfig()) throws {
        self.config = config
        let m = try config.middleBlocks()
        var layers: [any Layer] = []
        var ch = config.ngf << m
        layers += [try ConvTranspose2d(config.nz, ch, kernelSize: 4, stride: 1, padding: 0, bias: false),
                   try BatchNorm2d(ch), ReLU(inplace: true)]
        for _ in 0..<m {
            layers += [try ConvTranspose2d(ch, ch / 2, kernelSize: 4, stride: 2, padding: 1, bias: false),
                       try BatchNorm2d(ch / 2), ReLU(inplace: true)]
            ch /= 2
        }
        layers += [try ConvTranspose2d(ch, config.nc, kernelSize: 4, stride: 2, padding: 1, bias: false), Tanh()]
        try dcganInit(layers)
        main = MedAugTorch.Sequential(layers)
    }

    /// Noise (N, nz, 1, 1) to images (N, nc, size, size) in [-1, 1].
    public func callAsFunction(_ z: Tensor) throws(TorchError) -> Tensor { try main(z) }
}

/// The tutorial's discriminator: images to the probability of being real, under its `main.N` names.
public final class DCGANDiscriminator: Module, Layer {
    public let config: DCGANConfig
    public let main: MedAugTorch.Sequential

    /// The discriminator for `config`, with the tutorial's initial weights;
    /// an unsupported image size is a `ModelError`.
    public init(_ config: DCGANConfig = DCGANConfig()) throws {
        self.config = config
        let m = try config.middleBlocks()
        var ch = config.ndf
        var layers: [any Layer] = [try Conv2d(config.nc, ch, kernelSize: 4, stride: 2, padding: 1, bias: false), LeakyReLU(0.2, inplace: true)]
        for _ in 0..<m {
            layers += [try Conv2d(ch, ch * 2, kernelSize: 4, stride: 2, padding: 1, bias: false),
                       try BatchNorm2d(ch * 2), LeakyReLU(0.2, inplace: true)]
            ch *= 2
        }
        layers += [try Conv2d(ch, 1, kernelSize: 4, stride: 1, padding: 0, bias: false), Sigmoid()]
        try dcganInit(layers)
        main = MedAugTorch.Sequential(layers)
    }

    /// Images to the probability of being real, shape (N).
    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        try main(x).reshaped([-1])
    }
}
