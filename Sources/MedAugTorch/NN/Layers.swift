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

public final class Conv2d: Layer {
    public var isTraining = true
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

public final class ConvTranspose2d: Layer {
    public var isTraining = true
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

public final class Linear: Layer {
    public var isTraining = true
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
public final class BatchNorm: Layer {
    public var isTraining = true
    public let weight: Tensor
    public let bias: Tensor
    public let running_mean: Tensor
    public let running_var: Tensor
    public let num_batches_tracked: Tensor
    public let momentum: Double
    public let eps: Double

    public var bufferNames: Set<String> { ["running_mean", "running_var", "num_batches_tracked"] }

    public init(_ features: Int, momentum: Double = 0.1, eps: Double = 1e-5) throws(TorchError) {
        weight = try Tensor.ones([features]).requiresGrad(true)
        bias = try Tensor.zeros([features]).requiresGrad(true)
        running_mean = try Tensor.zeros([features])
        running_var = try Tensor.ones([features])
        num_batches_tracked = try Tensor.zeros([], dtype: .int64)
        self.momentum = momentum
        self.eps = eps
    }

    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        if isTraining {
            // PyTorch counts batches even with a fixed momentum; the key must exist for state_dict parity.
            try torchCall { ct_add_scalar_nograd_(num_batches_tracked.handle, 1, $0) }
        }
        return try Tensor.make {
            ct_batch_norm(x.handle, weight.handle, bias.handle, running_mean.handle, running_var.handle,
                          isTraining ? 1 : 0, momentum, eps, $0)
        }
    }
}

public typealias BatchNorm1d = BatchNorm
public typealias BatchNorm2d = BatchNorm

public final class Dropout: Layer {
    public var isTraining = true
    public let p: Double
    public init(_ p: Double = 0.5) { self.p = p }
    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        try Tensor.make { ct_dropout(x.handle, p, isTraining ? 1 : 0, $0) }
    }
}

public final class MaxPool2d: Layer {
    public var isTraining = true
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

public final class AdaptiveAvgPool2d: Layer {
    public var isTraining = true
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
public final class ReLU: Layer {
    public var isTraining = true
    public let inplace: Bool
    public init(inplace: Bool = false) { self.inplace = inplace }
    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor { inplace ? try x.relu_() : try x.relu() }
}

public final class LeakyReLU: Layer {
    public var isTraining = true
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

public final class Tanh: Layer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor { try x.tanh() }
}

public final class Sigmoid: Layer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor { try x.sigmoid() }
}

public final class Flatten: Layer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor { try x.flattened(from: 1) }
}

/// Layers applied in order; PyTorch names them by position (`main.0.weight`).
public final class Sequential: Layer, NamesChildrenByPosition {
    public var isTraining = true
    public let layers: [Module]

    public init(_ layers: [Layer]) { self.layers = layers }

    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        var h = x
        for l in layers { h = try (l as! Layer)(h) }
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
