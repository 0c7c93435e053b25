import MedAugCore
import XCTest
import Foundation
@testable import MedAugAugment

final class PipelineFileTests: XCTestCase {
    func testUnknownAugmenterNamesPositionAndAllowedNames() {
        let yaml = """
        - Sequential: {children: []}
        - GausianBlur: {sigma: 1}
        """
        XCTAssertThrowsError(try PipelineReader.parse(yaml, format: .yaml, source: "p.yaml")) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("p.yaml"), m)
            XCTAssertTrue(m.contains("entry 2"), m)
            XCTAssertTrue(m.contains("GausianBlur"), m)
            XCTAssertTrue(m.contains("allowed:") && m.contains("Sometimes"), m)
        }
    }

    func testUnknownKeyNamesTheKeyAndTheAllowedOnes() {
        let yaml = "- Sometimes: {p: 0.5, thn: []}\n"
        XCTAssertThrowsError(try PipelineReader.parse(yaml, format: .yaml)) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("entry 1 (Sometimes)"), m)
            XCTAssertTrue(m.contains("'thn'"), m)
            XCTAssertTrue(m.contains("p, then, else"), m)
        }
    }

    func testOutOfRangeAndWrongType() {
        XCTAssertThrowsError(try PipelineReader.parse("- Sometimes: {p: 1.5}\n", format: .yaml)) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("'p'") && m.contains("1.5") && m.contains("0 to 1"), m)
        }
        XCTAssertThrowsError(try PipelineReader.parse("- Sometimes: {p: often}\n", format: .yaml)) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("'p'") && m.contains("a string"), m)
        }
        XCTAssertThrowsError(try PipelineReader.parse("- Sequential: {random_order: 1}\n", format: .yaml)) { e in
            XCTAssertTrue("\(e)".contains("true or false"), "\(e)")
        }
        XCTAssertThrowsError(try PipelineReader.parse("Sequential: {}\n", format: .yaml)) { e in
            XCTAssertTrue("\(e)".contains("list of augmenters"), "\(e)")
        }
    }

    func testNestedErrorsNameTheNestedPosition() {
        let yaml = """
        - Sometimes:
            p: 0.5
            then:
              - Sequential: {children: []}
              - Nope: {}
        """
        XCTAssertThrowsError(try PipelineReader.parse(yaml, format: .yaml)) { e in
            XCTAssertTrue("\(e)".contains("entry 1 > then[2]"), "\(e)")
        }
    }

    func testMetaRoundTripYAMLAndJSON() throws {
        let yaml = """
        - SomeOf:
            n: [1, 3]
            random_order: true
            children:
              - OneOf:
                  children:
                    - Sequential: {children: []}
              - Sometimes:
                  p: 0.25
                  then:
                    - Sequential: {random_order: true, children: []}
        - SomeOf:
            n: [2, null]
            children: []
        """
        let p = try PipelineReader.parse(yaml, format: .yaml)
        for format in [ConfigCoding.Format.yaml, .json] {
            let text = PipelineWriter.render(p, format: format)
            let again = try PipelineReader.parse(text, format: format)
            XCTAssertEqual(PipelineWriter.value(again), PipelineWriter.value(p), text)
        }
    }

    func testJSONKeepsKeyOrderAndUnicode() throws {
        let v = try ConfigCoding.parse(#"{"b": 1, "a": [1.5, "Ödem \u00e9"], "c": {"z": null, "y": true}}"#, format: .json, source: "x")
        guard case .map(let m) = v else { return XCTFail() }
        XCTAssertEqual(m.map(\.0), ["b", "a", "c"])
        XCTAssertEqual(v["a"], .list([.double(1.5), .string("Ödem é")]))
        XCTAssertThrowsError(try ConfigCoding.parse("[1, 2", format: .json, source: "bad.json")) { e in
            XCTAssertTrue("\(e)".contains("bad.json"), "\(e)")
        }
    }

    func testShippedPresetFilesEqualTheBuiltInPresets() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in Presets.names {
            let file = root.appendingPathComponent("pipelines/\(name).yaml").path
            let text = try String(contentsOfFile: file, encoding: .utf8)
            XCTAssertEqual(text.trimmingCharacters(in: .whitespacesAndNewlines),
                           Presets.text(name)!.trimmingCharacters(in: .whitespacesAndNewlines), name)
        }
    }
}
