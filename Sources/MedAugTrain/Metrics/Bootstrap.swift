import Foundation
import MedAugCore

/// Percentile bootstrap intervals for metrics that have no analytic variance
/// (accuracy at a threshold, AP, Brier, macro averages).
public enum Bootstrap {
    /// Seeded stratified bootstrap: `replicates` resamples, each drawing with replacement within every true class
    /// as many indices as that class has (so class counts are kept); `statistic` gets the resampled indices and may
    /// return nil (skipped); the interval is the percentile interval (numpy.percentile linear, i.e. (1-level)/2 and
    /// (1+level)/2); nil if fewer than half the replicates give a value. Deterministic for a seed; independent of threads.
    ///
    /// Stratifying keeps every class in every resample, so per-class and
    /// macro metrics stay defined on small, imbalanced test sets. Replicate r
    /// draws from its own stream, Xoshiro256(seed, path: [r]), and classes are
    /// visited in increasing label order, so a replicate's indices depend only
    /// on (seed, r, truth) — never on how replicates are scheduled. Within a
    /// replicate the indices come class by class, each class's draws in the
    /// order drawn. nil also for no replicates or an empty truth.
    public static func percentileInterval(truth: [Int], replicates: Int, seed: UInt64, level: Double = 0.95,
                                          statistic: ([Int]) -> Double?) -> (low: Double, high: Double)? {
        percentileIntervals(truth: truth, replicates: replicates, seed: seed, level: level) { idx in
            statistic(idx).map { ["value": $0] } ?? [:]
        }["value"]
    }

    /// Several statistics of the same resamples at once: `statistics` gets a
    /// replicate's indices and returns a value per key (a key left out, or NaN,
    /// is skipped for that replicate). Each key's interval follows the rules of
    /// ``percentileInterval(truth:replicates:seed:level:statistic:)``, with the
    /// same resamples it would draw, so a caller computes what the statistics
    /// share (predictions, a confusion matrix) once per replicate.
    public static func percentileIntervals(truth: [Int], replicates: Int, seed: UInt64, level: Double = 0.95,
                                           statistics: ([Int]) -> [String: Double]) -> [String: (low: Double, high: Double)] {
        guard replicates > 0, !truth.isEmpty else { return [:] }
        let members = classMembers(truth)
        var values: [String: [Double]] = [:]
        for r in 0..<replicates {
            for (key, v) in statistics(resample(members, count: truth.count, seed: seed, replicate: r)) where !v.isNaN {
                values[key, default: []].append(v)
            }
        }
        var out: [String: (low: Double, high: Double)] = [:]
        for (key, var v) in values where v.count * 2 >= replicates {
            v.sort()
            out[key] = (percentile(sorted: v, fraction: (1 - level) / 2), percentile(sorted: v, fraction: (1 + level) / 2))
        }
        return out
    }

    /// The indices of replicate `replicate`: for each class (increasing
    /// label), as many draws with replacement from that class's indices as it has.
    static func resample(truth: [Int], seed: UInt64, replicate: Int) -> [Int] {
        resample(classMembers(truth), count: truth.count, seed: seed, replicate: replicate)
    }

    /// Each class's indices, in increasing label order.
    static func classMembers(_ truth: [Int]) -> [[Int]] {
        var members: [Int: [Int]] = [:]
        for (i, t) in truth.enumerated() { members[t, default: []].append(i) }
        return members.keys.sorted().map { members[$0]! }
    }

    static func resample(_ members: [[Int]], count: Int, seed: UInt64, replicate: Int) -> [Int] {
        var rng = Xoshiro256(seed: seed, path: [UInt64(replicate)])
        var out: [Int] = []
        out.reserveCapacity(count)
        for idx in members {
            for _ in 0..<idx.count { out.append(idx[rng.nextInt(below: idx.count)]) }
        }
        return out
    }

    /// numpy.quantile(a, fraction) (= numpy.percentile(a, 100·fraction)) with
    /// its default linear method on sorted values: position (n-1)·fraction,
    /// interpolated as numpy 1.23's _lerp does (from the lower neighbour below
    /// t = 0.5, from the upper one at and above it), so that the interval
    /// matches numpy to the last bit.
    static func percentile(sorted a: [Double], fraction: Double) -> Double {
        precondition(!a.isEmpty, "percentile of nothing")
        let position = Double(a.count - 1) * fraction
        let lo = min(max(Int(position.rounded(.down)), 0), a.count - 1)
        let hi = min(lo + 1, a.count - 1)
        let t = position - Double(lo)
        let below = a[lo], above = a[hi]
        let diff = above - below
        return t >= 0.5 ? above - diff * (1 - t) : below + diff * t
    }
}
