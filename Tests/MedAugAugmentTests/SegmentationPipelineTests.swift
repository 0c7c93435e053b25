import MedAugCore
import XCTest
import MedAugImage
@testable import MedAugAugment

final class SegmentationPipelineTests: XCTestCase {
    func superpixels(_ yaml: String) throws -> Superpixels {
        let p = try PipelineReader.parse(yaml, format: .yaml)
        return try XCTUnwrap(p.children.first as? Superpixels)
    }

    func expectError(_ yaml: String, key: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PipelineReader.parse(yaml, format: .yaml), file: file, line: line) { error in
            guard let e = error as? PipelineError else { return XCTFail("not a PipelineError: \(error)", file: file, line: line) }
            XCTAssertTrue(e.location.contains("key '\(key)'"), "\(e)", file: file, line: line)
        }
    }

    func testDefaults() throws {
        let s = try superpixels("- Superpixels")
        XCTAssertEqual(s.pReplace, Probability(.range(0.5, 1.0)))
        XCTAssertEqual(s.nSegments, .range(50, 120))
        XCTAssertEqual(s.maxSize, 128)
        XCTAssertEqual(s.interpolation, .linear)
        XCTAssertEqual(s.name, "Superpixels")
    }

    func testStudyEntry() throws {
        let s = try superpixels("- Superpixels: {p_replace: [0.1, 1.0], n_segments: [100, 200]}")
        XCTAssertEqual(s.pReplace, Probability(.range(0.1, 1.0)))
        XCTAssertEqual(s.nSegments, .range(100, 200))
        XCTAssertEqual(s.maxSize, 128)
    }

    func testAllForms() throws {
        let s = try superpixels("""
        - Superpixels:
            p_replace: {choice: [0.25, 0.75]}
            n_segments: {choice: [10, 20, 40]}
            max_size: null
            interpolation: cubic
        """)
        XCTAssertEqual(s.pReplace, Probability(.choice([0.25, 0.75])))
        XCTAssertEqual(s.nSegments, Discrete(.choice([10, 20, 40])))
        XCTAssertNil(s.maxSize)
        XCTAssertEqual(s.interpolation, .cubic)
        XCTAssertEqual(try superpixels("- Superpixels: {p_replace: true, n_segments: 7, max_size: 64, interpolation: 3}").interpolation, .area)
        XCTAssertEqual(try superpixels("- Superpixels: {p_replace: 0.3, interpolation: 0}").interpolation, .nearest)
        XCTAssertEqual(try superpixels("- Superpixels: {p_replace: 0.3, interpolation: nearest}").interpolation, .nearest)
        XCTAssertEqual(try superpixels("- Superpixels: {p_replace: 0.3}").pReplace, .constant(0.3))
    }

    func testBadValuesNameTheKey() {
        expectError("- Superpixels: {n_segments: 0}", key: "n_segments")
        expectError("- Superpixels: {n_segments: [0, 10]}", key: "n_segments")
        expectError("- Superpixels: {n_segments: 2.5}", key: "n_segments")
        expectError("- Superpixels: {p_replace: 1.5}", key: "p_replace")
        expectError("- Superpixels: {p_replace: [-0.1, 0.5]}", key: "p_replace")
        expectError("- Superpixels: {max_size: 0}", key: "max_size")
        expectError("- Superpixels: {max_size: 12.5}", key: "max_size")
        expectError("- Superpixels: {interpolation: bicubic}", key: "interpolation")
        expectError("- Superpixels: {interpolation: 7}", key: "interpolation")
        expectError("- Superpixels: {interpolation: [linear]}", key: "interpolation")
        expectError("- Superpixels: {compactness: 20}", key: "compactness")
    }

    func testRoundTrip() throws {
        let pipelines = [
            "- Superpixels",
            "- Superpixels: {p_replace: [0.1, 1.0], n_segments: [100, 200]}",
            "- Superpixels: {p_replace: 0.5, n_segments: {choice: [10, 30]}, max_size: null, interpolation: 2}",
            "- Superpixels: {p_replace: {choice: [0.2, 0.9]}, n_segments: 64, max_size: 256, interpolation: area}",
        ]
        for text in pipelines {
            let p = try PipelineReader.parse(text, format: .yaml)
            for format in [ConfigCoding.Format.yaml, .json] {
                let again = try PipelineReader.parse(PipelineWriter.render(p, format: format), format: format)
                XCTAssertEqual(PipelineWriter.value(again), PipelineWriter.value(p), text)
            }
        }
        // Every argument is written under imgaug's name.
        let s = try superpixels("- Superpixels: {max_size: null}")
        XCTAssertEqual(s.arguments.map(\.0), ["p_replace", "n_segments", "max_size", "interpolation"])
        XCTAssertEqual(s.arguments[2].1, .null)
        XCTAssertEqual(s.arguments[3].1, .string("linear"))
    }

    func testRegistered() {
        XCTAssertNotNil(AugmenterRegistry.spec(named: "Superpixels"))
        XCTAssertEqual(Superpixels.spec.parameters, ["p_replace", "n_segments", "max_size", "interpolation"])
    }
}
