import Foundation

/// A test-set figure that variants are compared on (`metrics:` in an
/// experiment file). All are proportions in [0, 1], shown in percent.
public enum ComparedMetric: String, CaseIterable, Codable, Sendable {
    case accuracy
    case recall
    case rocAUC = "roc_auc"
    case balancedAccuracy = "balanced_accuracy"
    case sensitivity
    case specificity
    case macroF1 = "macro_f1"
    case averagePrecision = "average_precision"

    /// What the verdict compares when the experiment file does not say.
    public static let defaults: [ComparedMetric] = [.accuracy, .recall, .rocAUC]

    /// The row's value; nil in rows written before MedAug computed it.
    public func value(_ r: ResultRow) -> Double? {
        switch self {
        case .accuracy: return r.accuracy
        case .recall: return r.recall
        case .rocAUC: return r.rocAUC
        case .balancedAccuracy: return r.balancedAccuracy
        case .sensitivity: return r.sensitivity
        case .specificity: return r.specificity
        case .macroF1: return r.macroF1
        case .averagePrecision: return r.averagePrecision
        }
    }

    /// The name in tables and sentences; `positive` names whose recall it is.
    public func title(positive: String?) -> String {
        switch self {
        case .accuracy: return "Accuracy"
        case .recall: return positive.map { "Recall (\($0))" } ?? "Recall (macro)"
        case .rocAUC: return positive.map { "ROC-AUC (\($0))" } ?? "ROC-AUC (macro, one vs rest)"
        case .balancedAccuracy: return "Balanced accuracy"
        case .sensitivity: return positive.map { "Sensitivity (\($0))" } ?? "Sensitivity (macro)"
        case .specificity: return positive.map { "Specificity (\($0))" } ?? "Specificity (macro)"
        case .macroF1: return "Macro F1"
        case .averagePrecision: return positive.map { "Average precision (\($0))" } ?? "Average precision (macro)"
        }
    }

    /// The short name for sentences ("recall +6.2 points").
    public var word: String {
        switch self {
        case .rocAUC: return "ROC-AUC"
        case .macroF1: return "macro F1"
        default: return rawValue.replacingOccurrences(of: "_", with: " ")
        }
    }
}
