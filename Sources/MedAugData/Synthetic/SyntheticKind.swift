/// The study's two datasets, as synthetic stand-ins.
public enum SyntheticKind: String, Sendable, Codable, CaseIterable {
    case chestXRay = "chest-xray"
    case skinLesion = "skin-lesion"

    /// Class names in label order (Unicode scalar order, as `Dataset` sorts them)
    /// and per-class counts of the study's Kaggle sets.
    public var classes: [String] {
        switch self {
        case .chestXRay: return ["Covid", "Normal", "Viral Pneumonia"]
        case .skinLesion: return ["benign", "malignant"]
        }
    }

    public var trainCounts: [Int] {
        switch self {
        case .chestXRay: return [111, 70, 70]
        case .skinLesion: return [1440, 1197]
        }
    }

    public var testCounts: [Int] {
        switch self {
        case .chestXRay: return [26, 20, 20]
        case .skinLesion: return [360, 300]
        }
    }

    public var imageDescription: String {
        switch self {
        case .chestXRay: return "grayscale chest X-rays, \(ChestXRaySynth.sizeRange.lowerBound) to \(ChestXRaySynth.sizeRange.upperBound) pixels a side"
        case .skinLesion: return "\(SkinLesionSynth.size)x\(SkinLesionSynth.size) RGB skin lesions"
        }
    }

    /// The study's counts times `scale`, rounded, at least 1 per class.
    public func counts(_ split: DataSplit, scale: Double) -> [Int] {
        let base = split == .test ? testCounts : trainCounts
        return base.map { max(1, Int((Double($0) * scale).rounded())) }
    }
}
