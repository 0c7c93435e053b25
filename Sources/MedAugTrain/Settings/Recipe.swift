/// The study's two training recipes: named bundles of settings that flags
/// and experiment overrides refine.
public enum Recipe: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// Small CNN (CS230), 64x64, Adam 0.001, batch 64, 30 epochs, 15% validation.
    case studyCNN = "study-cnn"
    /// ResNet50 + GAP head, 224x224, pixels/255, SGD 0.001 momentum 0.9, time decay 0.01, batch 8, 50 epochs.
    case studyResNet50 = "study-resnet50"

    /// The name as written on the command line and in config files.
    public var description: String { rawValue }

    /// One line for help texts, read off the settings the recipe sets (so it cannot drift from them).
    public var summary: String {
        let o = TrainOptions(recipe: self)
        var parts = ["\(o.model)", "\(o.imageSize)x\(o.imageSize)", "\(o.optimizer) \(o.lr)"]
        if o.optimizer == .sgd { parts[2] += " momentum \(o.momentum)" }
        if o.decay > 0 { parts.append("time decay \(o.decay)") }
        parts += ["batch \(o.batchSize)", "\(o.epochs) epochs", "\(Int((o.valSplit * 100).rounded()))% validation"]
        if o.model == .simpleCNN { parts.append("dropout \(o.dropout)") }
        return parts.joined(separator: ", ")
    }
}
