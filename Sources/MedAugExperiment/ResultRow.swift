import Foundation
import MedAugCore
import MedAugTrain

/// One row of results.csv: a variant, trained for some epochs, in one repeat.
public struct ResultRow: Codable, Equatable, Sendable {
    public var variant: String
    public var epochs: Int
    public var repeatIndex: Int
    public var seed: UInt64
    public var trainSize: Int
    public var accuracy: Double
    public var macroPrecision: Double
    public var macroRecall: Double
    public var macroF1: Double
    public var positiveRecall: Double?
    public var positivePrecision: Double?
    public var positiveF1: Double?
    /// The class the positive figures (recall, and ROC-AUC, average
    /// precision, sensitivity, specificity when set) are of; nil: those are macro averages.
    public var positiveClass: String?
    /// The figures medical papers report (nil in rows written before MedAug computed them).
    public var rocAUC: Double?
    public var averagePrecision: Double?
    public var balancedAccuracy: Double?
    /// The positive class's (two classes), else the macro average over classes.
    public var sensitivity: Double?
    public var specificity: Double?
    public var brier: Double?
    public var ece: Double?
    /// Test images scored: bounds how finely a proportion can vary.
    public var testSize: Int?
    /// 1-based cross-validation fold; nil without folds.
    public var fold: Int?
    public var seconds: Double

    public static let header = "variant,epochs,repeat,seed,train_size,accuracy,macro_precision,macro_recall,macro_f1,"
        + "positive_recall,positive_precision,positive_f1,roc_auc,average_precision,balanced_accuracy,sensitivity,specificity,"
        + "brier,ece,test_size,fold,seconds"

    public var csv: String {
        func f(_ v: Double?) -> String { v.map { String(format: "%.6f", $0) } ?? "" }
        return [CSV.field(variant), String(epochs), String(repeatIndex), String(seed), String(trainSize), f(accuracy),
                f(macroPrecision), f(macroRecall), f(macroF1), f(positiveRecall), f(positivePrecision), f(positiveF1),
                f(rocAUC), f(averagePrecision), f(balancedAccuracy), f(sensitivity), f(specificity), f(brier), f(ece),
                testSize.map(String.init) ?? "", fold.map(String.init) ?? "",
                String(format: "%.1f", seconds)].joined(separator: ",")
    }

    /// The cell a row comes from (with its epochs and variant): repeat and fold.
    public var cellKey: String { "\(repeatIndex)/\(fold ?? 0)" }

    /// The recall the study reports: the positive class's when there is one, else macro.
    public var recall: Double { positiveRecall ?? macroRecall }

    public static func sortKey(_ r: ResultRow, variants: [String]) -> (Int, Int, Int, Int) {
        (variants.firstIndex(of: r.variant) ?? Int.max, r.epochs, r.repeatIndex, r.fold ?? 0)
    }

    public static func csv(_ rows: [ResultRow]) -> String {
        ([header] + rows.map(\.csv)).joined(separator: "\n") + "\n"
    }
}
