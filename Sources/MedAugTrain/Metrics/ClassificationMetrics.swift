import Foundation
import MedAugCore

/// Classification metrics computed as scikit-learn computes them
/// (`precision_recall_fscore_support`, `confusion_matrix`,
/// `classification_report` with its default zero_division, which reports 0
/// for a class that is never predicted).
public struct ClassificationMetrics: Codable, Equatable, Sendable {
    public struct PerClass: Codable, Equatable, Sendable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var support: Int
    }

    public struct Average: Codable, Equatable, Sendable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var support: Int
    }

    public var classes: [String]
    public var accuracy: Double
    public var perClass: [PerClass]
    public var macro: Average
    public var weighted: Average
    /// Rows are true classes, columns predicted classes, both in `classes` order.
    public var confusion: [[Int]]

    public init(truth: [Int], predicted: [Int], classes: [String]) {
        precondition(truth.count == predicted.count, "truth and predictions differ in length")
        let k = classes.count
        var cm = Array(repeating: Array(repeating: 0, count: k), count: k)
        for (t, p) in zip(truth, predicted) { cm[t][p] += 1 }
        var rows: [PerClass] = []
        for c in 0..<k {
            let tp = Double(cm[c][c])
            let predictedC = Double((0..<k).reduce(0) { $0 + cm[$1][c] })
            let support = cm[c].reduce(0, +)
            let precision = predictedC > 0 ? tp / predictedC : 0
            let recall = support > 0 ? tp / Double(support) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            rows.append(PerClass(precision: precision, recall: recall, f1: f1, support: support))
        }
        let total = truth.count
        let correct = (0..<k).reduce(0) { $0 + cm[$1][$1] }
        self.classes = classes
        self.accuracy = total > 0 ? Double(correct) / Double(total) : 0
        self.perClass = rows
        self.confusion = cm
        let n = Double(max(k, 1))
        macro = Average(precision: rows.map(\.precision).reduce(0, +) / n,
                        recall: rows.map(\.recall).reduce(0, +) / n,
                        f1: rows.map(\.f1).reduce(0, +) / n, support: total)
        let w = Double(total)
        func weightedMean(_ f: (PerClass) -> Double) -> Double {
            total > 0 ? rows.reduce(0) { $0 + f($1) * Double($1.support) } / w : 0
        }
        weighted = Average(precision: weightedMean(\.precision), recall: weightedMean(\.recall),
                           f1: weightedMean(\.f1), support: total)
    }

    public func index(of className: String) -> Int? { classes.firstIndex(of: className) }

    /// scikit-learn's `classification_report(..., digits=2)` text, byte for byte.
    public func report(digits: Int = 2) -> String {
        let lastHeading = "weighted avg"
        // Python pads by code points, so widths count Unicode scalars.
        let width = max(classes.map { $0.unicodeScalars.count }.max() ?? 0, lastHeading.count, digits)
        func right(_ s: String, _ w: Int) -> String {
            s.unicodeScalars.count >= w ? s : String(repeating: " ", count: w - s.unicodeScalars.count) + s
        }
        func num(_ v: Double) -> String { right(String(format: "%.\(digits)f", v), 9) }
        var out = right("", width) + " " + ["precision", "recall", "f1-score", "support"].map { " " + right($0, 9) }.joined()
        out += "\n\n"
        for (name, r) in zip(classes, perClass) {
            out += right(name, width) + " " + " " + num(r.precision) + " " + num(r.recall) + " " + num(r.f1) + " " + right(String(r.support), 9) + "\n"
        }
        out += "\n"
        out += right("accuracy", width) + " " + " " + right("", 9) + " " + right("", 9) + " " + num(accuracy) + " " + right(String(macro.support), 9) + "\n"
        for (heading, a) in [("macro avg", macro), ("weighted avg", weighted)] {
            out += right(heading, width) + " " + " " + num(a.precision) + " " + num(a.recall) + " " + num(a.f1) + " " + right(String(a.support), 9) + "\n"
        }
        return out
    }

    /// The confusion matrix as CSV: a header of predicted classes, one row per true class.
    public func confusionCSV() -> String {
        var out = "true\\predicted," + classes.map(CSV.field).joined(separator: ",") + "\n"
        for (name, row) in zip(classes, confusion) {
            out += CSV.field(name) + "," + row.map(String.init).joined(separator: ",") + "\n"
        }
        return out
    }
}
