import Foundation

/// Intervals for quantities that live in a bounded range (accuracies and
/// other proportions), where the plain t interval of a few repeats can run
/// past 0 or 1 and print an impossible "101.3 %".
public enum BoundedInterval {
    /// The `level` interval of the mean of proportions in [0, 1], one per
    /// repeat: Student's t interval (n - 1 df) of the values' logits, mapped
    /// back with the logistic function, so it never leaves [0, 1].
    ///
    /// The logit of 0 or 1 is infinite, so values of exactly 0 or 1 are first
    /// moved in by half a case, (x·n + 0.5) / (n + 1) with n = `cases` (the
    /// test-set size) when it is given; without it they move in by 1e-4
    /// (to 1e-4 and 1 - 1e-4), which makes the interval very wide on the side
    /// of the perfect run, as it should be with nothing known about n.
    ///
    /// The interval is centred (on the logit scale) on the back-transformed
    /// mean logit, not on the plain mean of the proportions; a report that
    /// prints the plain mean beside it shows a mean that sits off-centre in
    /// the interval when repeats spread widely, which is the point: the
    /// uncertainty really is lopsided near 0 and 1.
    ///
    /// nil for fewer than 2 values, a value outside [0, 1] or NaN, `cases`
    /// below 1, or a level outside (0, 1). Equal values give a zero-width
    /// interval at (about) that value.
    public static func proportionMean(_ x: [Double], cases: Int?, level: Double = 0.95) -> (low: Double, high: Double)? {
        guard x.count >= 2, level > 0, level < 1,
              x.allSatisfy({ $0 >= 0 && $0 <= 1 }) else { return nil }
        if let cases, cases < 1 { return nil }
        let moved = x.map { v -> Double in
            guard v == 0 || v == 1 else { return v }
            if let cases { return (v * Double(cases) + 0.5) / Double(cases + 1) }
            return v == 0 ? 1e-4 : 1 - 1e-4
        }
        let z = moved.map { log($0 / (1 - $0)) }
        let n = Double(z.count)
        let m = Statistics.mean(z)
        let se = PairedTests.variance(z, mean: m).squareRoot() / n.squareRoot()
        let q = StudentT.quantile(0.5 + level / 2, df: n - 1)
        return (expit(m - q * se), expit(m + q * se))
    }

    /// A difference of two proportions' means lies in [-1, 1]; this clamps
    /// the t interval's ends to that range and leaves the mean alone. It only
    /// bites when the repeats disagree wildly (few repeats, large spread),
    /// where the t interval's tails are not to be trusted anyway; a clamped
    /// end should be read as "at least this uncertain". NaN ends stay NaN.
    public static func clampDifference(_ i: (mean: Double, low: Double, high: Double)) -> (mean: Double, low: Double, high: Double) {
        func clamp(_ v: Double) -> Double { v.isNaN ? v : min(1, max(-1, v)) }
        return (i.mean, clamp(i.low), clamp(i.high))
    }

    /// 1 / (1 + e^-x), written so that neither side overflows (scipy.special.expit).
    static func expit(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + exp(-x)) }
        let e = exp(x)
        return e / (1 + e)
    }
}
