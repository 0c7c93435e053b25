import Foundation

/// The DeLong (1988) variance of an empirical ROC AUC, and an interval from
/// it: the usual analytic interval for an AUC in the medical literature,
/// needing no resampling.
public enum DeLong {
    /// Midranks (1-based, ties share the mean of their positions), as
    /// scipy.stats.rankdata's default "average" method gives them.
    static func midranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i + 1
            while j < order.count && values[order[j]] == values[order[i]] { j += 1 }
            // positions i+1 ... j, mean (i + 1 + j) / 2
            let r = Double(i + 1 + j) / 2
            for t in i..<j { ranks[order[t]] = r }
            i = j
        }
        return ranks
    }

    /// Variance with n - 1 in the denominator (numpy's ddof=1), as the DeLong covariance uses.
    static func sampleVariance(_ v: [Double]) -> Double {
        let mean = v.reduce(0, +) / Double(v.count)
        return v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)
    }

    /// AUC and its DeLong variance (Sun & Xu 2014 fast algorithm, midranks for ties); nil when a class is missing.
    /// Also nil when a class has a single sample: its placement values then
    /// have no sample variance (numpy's ddof=1 gives NaN), so no interval can be stated.
    ///
    /// Sun & Xu, "Fast Implementation of DeLong's Algorithm for Comparing the
    /// Areas Under Correlated ROC Curves", IEEE Signal Processing Letters 21
    /// (2014) 1389–1393: three rankings replace DeLong's m·n comparisons. The
    /// AUC is the Mann–Whitney statistic (a tie between classes counts one
    /// half), which is the area sklearn's trapezoids give.
    public static func aucVariance(scores: [Double], positive: [Bool]) -> (auc: Double, variance: Double)? {
        precondition(scores.count == positive.count, "scores and truth differ in length")
        let x = zip(scores, positive).filter { $0.1 }.map(\.0)
        let y = zip(scores, positive).filter { !$0.1 }.map(\.0)
        let m = x.count, n = y.count
        guard m >= 2, n >= 2 else { return nil }
        let tx = midranks(x), ty = midranks(y), tz = midranks(x + y)
        let md = Double(m), nd = Double(n)
        let auc = (tz[..<m].reduce(0, +) - md * (md + 1) / 2) / (md * nd)
        // Placement values: each positive's share of negatives below it, and
        // each negative's share of positives above it.
        let v10 = (0..<m).map { (tz[$0] - tx[$0]) / nd }
        let v01 = (0..<n).map { 1 - (tz[m + $0] - ty[$0]) / md }
        return (auc, sampleVariance(v10) / md + sampleVariance(v01) / nd)
    }

    /// level (0.95) interval computed on the logit scale, logit(auc) ± z·sqrt(var)/(auc(1-auc)), transformed back,
    /// so it never leaves [0,1]; an AUC of exactly 0 or 1 (variance 0) gives [auc, auc].
    /// The symmetric interval auc ± z·se overshoots 1 for the high AUCs medical
    /// models reach on small test sets; the delta method on the logit does not.
    public static func interval(scores: [Double], positive: [Bool], level: Double = 0.95) -> (low: Double, high: Double)? {
        guard let (auc, variance) = aucVariance(scores: scores, positive: positive) else { return nil }
        if auc <= 0 || auc >= 1 { return (auc, auc) }
        let z = NormalDistribution.quantile((1 + level) / 2)
        let half = z * variance.squareRoot() / (auc * (1 - auc))
        let centre = log(auc / (1 - auc))
        func expit(_ t: Double) -> Double { 1 / (1 + exp(-t)) }
        return (expit(centre - half), expit(centre + half))
    }
}
