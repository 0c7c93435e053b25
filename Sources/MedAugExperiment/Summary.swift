import Foundation
import MedAugCore
import MedAugImage
import MedAugTrain

/// Per variant and epoch count: mean ± standard deviation over repeats, a 95%
/// confidence interval, and Welch's t-test against the original set.
public struct SummaryRow: Equatable, Sendable {
    public var variant: String
    public var epochs: Int
    public var n: Int
    public var accuracy: Stat
    public var recall: Stat
    public var macroF1: Stat

    public struct Stat: Equatable, Sendable {
        public var mean: Double
        public var sd: Double
        public var ciLow: Double
        public var ciHigh: Double
        /// Welch's t-test against the original set at the same epochs (nil for the original itself).
        public var t: Double?
        public var p: Double?
    }
}

public enum Summary {
    public static func rows(_ results: [ResultRow], config: ExperimentConfig) -> [SummaryRow] {
        let original = config.variants.first(where: \.isOriginal)?.name
        var out: [SummaryRow] = []
        for e in config.epochs {
            for v in config.variants {
                let rs = results.filter { $0.variant == v.name && $0.epochs == e }
                guard !rs.isEmpty else { continue }
                let base = results.filter { $0.variant == original && $0.epochs == e }
                func stat(_ f: (ResultRow) -> Double) -> SummaryRow.Stat {
                    let x = rs.map(f)
                    let (lo, hi) = Statistics.confidenceInterval(x)
                    var s = SummaryRow.Stat(mean: Statistics.mean(x), sd: Statistics.sd(x), ciLow: lo, ciHigh: hi)
                    if v.name != original, base.count > 1, x.count > 1 {
                        let w = Statistics.welch(x, base.map(f))
                        s.t = w.t
                        s.p = w.p
                    }
                    return s
                }
                out.append(SummaryRow(variant: v.name, epochs: e, n: rs.count, accuracy: stat(\.accuracy),
                                      recall: stat(\.recall), macroF1: stat(\.macroF1)))
            }
        }
        return out
    }

    static func pct(_ v: Double) -> String { v.isFinite ? String(format: "%.2f", v * 100) : "n/a" }

    public static func markdown(_ rows: [SummaryRow], config: ExperimentConfig) -> String {
        let recallName = config.positive.map { "Recall (\($0))" } ?? "Recall (macro)"
        var md = "# \(config.name): summary\n\n"
        md += "Test-set figures in %, over \(config.repeats) repeat(s) per cell: mean ± sample standard deviation "
            + "(sd = sqrt(Σ(x - mean)² / (n - 1))). 95% CI: mean ± t(0.975, n-1) · sd / √n. "
            + "p: Welch's two-sided t-test against the original set at the same epochs.\n\n"
        let names = config.variants.map(\.name)
        for e in config.epochs {
            let byName = Dictionary(rows.filter { $0.epochs == e }.map { ($0.variant, $0) }, uniquingKeysWith: { a, _ in a })
            let present = names.filter { byName[$0] != nil }
            guard !present.isEmpty else { continue }
            md += "## \(e) epochs\n\n| | " + present.joined(separator: " | ") + " |\n|---|" + present.map { _ in "---|" }.joined() + "\n"
            func line(_ label: String, _ f: (SummaryRow) -> SummaryRow.Stat) -> String {
                "| \(label) | " + present.map { n -> String in
                    let s = f(byName[n]!)
                    return byName[n]!.n > 1 ? "\(pct(s.mean)) ± \(pct(s.sd))" : pct(s.mean)
                }.joined(separator: " | ") + " |\n"
            }
            func ci(_ label: String, _ f: (SummaryRow) -> SummaryRow.Stat) -> String {
                "| \(label) 95% CI | " + present.map { n in
                    let s = f(byName[n]!)
                    return s.ciLow.isFinite ? "[\(pct(s.ciLow)), \(pct(s.ciHigh))]" : "n/a"
                }.joined(separator: " | ") + " |\n"
            }
            func p(_ label: String, _ f: (SummaryRow) -> SummaryRow.Stat) -> String {
                "| \(label) p vs original | " + present.map { n in
                    f(byName[n]!).p.map { String(format: "%.3g", $0) } ?? "–"
                }.joined(separator: " | ") + " |\n"
            }
            md += line("Accuracy", \.accuracy) + line(recallName, \.recall) + line("Macro F1", \.macroF1)
            md += ci("Accuracy", \.accuracy) + ci(recallName, \.recall)
            md += p("Accuracy", \.accuracy) + p(recallName, \.recall) + "\n"
        }
        return md
    }

    public static func csv(_ rows: [SummaryRow]) -> String {
        var out = "variant,epochs,n,metric,mean,sd,ci95_low,ci95_high,welch_t,welch_p\n"
        for r in rows {
            for (name, s) in [("accuracy", r.accuracy), ("recall", r.recall), ("macro_f1", r.macroF1)] {
                func f(_ v: Double?) -> String { v.map { $0.isFinite ? String(format: "%.6f", $0) : "" } ?? "" }
                out += "\(CSV.field(r.variant)),\(r.epochs),\(r.n),\(name),\(f(s.mean)),\(f(s.sd)),\(f(s.ciLow)),\(f(s.ciHigh)),\(f(s.t)),\(f(s.p))\n"
            }
        }
        return out
    }

    public static func write(rows results: [ResultRow], config: ExperimentConfig, into dir: String) throws {
        let s = rows(results, config: config)
        try AtomicWrite.write(markdown(s, config: config), to: (dir as NSString).appendingPathComponent("summary.md"))
        try AtomicWrite.write(csv(s), to: (dir as NSString).appendingPathComponent("summary.csv"))
    }
}
