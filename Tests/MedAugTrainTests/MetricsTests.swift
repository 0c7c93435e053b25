import MedAugCore
import XCTest
import Foundation
@testable import MedAugTrain

/// Against scikit-learn 1.2.2's output for the same predictions, computed once
/// by parity/make_metrics_fixtures.py.
final class MetricsTests: XCTestCase {
    struct Case: Decodable {
        let name: String
        let classes: [String]
        let truth: [Int]
        let pred: [Int]
        let report: String
        let precision: [Double]
        let recall: [Double]
        let f1: [Double]
        let support: [Int]
        let confusion: [[Int]]
    }

    func cases() throws -> [Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/metrics.json")
        return try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    }

    func testEqualsScikitLearn() throws {
        let all = try cases()
        XCTAssertEqual(all.count, 4)
        for c in all {
            let m = ClassificationMetrics(truth: c.truth, predicted: c.pred, classes: c.classes)
            XCTAssertEqual(m.report(), c.report, c.name)
            XCTAssertEqual(m.confusion, c.confusion, c.name)
            XCTAssertEqual(m.perClass.map(\.support), c.support, c.name)
            for i in c.classes.indices {
                XCTAssertEqual(m.perClass[i].precision, c.precision[i], accuracy: 1e-12, c.name)
                XCTAssertEqual(m.perClass[i].recall, c.recall[i], accuracy: 1e-12, c.name)
                XCTAssertEqual(m.perClass[i].f1, c.f1[i], accuracy: 1e-12, c.name)
            }
        }
    }

    func testClassNeverPredictedReportsZero() throws {
        let c = try cases().first { $0.name == "three-with-a-class-never-predicted" }!
        let m = ClassificationMetrics(truth: c.truth, predicted: c.pred, classes: c.classes)
        XCTAssertEqual(m.perClass[2].precision, 0)
        XCTAssertEqual(m.perClass[2].f1, 0)
    }

    func testCSVQuotesAndParsesBack() {
        XCTAssertEqual(CSV.field("a,b"), "\"a,b\"")
        XCTAssertEqual(CSV.field("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSV.parse("x,\"a,b\",\"q\"\"\"\n1,2,3\n"), [["x", "a,b", "q\""], ["1", "2", "3"]])
    }
}
