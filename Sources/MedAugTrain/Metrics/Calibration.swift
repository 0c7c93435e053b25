import Foundation

/// One bar of a reliability diagram: the samples whose confidence fell in
/// (lower, upper] (the first bin also takes 0), what they claimed on average,
/// and how often they were right.
public struct ReliabilityBin: Codable, Equatable, Sendable {
    /// The bin's left edge, as numpy.linspace(0, 1, bins + 1) gives it (0.30000000000000004, not 0.3).
    public var lower: Double
    /// The bin's right edge; a confidence equal to it belongs to this bin.
    public var upper: Double
    /// Samples in the bin (never 0: empty bins are left out).
    public var count: Int
    /// The mean confidence of those samples: sklearn's `prob_pred`.
    public var meanConfidence: Double
    /// The fraction of them whose outcome was true: sklearn's `prob_true`.
    public var observed: Double

    /// Memberwise, so that callers outside the module can build or decode bins.
    public init(lower: Double, upper: Double, count: Int, meanConfidence: Double, observed: Double) {
        self.lower = lower
        self.upper = upper
        self.count = count
        self.meanConfidence = meanConfidence
        self.observed = observed
    }
}

/// Whether predicted probabilities mean what they say, as
/// sklearn.calibration and sklearn.metrics.brier_score_loss measure it.
public enum Calibration {
    /// numpy.linspace(0, 1, bins + 1): i·(1/bins), the last edge exactly 1.
    static func edges(_ bins: Int) -> [Double] {
        let step = 1.0 / Double(bins)
        return (0...bins).map { $0 == bins ? 1.0 : Double($0) * step }
    }

    /// Equal-width bins on [0,1] as sklearn.calibration.calibration_curve(strategy="uniform") assigns them; empty bins omitted.
    /// sklearn 1.7.2 takes the bin as `np.searchsorted(bins[1:-1], p)` with the
    /// default side "left": the number of interior edges strictly below p. So
    /// the bins are closed on the right, (lower, upper], and the first is
    /// [0, 1/bins]: a confidence of exactly 0.5 counts in (0.4, 0.5], and 1.0 in
    /// the last bin. (Older sklearn used np.digitize on edges stretched by
    /// 1e-8, which put an edge value in the upper bin.) Confidences outside
    /// [0, 1], which sklearn refuses, land in the end bins.
    public static func reliability(confidences: [Double], outcomes: [Bool], bins: Int = 10) -> [ReliabilityBin] {
        precondition(confidences.count == outcomes.count, "confidences and outcomes differ in length")
        precondition(bins > 0, "bins must be positive")
        let e = edges(bins)
        var sums = [Double](repeating: 0, count: bins)
        var trues = [Double](repeating: 0, count: bins)
        var counts = [Int](repeating: 0, count: bins)
        for (p, outcome) in zip(confidences, outcomes) {
            var b = 0
            while b < bins - 1 && e[b + 1] < p { b += 1 }
            // Summed in input order, as np.bincount's weights are.
            sums[b] += p
            trues[b] += outcome ? 1 : 0
            counts[b] += 1
        }
        return (0..<bins).filter { counts[$0] > 0 }.map { b in
            ReliabilityBin(lower: e[b], upper: e[b + 1], count: counts[b],
                           meanConfidence: sums[b] / Double(counts[b]), observed: trues[b] / Double(counts[b]))
        }
    }

    /// expected calibration error: sum over bins of count/N * |observed - meanConfidence|
    /// (over the same bins as `reliability`; 0 for no samples).
    public static func expectedCalibrationError(confidences: [Double], outcomes: [Bool], bins: Int = 10) -> Double {
        let n = Double(confidences.count)
        guard n > 0 else { return 0 }
        return reliability(confidences: confidences, outcomes: outcomes, bins: bins).reduce(0) {
            $0 + Double($1.count) / n * abs($1.observed - $1.meanConfidence)
        }
    }

    /// sklearn 1.7.2 brier_score_loss, as its default scale_by_half="auto" makes it.
    ///
    /// sklearn always sums the squared error over a two-or-more-column
    /// one-hot matrix (a 1-d binary score becomes the columns [1-p, p]) and
    /// then halves the mean only when that matrix has fewer than 3 columns.
    /// So a binary score keeps the classic range [0, 1], mean (y - p)², while
    /// a 3+-class probability matrix gets the unhalved multi-class Brier,
    /// mean Σ_c (y_c - p_c)², range [0, 2]: binary and multi-class Briers are
    /// on different scales and should not be compared across tasks.
    ///
    /// - `positive: c`: binary, `brier_score_loss(truth == c, probabilities[:, c])`,
    ///   so halved, whatever the number of columns.
    /// - `positive: nil`: `brier_score_loss(truth, probabilities, labels: 0..<k)`
    ///   on the whole matrix: halved for k = 2, not for k >= 3.
    ///
    /// NaN for an empty truth (numpy's mean of nothing).
    public static func brier(probabilities: [[Double]], truth: [Int], positive: Int?) -> Double {
        precondition(probabilities.count == truth.count, "probabilities and truth differ in length")
        guard !truth.isEmpty else { return .nan }
        var total = 0.0
        if let c = positive {
            for (row, t) in zip(probabilities, truth) {
                let y = t == c ? 1.0 : 0.0, p = row[c]
                // The two columns sklearn builds, [1 - y, y] against [1 - p, p].
                let d0 = (1 - y) - (1 - p), d1 = y - p
                total += d0 * d0 + d1 * d1
            }
            return total / Double(truth.count) * 0.5
        }
        let k = probabilities[0].count
        for (row, t) in zip(probabilities, truth) {
            precondition(row.count == k, "probability rows differ in width")
            var s = 0.0
            for j in 0..<k {
                let d = (t == j ? 1.0 : 0.0) - row[j]
                s += d * d
            }
            total += s
        }
        let mean = total / Double(truth.count)
        return k < 3 ? mean * 0.5 : mean
    }
}
