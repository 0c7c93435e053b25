import MedAugCore
import XCTest
import MedAugImage
@testable import MedAugAugment

/// Helpers for the Geometric family's tests (namespaced: the test module is shared).
enum Geo {
    static func gray(_ rows: [[UInt8]]) -> Image {
        Image(width: rows.first?.count ?? 0, height: rows.count, channels: 1, bytes: rows.flatMap { $0 })
    }

    static func rows(_ image: Image) -> [[UInt8]] {
        let b = image.bytes!
        let rowLen = image.width * image.channels
        return (0..<image.height).map { Array(b[($0 * rowLen)..<(($0 + 1) * rowLen)]) }
    }

    /// A deterministic pattern image (no RNG needed).
    static func pattern(width: Int, height: Int, channels: Int, seed: Int = 1) -> Image {
        var v: [UInt8] = []
        v.reserveCapacity(width * height * channels)
        var x = UInt32(truncatingIfNeeded: seed &* 2654435761 &+ 12345)
        for _ in 0..<(width * height * channels) {
            x = x &* 1664525 &+ 1013904223
            v.append(UInt8(truncatingIfNeeded: x >> 24))
        }
        return Image(width: width, height: height, channels: channels, bytes: v)
    }

    static func context(_ seed: UInt64 = 7) -> AugmentContext {
        AugmentContext(seed: seed, identity: "geometric-test", recordTrace: true)
    }

    /// Shapes every augmenter must survive: gray, RGB, RGBA, 2-channel, 1x1, 1xN, Nx1.
    static let edgeShapes: [(w: Int, h: Int, c: Int)] = [(7, 5, 1), (7, 5, 3), (7, 5, 4), (6, 4, 2), (1, 1, 1), (1, 1, 3), (9, 1, 3), (1, 9, 4), (2, 1, 1)]

    static func parse(_ yaml: String) throws -> Sequential {
        try PipelineReader.parse(yaml, format: .yaml)
    }

    /// Round trip through YAML and JSON: the written file reads back to the same config.
    static func assertRoundTrip(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let p = try parse(yaml)
        for format in [ConfigCoding.Format.yaml, .json] {
            let text = PipelineWriter.render(p, format: format)
            let back = try PipelineReader.parse(text, format: format)
            XCTAssertEqual(PipelineWriter.value(back), PipelineWriter.value(p), "round trip via \(format):\n\(text)", file: file, line: line)
        }
    }

    static func assertPipelineError(_ yaml: String, key: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parse(yaml), file: file, line: line) { error in
            guard let e = error as? PipelineError else { return XCTFail("not a PipelineError: \(error)", file: file, line: line) }
            XCTAssertTrue(e.description.contains("'\(key)"), "error should name key \(key): \(e)", file: file, line: line)
        }
    }
}
