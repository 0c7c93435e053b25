import MedAugCore
import XCTest
import Foundation
@testable import MedAugTrain

/// Against scikit-learn 1.7.2 (and scipy 1.11.4 / numpy for the DeLong
/// reference, the normal quantile and the percentile) on the same
/// predictions, computed once by parity/make_eval_fixtures.py.
final class EvaluationMetricsTests: XCTestCase {
    struct Curve: Decodable { let fpr: [Double]; let tpr: [Double]; let thresholds: [Double] }
    struct PR: Decodable { let precision: [Double]; let recall: [Double]; let thresholds: [Double] }
    struct Block: Decodable {
        let scores: [Double]
        let positive: [Bool]
        let rocDrop: Curve
        let rocFull: Curve
        let pr: PR
        let rocAuc: Double
        let averagePrecision: Double
        let delongAuc: Double
        let delongVariance: Double
        let delongInterval: [Double]
        let youden: Double
        let sensitivityThreshold: Double?
    }
    struct Reliability: Decodable {
        let lower: [Double]
        let upper: [Double]
        let count: [Int]
        let observed: [Double]
        let meanConfidence: [Double]
        let ece: Double
    }
    struct Case: Decodable {
        let name: String
        let classes: Int
        let probabilities: [[Double]]
        let truth: [Int]
        let pred: [Int]
        let confusion: [[Int]]
        let balancedAccuracy: Double
        let sensitivity: [Double]
        let specificity: [Double]
        let perClass: [Block]
        let brierPerClass: [Double]
        let binary: Block?
        let brier: Double?
        let brierMatrix: Double
        let macroRocAuc: Double?
        let macroAveragePrecision: Double?
        let reliability: Reliability
    }
    struct Percentile: Decodable { let values: [Double]; let q: [Double]; let result: [Double] }
    struct Normal: Decodable { let p: [Double]; let quantile: [Double]; let x: [Double]; let cdf: [Double] }
    struct Fixture: Decodable {
        let sklearn: String
        let bins: Int
        let level: Double
        let sensitivityTarget: Double
        let cases: [Case]
        let percentile: [Percentile]
        let normal: Normal
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/eval_metrics.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        // JSON has no infinity: the script writes roc_curve's leading +inf as a string.
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try! decoder.decode(Fixture.self, from: Data(contentsOf: url))
    }()

    /// Every one-vs-rest block of every case, and the binary cases' positive-class block.
    var blocks: [(String, Block)] {
        Self.fixture.cases.flatMap { c in
            c.perClass.enumerated().map { ("\(c.name) class \($0.offset)", $0.element) } + (c.binary.map { [("\(c.name) binary", $0)] } ?? [])
        }
    }

    func assertClose(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-12, _ message: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, "\(message): lengths", file: file, line: line)
        for (i, (x, y)) in zip(a, b).enumerated() {
            if x.isNaN || y.isNaN || x.isInfinite || y.isInfinite {
                XCTAssertTrue(x == y || (x.isNaN && y.isNaN), "\(message)[\(i)]: \(x) vs \(y)", file: file, line: line)
            } else {
                XCTAssertEqual(x, y, accuracy: tolerance, "\(message)[\(i)]", file: file, line: line)
            }
        }
    }

    func testFixtureIsScikitLearn172() {
        XCTAssertEqual(Self.fixture.sklearn, "1.7.2")
        XCTAssertEqual(Self.fixture.cases.map(\.name),
                       ["binary-ties", "binary-imbalanced", "three-ties-never-predicted", "three-softmax"])
        XCTAssertEqual(blocks.count, 2 + 1 + 2 + 1 + 3 + 3)
    }

    func testROCCurvesEqualScikitLearn() {
        for (name, b) in blocks {
            for (drop, want) in [(true, b.rocDrop), (false, b.rocFull)] {
                let roc = RankingMetrics.rocCurve(scores: b.scores, positive: b.positive, dropIntermediate: drop)
                XCTAssertEqual(roc.thresholds.first, .infinity, name)
                assertClose(roc.fpr, want.fpr, 1e-12, "\(name) drop=\(drop) fpr")
                assertClose(roc.tpr, want.tpr, 1e-12, "\(name) drop=\(drop) tpr")
                assertClose(roc.thresholds, want.thresholds, 1e-12, "\(name) drop=\(drop) thresholds")
            }
        }
    }

    func testPrecisionRecallCurvesEqualScikitLearn() {
        for (name, b) in blocks {
            let pr = RankingMetrics.precisionRecallCurve(scores: b.scores, positive: b.positive)
            assertClose(pr.precision, b.pr.precision, 1e-12, "\(name) precision")
            assertClose(pr.recall, b.pr.recall, 1e-12, "\(name) recall")
            assertClose(pr.thresholds, b.pr.thresholds, 1e-12, "\(name) thresholds")
        }
    }

    func testAUCAndAveragePrecisionEqualScikitLearn() throws {
        for (name, b) in blocks {
            XCTAssertEqual(try XCTUnwrap(RankingMetrics.rocAUC(scores: b.scores, positive: b.positive)), b.rocAuc, accuracy: 1e-12, name)
            XCTAssertEqual(try XCTUnwrap(RankingMetrics.averagePrecision(scores: b.scores, positive: b.positive)),
                           b.averagePrecision, accuracy: 1e-12, name)
        }
    }

    func testPerClassAndMacroEqualScikitLearn() throws {
        for c in Self.fixture.cases {
            let aucs = RankingMetrics.perClassROCAUC(probabilities: c.probabilities, truth: c.truth)
            let aps = RankingMetrics.perClassAveragePrecision(probabilities: c.probabilities, truth: c.truth)
            XCTAssertEqual(aucs.count, c.classes, c.name)
            for k in 0..<c.classes {
                XCTAssertEqual(try XCTUnwrap(aucs[k]), c.perClass[k].rocAuc, accuracy: 1e-12, c.name)
                XCTAssertEqual(try XCTUnwrap(aps[k]), c.perClass[k].averagePrecision, accuracy: 1e-12, c.name)
            }
            if let want = c.macroRocAuc {
                XCTAssertEqual(try XCTUnwrap(RankingMetrics.macroROCAUC(probabilities: c.probabilities, truth: c.truth)), want,
                               accuracy: 1e-12, c.name)
            }
            if let want = c.macroAveragePrecision {
                XCTAssertEqual(try XCTUnwrap(RankingMetrics.macroAveragePrecision(probabilities: c.probabilities, truth: c.truth)),
                               want, accuracy: 1e-12, c.name)
            }
        }
        XCTAssertEqual(Self.fixture.cases.filter { $0.macroRocAuc != nil }.count, 2)
    }

    func testRatesEqualScikitLearn() {
        for c in Self.fixture.cases {
            let m = ClassificationMetrics(truth: c.truth, predicted: c.pred, classes: (0..<c.classes).map { "c\($0)" })
            XCTAssertEqual(m.confusion, c.confusion, c.name)
            XCTAssertEqual(m.balancedAccuracy, c.balancedAccuracy, accuracy: 1e-12, c.name)
            // Every fixture class occurs in truth and has negatives, so every rate is defined.
            assertClose(m.sensitivities.map { $0 ?? .nan }, c.sensitivity, 1e-12, "\(c.name) sensitivity")
            assertClose(m.specificities.map { $0 ?? .nan }, c.specificity, 1e-12, "\(c.name) specificity")
        }
        // The three-class case's class 2 is never predicted, so its sensitivity is 0 and its specificity 1.
        let never = Self.fixture.cases[2]
        XCTAssertFalse(never.pred.contains(2))
        XCTAssertEqual(never.sensitivity[2], 0)
        XCTAssertEqual(never.specificity[2], 1)
    }

    func testRatesOfUndefinedClasses() {
        // Class 2 never occurs in truth (only predicted): no recall, left out of
        // the balanced accuracy as sklearn leaves it out; its sensitivity is undefined (nil), not 0.
        let m = ClassificationMetrics(truth: [0, 0, 1, 1], predicted: [0, 2, 1, 1], classes: ["a", "b", "c"])
        XCTAssertEqual(m.balancedAccuracy, (0.5 + 1) / 2, accuracy: 1e-15)
        XCTAssertEqual(m.sensitivities, [0.5, 1, nil])
        XCTAssertEqual(m.specificities, [1, 1, 0.75])
        // Every sample in class 0: no negatives, specificity undefined.
        let one = ClassificationMetrics(truth: [0, 0], predicted: [0, 1], classes: ["a", "b"])
        XCTAssertNil(one.specificities[0])
        XCTAssertEqual(one.sensitivities[0], 0.5)
    }

    func testCalibrationEqualsScikitLearn() {
        let bins = Self.fixture.bins
        for c in Self.fixture.cases {
            let confidences: [Double], outcomes: [Bool]
            if c.classes == 2 {
                confidences = c.probabilities.map { $0[1] }
                outcomes = c.truth.map { $0 == 1 }
            } else {
                confidences = c.probabilities.map { $0.max()! }
                outcomes = zip(c.pred, c.truth).map { $0 == $1 }
            }
            let r = Calibration.reliability(confidences: confidences, outcomes: outcomes, bins: bins)
            XCTAssertEqual(r.map(\.count), c.reliability.count, c.name)
            XCTAssertEqual(r.map(\.lower), c.reliability.lower, c.name)   // linspace's edges, bit for bit
            XCTAssertEqual(r.map(\.upper), c.reliability.upper, c.name)
            assertClose(r.map(\.observed), c.reliability.observed, 1e-12, "\(c.name) prob_true")
            assertClose(r.map(\.meanConfidence), c.reliability.meanConfidence, 1e-12, "\(c.name) prob_pred")
            XCTAssertEqual(Calibration.expectedCalibrationError(confidences: confidences, outcomes: outcomes, bins: bins),
                           c.reliability.ece, accuracy: 1e-12, c.name)
        }
    }

    func testCalibrationEdgesBelongToTheLowerBin() {
        // sklearn 1.7.2: searchsorted(side="left") on the interior edges, so 0.5 is in (0.4, 0.5], 0.1 in [0, 0.1], 1 in (0.9, 1].
        let r = Calibration.reliability(confidences: [0.0, 0.1, 0.5, 1.0], outcomes: [false, true, true, true])
        XCTAssertEqual(r.map(\.count), [2, 1, 1])
        XCTAssertEqual(r.map(\.upper), [0.1, 0.5, 1.0])
        XCTAssertEqual(r[0].observed, 0.5)
        XCTAssertEqual(r[0].meanConfidence, 0.05, accuracy: 1e-15)
    }

    func testBrierEqualsScikitLearn() throws {
        for c in Self.fixture.cases {
            if c.classes == 2 {
                XCTAssertEqual(Calibration.brier(probabilities: c.probabilities, truth: c.truth, positive: 1),
                               try XCTUnwrap(c.brier), accuracy: 1e-12, c.name)
            }
            // The whole matrix: halved for two columns, not for three.
            XCTAssertEqual(Calibration.brier(probabilities: c.probabilities, truth: c.truth, positive: nil), c.brierMatrix,
                           accuracy: 1e-12, c.name)
            for k in 0..<c.classes {
                XCTAssertEqual(Calibration.brier(probabilities: c.probabilities, truth: c.truth, positive: k), c.brierPerClass[k],
                               accuracy: 1e-12, "\(c.name) class \(k)")
            }
        }
        // The scale difference itself: one sample, fully wrong.
        XCTAssertEqual(Calibration.brier(probabilities: [[1, 0]], truth: [1], positive: nil), 1)
        XCTAssertEqual(Calibration.brier(probabilities: [[1, 0, 0]], truth: [1], positive: nil), 2)
    }

    func testDeLongEqualsReference() throws {
        let level = Self.fixture.level
        for (name, b) in blocks {
            let v = try XCTUnwrap(DeLong.aucVariance(scores: b.scores, positive: b.positive), name)
            XCTAssertEqual(v.auc, b.delongAuc, accuracy: 1e-9, name)
            XCTAssertEqual(v.auc, b.rocAuc, accuracy: 1e-12, "\(name): midrank AUC = trapezoid AUC")
            XCTAssertEqual(v.variance, b.delongVariance, accuracy: 1e-9, name)
            let ci = try XCTUnwrap(DeLong.interval(scores: b.scores, positive: b.positive, level: level), name)
            XCTAssertEqual(ci.low, b.delongInterval[0], accuracy: 1e-9, name)
            XCTAssertEqual(ci.high, b.delongInterval[1], accuracy: 1e-9, name)
            XCTAssertTrue(0 <= ci.low && ci.low <= v.auc && v.auc <= ci.high && ci.high <= 1, name)
        }
    }

    func testDeLongUndefinedAndDegenerate() throws {
        XCTAssertNil(DeLong.aucVariance(scores: [0.1, 0.2, 0.3], positive: [true, true, true]))
        XCTAssertNil(DeLong.interval(scores: [0.1, 0.2, 0.3], positive: [false, false, false]))
        // A single positive: no sample variance of its placement.
        XCTAssertNil(DeLong.aucVariance(scores: [0.1, 0.2, 0.3], positive: [true, false, false]))
        // Perfect separation: AUC 1, variance 0, interval [1, 1].
        let perfect = try XCTUnwrap(DeLong.aucVariance(scores: [0.1, 0.2, 0.8, 0.9], positive: [false, false, true, true]))
        XCTAssertEqual(perfect.auc, 1)
        XCTAssertEqual(perfect.variance, 0)
        let ci = try XCTUnwrap(DeLong.interval(scores: [0.1, 0.2, 0.8, 0.9], positive: [false, false, true, true]))
        XCTAssertEqual(ci.low, 1)
        XCTAssertEqual(ci.high, 1)
    }

    func testOperatingPointsEqualNumpy() throws {
        let target = Self.fixture.sensitivityTarget
        for (name, b) in blocks {
            XCTAssertEqual(try XCTUnwrap(OperatingPoint.youden(scores: b.scores, positive: b.positive)), b.youden,
                           accuracy: 1e-12, name)
            let t = OperatingPoint.threshold(forSensitivity: target, scores: b.scores, positive: b.positive)
            if let want = b.sensitivityThreshold {
                XCTAssertEqual(try XCTUnwrap(t), want, accuracy: 1e-12, name)
                // The threshold reaches the target under the >= convention.
                let predicted = OperatingPoint.predict(scores: b.scores, threshold: try XCTUnwrap(t))
                let tp = zip(predicted, b.positive).filter { $0 && $1 }.count
                XCTAssertGreaterThanOrEqual(Double(tp) / Double(b.positive.filter { $0 }.count), target, name)
            } else {
                XCTAssertNil(t, name)
            }
        }
    }

    func testOperatingPointConventions() {
        // J is 0.5 at thresholds 0.9 (tpr 1/2, fpr 0) and 0.7 (tpr 1, fpr 1/2), exactly: the higher one wins.
        let scores = [0.9, 0.8, 0.7, 0.6]
        let positive = [true, false, true, false]
        XCTAssertEqual(OperatingPoint.youden(scores: scores, positive: positive), 0.9)
        XCTAssertEqual(OperatingPoint.threshold(forSensitivity: 0.95, scores: scores, positive: positive), 0.7)
        XCTAssertEqual(OperatingPoint.threshold(forSensitivity: 0.5, scores: scores, positive: positive), 0.9)
        XCTAssertNil(OperatingPoint.threshold(forSensitivity: 0.5, scores: scores, positive: [false, false, false, false]))
        XCTAssertNil(OperatingPoint.youden(scores: scores, positive: [true, true, true, true]))
        XCTAssertEqual(OperatingPoint.predict(scores: [0.39, 0.4, 0.41], threshold: 0.4), [false, true, true])
    }

    func testUndefinedRankingMetrics() throws {
        XCTAssertNil(RankingMetrics.rocAUC(scores: [0.2, 0.4], positive: [true, true]))
        XCTAssertNil(RankingMetrics.rocAUC(scores: [0.2, 0.4], positive: [false, false]))
        XCTAssertNil(RankingMetrics.averagePrecision(scores: [0.2, 0.4], positive: [false, false]))
        XCTAssertEqual(RankingMetrics.averagePrecision(scores: [0.2, 0.4], positive: [true, true]), 1)
        // As sklearn: NaN rates for the missing class, recall 1 with no positive.
        XCTAssertTrue(RankingMetrics.rocCurve(scores: [0.2, 0.4], positive: [true, true]).fpr.allSatisfy(\.isNaN))
        XCTAssertEqual(RankingMetrics.precisionRecallCurve(scores: [0.2, 0.4], positive: [false, false]).recall, [1, 1, 0])
        // Class 2 absent from the truth: nil for it, the macro mean over the other two.
        let probs: [[Double]] = [[0.7, 0.2, 0.1], [0.3, 0.6, 0.1], [0.4, 0.5, 0.1], [0.6, 0.3, 0.1]]
        let truth = [0, 1, 1, 0]
        let aucs = RankingMetrics.perClassROCAUC(probabilities: probs, truth: truth)
        XCTAssertNil(aucs[2])
        XCTAssertEqual(aucs[0], 1)
        XCTAssertEqual(aucs[1], 1)
        XCTAssertEqual(RankingMetrics.macroROCAUC(probabilities: probs, truth: truth), 1)
        XCTAssertNil(RankingMetrics.perClassAveragePrecision(probabilities: probs, truth: truth)[2])
        XCTAssertEqual(RankingMetrics.macroAveragePrecision(probabilities: probs, truth: truth), 1)
        XCTAssertNil(RankingMetrics.macroROCAUC(probabilities: [[1, 0], [1, 0]], truth: [0, 0]))
    }

    func testPercentileEqualsNumpy() {
        for p in Self.fixture.percentile {
            let sorted = p.values.sorted()
            for (q, want) in zip(p.q, p.result) {
                XCTAssertEqual(Bootstrap.percentile(sorted: sorted, fraction: q / 100), want, accuracy: 1e-12, "\(p.values.count) values, q \(q)")
            }
        }
    }

    func testNormalDistributionEqualsScipy() {
        let n = Self.fixture.normal
        for (p, want) in zip(n.p, n.quantile) {
            XCTAssertEqual(NormalDistribution.quantile(p), want, accuracy: 1e-12 * max(1, abs(want)), "quantile(\(p))")
        }
        for (x, want) in zip(n.x, n.cdf) {
            XCTAssertEqual(NormalDistribution.cdf(x), want, accuracy: 1e-12 * max(want, 1e-300), "cdf(\(x))")
        }
        XCTAssertEqual(NormalDistribution.quantile(0), -.infinity)
        XCTAssertEqual(NormalDistribution.quantile(1), .infinity)
        XCTAssertTrue(NormalDistribution.quantile(1.5).isNaN)
        XCTAssertEqual(NormalDistribution.quantile(0.975), 1.959963984540054, accuracy: 1e-15)
    }

    func testBootstrapIsDeterministicForASeed() throws {
        let c = Self.fixture.cases[1]   // binary, imbalanced
        let b = try XCTUnwrap(c.binary)
        func auc(_ idx: [Int]) -> Double? {
            RankingMetrics.rocAUC(scores: idx.map { b.scores[$0] }, positive: idx.map { b.positive[$0] })
        }
        let first = try XCTUnwrap(Bootstrap.percentileInterval(truth: c.truth, replicates: 300, seed: 42, statistic: auc))
        let again = try XCTUnwrap(Bootstrap.percentileInterval(truth: c.truth, replicates: 300, seed: 42, statistic: auc))
        XCTAssertEqual(first.low, again.low)
        XCTAssertEqual(first.high, again.high)
        let other = try XCTUnwrap(Bootstrap.percentileInterval(truth: c.truth, replicates: 300, seed: 43, statistic: auc))
        XCTAssertTrue(other.low != first.low || other.high != first.high)
        // A replicate's indices depend on (seed, replicate) only, whatever ran before.
        XCTAssertEqual(Bootstrap.resample(truth: c.truth, seed: 42, replicate: 7), Bootstrap.resample(truth: c.truth, seed: 42, replicate: 7))
        XCTAssertNotEqual(Bootstrap.resample(truth: c.truth, seed: 42, replicate: 7), Bootstrap.resample(truth: c.truth, seed: 42, replicate: 8))
    }

    func testBootstrapKeepsClassCounts() {
        for c in Self.fixture.cases {
            var want: [Int: Int] = [:]
            for t in c.truth { want[t, default: 0] += 1 }
            var calls = 0
            _ = Bootstrap.percentileInterval(truth: c.truth, replicates: 50, seed: 1) { idx in
                calls += 1
                var got: [Int: Int] = [:]
                for i in idx { got[c.truth[i], default: 0] += 1 }
                XCTAssertEqual(got, want, c.name)
                XCTAssertEqual(idx.count, c.truth.count, c.name)
                return 0
            }
            XCTAssertEqual(calls, 50)
        }
    }

    func testBootstrapIntervalsStayInUnitRangeAndContainTheEstimate() throws {
        for c in Self.fixture.cases {
            let k = c.classes
            let point: Double?
            let statistic: ([Int]) -> Double?
            if k == 2 {
                let b = try XCTUnwrap(c.binary)
                point = RankingMetrics.rocAUC(scores: b.scores, positive: b.positive)
                statistic = { idx in RankingMetrics.rocAUC(scores: idx.map { b.scores[$0] }, positive: idx.map { b.positive[$0] }) }
            } else {
                point = RankingMetrics.macroROCAUC(probabilities: c.probabilities, truth: c.truth)
                statistic = { idx in RankingMetrics.macroROCAUC(probabilities: idx.map { c.probabilities[$0] }, truth: idx.map { c.truth[$0] }) }
            }
            let estimate = try XCTUnwrap(point)
            let ci = try XCTUnwrap(Bootstrap.percentileInterval(truth: c.truth, replicates: 400, seed: 2024, statistic: statistic))
            XCTAssertTrue(0 <= ci.low && ci.low <= estimate && estimate <= ci.high && ci.high <= 1, "\(c.name): \(ci) vs \(estimate)")
            XCTAssertLessThan(ci.low, ci.high, c.name)
            // Balanced accuracy at the fixture's predictions, bootstrapped the same way.
            let names = (0..<k).map { "c\($0)" }
            let bal = ClassificationMetrics(truth: c.truth, predicted: c.pred, classes: names).balancedAccuracy
            let bci = try XCTUnwrap(Bootstrap.percentileInterval(truth: c.truth, replicates: 400, seed: 2024) { idx in
                ClassificationMetrics(truth: idx.map { c.truth[$0] }, predicted: idx.map { c.pred[$0] }, classes: names).balancedAccuracy
            })
            XCTAssertTrue(0 <= bci.low && bci.low <= bal && bal <= bci.high && bci.high <= 1, "\(c.name): \(bci) vs \(bal)")
        }
    }

    func testBootstrapNeedsHalfTheReplicates() {
        let truth = [0, 0, 1, 1]
        var n = 0
        XCTAssertNil(Bootstrap.percentileInterval(truth: truth, replicates: 10, seed: 0) { _ in n += 1; return n <= 4 ? 0.5 : nil })
        n = 0
        let ci = Bootstrap.percentileInterval(truth: truth, replicates: 10, seed: 0) { _ in n += 1; return n <= 5 ? 0.5 : nil }
        XCTAssertEqual(ci?.low, 0.5)
        XCTAssertEqual(ci?.high, 0.5)
        XCTAssertNil(Bootstrap.percentileInterval(truth: [], replicates: 10, seed: 0) { _ in 1 })
    }
}
