import XCTest
import Foundation
@testable import MedAugExperiment

/// Against SciPy 1.11 on the same samples (parity/make_stats_fixtures.py).
final class StatisticsTests: XCTestCase {
    struct Fixture: Decodable {
        struct Sample: Decodable { let x: [Double]; let mean: Double; let sd: Double; let ci95: [Double] }
        struct Welch: Decodable { let a: String; let b: String; let t: Double; let p: Double; let df: Double }
        let samples: [String: Sample]
        let welch: [Welch]
    }

    func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/stats.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    func testMeanSDAndIntervalEqualSciPy() throws {
        let f = try fixture()
        XCTAssertEqual(f.samples.count, 6)
        for (name, s) in f.samples {
            XCTAssertEqual(Statistics.mean(s.x), s.mean, accuracy: 1e-12, name)
            XCTAssertEqual(Statistics.sd(s.x), s.sd, accuracy: 1e-12, name)
            let (lo, hi) = Statistics.confidenceInterval(s.x)
            XCTAssertEqual(lo, s.ci95[0], accuracy: 1e-9, name)
            XCTAssertEqual(hi, s.ci95[1], accuracy: 1e-9, name)
        }
    }

    func testWelchEqualsSciPy() throws {
        let f = try fixture()
        XCTAssertEqual(f.welch.count, 4)
        for w in f.welch {
            let r = Statistics.welch(f.samples[w.a]!.x, f.samples[w.b]!.x)
            XCTAssertEqual(r.t, w.t, accuracy: 1e-10, "\(w.a) vs \(w.b)")
            XCTAssertEqual(r.df, w.df, accuracy: 1e-9, "\(w.a) vs \(w.b)")
            XCTAssertEqual(r.p, w.p, accuracy: 1e-9, "\(w.a) vs \(w.b)")
        }
    }
}
