import Foundation

/// A test statistic and its two-sided p-value, as SciPy reports them.
public struct TestResult: Equatable, Sendable {
    /// The test statistic: t for the paired t-test, min(r+, r-) for Wilcoxon.
    public var statistic: Double
    /// Degrees of freedom where the reference distribution has them (t-tests); nil for Wilcoxon.
    public var df: Double?
    /// Two-sided p-value.
    public var p: Double

    /// Creates a result from SciPy's three numbers.
    public init(statistic: Double, df: Double?, p: Double) {
        self.statistic = statistic
        self.df = df
        self.p = p
    }
}

/// Comparisons of two variants' repeated runs, where run i of each variant
/// used the same seed (paired) or not (Welch), computed as SciPy 1.11 does.
/// Where SciPy would answer NaN (too few values, unequal lengths, a NaN in
/// the input, a statistic that is 0/0) these answer nil, so that a report
/// prints "n/a" instead of carrying a NaN into sorting and Holm.
public enum PairedTests {
    /// scipy.stats.ttest_rel(a, b), two-sided, on the differences a - b:
    /// t = mean(d) / (sd(d) / sqrt(n)), df = n - 1.
    ///
    /// nil when the lengths differ, when there are fewer than 2 pairs, when
    /// a value is NaN, and when every difference is 0 (SciPy: t = 0/0 = NaN,
    /// p = NaN). When all differences are equal but not 0, the standard
    /// error is 0 and SciPy returns t = ±inf with p = 0; so does this.
    public static func pairedT(_ a: [Double], _ b: [Double]) -> TestResult? {
        guard let d = differences(a, b), d.count >= 2 else { return nil }
        let n = Double(d.count)
        let dm = Statistics.mean(d)
        let se = (variance(d, mean: dm) / n).squareRoot()
        let t = dm / se
        guard !t.isNaN else { return nil }
        let df = n - 1
        // stdtr(df, -|t|) * 2, as scipy's _ttest_finish; sf(inf) is 0.
        let p = min(1, 2 * StudentT.sf(abs(t), df: df))
        return TestResult(statistic: t, df: df, p: p)
    }

    /// The mean of the paired differences a - b and its `level` Student t
    /// interval with n - 1 degrees of freedom (ttest_rel(a, b).confidence_interval).
    /// nil when the lengths differ, for fewer than 2 pairs, a NaN value, or a
    /// level outside (0, 1). Equal differences give a zero-width interval,
    /// as in SciPy.
    public static func pairedDifference(_ a: [Double], _ b: [Double], level: Double = 0.95) -> (mean: Double, low: Double, high: Double)? {
        guard let d = differences(a, b), d.count >= 2, level > 0, level < 1 else { return nil }
        let n = Double(d.count)
        let dm = Statistics.mean(d)
        let se = (variance(d, mean: dm) / n).squareRoot()
        let q = StudentT.quantile(0.5 + level / 2, df: n - 1)
        return (dm, dm - q * se, dm + q * se)
    }

    /// mean(a) - mean(b) and its `level` Welch interval for unpaired samples,
    /// df by Welch–Satterthwaite (ttest_ind(a, b, equal_var=False).confidence_interval).
    /// nil when either sample has fewer than 2 values, a NaN value, or a
    /// level outside (0, 1). When both samples have zero variance df is 0/0;
    /// SciPy then uses df = 1 because the standard error is 0 anyway, and
    /// the interval is the single point mean(a) - mean(b); so is this.
    public static func welchDifference(_ a: [Double], _ b: [Double], level: Double = 0.95) -> (mean: Double, low: Double, high: Double)? {
        guard a.count >= 2, b.count >= 2, level > 0, level < 1,
              !a.contains(where: \.isNaN), !b.contains(where: \.isNaN) else { return nil }
        let ma = Statistics.mean(a), mb = Statistics.mean(b)
        let na = Double(a.count), nb = Double(b.count)
        let va = variance(a, mean: ma) / na, vb = variance(b, mean: mb) / nb
        var df = (va + vb) * (va + vb) / (va * va / (na - 1) + vb * vb / (nb - 1))
        if df.isNaN { df = 1 }
        let se = (va + vb).squareRoot()
        let diff = ma - mb
        let q = StudentT.quantile(0.5 + level / 2, df: df)
        return (diff, diff - q * se, diff + q * se)
    }

    // MARK: - Shared pieces

    /// a - b elementwise, nil for unequal lengths or a NaN (SciPy raises or propagates).
    static func differences(_ a: [Double], _ b: [Double]) -> [Double]? {
        guard a.count == b.count else { return nil }
        let d = zip(a, b).map { $0 - $1 }
        return d.contains(where: \.isNaN) ? nil : d
    }

    /// sum((x - mean)^2) / (n - 1), in numpy's var(ddof=1) order of operations.
    static func variance(_ x: [Double], mean m: Double) -> Double {
        x.reduce(0.0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
    }
}
