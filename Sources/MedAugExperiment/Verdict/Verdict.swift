import Foundation
import MedAugTrain

/// The answer to the study's question, first: for each variant, its change
/// against the original with an interval and a multiplicity-adjusted
/// p-value, in one plain sentence, and the same as a forest plot.
public enum Verdict {
    /// A proportion difference in percentage points, signed.
    static func points(_ v: Double) -> String {
        let x = v * 100
        // No "-0.0": a difference that rounds to nothing reads as none.
        return String(format: "%+.1f", abs(x) < 0.05 ? 0 : x)
    }

    static func p(_ v: Double) -> String { v < 0.001 ? "< 0.001" : String(format: "= %.3g", v) }

    /// The epoch count the verdict speaks of: the longest training.
    public static func epochs(_ config: ExperimentConfig) -> Int { config.epochs.max()! }

    /// One line per variant, e.g. "+10% GAN: recall +6.2 points [1.1, 11.3], adjusted p = 0.03 (evidence of a difference in recall)".
    public static func statement(_ variant: String, _ c: Comparisons, config: ExperimentConfig) -> String {
        let e = epochs(config)
        let found = config.comparedMetrics.compactMap { c.comparison(variant, e, $0) }
        guard !found.isEmpty else { return "\(variant): no results at \(e) epochs yet" }
        if found.allSatisfy({ $0.n < Comparisons.minimumRepeats }) {
            let n = found.map(\.n).max()!
            let values = found.map { "\($0.metric.word) \(points($0.difference)) points" }.joined(separator: ", ")
            return "\(variant): \(values) (\(n) repeat\(n == 1 ? "" : "s"): too few for an interval or a p-value; run \(Comparisons.minimumRepeats) or more)"
        }
        let parts = found.map { x -> String in
            var s = "\(x.metric.word) \(points(x.difference)) points"
            if let i = x.interval { s += " [\(points(i.low).replacingOccurrences(of: "+", with: "")), \(points(i.high).replacingOccurrences(of: "+", with: ""))]" }
            if let a = x.adjustedP {
                s += ", adjusted p \(p(a))" + (x.paired ? "" : " (Welch: the repeats do not pair)")
            } else if x.n < Comparisons.minimumRepeats {
                s += " (\(x.n) repeat\(x.n == 1 ? "" : "s") with this figure: too few for a test)"
            } else {
                s += " (the same difference in every repeat: no test)"
            }
            return s
        }
        let shown = found.filter { ($0.adjustedP ?? 1) < Comparisons.alpha }
        if shown.isEmpty { return "\(variant): no evidence of a difference (\(parts.joined(separator: "; ")))" }
        let which = shown.map { "\($0.metric.word) \($0.difference > 0 ? "higher" : "lower")" }.joined(separator: ", ")
        return "\(variant): \(parts.joined(separator: "; ")). Evidence of a difference: \(which) than \(c.original ?? "the original")"
    }

    /// How every figure in the verdict was obtained.
    public static func methods(_ c: Comparisons, config: ExperimentConfig) -> String {
        let folds = config.folds.map { " Each repeat's figure is the mean of its \($0) cross-validation folds: folds share training images, so the repeat, not the fold, is the independent unit." } ?? ""
        return "Differences are the variant minus \(c.original ?? "the original") on the test set, in percentage points, "
            + "paired by repeat (the cells of one repeat share a seed).\(folds) 95% interval of a difference: the paired t interval "
            + "(Welch's when the cells do not pair), clamped to ±100 points. p: paired t-test (Welch's when unpaired), "
            + "adjusted by Holm's method across the \(c.comparedVariants) variant(s) compared with \(c.original ?? "the original"), "
            + "separately for each metric (not across metrics: \"evidence\" in one of \(config.comparedMetrics.count) metrics is weaker than the p-value alone says); "
            + "the tables below also give the raw p and the Wilcoxon signed-rank test. With fewer than \(Comparisons.minimumRepeats) "
            + "repeats no interval or p-value is given: they would say nothing."
    }

    /// summary.md's first section.
    public static func markdown(_ c: Comparisons, config: ExperimentConfig) -> String {
        let e = epochs(config)
        var md = "## Verdict: did augmentation help? (test set, after \(e) epoch\(e == 1 ? "" : "s"))\n\n"
        guard c.original != nil else {
            return md + "No variant is the original set (no augmentation), so there is nothing to compare against.\n\n"
        }
        for v in config.variants where v.name != c.original {
            md += "- " + statement(v.name, c, config: config) + "\n"
        }
        md += "\n![forest plot](forest_plot.svg)\n\n" + methods(c, config: config) + "\n\n"
        return md
    }

    /// Every variant's difference on every compared metric, with its interval.
    public static func forestPlot(_ c: Comparisons, config: ExperimentConfig) -> String {
        let e = epochs(config)
        var rows: [ForestPlot.Row] = []
        for m in config.comparedMetrics {
            for v in config.variants where v.name != c.original {
                guard let x = c.comparison(v.name, e, m) else { continue }
                let note = x.adjustedP.map { "adjusted p \(p($0))" }
                    ?? (x.n < Comparisons.minimumRepeats ? "n = \(x.n): no interval" : "same in every repeat: no test")
                rows.append(ForestPlot.Row(label: "\(m.title(positive: c.positive)) · \(v.name)", estimate: x.difference * 100,
                                           low: x.interval.map { $0.low * 100 }, high: x.interval.map { $0.high * 100 }, note: note))
            }
        }
        return ForestPlot(title: "Change against \(c.original ?? "the original") at \(e) epochs (95% interval)",
                          axisLabel: "difference in percentage points (variant - \(c.original ?? "original"))", rows: rows).svg
    }
}
