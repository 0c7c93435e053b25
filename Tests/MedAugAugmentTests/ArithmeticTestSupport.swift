import MedAugCore
import XCTest
import MedAugImage
@testable import MedAugAugment

/// Helpers for the Dropout, Arithmetic and Color families' tests (namespaced: the test module is shared).
enum DAC {
    static func image(_ w: Int, _ h: Int, _ c: Int, _ bytes: [UInt8]) -> Image {
        Image(width: w, height: h, channels: c, bytes: bytes)
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

    static func pattern16(width: Int, height: Int, channels: Int) -> Image {
        let b = pattern(width: width, height: height, channels: channels).bytes!
        return Image(width: width, height: height, channels: channels, samples16: b.enumerated().map { UInt16($0.element) * 257 &+ UInt16($0.offset % 200) })
    }

    static func context(_ seed: UInt64 = 7, _ identity: String = "dac-test") -> AugmentContext {
        AugmentContext(seed: seed, identity: identity, recordTrace: true)
    }

    static func run(_ aug: any Augmenter, _ image: Image, seed: UInt64 = 7, identity: String = "dac-test") throws -> Image {
        var ctx = context(seed, identity)
        return try aug.augment(image, &ctx)
    }

    /// Shapes every augmenter must survive: gray, RGB, RGBA, 2-channel, 1x1, 1xN, Nx1, empty.
    static let edgeShapes: [(w: Int, h: Int, c: Int)] = [
        (7, 5, 1), (7, 5, 3), (7, 5, 4), (6, 4, 2), (1, 1, 1), (1, 1, 3), (1, 1, 4),
        (9, 1, 3), (1, 9, 4), (2, 1, 1), (1, 40, 1), (40, 1, 3), (0, 3, 3), (3, 0, 1),
    ]

    /// Runs the augmenter on every edge shape, 8- and 16-bit, checking shape and bit depth; without
    /// `sixteen` the augmenter is 8-bit only and must convert a 16-bit image.
    static func assertEdgeShapes(_ aug: any Augmenter, sixteen: Bool, file: StaticString = #filePath, line: UInt = #line) {
        for s in edgeShapes {
            for seed in [UInt64(1), 2, 3] {
                let img = pattern(width: s.w, height: s.h, channels: s.c)
                do {
                    let out = try run(aug, img, seed: seed)
                    XCTAssertEqual([out.width, out.height, out.channels, out.bitDepth], [s.w, s.h, s.c, 8],
                                   "\(aug.name) on \(s)", file: file, line: line)
                } catch {
                    XCTFail("\(aug.name) failed on \(s): \(error)", file: file, line: line)
                }
                let img16 = pattern16(width: s.w, height: s.h, channels: s.c)
                if sixteen {
                    do {
                        let out = try run(aug, img16, seed: seed)
                        XCTAssertEqual([out.width, out.height, out.channels, out.bitDepth], [s.w, s.h, s.c, 16],
                                       "\(aug.name) 16-bit on \(s)", file: file, line: line)
                    } catch {
                        XCTFail("\(aug.name) 16-bit failed on \(s): \(error)", file: file, line: line)
                    }
                } else {
                    // 8-bit-only operations convert a 16-bit image and return it 8-bit:
                    // the same result as on the image converted beforehand.
                    XCTAssertEqual(try run(aug, img16, seed: seed), try run(aug, img16.to8Bit(), seed: seed),
                                   "\(aug.name) 16-bit on \(s)", file: file, line: line)
                }
            }
        }
    }

    static func parse(_ yaml: String) throws -> Sequential {
        try PipelineReader.parse(yaml, format: .yaml)
    }

    static func only<T>(_ yaml: String, as kind: T.Type, file: StaticString = #filePath, line: UInt = #line) throws -> T {
        let p = try parse(yaml)
        XCTAssertEqual(p.children.count, 1, file: file, line: line)
        return try XCTUnwrap(p.children.first as? T, "parsed \(Swift.type(of: p.children.first!))", file: file, line: line)
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
            XCTAssertTrue(e.description.contains("'\(key)'"), "error should name key \(key): \(e)", file: file, line: line)
        }
    }

    static func meanAbsDiff(_ a: [UInt8], _ b: [UInt8]) -> Double {
        precondition(a.count == b.count)
        var s = 0
        for i in a.indices { s += abs(Int(a[i]) - Int(b[i])) }
        return a.isEmpty ? 0 : Double(s) / Double(a.count)
    }
}
