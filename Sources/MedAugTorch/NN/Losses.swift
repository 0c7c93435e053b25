import CTorch

/// Losses, mean-reduced as PyTorch's defaults.
public enum Loss {
    /// Binary cross-entropy on probabilities (the DCGAN's nn.BCELoss).
    public static func binaryCrossEntropy(_ probabilities: Tensor, _ targets: Tensor) throws(TorchError) -> Tensor {
        try Tensor.make { ct_binary_cross_entropy(probabilities.handle, targets.handle, $0) }
    }

    public static func binaryCrossEntropyWithLogits(_ logits: Tensor, _ targets: Tensor) throws(TorchError) -> Tensor {
        try Tensor.make { ct_bce_with_logits(logits.handle, targets.handle, $0) }
    }

    /// Cross-entropy from logits and int64 class indices, or float class
    /// probabilities of the logits' shape (soft targets: MixUp, CutMix);
    /// `weight` per class for imbalance.
    public static func crossEntropy(_ logits: Tensor, _ labels: Tensor, weight: Tensor? = nil) throws(TorchError) -> Tensor {
        try Tensor.make { ct_cross_entropy(logits.handle, labels.handle, weight?.handle, $0) }
    }

    public static func meanSquaredError(_ a: Tensor, _ b: Tensor) throws(TorchError) -> Tensor {
        try Tensor.make { ct_mse(a.handle, b.handle, $0) }
    }
}

/// In-place initialisers (no autograd recording), as torch.nn.init.
public enum Init {
    public static func normal(_ t: Tensor, mean: Double, std: Double) throws(TorchError) {
        try torchCall { ct_init_normal_(t.handle, mean, std, $0) }
    }
    public static func uniform(_ t: Tensor, _ lo: Double, _ hi: Double) throws(TorchError) {
        try torchCall { ct_init_uniform_(t.handle, lo, hi, $0) }
    }
    public static func constant(_ t: Tensor, _ value: Double) throws(TorchError) {
        try torchCall { ct_init_constant_(t.handle, value, $0) }
    }
    /// kaiming_normal_(mode="fan_out", nonlinearity="relu"): torchvision's ResNet conv init.
    public static func kaimingNormalFanOutReLU(_ t: Tensor) throws(TorchError) {
        try torchCall { ct_init_kaiming_normal_fan_out_relu_(t.handle, $0) }
    }
}
