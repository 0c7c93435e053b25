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
    public var seconds: Double

    public static let header = "variant,epochs,repeat,seed,train_size,accuracy,macro_precision,macro_recall,macro_f1,"
        + "positive_recall,positive_precision,positive_f1,seconds"

    public var csv: String {
        func f(_ v: Double?) -> String { v.map { String(format: "%.6f", $0) } ?? "" }
        return [CSV.field(variant), String(epochs), String(repeatIndex), String(seed), String(trainSize), f(accuracy),
                f(macroPrecision), f(macroRecall), f(macroF1), f(positiveRecall), f(positivePrecision), f(positiveF1),
                String(format: "%.1f", seconds)].joined(separator: ",")
    }

    /// The recall the study reports: the positive class's when there is one, else macro.
    public var recall: Double { positiveRecall ?? macroRecall }

    public static func sortKey(_ r: ResultRow, variants: [String]) -> (Int, Int, Int) {
        (variants.firstIndex(of: r.variant) ?? Int.max, r.epochs, r.repeatIndex)
    }

    public static func csv(_ rows: [ResultRow]) -> String {
        ([header] + rows.map(\.csv)).joined(separator: "\n") + "\n"
    }
}
