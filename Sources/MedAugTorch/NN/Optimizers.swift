import CTorch

/// libtorch's torch::optim optimizers over a fixed list of parameters.
public final class Optimizer: @unchecked Sendable {
    let handle: ct_optimizer
    /// The parameters, kept alive as long as the optimizer refers to them.
    public let parameters: [Tensor]
    public let baseLearningRate: Double
    /// Keras-style time decay: lr_t = lr / (1 + decay * iteration). 0 = constant.
    public var decay: Double = 0
    public private(set) var iteration = 0

    private init(handle: ct_optimizer, parameters: [Tensor], lr: Double) {
        self.handle = handle
        self.parameters = parameters
        self.baseLearningRate = lr
    }

    deinit { ct_optimizer_free(handle) }

    public static func adam(_ parameters: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                            eps: Double = 1e-8, weightDecay: Double = 0) throws(TorchError) -> Optimizer {
        let hs: [ct_tensor?] = parameters.map { $0.handle }
        let h = try torchCall { err in
            hs.withUnsafeBufferPointer { ct_adam_new($0.baseAddress, Int32(hs.count), lr, betas.0, betas.1, eps, weightDecay, err) }
        }
        return Optimizer(handle: h!, parameters: parameters, lr: lr)
    }

    public static func sgd(_ parameters: [Tensor], lr: Double, momentum: Double = 0, dampening: Double = 0,
                           weightDecay: Double = 0, nesterov: Bool = false) throws(TorchError) -> Optimizer {
        let hs: [ct_tensor?] = parameters.map { $0.handle }
        let h = try torchCall { err in
            hs.withUnsafeBufferPointer {
                ct_sgd_new($0.baseAddress, Int32(hs.count), lr, momentum, dampening, weightDecay, nesterov ? 1 : 0, err)
            }
        }
        return Optimizer(handle: h!, parameters: parameters, lr: lr)
    }

    public var learningRate: Double {
        (try? torchCall { ct_optimizer_get_lr(handle, $0) }) ?? baseLearningRate
    }

    public func zeroGrad() throws(TorchError) { try torchCall { ct_optimizer_zero_grad(handle, $0) } }

    /// One update; then the time-decayed learning rate for the next iteration is set.
    public func step() throws(TorchError) {
        try torchCall { ct_optimizer_step(handle, $0) }
        iteration += 1
        if decay > 0 { try setLearningRate(baseLearningRate / (1 + decay * Double(iteration))) }
    }

    public func setLearningRate(_ lr: Double) throws(TorchError) { try torchCall { ct_optimizer_set_lr(handle, lr, $0) } }

    /// Restores the iteration counter (resume) and the decayed rate that goes with it.
    public func setIteration(_ n: Int) throws(TorchError) {
        iteration = n
        if decay > 0 { try setLearningRate(baseLearningRate / (1 + decay * Double(n))) }
    }

    /// The optimizer's state (moments, momentum buffers) as libtorch serialises it.
    public func stateBytes() throws(TorchError) -> [UInt8] {
        var p: UnsafeMutablePointer<UInt8>? = nil
        var n = 0
        try torchCall { ct_optimizer_save(handle, &p, &n, $0) }
        defer { ct_buffer_free(p) }
        return Array(UnsafeBufferPointer(start: p, count: n))
    }

    public func loadState(_ bytes: [UInt8]) throws(TorchError) {
        try bytes.withUnsafeBufferPointer { (b: UnsafeBufferPointer<UInt8>) throws(TorchError) in
            try torchCall { ct_optimizer_load(handle, b.baseAddress, b.count, $0) }
        }
    }
}
