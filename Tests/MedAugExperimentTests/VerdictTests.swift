import XCTest
import Foundation
import MedAugCore
import MedAugTrain
@testable import MedAugExperiment
import MedAugAugment

/// The verdict's statistics on results built here, so every number can be checked.
final class VerdictTests: XCTestCase {
    func config(repeats: Int, variants: [String] = ["Original", "Aug 1", "GAN"], folds: Int? = nil, metrics: String? = nil) throws -> ExperimentConfig {
        var yaml = "name: t\ndata: d\nrecipe: study-cnn\npositive: malignant\nepochs: [5]\nrepeats: \(repeats)\nseed: 0\n"
        if let folds { yaml += "folds: \(folds)\n" }
        if let metrics { yaml += "metrics: \(metrics)\n" }
        yaml += "variants:\n" + variants.map { $0 == "Original" ? "  - name: Original\n" : "  - name: \($0)\n    preset: aug1\n" }.joined()
        return try ExperimentConfig.parse(try ConfigCoding.parse(yaml, format: .yaml, source: "t.yaml"), source: "t.yaml")
    }

    func row(_ variant: String, _ r: Int, accuracy: Double, recall: Double, auc: Double, fold: Int? = nil) -> ResultRow {
        ResultRow(variant: variant, epochs: 5, repeatIndex: r, seed: UInt64(r), trainSize: 100, accuracy: accuracy, macroPrecision: 0,
                  macroRecall: recall, macroF1: 0, positiveRecall: recall, positivePrecision: nil, positiveF1: nil, rocAUC: auc,
                  testSize: 40, fold: fold, seconds: 1)
    }

    func testPairedComparisonsEqualTheTestsAndAreHolmAdjustedAcrossVariants() throws {
        let c = try config(repeats: 5)
        let orig = [0.80, 0.82, 0.78, 0.81, 0.79], aug = [0.84, 0.85, 0.80, 0.86, 0.83], gan = [0.79, 0.83, 0.79, 0.80, 0.80]
        var rows: [ResultRow] = []
        for (name, acc) in [("Original", orig), ("Aug 1", aug), ("GAN", gan)] {
            for (i, a) in acc.enumerated() { rows.append(row(name, i + 1, accuracy: a, recall: a - 0.1, auc: a + 0.05)) }
        }
        let cmp = Comparisons(rows: rows, config: c)
        let a = try XCTUnwrap(cmp.comparison("Aug 1", 5, .accuracy)), g = try XCTUnwrap(cmp.comparison("GAN", 5, .accuracy))
        XCTAssertTrue(a.paired)
        XCTAssertEqual(a.n, 5)
        XCTAssertEqual(a.difference, Statistics.mean(zip(aug, orig).map { $0 - $1 }), accuracy: 1e-12)
        XCTAssertEqual(a.p, PairedTests.pairedT(aug, orig)?.p)
        XCTAssertEqual(a.wilcoxonP, PairedTests.wilcoxon(aug, orig)?.p)
        let adjusted = Holm.adjust([a.p, g.p])
        XCTAssertEqual(a.adjustedP, adjusted[0])
        XCTAssertEqual(g.adjustedP, adjusted[1])
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(a.adjustedP), try XCTUnwrap(a.p))
        let d = try XCTUnwrap(PairedTests.pairedDifference(aug, orig))
        XCTAssertEqual(a.interval?.low, d.low)
        XCTAssertEqual(a.interval?.high, d.high)

        let line = Verdict.statement("Aug 1", cmp, config: c)
        XCTAssertTrue(line.hasPrefix("Aug 1: accuracy +3.6 points [2.2, 5.0], adjusted p"), line)
        XCTAssertEqual(a.difference, 0.036, accuracy: 1e-12)
        XCTAssertTrue(line.contains(String(format: "adjusted p = %.3g", a.adjustedP!)), line)
        XCTAssertTrue(line.contains("Evidence of a difference: accuracy higher"), line)
        XCTAssertTrue(Verdict.statement("GAN", cmp, config: c).hasPrefix("GAN: no evidence of a difference ("))

        let md = Summary.markdown(cmp, rows: rows, config: c)
        XCTAssertTrue(md.hasPrefix("# t: summary\n\n## Verdict: did augmentation help?"), "the verdict comes first")
        XCTAssertTrue(md.contains("| Accuracy p (raw / Holm) | – | \(Summary.pValue(a.p)) / \(Summary.pValue(a.adjustedP)) |"), md)
        XCTAssertTrue(md.contains("Wilcoxon p (raw / Holm)"))
        let svg = Verdict.forestPlot(cmp, config: c)
        XCTAssertEqual(svg.components(separatedBy: "fill=\"#d62728\"").count - 1, 2 * 3, "a point per variant and metric")
    }

    func testBelowThreeRepeatsOnlyValuesAreShown() throws {
        let c = try config(repeats: 2)
        var rows: [ResultRow] = []
        for name in ["Original", "Aug 1", "GAN"] {
            for r in 1...2 { rows.append(row(name, r, accuracy: 0.5 + 0.1 * Double(r), recall: 0.4, auc: 0.7)) }
        }
        let cmp = Comparisons(rows: rows, config: c)
        XCTAssertTrue(cmp.comparisons.allSatisfy { $0.p == nil && $0.interval == nil && $0.wilcoxonP == nil })
        XCTAssertTrue(cmp.summaries.allSatisfy { $0.interval == nil })
        XCTAssertTrue(Verdict.statement("Aug 1", cmp, config: c).contains("2 repeats: too few for an interval or a p-value"))
        let md = Summary.markdown(cmp, rows: rows, config: c)
        XCTAssertTrue(md.contains("Note: fewer than 3 repeats"), md)
        XCTAssertNil(md.range(of: #"\[-?[0-9]"#, options: .regularExpression), "no interval printed: \(md)")
    }

    func testUnpairedRepeatsFallBackToWelch() throws {
        let c = try config(repeats: 4, variants: ["Original", "Aug 1"])
        var rows: [ResultRow] = []
        for r in 1...4 { rows.append(row("Original", r, accuracy: 0.7 + 0.01 * Double(r), recall: 0.5, auc: 0.8)) }
        for r in 1...3 { rows.append(row("Aug 1", r, accuracy: 0.75 + 0.02 * Double(r), recall: 0.5, auc: 0.8)) }
        let x = try XCTUnwrap(Comparisons(rows: rows, config: c).comparison("Aug 1", 5, .accuracy))
        XCTAssertFalse(x.paired)
        XCTAssertEqual(x.testName, "Welch's t-test")
        XCTAssertEqual(try XCTUnwrap(x.p), Statistics.welch([0.77, 0.79, 0.81], [0.71, 0.72, 0.73, 0.74]).p, accuracy: 1e-12)
        XCTAssertNil(x.wilcoxonP)
    }

    func testFoldsAreAveragedWithinARepeatBeforeTesting() throws {
        let c = try config(repeats: 3, variants: ["Original", "Aug 1"], folds: 2)
        var rows: [ResultRow] = []
        for r in 1...3 {
            for f in 1...2 {
                rows.append(row("Original", r, accuracy: 0.6 + 0.05 * Double(f) + 0.01 * Double(r), recall: 0.5, auc: 0.8, fold: f))
                rows.append(row("Aug 1", r, accuracy: 0.65 + 0.05 * Double(f) + 0.02 * Double(r), recall: 0.5, auc: 0.8, fold: f))
            }
        }
        let cmp = Comparisons(rows: rows, config: c)
        let x = try XCTUnwrap(cmp.comparison("Aug 1", 5, .accuracy))
        XCTAssertEqual(x.n, 3, "the repeat is the unit, not the fold")
        let orig = (1...3).map { 0.675 + 0.01 * Double($0) }, aug = (1...3).map { 0.725 + 0.02 * Double($0) }
        XCTAssertEqual(try XCTUnwrap(x.p), try XCTUnwrap(PairedTests.pairedT(aug, orig)?.p), accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(cmp.summary("Original", 5, .accuracy)).values.count, 3)
        XCTAssertTrue(Summary.markdown(cmp, rows: rows, config: c).contains("each the mean of its 2 folds"))
    }

    /// Whatever the repeats hold, no printed percentage interval leaves [0, 100]
    /// and no difference interval leaves [-100, 100].
    func testNoPrintedIntervalLeavesTheMetricsRange() throws {
        var rng = Xoshiro256(seed: 17)
        let interval = try NSRegularExpression(pattern: #"\[(-?[0-9.]+), (-?[0-9.]+)\]"#)
        var checked = 0
        for trial in 0..<300 {
            let n = 3 + trial % 5
            let c = try config(repeats: n)
            var rows: [ResultRow] = []
            for name in ["Original", "Aug 1", "GAN"] {
                for r in 1...n {
                    // Wild spreads, exact 0s and 1s: the cases a plain t interval gets wrong.
                    func draw() -> Double { [0, 1, rng.nextDouble(), rng.nextDouble() * 0.05, 1 - rng.nextDouble() * 0.05][rng.nextInt(below: 5)] }
                    rows.append(row(name, r, accuracy: draw(), recall: draw(), auc: draw()))
                }
            }
            let md = Summary.markdown(Comparisons(rows: rows, config: c), rows: rows, config: c)
            for line in md.split(separator: "\n") {
                let s = String(line)
                let isDifference = s.contains("difference") || s.hasPrefix("- ")
                for m in interval.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
                    let lo = Double(s[Range(m.range(at: 1), in: s)!])!, hi = Double(s[Range(m.range(at: 2), in: s)!])!
                    let range = isDifference ? -100.0...100.0 : 0.0...100.0
                    XCTAssertTrue(range.contains(lo) && range.contains(hi) && lo <= hi, "\(s)")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 5000)
    }

    func testMetricsAndFoldsAreReadFromTheExperimentFile() throws {
        let c = try config(repeats: 3, folds: 5, metrics: "[recall, roc_auc, balanced_accuracy]")
        XCTAssertEqual(c.comparedMetrics, [.recall, .rocAUC, .balancedAccuracy])
        XCTAssertEqual(c.folds, 5)
        XCTAssertEqual(try config(repeats: 3).comparedMetrics, [.accuracy, .recall, .rocAUC])
        XCTAssertThrowsError(try config(repeats: 3, metrics: "[recal]")) { e in
            XCTAssertTrue("\(e)".contains("'metrics'") && "\(e)".contains("'recal' is not a metric"), "\(e)")
        }
        XCTAssertThrowsError(try config(repeats: 3, folds: 1)) { e in XCTAssertTrue("\(e)".contains("'folds'"), "\(e)") }
        // MixUp/CutMix overrides: the switch probability needs both.
        let yaml = "name: t\ndata: d\nrecipe: study-cnn\nepochs: 1\nrepeats: 1\noverrides: {cutmix: 1.0, mix_switch_prob: 0.2}\nvariants:\n  - name: Original\n"
        XCTAssertThrowsError(try ExperimentConfig.parse(try ConfigCoding.parse(yaml, format: .yaml, source: "m.yaml"), source: "m.yaml")) { e in
            XCTAssertTrue("\(e)".contains("overrides.mix_switch_prob"), "\(e)")
        }
        let both = yaml.replacingOccurrences(of: "{cutmix: 1.0,", with: "{mixup: 0.2, cutmix: 1.0,")
        let mixed = try ExperimentConfig.parse(try ConfigCoding.parse(both, format: .yaml, source: "m.yaml"), source: "m.yaml")
        XCTAssertEqual(try mixed.trainOptions(epochs: 1, seed: 0).mix, MixSettings(mixup: 0.2, cutmix: 1.0, switchProbability: 0.2))
    }
}
