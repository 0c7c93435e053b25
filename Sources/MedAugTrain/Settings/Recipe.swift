/// The study's two training recipes: named bundles of settings that flags
/// and experiment overrides refine.
public enum Recipe: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// Small CNN (CS230), 64x64, Adam 0.001, batch 64, 30 epochs, 15% validation.
    case studyCNN = "study-cnn"
    /// ResNet50 + GAP head, 224x224, pixels/255, SGD 0.001 momentum 0.9, time decay 0.01, batch 8, 50 epochs.
    case studyResNet50 = "study-resnet50"

    /// The name as written on the command line and in config files.
    public var description: String { rawValue }

    /// One line for help texts.
    public var summary: String {
        switch self {
        case .studyCNN: return "small CNN (CS230), 64x64, Adam 0.001, batch 64, 30 epochs, 15% validation"
        case .studyResNet50: return "ResNet50 + GAP head, 224x224, pixels/255, SGD 0.001 momentum 0.9, time decay 0.01, batch 8, 50 epochs"
        }
    }
}
