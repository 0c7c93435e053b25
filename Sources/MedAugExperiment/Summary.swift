import Foundation
import MedAugCore
import MedAugImage
import MedAugTrain

/// summary.md, summary.csv and forest_plot.svg: the verdict first, then per
/// epoch count every variant's mean ± sd with its interval, and its
/// difference from the original with raw and adjusted p-values.
public enum Summary {
    static func pct(_ v: Double) -> String { v.isFinite ? String(format: "%.2f", v * 100) : "n/a" }

    static func pValue(_ v: Double?) -> String { v.map { $0 < 0.001 ? "<0.001" : String(format: "%.3g", $0) } ?? "–" }

    public static func markdown(_ c: Comparisons, rows: [ResultRow], config: ExperimentConfig) -> String {
        var md = "# \(config.name): summary\n\n"
        md += Verdict.markdown(c, config: config)
        let perCell = config.folds.map { "\(config.repeats) repeat(s) per cell, each the mean of its \($0) folds" } ?? "\(config.repeats) repeat(s) per cell"
        md += "Test-set figures in %, over \(perCell): mean ± sample standard deviation "
            + "(sd = sqrt(Σ(x - mean)² / (n - 1))). 95% CI of a mean: Student's t interval on the logit scale, transformed back, "
            + "so it stays within 0–100 (a value of 0 or 100% is first moved in by half a test image). "
            + "Difference: variant - \(c.original ?? "original") in points with its 95% interval. "
            + "p: paired t-test (marked Welch where the repeats do not pair) raw and Holm-adjusted across the variants; Wilcoxon signed-rank raw and Holm-adjusted.\n\n"
        if (c.summaries.map(\.values.count).min() ?? 0) < Comparisons.minimumRepeats {
            md += "Note: fewer than \(Comparisons.minimumRepeats) repeats, so only the values are shown; raise `repeats` (or pass --repeats) for intervals and p-values.\n\n"
        }
        let names = config.variants.map(\.name)
        for e in config.epochs {
            let present = names.filter { n in c.summaries.contains { $0.variant == n && $0.epochs == e } }
            guard !present.isEmpty else { continue }
            md += "## \(e) epochs\n\n| | " + present.joined(separator: " | ") + " |\n|---|" + present.map { _ in "---|" }.joined() + "\n"
            func line(_ label: String, _ f: (String) -> String) -> String {
                "| \(label) | " + present.map(f).joined(separator: " | ") + " |\n"
            }
            for m in config.comparedMetrics {
                let title = m.title(positive: c.positive)
                md += line(title) { n in
                    guard let s = c.summary(n, e, m) else { return "–" }
                    return s.values.count > 1 ? "\(pct(s.mean)) ± \(pct(s.sd))" : pct(s.mean)
                }
                md += line("\(title) 95% CI") { n in
                    c.summary(n, e, m)?.interval.map { "[\(pct($0.low)), \(pct($0.high))]" } ?? "–"
                }
                md += line("\(title) difference") { n in
                    guard let x = c.comparison(n, e, m) else { return "–" }
                    let d = String(format: "%+.2f", x.difference * 100)
                    return x.interval.map { d + String(format: " [%.2f, %.2f]", $0.low * 100, $0.high * 100) } ?? d
                }
                md += line("\(title) p (raw / Holm)") { n in
                    guard let x = c.comparison(n, e, m), x.p != nil else { return "–" }
                    return "\(pValue(x.p)) / \(pValue(x.adjustedP))" + (x.paired ? "" : " (Welch)")
                }
                if c.comparisons.contains(where: { $0.paired }) {
                    md += line("\(title) Wilcoxon p (raw / Holm)") { n in
                        guard let x = c.comparison(n, e, m), x.wilcoxonP != nil else { return "–" }
                        return "\(pValue(x.wilcoxonP)) / \(pValue(x.adjustedWilcoxonP))"
                    }
                }
            }
            md += "\n"
        }
        return md
    }

    public static func csv(_ c: Comparisons) -> String {
        var out = "variant,epochs,n,metric,mean,sd,ci95_low,ci95_high,difference,difference_low,difference_high,test,p,p_holm,wilcoxon_p,wilcoxon_p_holm\n"
        func f(_ v: Double?) -> String { v.map { $0.isFinite ? String(format: "%.6f", $0) : "" } ?? "" }
        for s in c.summaries {
            let x = c.comparison(s.variant, s.epochs, s.metric)
            out += [CSV.field(s.variant), String(s.epochs), String(s.values.count), s.metric.rawValue, f(s.mean), f(s.sd),
                    f(s.interval?.low), f(s.interval?.high), f(x?.difference), f(x?.interval?.low), f(x?.interval?.high),
                    x.map { $0.paired ? "paired_t" : "welch" } ?? "", f(x?.p), f(x?.adjustedP), f(x?.wilcoxonP), f(x?.adjustedWilcoxonP)]
                .joined(separator: ",") + "\n"
        }
        return out
    }

    public static func write(rows results: [ResultRow], config: ExperimentConfig, into dir: String) throws {
        let c = Comparisons(rows: results, config: config)
        func path(_ n: String) -> String { (dir as NSString).appendingPathComponent(n) }
        try AtomicWrite.write(Verdict.forestPlot(c, config: config), to: path("forest_plot.svg"))
        try AtomicWrite.write(markdown(c, rows: results, config: config), to: path("summary.md"))
        try AtomicWrite.write(csv(c), to: path("summary.csv"))
    }
}
