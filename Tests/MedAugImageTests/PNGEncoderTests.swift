import CImageCodecs
import MedAugImage
import XCTest

/// The libdeflate PNG writer and the reader's libdeflate path (png_deflate.c).
final class PNGEncoderTests: XCTestCase {
    /// A seeded stream of samples; smooth runs and noise, so that every filter type gets chosen.
    private func samples(_ count: Int, max: Int, seed: UInt64) -> [Int] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { i in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let noise = Int(state >> 33) % (max + 1)
            return i % 7 < 3 ? (i * 37) % (max + 1) : noise
        }
    }

    private func image(width: Int, height: Int, channels: Int, bits: Int, seed: UInt64) -> Image {
        let n = width * height * channels
        if bits == 16 {
            var v = samples(n, max: 65535, seed: seed).map(UInt16.init)
            v[0] = 0
            v[n - 1] = 65535
            return Image(width: width, height: height, channels: channels, pixels: .u16(v))
        }
        return Image(width: width, height: height, channels: channels, bytes: samples(n, max: 255, seed: seed).map(UInt8.init))
    }

    /// libpng alone, as a second reader of every file.
    private func decodeWithLibpng(_ bytes: [UInt8]) throws -> Image {
        var out = mc_image()
        var err = [CChar](repeating: 0, count: 512)
        let rc = bytes.withUnsafeBufferPointer { mc_png_decode_libpng($0.baseAddress, $0.count, 0, &out, &err, err.count) }
        guard rc == Int32(MC_OK) else { throw XCTSkip("libpng refused: \(String(cString: err))") }
        defer { mc_free(out.data) }
        let h = out.header, n = Int(h.width) * Int(h.height) * Int(h.channels)
        if h.bit_depth == 16 {
            let p = out.data!.bindMemory(to: UInt16.self, capacity: n)
            return Image(width: Int(h.width), height: Int(h.height), channels: Int(h.channels),
                         pixels: .u16(Array(UnsafeBufferPointer(start: p, count: n))))
        }
        let p = out.data!.bindMemory(to: UInt8.self, capacity: n)
        return Image(width: Int(h.width), height: Int(h.height), channels: Int(h.channels),
                     bytes: Array(UnsafeBufferPointer(start: p, count: n)))
    }

    /// Every bit depth, channel count and level, odd sizes included: what is
    /// written reads back exactly, through our reader and through libpng.
    func testExactRoundTripForEveryDepthChannelCountAndLevel() throws {
        for bits in [8, 16] {
            for channels in 1...4 {
                for (w, h) in [(1, 1), (1, 9), (13, 1), (31, 17)] {
                    for level in ImageCodec.pngCompressionLevels {
                        let img = image(width: w, height: h, channels: channels, bits: bits, seed: UInt64(w * 100 + h + level))
                        let png = try ImageCodec.encodePNG(img, compression: level)
                        let what = "\(bits)-bit, \(channels) channel(s), \(w)x\(h), level \(level)"
                        XCTAssertEqual(try ImageCodec.decode(png), img, what)
                        XCTAssertEqual(try decodeWithLibpng(png), img, "libpng reading \(what)")
                    }
                }
            }
        }
    }

    /// Files of another writer, with every filter type and the stream split
    /// over many IDAT chunks as libpng writes it: both read paths agree with the samples.
    func testFilesWithEveryFilterTypeAndManyIDATChunks() throws {
        for (type, channels) in [(PNGWriter.ColorType.gray, 1), (.grayAlpha, 2), (.rgb, 3), (.rgba, 4)] {
            for bits in [8, 16] {
                var w = PNGWriter(width: 23, height: 11, colorType: type, bitDepth: bits)
                w.cycleFilters = true
                w.idatChunkSize = 97
                let values = samples(23 * 11 * channels, max: bits == 16 ? 65535 : 255, seed: UInt64(channels * bits))
                let file = w.encode(values)
                let expected = bits == 16
                    ? Image(width: 23, height: 11, channels: channels, pixels: .u16(values.map(UInt16.init)))
                    : Image(width: 23, height: 11, channels: channels, bytes: values.map(UInt8.init))
                XCTAssertEqual(try ImageCodec.decode(file), expected, "\(type) \(bits)-bit")
                XCTAssertEqual(try decodeWithLibpng(file), expected, "libpng: \(type) \(bits)-bit")
            }
        }
    }

    /// Higher levels give smaller files of the same pixels; 0 stores them.
    func testLevelsTradeTimeForSize() throws {
        var px = [UInt8]()
        for y in 0..<96 { for x in 0..<128 { px += [UInt8((x + y) & 255), UInt8((x * y / 64) & 255), UInt8(x ^ y)] } }
        let img = Image(width: 128, height: 96, channels: 3, bytes: px)
        let sizes = try [0, 1, 9].map { try ImageCodec.encodePNG(img, compression: $0).count }
        XCTAssertGreaterThan(sizes[0], 128 * 96 * 3, "level 0 stores")
        XCTAssertLessThan(sizes[1], sizes[0])
        XCTAssertLessThan(sizes[2], sizes[1])
        XCTAssertThrowsError(try ImageCodec.encodePNG(img, compression: 10)) { e in
            XCTAssertTrue("\(e)".contains("0...9"), "\(e)")
        }
    }

    /// A damaged file written by us is still refused: a wrong CRC sends it to
    /// libpng, whose error names the problem.
    func testDamagedFileIsRefusedNotMisread() throws {
        var png = try ImageCodec.encodePNG(image(width: 16, height: 16, channels: 3, bits: 8, seed: 4))
        png[60] ^= 0x55
        XCTAssertThrowsError(try ImageCodec.decode(png))
        let cut = Array(png.prefix(png.count - 20))
        XCTAssertThrowsError(try ImageCodec.decode(cut))
    }
}
