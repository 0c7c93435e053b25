import Foundation

/// A receiver operating characteristic curve as scikit-learn's `roc_curve`
/// returns it: thresholds decreasing, the first one +∞ so that the curve
/// starts at (0, 0).
public struct ROCCurve: Codable, Equatable, Sendable {
    /// False positive rate at each threshold (all NaN when there is no negative, as sklearn).
    public var fpr: [Double]
    /// True positive rate at each threshold (all NaN when there is no positive, as sklearn).
    public var tpr: [Double]
    /// Decreasing; a sample is called positive when its score is >= the threshold.
    public var thresholds: [Double]

    /// Memberwise, so that callers outside the module can build or decode curves.
    public init(fpr: [Double], tpr: [Double], thresholds: [Double]) {
        self.fpr = fpr
        self.tpr = tpr
        self.thresholds = thresholds
    }
}

/// A precision-recall curve as scikit-learn's `precision_recall_curve`
/// returns it: thresholds increasing, and one more precision/recall pair than
/// thresholds, the final (precision 1, recall 0) point having no threshold.
public struct PRCurve: Codable, Equatable, Sendable {
    /// Precision at each threshold, then 1.
    public var precision: [Double]
    /// Recall at each threshold (decreasing), then 0; all 1 when there is no positive, as sklearn.
    public var recall: [Double]
    /// Increasing: the distinct scores.
    public var thresholds: [Double]

    /// Memberwise, so that callers outside the module can build or decode curves.
    public init(precision: [Double], recall: [Double], thresholds: [Double]) {
        self.precision = precision
        self.recall = recall
        self.thresholds = thresholds
    }
}

/// Threshold-free metrics of a score against a binary truth, computed as
/// scikit-learn 1.7.2 computes them (same curve points, same integration
/// rules), so that numbers in a MedAug report can be checked against a
/// Python re-analysis of the saved predictions. Scores must be finite
/// (sklearn refuses NaN and ±∞ too; a diverged model's NaN outputs stop here
/// rather than silently ranking last).
public enum RankingMetrics {
    /// sklearn's `_binary_clf_curve`: for each distinct score, highest first,
    /// the false and true positives among the samples scoring at least that much.
    static func binaryCurve(scores: [Double], positive: [Bool]) -> (fps: [Double], tps: [Double], thresholds: [Double]) {
        precondition(scores.count == positive.count, "scores and truth differ in length")
        precondition(scores.allSatisfy(\.isFinite), "scores must be finite (sklearn refuses NaN and infinity too)")
        // Only the boundaries between distinct scores matter, so the order
        // within ties (sklearn uses a reversed mergesort) cannot show.
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var fps: [Double] = [], tps: [Double] = [], thresholds: [Double] = []
        var tp = 0
        for (rank, i) in order.enumerated() {
            if positive[i] { tp += 1 }
            let last = rank == order.count - 1
            if last || scores[order[rank + 1]] != scores[i] {
                tps.append(Double(tp))
                fps.append(Double(rank + 1 - tp))
                thresholds.append(scores[i])
            }
        }
        return (fps, tps, thresholds)
    }

    /// sklearn roc_curve(y, score, drop_intermediate:); thresholds[0] = +inf as sklearn >= 1.3.
    /// Dropping keeps every corner of the curve (the AUC is unchanged) and
    /// removes collinear points in between.
    public static func rocCurve(scores: [Double], positive: [Bool], dropIntermediate: Bool = true) -> ROCCurve {
        var (fps, tps, thresholds) = binaryCurve(scores: scores, positive: positive)
        if dropIntermediate && fps.count > 2 {
            // np.diff(_, 2) != 0 in either coordinate marks a corner; the ends are kept.
            var keep = [0]
            for i in 1..<(fps.count - 1) {
                let d2f = (fps[i + 1] - fps[i]) - (fps[i] - fps[i - 1])
                let d2t = (tps[i + 1] - tps[i]) - (tps[i] - tps[i - 1])
                if d2f != 0 || d2t != 0 { keep.append(i) }
            }
            keep.append(fps.count - 1)
            fps = keep.map { fps[$0] }
            tps = keep.map { tps[$0] }
            thresholds = keep.map { thresholds[$0] }
        }
        fps.insert(0, at: 0)
        tps.insert(0, at: 0)
        thresholds.insert(.infinity, at: 0)
        let negatives = fps.last!, positives = tps.last!
        let fpr = negatives > 0 ? fps.map { $0 / negatives } : fps.map { _ in .nan }
        let tpr = positives > 0 ? tps.map { $0 / positives } : tps.map { _ in .nan }
        return ROCCurve(fpr: fpr, tpr: tpr, thresholds: thresholds)
    }

    /// sklearn roc_auc_score binary; nil when only one class is present in `positive`
    /// (sklearn warns and returns NaN). The trapezoid area under the dropped
    /// curve, as sklearn integrates it; ties across classes count one half.
    public static func rocAUC(scores: [Double], positive: [Bool]) -> Double? {
        let p = positive.filter { $0 }.count
        guard p > 0, p < positive.count else { return nil }
        let roc = rocCurve(scores: scores, positive: positive, dropIntermediate: true)
        return trapezoid(x: roc.fpr, y: roc.tpr)
    }

    /// numpy.trapezoid's sum of (x[i+1] - x[i]) * (y[i+1] + y[i]) / 2.
    static func trapezoid(x: [Double], y: [Double]) -> Double {
        var area = 0.0
        for i in 0..<max(x.count - 1, 0) {
            area += (x[i + 1] - x[i]) * (y[i + 1] + y[i]) / 2.0
        }
        return area
    }

    /// sklearn precision_recall_curve(y, score) (drop_intermediate False).
    /// With no positive sklearn warns and sets recall to 1 everywhere; so does this.
    public static func precisionRecallCurve(scores: [Double], positive: [Bool]) -> PRCurve {
        let (fps, tps, thresholds) = binaryCurve(scores: scores, positive: positive)
        let precision = zip(tps, fps).map { tp, fp in tp + fp != 0 ? tp / (tp + fp) : 0 }
        let positives = tps.last ?? 0
        let recall = positives == 0 ? tps.map { _ in 1.0 } : tps.map { $0 / positives }
        return PRCurve(precision: precision.reversed() + [1], recall: recall.reversed() + [0], thresholds: thresholds.reversed())
    }

    /// sklearn average_precision_score binary; nil when there is no positive
    /// (sklearn would return 0 with a warning, which would read as a real,
    /// terrible score). The step-function sum Σ (R_n - R_{n-1}) P_n, no
    /// interpolation, as sklearn.
    public static func averagePrecision(scores: [Double], positive: [Bool]) -> Double? {
        guard positive.contains(true) else { return nil }
        let pr = precisionRecallCurve(scores: scores, positive: positive)
        var sum = 0.0
        for i in 0..<(pr.recall.count - 1) {
            sum += (pr.recall[i + 1] - pr.recall[i]) * pr.precision[i]
        }
        // -0.0 from rounding is clipped, as sklearn does.
        return max(0.0, -sum)
    }

    /// Column `c` of the probability rows, and truth == c.
    static func oneVsRest(_ probabilities: [[Double]], _ truth: [Int], _ c: Int) -> (scores: [Double], positive: [Bool]) {
        (probabilities.map { $0[c] }, truth.map { $0 == c })
    }

    /// The number of classes, from the rows' width.
    static func classCount(_ probabilities: [[Double]], _ truth: [Int]) -> Int {
        precondition(probabilities.count == truth.count, "probabilities and truth differ in length")
        let k = probabilities.first?.count ?? 0
        precondition(probabilities.allSatisfy { $0.count == k }, "probability rows differ in width")
        return k
    }

    /// one-vs-rest per class, column c of probabilities against truth == c (nil for a class absent from truth or with no negatives)
    public static func perClassROCAUC(probabilities: [[Double]], truth: [Int]) -> [Double?] {
        let k = classCount(probabilities, truth)
        return (0..<k).map { c in
            let (s, y) = oneVsRest(probabilities, truth, c)
            return rocAUC(scores: s, positive: y)
        }
    }

    /// One-vs-rest per class, column c against truth == c; nil only for a class
    /// absent from truth (a class that is all of the truth has an AP of 1,
    /// unlike its AUC, which needs negatives).
    public static func perClassAveragePrecision(probabilities: [[Double]], truth: [Int]) -> [Double?] {
        let k = classCount(probabilities, truth)
        return (0..<k).map { c in
            let (s, y) = oneVsRest(probabilities, truth, c)
            return averagePrecision(scores: s, positive: y)
        }
    }

    /// sklearn roc_auc_score(multi_class="ovr", average="macro") — mean of the defined per-class values.
    /// Equal to sklearn whenever every class occurs in the truth; sklearn
    /// refuses the case where one does not (the column count no longer matches
    /// the classes it sees), which a small test set or a bootstrap resample
    /// can hit, so such a class is left out of the mean here. nil when no class
    /// has both positives and negatives.
    public static func macroROCAUC(probabilities: [[Double]], truth: [Int]) -> Double? {
        mean(perClassROCAUC(probabilities: probabilities, truth: truth))
    }

    /// sklearn average_precision_score(label_binarize(truth, classes: 0..<k), probabilities, average="macro").
    /// Equal to sklearn whenever every class occurs in the truth. A class
    /// absent from the truth is left out of the mean, as in `macroROCAUC`;
    /// sklearn would count it as an AP of 0 (its no-positive convention) and
    /// drag the mean down for a class that simply was not sampled. With two
    /// columns this is the mean of both one-vs-rest APs (sklearn's binary
    /// path would refuse a two-column score).
    public static func macroAveragePrecision(probabilities: [[Double]], truth: [Int]) -> Double? {
        mean(perClassAveragePrecision(probabilities: probabilities, truth: truth))
    }

    /// The mean of the non-nil values; nil when there are none.
    static func mean(_ values: [Double?]) -> Double? {
        let defined = values.compactMap { $0 }
        guard !defined.isEmpty else { return nil }
        return defined.reduce(0, +) / Double(defined.count)
    }
}
