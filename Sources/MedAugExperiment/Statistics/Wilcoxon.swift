import Foundation

// The Wilcoxon signed-rank test lives apart from the t-based comparisons
// because it carries its own ranking and exact null distribution.
extension PairedTests {
    /// scipy.stats.wilcoxon(a, b) with SciPy 1.11's defaults:
    /// zero_method="wilcox", correction=False, alternative="two-sided",
    /// method="auto". The statistic is min(r+, r-), as SciPy reports for the
    /// two-sided test.
    ///
    /// SciPy 1.11's rules, reproduced here (including their quirks, so that
    /// a report agrees with anyone re-running SciPy on the same numbers):
    /// - "auto" picks the exact distribution when n <= 50, n counting all
    ///   pairs (zeros included), else the normal approximation.
    /// - Any zero difference switches the exact path to the approximation;
    ///   the approximation then drops the zeros ("wilcox") and n becomes the
    ///   number of non-zero differences.
    /// - Tied |d| do *not* leave the exact path: ranks are averaged, r+ can
    ///   be a half-integer, and SciPy looks it up as int(r+), i.e. rounded
    ///   down. The reported statistic keeps the half.
    /// - The approximation uses z = (T - n(n+1)/4) / se with
    ///   se² = (n(n+1)(2n+1) - ½ Σ t(t² - 1)) / 24 over tie groups of size t,
    ///   no continuity correction, and p = 2·(1 - Φ(|z|)).
    /// - Exact p = 2·min(P(R+ <= r+), P(R+ >= r+)), capped at 1.
    ///
    /// nil when the lengths differ, the input is empty, a difference is NaN,
    /// or no difference is non-zero (SciPy raises ValueError for all zeros).
    public static func wilcoxon(_ a: [Double], _ b: [Double]) -> TestResult? {
        guard let all = differences(a, b), !all.isEmpty else { return nil }
        let exact = all.count <= 50 && !all.contains(0)
        // The exact path has no zeros to drop; the approximation drops them.
        let d = all.filter { $0 != 0 }
        guard !d.isEmpty else { return nil }
        let (ranks, tieSizes) = averageRanks(d.map(abs))
        var rPlus = 0.0, rMinus = 0.0
        for (x, r) in zip(d, ranks) {
            if x > 0 { rPlus += r } else { rMinus += r }
        }
        let statistic = min(rPlus, rMinus)
        let n = Double(d.count)
        if exact {
            return TestResult(statistic: statistic, df: nil, p: exactP(n: d.count, rPlus: Int(rPlus.rounded(.down))))
        }
        let mn = n * (n + 1) * 0.25
        var se = n * (n + 1) * (2 * n + 1)
        se -= 0.5 * tieSizes.reduce(0.0) { $0 + Double($1) * (Double($1) * Double($1) - 1) }
        se = (se / 24).squareRoot()
        let z = (statistic - mn) / se
        // 2 * norm.sf(|z|) = erfc(|z| / sqrt 2), without the cancellation of 1 - Φ.
        let p = min(1, erfc(abs(z) / 2.0.squareRoot()))
        return TestResult(statistic: statistic, df: nil, p: p)
    }

    /// scipy.stats.rankdata(method="average") of `x` (ties by exact equality),
    /// and the sizes of the tie groups larger than 1 (scipy's find_repeats on
    /// the ranks: equal values and only equal values share an average rank).
    static func averageRanks(_ x: [Double]) -> (ranks: [Double], tieSizes: [Int]) {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var ranks = [Double](repeating: 0, count: x.count)
        var ties: [Int] = []
        var i = 0
        while i < order.count {
            var j = i + 1
            while j < order.count, x[order[j]] == x[order[i]] { j += 1 }
            // Positions i..<j hold ranks i+1 ... j; each gets their average.
            let r = Double(i + 1 + j) / 2
            for k in i..<j { ranks[order[k]] = r }
            if j - i > 1 { ties.append(j - i) }
            i = j
        }
        return (ranks, ties)
    }

    /// Two-sided exact p of the signed-rank sum r+ among n non-zero differences.
    ///
    /// The null distribution counts the subsets of {1, ..., n} by their sum
    /// (each rank positive or negative with probability ½). Counts stay below
    /// 2^50 for n <= 50, so the tail sums are exact integers and dividing by
    /// 2^n gives the same doubles as SciPy's halving recursion.
    static func exactP(n: Int, rPlus: Int) -> Double {
        let total = n * (n + 1) / 2
        var counts = [UInt64](repeating: 0, count: total + 1)
        counts[0] = 1
        var reach = 0
        for k in 1...n {
            reach += k
            // Downwards so that each rank joins a subset at most once.
            for s in stride(from: reach, through: k, by: -1) { counts[s] &+= counts[s - k] }
        }
        let r = max(0, min(total, rPlus))
        // SciPy answers exactly 1 at the centre (total / 2 rounded down).
        if r == total / 2 { return 1 }
        let less = counts[0...r].reduce(0, &+)
        let greater = counts[r...total].reduce(0, &+)
        let scale = 1 / pow(2.0, Double(n))
        return min(1, 2 * Double(min(less, greater)) * scale)
    }
}
