/// The optimizers a classifier run can use (both libtorch's `torch::optim`).
public enum OptimizerKind: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// Adam with betas (beta1, beta2): the small CNN recipe's.
    case adam
    /// SGD with momentum: the ResNet50 recipe's.
    case sgd

    /// The name as written on the command line and in config.json.
    public var description: String { rawValue }
}
