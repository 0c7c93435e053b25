import CTorch

/// PyTorch's default initialisation for Conv and Linear weights and biases
/// (kaiming_uniform with a = sqrt(5); bias uniform in ±1/sqrt(fan_in)).
func defaultInit(weight: Tensor, bias: Tensor?, fanIn: Int) throws(TorchError) {
    try torchCall { ct_init_kaiming_uniform_(weight.handle, 5.0.squareRoot(), $0) }
    if let bias {
        let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
        try torchCall { ct_init_uniform_(bias.handle, -bound, bound, $0) }
    }
}

/// nn.Conv2d with square kernels, PyTorch's init and parameter names, so
/// CS230's and torchvision's convolution weights load unchanged.
public final class Conv2d: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int
    public let padding: Int

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true) throws(TorchError) {
        weight = try Tensor.zeros([outChannels, inChannels, kernelSize, kernelSize]).requiresGrad(true)
        self.bias = bias ? try Tensor.zeros([outChannels]).requiresGrad(true) : nil
        self.stride = stride
        self.padding = padding
        try defaultInit(weight: weight, bias: self.bias, fanIn: inChannels * kernelSize * kernelSize)
    }

    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        try Tensor.make { ct_conv2d(x.handle, weight.handle, bias?.handle, Int64(stride), Int64(padding), $0) }
    }
}

/// nn.ConvTranspose2d: the DCGAN generator's upsampling, with PyTorch's
/// (in, out, kH, kW) weight layout so the tutorial's weights load unchanged.
public final class ConvTranspose2d: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int
    public let padding: Int

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true) throws(TorchError) {
        // PyTorch stores transposed-conv weights as (in, out, kH, kW).
        weight = try Tensor.zeros([inChannels, outChannels, kernelSize, kernelSize]).requiresGrad(true)
        self.bias = bias ? try Tensor.zeros([outChannels]).requiresGrad(true) : nil
        self.stride = stride
        self.padding = padding
        try defaultInit(weight: weight, bias: self.bias, fanIn: outChannels * kernelSize * kernelSize)
    }

    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        try Tensor.make { ct_conv_transpose2d(x.handle, weight.handle, bias?.handle, Int64(stride), Int64(padding), 0, $0) }
    }
}

/// nn.Linear with PyTorch's init and names: the classifier heads (`fc`, `fc2`).
public final class Linear: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) throws(TorchError) {
        weight = try Tensor.zeros([outFeatures, inFeatures]).requiresGrad(true)
        self.bias = bias ? try Tensor.zeros([outFeatures]).requiresGrad(true) : nil
        try defaultInit(weight: weight, bias: self.bias, fanIn: inFeatures)
    }

    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        try Tensor.make { ct_linear(x.handle, weight.handle, bias?.handle, $0) }
    }
}

/// BatchNorm1d and BatchNorm2d: libtorch's batch_norm decides by the input's rank.
/// The running statistics are buffers under PyTorch's names, so checkpoints
/// from either side carry them.
public final class BatchNorm: Module, Layer {
    /// The learned scale (gamma).
    public let weight: Tensor
    /// The learned shift (beta).
    public let bias: Tensor
    /// Per-feature mean used in eval mode, updated in place in train mode.
    @BufferInfo(key: "running_mean") public private(set) var runningMean: Tensor
    /// Per-feature variance used in eval mode, updated in place in train mode.
    @BufferInfo(key: "running_var") public private(set) var runningVar: Tensor
    /// Train-mode calls so far; PyTorch saves it, so parity needs it even with a fixed momentum.
    @BufferInfo(key: "num_batches_tracked") public private(set) var numBatchesTracked: Tensor
    /// Weight of the newest batch in the running statistics.
    public let momentum: Double
    /// Added to the variance before the square root.
    public let eps: Double

    /// PyTorch's defaults: weight 1, bias 0, running mean 0 and variance 1.
    public init(_ features: Int, momentum: Double = 0.1, eps: Double = 1e-5) throws(TorchError) {
        weight = try Tensor.ones([features]).requiresGrad(true)
        bias = try Tensor.zeros([features]).requiresGrad(true)
        self.momentum = momentum
        self.eps = eps
        super.init()
        runningMean = try Tensor.zeros([features])
        runningVar = try Tensor.ones([features])
        numBatchesTracked = try Tensor.zeros([], dtype: .int64)
    }

    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        if isTraining {
            // PyTorch counts batches even with a fixed momentum; the key must exist for state_dict parity.
            try torchCall { ct_add_scalar_nograd_(numBatchesTracked.handle, 1, $0) }
        }
        return try Tensor.make {
            ct_batch_norm(x.handle, weight.handle, bias.handle, runningMean.handle, runningVar.handle,
                          isTraining ? 1 : 0, momentum, eps, $0)
        }
    }
}

public typealias BatchNorm1d = BatchNorm
public typealias BatchNorm2d = BatchNorm

/// nn.Dropout: active only in train mode, which `train(_:)`/`eval()` switch.
public final class Dropout: Module, Layer {
    public let p: Double
    public init(_ p: Double = 0.5) { self.p = p }
    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        try Tensor.make { ct_dropout(x.handle, p, isTraining ? 1 : 0, $0) }
    }
}

/// nn.MaxPool2d as a layer, for `Sequential` stacks.
public final class MaxPool2d: Module, Layer {
    public let kernelSize: Int, stride: Int, padding: Int
    public init(_ kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }
    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        try Tensor.make { ct_max_pool2d(x.handle, Int64(kernelSize), Int64(stride), Int64(padding), $0) }
    }
}

/// nn.AdaptiveAvgPool2d as a layer: the global-average-pooling head at (1, 1).
public final class AdaptiveAvgPool2d: Module, Layer {
    public let height: Int, width: Int
    public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }
    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        try Tensor.make { ct_adaptive_avg_pool2d(x.handle, Int64(height), Int64(width), $0) }
    }
}

/// `inplace` overwrites its input, as PyTorch's ReLU(inplace=True): no new
/// activation buffer, which the DCGAN tutorial and torchvision's ResNet use.
public final class ReLU: Module, Layer {
    public let inplace: Bool
    public init(inplace: Bool = false) { self.inplace = inplace }
    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor { inplace ? try x.relu_() : try x.relu() }
}

/// nn.LeakyReLU: the DCGAN discriminator's activation (slope 0.2, in place).
public final class LeakyReLU: Module, Layer {
    public let slope: Double
    public let inplace: Bool
    public init(_ slope: Double = 0.01, inplace: Bool = false) {
        self.slope = slope
        self.inplace = inplace
    }
    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        inplace ? try Tensor.make { ct_leaky_relu_(x.handle, slope, $0) } : try x.leakyRelu(slope)
    }
}

/// nn.Tanh: the DCGAN generator's output, images in [-1, 1].
public final class Tanh: Module, Layer {
    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor { try x.tanh() }
}

/// nn.Sigmoid: the DCGAN discriminator's output, a probability for BCE.
public final class Sigmoid: Module, Layer {
    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor { try x.sigmoid() }
}

/// nn.Flatten(start_dim=1): between convolutions and a linear head in a `Sequential`.
public final class Flatten: Module, Layer {
    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor { try x.flattened(from: 1) }
}

/// Layers applied in order (nn.Sequential). Its layers sit directly under
/// its own path, named by position (`main.0.weight`) or, with
/// `init(named:)`, by the names given (`features.conv0.weight`, as
/// torchvision builds `nn.Sequential(OrderedDict(...))`).
public final class Sequential: Module, Layer {
    /// The layers with their state_dict names, in call order.
    @ModuleInfo(key: "") public private(set) var namedLayers: [(String, any Layer)]

    /// The layers in call order.
    public var layers: [any Layer] { namedLayers.map(\.1) }

    /// Layers named 0, 1, 2, ... as nn.Sequential(*layers) names them.
    public init(_ layers: [any Layer]) {
        super.init()
        namedLayers = layers.enumerated().map { (String($0.offset), $0.element) }
    }

    /// Layers under the names given, in order, as nn.Sequential(OrderedDict(...)) names them.
    public init(named layers: [(String, any Layer)]) {
        super.init()
        namedLayers = layers
    }

    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        var h = x
        for (_, layer) in namedLayers { h = try layer(h) }
        return h
    }
}

extension Tensor {
    public func relu() throws(TorchError) -> Tensor { try Tensor.make { ct_relu(handle, $0) } }
    /// ReLU in place; only where the input is not needed again (PyTorch's inplace=True).
    public func relu_() throws(TorchError) -> Tensor { try Tensor.make { ct_relu_(handle, $0) } }
    /// self += other in place (residual connections), returning self.
    public func add_(_ other: Tensor) throws(TorchError) -> Tensor { try Tensor.make { ct_add_(handle, other.handle, $0) } }
    public func leakyRelu(_ slope: Double) throws(TorchError) -> Tensor { try Tensor.make { ct_leaky_relu(handle, slope, $0) } }
    public func tanh() throws(TorchError) -> Tensor { try Tensor.make { ct_tanh(handle, $0) } }
    public func sigmoid() throws(TorchError) -> Tensor { try Tensor.make { ct_sigmoid(handle, $0) } }
    public func maxPool2d(_ k: Int, stride: Int? = nil, padding: Int = 0) throws(TorchError) -> Tensor {
        try Tensor.make { ct_max_pool2d(handle, Int64(k), Int64(stride ?? k), Int64(padding), $0) }
    }
    public func dropout(_ p: Double, training: Bool) throws(TorchError) -> Tensor {
        try Tensor.make { ct_dropout(handle, p, training ? 1 : 0, $0) }
    }
    public func adaptiveAvgPool2d(_ h: Int, _ w: Int) throws(TorchError) -> Tensor {
        try Tensor.make { ct_adaptive_avg_pool2d(handle, Int64(h), Int64(w), $0) }
    }
    public func resizedBilinear(height: Int, width: Int) throws(TorchError) -> Tensor {
        try Tensor.make { ct_interpolate_bilinear(handle, Int64(height), Int64(width), 0, $0) }
    }
}
