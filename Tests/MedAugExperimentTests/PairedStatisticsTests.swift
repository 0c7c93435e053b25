import XCTest
import Foundation
@testable import MedAugExperiment

/// The comparisons of repeated runs against SciPy 1.11.4 on the same numbers
/// (parity/make_stats_fixtures.py writes the "paired", "holm" and
/// "proportions" keys of Fixtures/stats.json), and the properties that hold
/// for any input.
final class PairedStatisticsTests: XCTestCase {
    struct Fixture: Decodable {
        struct Paired: Decodable {
            let a: [Double], b: [Double]
            let t: Double, t_p: Double, t_df: Double
            let wilcoxon: Double, wilcoxon_p: Double, wilcoxon_path: String
            let mean_diff: Double, paired_ci95: [Double], paired_ci90: [Double]
            let welch_diff: Double, welch_ci95: [Double], welch_ci90: [Double]
        }
        struct HolmCase: Decodable { let p: [Double?]; let adjusted: [Double?] }
        struct Proportion: Decodable { let x: [Double]; let cases: Int?; let ci95: [Double]; let ci90: [Double] }
        let paired: [String: Paired]
        let holm: [String: HolmCase]
        let proportions: [String: Proportion]
    }

    func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/stats.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    // MARK: - Against SciPy

    func testPairedTEqualsSciPy() throws {
        let f = try fixture()
        XCTAssertEqual(f.paired.count, 8)
        for (name, c) in f.paired {
            let r = try XCTUnwrap(PairedTests.pairedT(c.a, c.b), name)
            // t reaches 64 in "all-greater"; compare it relatively.
            XCTAssertEqual(r.statistic, c.t, accuracy: 1e-10 * max(1, abs(c.t)), name)
            XCTAssertEqual(r.df, c.t_df, name)
            XCTAssertEqual(r.p, c.t_p, accuracy: 1e-10, name)
        }
    }

    func testWilcoxonEqualsSciPy() throws {
        let f = try fixture()
        var paths: Set<String> = []
        for (name, c) in f.paired {
            let r = try XCTUnwrap(PairedTests.wilcoxon(c.a, c.b), name)
            XCTAssertEqual(r.statistic, c.wilcoxon, name)
            XCTAssertNil(r.df, name)
            // Exact p-values are dyadic rationals and come out bit-equal.
            XCTAssertEqual(r.p, c.wilcoxon_p, accuracy: c.wilcoxon_path == "exact" ? 1e-12 : 1e-10, name)
            paths.insert(c.wilcoxon_path)
        }
        XCTAssertEqual(paths, ["exact", "approx"], "the fixture covers both of SciPy's paths")
    }

    // SciPy 1.11's t.ppf (cdflib's stdtrit) is good to about 1e-9 relative
    // (at df = 4 its 0.95 quantile has stdtr 0.05000000028), while
    // StudentT.quantile inverts the CDF to the last bits; the fixture's
    // half-widths are below 4, so the ends still agree to 1e-10.
    func testDifferenceIntervalsEqualSciPy() throws {
        let f = try fixture()
        for (name, c) in f.paired {
            let p = try XCTUnwrap(PairedTests.pairedDifference(c.a, c.b), name)
            XCTAssertEqual(p.mean, c.mean_diff, accuracy: 1e-12, name)
            XCTAssertEqual(p.low, c.paired_ci95[0], accuracy: 1e-10, name)
            XCTAssertEqual(p.high, c.paired_ci95[1], accuracy: 1e-10, name)
            let p90 = try XCTUnwrap(PairedTests.pairedDifference(c.a, c.b, level: 0.90), name)
            XCTAssertEqual(p90.low, c.paired_ci90[0], accuracy: 1e-10, name)
            XCTAssertEqual(p90.high, c.paired_ci90[1], accuracy: 1e-10, name)

            let w = try XCTUnwrap(PairedTests.welchDifference(c.a, c.b), name)
            XCTAssertEqual(w.mean, c.welch_diff, accuracy: 1e-12, name)
            XCTAssertEqual(w.low, c.welch_ci95[0], accuracy: 1e-10, name)
            XCTAssertEqual(w.high, c.welch_ci95[1], accuracy: 1e-10, name)
            let w90 = try XCTUnwrap(PairedTests.welchDifference(c.a, c.b, level: 0.90), name)
            XCTAssertEqual(w90.low, c.welch_ci90[0], accuracy: 1e-10, name)
            XCTAssertEqual(w90.high, c.welch_ci90[1], accuracy: 1e-10, name)
        }
    }

    func testHolmEqualsStatsmodelsDefinition() throws {
        let f = try fixture()
        XCTAssertEqual(f.holm.count, 6)
        for (name, c) in f.holm {
            let got = Holm.adjust(c.p)
            XCTAssertEqual(got.count, c.adjusted.count, name)
            for (g, e) in zip(got, c.adjusted) {
                if let e {
                    XCTAssertEqual(try XCTUnwrap(g, name), e, accuracy: 1e-12, name)
                } else {
                    XCTAssertNil(g, name)
                }
            }
        }
    }

    func testLogitIntervalEqualsSciPy() throws {
        let f = try fixture()
        for (name, c) in f.proportions {
            let i = try XCTUnwrap(BoundedInterval.proportionMean(c.x, cases: c.cases), name)
            XCTAssertEqual(i.low, c.ci95[0], accuracy: 1e-10, name)
            XCTAssertEqual(i.high, c.ci95[1], accuracy: 1e-10, name)
            let i90 = try XCTUnwrap(BoundedInterval.proportionMean(c.x, cases: c.cases, level: 0.90), name)
            XCTAssertEqual(i90.low, c.ci90[0], accuracy: 1e-10, name)
            XCTAssertEqual(i90.high, c.ci90[1], accuracy: 1e-10, name)
        }
    }

    // MARK: - SciPy's edge cases (checked by hand against SciPy 1.11.4)

    func testPairedTEdgeCases() {
        // Fewer than 2 pairs, unequal lengths, NaN: SciPy NaN or error.
        XCTAssertNil(PairedTests.pairedT([], []))
        XCTAssertNil(PairedTests.pairedT([2], [1]))
        XCTAssertNil(PairedTests.pairedT([1, 2, 3], [1, 2]))
        XCTAssertNil(PairedTests.pairedT([1, .nan, 3], [1, 2, 3]))
        // Identical runs: t = 0/0, SciPy p = NaN.
        XCTAssertNil(PairedTests.pairedT([1, 2, 3], [1, 2, 3]))
        // Constant non-zero difference: SciPy t = inf, p = 0, df = 2.
        XCTAssertEqual(PairedTests.pairedT([2, 3, 4], [1, 2, 3]), TestResult(statistic: .infinity, df: 2, p: 0))
        XCTAssertEqual(PairedTests.pairedT([1, 2, 3], [2, 3, 4]), TestResult(statistic: -.infinity, df: 2, p: 0))
    }

    func testWilcoxonEdgeCases() throws {
        XCTAssertNil(PairedTests.wilcoxon([], []))
        XCTAssertNil(PairedTests.wilcoxon([1, 2], [1]))
        XCTAssertNil(PairedTests.wilcoxon([1, .nan], [0, 0]))
        // All differences zero: SciPy raises ValueError.
        XCTAssertNil(PairedTests.wilcoxon([0.8, 0.9], [0.8, 0.9]))
        // One pair: exact, p = 1 (SciPy: statistic 0, p 1).
        XCTAssertEqual(PairedTests.wilcoxon([1], [0]), TestResult(statistic: 0, df: nil, p: 1))
        // A zero switches to the approximation, which drops it: n = 1,
        // z = (0 - 0.5) / 0.5 = -1, p = 2·(1 - Φ(1)) (SciPy 0.31731050786291415).
        let r = try XCTUnwrap(PairedTests.wilcoxon([1, 0], [0, 0]))
        XCTAssertEqual(r.statistic, 0)
        XCTAssertEqual(r.p, 0.31731050786291415, accuracy: 1e-15)
        // Ties without zeros stay exact; r+ = 7.5 is looked up as 7 (SciPy: 2.5, 0.625).
        XCTAssertEqual(PairedTests.wilcoxon([1, -2, 2, 4.5], [0, 0, 0, 0]), TestResult(statistic: 2.5, df: nil, p: 0.625))
        // SciPy: wilcoxon([1, 2, 3, 4.5], [0] * 4) = (0.0, 0.125).
        XCTAssertEqual(PairedTests.wilcoxon([1, 2, 3, 4.5], [0, 0, 0, 0]), TestResult(statistic: 0, df: nil, p: 0.125))
    }

    func testWilcoxonExactTailsAndSwitch() throws {
        // Every a > b: r- = 0 and p = 2 / 2^n, for all n up to 50.
        for n in 1...50 {
            let a = (0..<n).map { 1 + Double($0) }, b = [Double](repeating: 0, count: n)
            let r = try XCTUnwrap(PairedTests.wilcoxon(a, b))
            XCTAssertEqual(r.statistic, 0)
            XCTAssertEqual(r.p, min(1, 2 / pow(2, Double(n))), "n = \(n)")
        }
        // From 51 pairs the approximation: z = -n(n+1)/4 / sqrt(n(n+1)(2n+1)/24).
        let n = 51.0
        let a = (0..<51).map { 1 + Double($0) }, b = [Double](repeating: 0, count: 51)
        let r = try XCTUnwrap(PairedTests.wilcoxon(a, b))
        let z = n * (n + 1) / 4 / (n * (n + 1) * (2 * n + 1) / 24).squareRoot()
        XCTAssertEqual(r.p, erfc(z / 2.0.squareRoot()), accuracy: 1e-15)
        // The exact distribution's two tails meet at the centre: p is 1 there.
        XCTAssertEqual(PairedTests.exactP(n: 4, rPlus: 5), 1)
        XCTAssertEqual(PairedTests.exactP(n: 5, rPlus: 7), 1)
        XCTAssertEqual(PairedTests.exactP(n: 5, rPlus: 8), 1)
        // n = 3: sums 0..6 with counts 1 1 1 2 1 1 1; P(R+ <= 1) = 2/8.
        XCTAssertEqual(PairedTests.exactP(n: 3, rPlus: 1), 0.5)
        XCTAssertEqual(PairedTests.exactP(n: 3, rPlus: 5), 0.5)
    }

    func testDifferenceEdgeCases() throws {
        XCTAssertNil(PairedTests.pairedDifference([1], [2]))
        XCTAssertNil(PairedTests.pairedDifference([1, 2], [2]))
        XCTAssertNil(PairedTests.pairedDifference([1, 2], [2, 3], level: 1))
        XCTAssertNil(PairedTests.welchDifference([1, 2], [2]))
        XCTAssertNil(PairedTests.welchDifference([1, 2], [2, .nan]))
        // Equal differences: a point, as SciPy's interval with zero standard error.
        let p = try XCTUnwrap(PairedTests.pairedDifference([2, 3, 4], [1, 2, 3]))
        XCTAssertEqual(p.mean, 1); XCTAssertEqual(p.low, 1); XCTAssertEqual(p.high, 1)
        // Both samples constant: SciPy sets df = 1 and returns the point (-1, -1).
        let w = try XCTUnwrap(PairedTests.welchDifference([1, 1, 1], [2, 2, 2]))
        XCTAssertEqual(w.mean, -1); XCTAssertEqual(w.low, -1); XCTAssertEqual(w.high, -1)
    }

    // MARK: - Properties

    func testHolmIsAtLeastRawAtMostOneAndMonotone() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let m = Int.random(in: 0...12, using: &rng)
            var p: [Double?] = (0..<m).map { _ in
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: return nil
                case 1: return 0.02  // ties
                case 2: return 1
                default: return Double.random(in: 0...0.2, using: &rng)
                }
            }
            if m > 2, Bool.random(using: &rng) { p[0] = p[m - 1] }
            let adj = Holm.adjust(p)
            XCTAssertEqual(adj.count, p.count)
            var pairs: [(raw: Double, adj: Double)] = []
            for (r, a) in zip(p, adj) {
                XCTAssertEqual(r == nil, a == nil)
                guard let r, let a else { continue }
                XCTAssertGreaterThanOrEqual(a, r)
                XCTAssertLessThanOrEqual(a, 1)
                pairs.append((r, a))
            }
            pairs.sort { $0.raw < $1.raw }
            for k in pairs.indices.dropFirst() {
                XCTAssertGreaterThanOrEqual(pairs[k].adj, pairs[k - 1].adj, "\(p)")
            }
            // The smallest is multiplied by the number of tests present.
            if let first = pairs.first {
                XCTAssertEqual(first.adj, min(1, Double(pairs.count) * first.raw))
            }
        }
        XCTAssertEqual(Holm.adjust([]), [])
        XCTAssertEqual(Holm.adjust([nil, nil]), [nil, nil])
        XCTAssertEqual(Holm.adjust([.nan, 0.01]), [nil, 0.01])
    }

    func testProportionIntervalStaysInUnitRange() throws {
        var rng = SystemRandomNumberGenerator()
        let fixed: [[Double]] = [
            [0, 1, 0.5], [0.001, 0.999, 0.5], [1, 1, 1], [0, 0, 0], [1, 1], [0, 0],
            [0, 1], [0.02, 0.98, 0.01], [1e-300, 0.5, 1 - 1e-16],
        ]
        var samples = fixed
        for _ in 0..<500 {
            let n = [2, 3, 3, 5, 10].randomElement(using: &rng)!
            samples.append((0..<n).map { _ in
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: return 0
                case 1: return 1
                default: return Double.random(in: 0...1, using: &rng)
                }
            })
        }
        for x in samples {
            for cases in [nil, 1, 40, 100_000] as [Int?] {
                for level in [0.5, 0.95, 0.999] {
                    let i = try XCTUnwrap(BoundedInterval.proportionMean(x, cases: cases, level: level), "\(x)")
                    XCTAssertFalse(i.low.isNaN || i.high.isNaN, "\(x)")
                    XCTAssertGreaterThanOrEqual(i.low, 0, "\(x)")
                    XCTAssertLessThanOrEqual(i.high, 1, "\(x)")
                    XCTAssertLessThanOrEqual(i.low, i.high, "\(x)")
                }
            }
        }
        // All ones with 40 cases: every value moves to 40.5 / 41, a point.
        let ones = try XCTUnwrap(BoundedInterval.proportionMean([1, 1, 1], cases: 40))
        XCTAssertEqual(ones.low, 40.5 / 41, accuracy: 1e-12)
        XCTAssertEqual(ones.high, 40.5 / 41, accuracy: 1e-12)
        let zeros = try XCTUnwrap(BoundedInterval.proportionMean([0, 0, 0], cases: nil))
        XCTAssertEqual(zeros.low, 1e-4, accuracy: 1e-15)
        XCTAssertEqual(zeros.high, 1e-4, accuracy: 1e-15)
        // Not computable.
        XCTAssertNil(BoundedInterval.proportionMean([0.5], cases: nil))
        XCTAssertNil(BoundedInterval.proportionMean([0.5, 1.2], cases: nil))
        XCTAssertNil(BoundedInterval.proportionMean([0.5, .nan], cases: nil))
        XCTAssertNil(BoundedInterval.proportionMean([0.5, 0.6], cases: 0))
    }

    func testClampDifference() {
        let c = BoundedInterval.clampDifference((mean: 0.4, low: -1.7, high: 2.5))
        XCTAssertEqual(c.mean, 0.4); XCTAssertEqual(c.low, -1); XCTAssertEqual(c.high, 1)
        let inside = BoundedInterval.clampDifference((mean: 0.01, low: -0.02, high: 0.04))
        XCTAssertEqual(inside.low, -0.02); XCTAssertEqual(inside.high, 0.04)
        // A wild 3-repeat comparison of proportions ends up inside [-1, 1].
        let d = PairedTests.pairedDifference([0.1, 0.95, 0.5], [0.9, 0.05, 0.6])!
        XCTAssertLessThan(d.low, -1)
        let clamped = BoundedInterval.clampDifference(d)
        XCTAssertEqual(clamped.low, -1); XCTAssertLessThanOrEqual(clamped.high, 1)
        XCTAssertEqual(clamped.mean, d.mean)
    }
}
