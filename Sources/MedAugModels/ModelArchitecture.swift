import MedAugTorch

/// Every classifier MedAug can build, by the name runs, configs and the
/// command line use. The raw value is what config.json and checkpoints hold.
public enum ModelArchitecture: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// The study's small CNN (CS230 layout), 64x64 input.
    case simpleCNN = "simple-cnn"
    /// torchvision's ResNet18 with a global-average-pooling head.
    case resnet18
    /// torchvision's ResNet34 with a global-average-pooling head.
    case resnet34
    /// torchvision's ResNet50 with a global-average-pooling head.
    case resnet50

    /// The name as written on the command line and in files.
    public var description: String { rawValue }
}
