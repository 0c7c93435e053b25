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
    /// Pairs (paired) or the smaller of the two sample sizes (unpaired).
    public var n: Int
    /// Repeats of the two share seeds (and folds), so they are compared pair by pair.
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
    /// How many variants are compared with the original (Holm's m).
    public var comparedVariants: Int = 0

    /// Computes everything for the configured metrics at every epoch count.
    public init(rows: [ResultRow], config: ExperimentConfig) {
        original = config.variants.first(where: \.isOriginal)?.name
        let metrics = config.comparedMetrics
        comparedVariants = config.variants.filter { v in v.name != original && rows.contains { $0.variant == v.name } }.count
        for e in config.epochs {
            for m in metrics {
                for v in config.variants {
                    let rs = rows.filter { $0.variant == v.name && $0.epochs == e }
                    let x = rs.compactMap { m.value($0) }
                    guard !x.isEmpty else { continue }
                    let cases = rs.compactMap(\.testSize).min()
                    let interval = x.count >= Self.minimumRepeats ? BoundedInterval.proportionMean(x, cases: cases) : nil
                    summaries.append(MetricSummary(variant: v.name, epochs: e, metric: m, values: x, mean: Statistics.mean(x),
                                                   sd: Statistics.sd(x), interval: interval))
                }
                guard let original else { continue }
                let base = Dictionary(rows.filter { $0.variant == original && $0.epochs == e }.compactMap { r in m.value(r).map { (r.pairKey, $0) } },
                                      uniquingKeysWith: { a, _ in a })
                var found: [Comparison] = []
                for v in config.variants where v.name != original {
                    let mine = Dictionary(rows.filter { $0.variant == v.name && $0.epochs == e }.compactMap { r in m.value(r).map { (r.pairKey, $0) } },
                                          uniquingKeysWith: { a, _ in a })
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

    /// Paired by repeat and fold when both sides hold the same cells, else unpaired.
    static func compare(variant: String, epochs: Int, metric: ComparedMetric, mine: [String: Double], base: [String: Double]) -> Comparison {
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
        let a = Array(mine.values), b = Array(base.values)
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
