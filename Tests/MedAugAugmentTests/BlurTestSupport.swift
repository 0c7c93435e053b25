import MedAugCore
import XCTest
import MedAugImage
@testable import MedAugAugment

/// Helpers for the Blur and Convolutional families' tests (namespaced: the test module is shared).
enum BlurConv {
    static func gray(_ rows: [[UInt8]]) -> Image {
        Image(width: rows[0].count, height: rows.count, channels: 1, bytes: rows.flatMap { $0 })
    }

    static func rows(_ image: Image) -> [[Int]] {
        let s: [Int] = image.bytes.map { $0.map(Int.init) } ?? image.samples16!.map(Int.init)
        let rowLen = image.width * image.channels
        return (0..<image.height).map { Array(s[($0 * rowLen)..<($0 * rowLen + rowLen)]) }
    }

    /// A deterministic pattern image (no RNG needed).
    static func pattern(width: Int, height: Int, channels: Int, seed: UInt32 = 1) -> Image {
        var x = seed &* 2654435761 &+ 12345
        let v: [UInt8] = (0..<(width * height * channels)).map { _ in
            x = x &* 1664525 &+ 1013904223
            return UInt8(truncatingIfNeeded: x >> 24)
        }
        return Image(width: width, height: height, channels: channels, bytes: v)
    }

    /// Smooth gradients with a stripe: closer to a photo than noise.
    static func smooth(width: Int, height: Int, channels: Int) -> Image {
        var v: [UInt8] = []
        for y in 0..<height { for x in 0..<width { for c in 0..<channels {
            v.append(UInt8(truncatingIfNeeded: (x * 7 + y * 3 + c * 40 + ((x + y) % 16 < 8 ? 60 : 0)) % 256))
        } } }
        return Image(width: width, height: height, channels: channels, bytes: v)
    }

    static func context(_ seed: UInt64 = 11, _ identity: String = "blurconv") -> AugmentContext {
        AugmentContext(seed: seed, identity: identity, recordTrace: true)
    }

    static func run(_ aug: any Augmenter, _ image: Image, seed: UInt64 = 11) throws -> Image {
        var ctx = context(seed)
        return try aug.augment(image, &ctx)
    }

    /// Shapes every augmenter must survive: gray, RGB, RGBA, 2-channel, 1x1, thin, empty.
    static let edgeShapes: [(w: Int, h: Int, c: Int)] = [
        (7, 5, 1), (7, 5, 3), (7, 5, 4), (6, 4, 2), (1, 1, 1), (1, 1, 3), (1, 1, 4),
        (9, 1, 3), (1, 9, 4), (2, 1, 1), (1, 40, 1), (40, 1, 3), (3, 2, 3), (0, 3, 3), (3, 0, 1),
    ]

    /// Runs the augmenter on every edge shape, 8-bit and (when `sixteen`) 16-bit,
    /// checking shape and depth; without `sixteen`, 16-bit must be refused with an AugmentError.
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
                let img16 = img.to16Bit()
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

    static func only<T>(_ yaml: String, as kind: T.Type, file: StaticString = #filePath, line: UInt = #line) throws -> T {
        let p = try PipelineReader.parse(yaml, format: .yaml)
        XCTAssertEqual(p.children.count, 1, file: file, line: line)
        return try XCTUnwrap(p.children.first as? T, "parsed \(Swift.type(of: p.children.first!))", file: file, line: line)
    }

    /// Parsing fails with a PipelineError that names `key`.
    static func assertRejects(_ yaml: String, key: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PipelineReader.parse(yaml, format: .yaml), file: file, line: line) { e in
            guard let pe = e as? PipelineError else { return XCTFail("not a PipelineError: \(e)", file: file, line: line) }
            XCTAssertTrue("\(pe)".contains("'\(key)'"), "\(pe)", file: file, line: line)
        }
    }

    /// Writes the pipeline as YAML and JSON, reads each back, and compares configs.
    static func assertRoundTrip(_ augs: [any Augmenter], file: StaticString = #filePath, line: UInt = #line) throws {
        let seq = Sequential(augs)
        for format in [ConfigCoding.Format.yaml, .json] {
            let text = PipelineWriter.render(seq, format: format)
            let back = try PipelineReader.parse(text, format: format)
            XCTAssertEqual(PipelineWriter.value(back), PipelineWriter.value(seq), "\(format):\n\(text)", file: file, line: line)
        }
    }

    static func assertKernel(_ k: Kernel2D, _ expected: [[Float]], accuracy: Float = 1e-6,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(k.rows.count, expected.count, file: file, line: line)
        for (r, e) in zip(k.rows, expected) {
            XCTAssertEqual(r.count, e.count, file: file, line: line)
            for (a, b) in zip(r, e) { XCTAssertEqual(a, b, accuracy: accuracy, "\(k)", file: file, line: line) }
        }
    }
}
