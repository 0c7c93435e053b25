import Foundation

/// One variant's figure over its repeats (and folds).
public struct MetricSummary: Sendable {
    public var variant: String
    public var epochs: Int
    public var metric: ComparedMetric
    public var values: [Double]
    public var mean: Double
    public var sd: Double
    /// Logit-scale t interval of the mean; nil below ``Comparisons/minimumRepeats`` values.
    public var interval: (low: Double, high: Double)?
}

/// A variant against the original at one epoch count, on one metric.
public struct Comparison: Sendable {
    public var variant: String
    public var epochs: Int
    public var metric: ComparedMetric
    /// Repeats paired (paired) or the smaller of the two repeat counts (unpaired).
    public var n: Int
    /// Repeats of the two share seeds (and folds), so they are compared repeat by repeat.
    public var paired: Bool
    /// Mean of variant - original, as a proportion (×100 for points).
    public var difference: Double
    /// Its interval: paired t (or Welch) interval, clamped to [-1, 1]; nil below the minimum.
    public var interval: (low: Double, high: Double)?
    /// Paired t-test (paired) or Welch's test (unpaired); nil below the minimum.
    public var p: Double?
    /// Holm's adjustment of `p` across the variants compared with the original.
    public var adjustedP: Double?
    /// Wilcoxon signed-rank test (paired only).
    public var wilcoxonP: Double?
    public var adjustedWilcoxonP: Double?

    /// The test behind `p`.
    public var testName: String { paired ? "paired t-test" : "Welch's t-test" }
}

/// The statistics of an experiment's results: per-variant summaries and
/// comparisons with the original, honest at small n.
public struct Comparisons: Sendable {
    /// Below this many repeats (pairs) no interval or p-value is given: with
    /// two, Student's t quantile is 12.7 and the interval says nothing.
    public static let minimumRepeats = 3
    /// The significance level the plain statements use (after Holm).
    public static let alpha = 0.05

    public var summaries: [MetricSummary] = []
    public var comparisons: [Comparison] = []
    public var original: String?
    /// Whose figures "recall", "ROC-AUC" and the rest are: the rows' positive class, else macro averages.
    public var positive: String?
    /// How many variants are compared with the original (Holm's m).
    public var comparedVariants: Int = 0

    /// Computes everything for the configured metrics at every epoch count.
    public init(rows: [ResultRow], config: ExperimentConfig) {
        original = config.variants.first(where: \.isOriginal)?.name
        // Rows written before they named their class fall back on the config's.
        positive = rows.lazy.compactMap(\.positiveClass).first ?? (rows.contains { $0.rocAUC != nil } ? nil : config.positive)
        let metrics = config.comparedMetrics
        comparedVariants = config.variants.filter { v in v.name != original && rows.contains { $0.variant == v.name } }.count
        for e in config.epochs {
            for m in metrics {
                for v in config.variants {
                    let rs = rows.filter { $0.variant == v.name && $0.epochs == e }
                    let x = Self.perRepeat(rs, m).sorted { $0.key < $1.key }.map(\.value)
                    guard !x.isEmpty else { continue }
                    let cases = rs.compactMap(\.testSize).min()
                    let mean = Statistics.mean(x), sd = Statistics.sd(x)
                    var interval = x.count >= Self.minimumRepeats ? BoundedInterval.proportionMean(x, cases: cases) : nil
                    // Repeats that all agree leave no spread to estimate, and the
                    // logit centre can sit beside the plain mean: the interval
                    // shown always holds the mean it stands beside.
                    if sd == 0 { interval = interval.map { _ in (mean, mean) } }
                    interval = interval.map { (min($0.low, mean), max($0.high, mean)) }
                    summaries.append(MetricSummary(variant: v.name, epochs: e, metric: m, values: x, mean: mean, sd: sd, interval: interval))
                }
                guard let original else { continue }
                let base = Self.perRepeat(rows.filter { $0.variant == original && $0.epochs == e }, m)
                var found: [Comparison] = []
                for v in config.variants where v.name != original {
                    let mine = Self.perRepeat(rows.filter { $0.variant == v.name && $0.epochs == e }, m)
                    guard !mine.isEmpty, !base.isEmpty else { continue }
                    found.append(Self.compare(variant: v.name, epochs: e, metric: m, mine: mine, base: base))
                }
                let adjusted = Holm.adjust(found.map(\.p))
                let adjustedW = Holm.adjust(found.map(\.wilcoxonP))
                for i in found.indices {
                    found[i].adjustedP = adjusted[i]
                    found[i].adjustedWilcoxonP = adjustedW[i]
                }
                comparisons += found
            }
        }
    }

    /// Each repeat's value, the mean over its folds when there are folds:
    /// the folds of a repeat share most of their training images, so they
    /// are not independent, and testing them as if they were would make
    /// p-values too small. The repeat is the unit of every statistic.
    static func perRepeat(_ rows: [ResultRow], _ m: ComparedMetric) -> [Int: Double] {
        var sums: [Int: (Double, Int)] = [:]
        for r in rows {
            guard let v = m.value(r) else { continue }
            let s = sums[r.repeatIndex] ?? (0, 0)
            sums[r.repeatIndex] = (s.0 + v, s.1 + 1)
        }
        return sums.mapValues { $0.0 / Double($0.1) }
    }

    /// Paired by repeat when both sides hold the same repeats, else unpaired.
    static func compare(variant: String, epochs: Int, metric: ComparedMetric, mine: [Int: Double], base: [Int: Double]) -> Comparison {
        let keys = mine.keys.sorted()
        let paired = Set(mine.keys) == Set(base.keys)
        if paired {
            let a = keys.map { mine[$0]! }, b = keys.map { base[$0]! }
            var c = Comparison(variant: variant, epochs: epochs, metric: metric, n: a.count, paired: true,
                               difference: Statistics.mean(zip(a, b).map { $0 - $1 }))
            if a.count >= minimumRepeats {
                if let d = PairedTests.pairedDifference(a, b) {
                    let clamped = BoundedInterval.clampDifference(d)
                    c.interval = (clamped.low, clamped.high)
                }
                c.p = PairedTests.pairedT(a, b)?.p
                c.wilcoxonP = PairedTests.wilcoxon(a, b)?.p
            }
            return c
        }
        let a = mine.sorted { $0.key < $1.key }.map(\.value), b = base.sorted { $0.key < $1.key }.map(\.value)
        var c = Comparison(variant: variant, epochs: epochs, metric: metric, n: min(a.count, b.count), paired: false,
                           difference: Statistics.mean(a) - Statistics.mean(b))
        if min(a.count, b.count) >= minimumRepeats {
            if let d = PairedTests.welchDifference(a, b) {
                let clamped = BoundedInterval.clampDifference(d)
                c.interval = (clamped.low, clamped.high)
            }
            let w = Statistics.welch(a, b)
            c.p = w.p.isFinite ? w.p : nil
        }
        return c
    }

    /// The summary of one variant's metric.
    public func summary(_ variant: String, _ epochs: Int, _ metric: ComparedMetric) -> MetricSummary? {
        summaries.first { $0.variant == variant && $0.epochs == epochs && $0.metric == metric }
    }

    /// The comparison of one variant's metric with the original.
    public func comparison(_ variant: String, _ epochs: Int, _ metric: ComparedMetric) -> Comparison? {
        comparisons.first { $0.variant == variant && $0.epochs == epochs && $0.metric == metric }
    }
}
