import CTIFF
import Foundation
import MedAugFormats
import MedAugImage
import XCTest

/// TIFF files written with libtiff in the layouts pathology and microscopy
/// use (16-bit gray, RGB, strips and tiles, LZW, deflate, several pages),
/// read back sample for sample.
final class TIFFReadingTests: XCTestCase {
    enum Layout { case strips(rows: UInt32), tiles(side: UInt32) }

    /// Writes `pages` pages of width x height with `samples` samples of `bits`;
    /// sample (x, y, c) of page p is (x * 31 + y * 17 + c * 101 + p * 7) mod 2^bits.
    static func write(_ path: String, width: Int, height: Int, samples: Int, bits: Int, compression: Int32,
                      layout: Layout, pages: Int = 1) {
        let tif = TIFFOpen(path, "w")!
        defer { TIFFClose(tif) }
        for p in 0..<pages {
            setField(tif, TIFFTAG_IMAGEWIDTH, UInt32(width))
            setField(tif, TIFFTAG_IMAGELENGTH, UInt32(height))
            setField16(tif, TIFFTAG_SAMPLESPERPIXEL, UInt16(samples))
            setField16(tif, TIFFTAG_BITSPERSAMPLE, UInt16(bits))
            setField16(tif, TIFFTAG_PHOTOMETRIC, UInt16(samples >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK))
            setField16(tif, TIFFTAG_PLANARCONFIG, UInt16(PLANARCONFIG_CONTIG))
            setField16(tif, TIFFTAG_COMPRESSION, UInt16(compression))
            let bytesPerSample = bits / 8
            func value(_ x: Int, _ y: Int, _ c: Int) -> Int { (x * 31 + y * 17 + c * 101 + p * 7) % (1 << bits) }
            func fill(_ buf: UnsafeMutableRawPointer, x0: Int, y0: Int, w: Int, h: Int) {
                for y in 0..<h { for x in 0..<w { for c in 0..<samples {
                    let k = (y * w + x) * samples + c
                    let v = (x0 + x < width && y0 + y < height) ? value(x0 + x, y0 + y, c) : 0
                    if bytesPerSample == 1 { buf.storeBytes(of: UInt8(v), toByteOffset: k, as: UInt8.self) }
                    else { buf.storeBytes(of: UInt16(v), toByteOffset: 2 * k, as: UInt16.self) }
                } } }
            }
            switch layout {
            case .strips(let rows):
                setField(tif, TIFFTAG_ROWSPERSTRIP, rows)
                let size = Int(rows) * width * samples * bytesPerSample
                let buf = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
                defer { buf.deallocate() }
                var y = 0, strip: UInt32 = 0
                while y < height {
                    let h = min(Int(rows), height - y)
                    fill(buf, x0: 0, y0: y, w: width, h: h)
                    TIFFWriteEncodedStrip(tif, strip, buf, tmsize_t(h * width * samples * bytesPerSample))
                    y += h; strip += 1
                }
            case .tiles(let side):
                setField(tif, TIFFTAG_TILEWIDTH, side)
                setField(tif, TIFFTAG_TILELENGTH, side)
                let size = Int(side * side) * samples * bytesPerSample
                let buf = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
                defer { buf.deallocate() }
                for ty in stride(from: 0, to: height, by: Int(side)) {
                    for tx in stride(from: 0, to: width, by: Int(side)) {
                        fill(buf, x0: tx, y0: ty, w: Int(side), h: Int(side))
                        TIFFWriteTile(tif, buf, UInt32(tx), UInt32(ty), 0, 0)
                    }
                }
            }
            TIFFWriteDirectory(tif)
        }
    }

    static func expected(width: Int, height: Int, samples: Int, bits: Int, page: Int = 0) -> [Int] {
        var out: [Int] = []
        for y in 0..<height { for x in 0..<width { for c in 0..<samples {
            out.append((x * 31 + y * 17 + c * 101 + page * 7) % (1 << bits))
        } } }
        return out
    }

    func read(_ path: String, bits: Int, page: FrameChoice = .first) throws -> [Int] {
        let img = try MedicalImageFile.read(path, options: ReadOptions(bits: bits, frames: page))
        return img.samples16.map { $0.map(Int.init) } ?? img.bytes!.map(Int.init)
    }

    func testSixteenBitGrayLZWStripsStaysSixteenBit() throws {
        let dir = try DicomFixtures.folder()
        let path = dir + "/gray16.tif"
        Self.write(path, width: 37, height: 23, samples: 1, bits: 16, compression: Int32(COMPRESSION_LZW), layout: .strips(rows: 5))
        XCTAssertEqual(try read(path, bits: 16), Self.expected(width: 37, height: 23, samples: 1, bits: 16))
        let h = try MedicalImageFile.header(path, options: ReadOptions(bits: 16))
        XCTAssertEqual([h.width, h.height, h.channels, h.bitDepth], [37, 23, 1, 16])
        // 8-bit output rounds v * 255 / 65535.
        XCTAssertEqual(try read(path, bits: 8), Self.expected(width: 37, height: 23, samples: 1, bits: 16).map { ($0 * 255 + 32767) / 65535 })
    }

    func testRGBDeflateTilesAndUncompressed() throws {
        let dir = try DicomFixtures.folder()
        let tiled = dir + "/rgb.tiff", plain = dir + "/rgb-plain.tif"
        Self.write(tiled, width: 40, height: 35, samples: 3, bits: 8, compression: Int32(COMPRESSION_ADOBE_DEFLATE), layout: .tiles(side: 16))
        Self.write(plain, width: 40, height: 35, samples: 3, bits: 8, compression: Int32(COMPRESSION_NONE), layout: .strips(rows: 35))
        let want = Self.expected(width: 40, height: 35, samples: 3, bits: 8)
        XCTAssertEqual(try read(tiled, bits: 8), want)
        XCTAssertEqual(try read(plain, bits: 8), want)
    }

    func testMultiPageTakesTheFirstUnlessToldAndConvertWritesAll() throws {
        let dir = try DicomFixtures.folder()
        let path = dir + "/stack.tif"
        Self.write(path, width: 9, height: 7, samples: 1, bits: 8, compression: Int32(COMPRESSION_LZW), layout: .strips(rows: 7), pages: 3)
        XCTAssertEqual(try read(path, bits: 8), Self.expected(width: 9, height: 7, samples: 1, bits: 8, page: 0))
        XCTAssertEqual(try read(path, bits: 8, page: .middle), Self.expected(width: 9, height: 7, samples: 1, bits: 8, page: 1))
        let all = try MedicalImageFile.frames(try ImageFile.readBytes(path), path: path, options: ReadOptions(frames: .all))
        XCTAssertEqual(all.count, 3)
        XCTAssertEqual(all[2].image.bytes!.map(Int.init), Self.expected(width: 9, height: 7, samples: 1, bits: 8, page: 2))
    }

    func testBadTIFFsAreNamedErrors() throws {
        let dir = try DicomFixtures.folder()
        let good = dir + "/good.tif"
        Self.write(good, width: 64, height: 64, samples: 1, bits: 16, compression: Int32(COMPRESSION_LZW), layout: .strips(rows: 8))
        var bytes = try ImageFile.readBytes(good)
        bytes.removeLast(bytes.count / 2)
        let cut = dir + "/cut.tif"
        try Data(bytes).write(to: URL(fileURLWithPath: cut))
        XCTAssertThrowsError(try MedicalImageFile.read(cut)) { error in
            let e = error as! ImageError
            XCTAssertEqual(e.path, cut)
            XCTAssertEqual(e.kind, .corrupt, e.description)
        }
        let fake = dir + "/fake.tif"
        try Data([0x49, 0x49, 0x2A, 0x00, 1, 2, 3]).write(to: URL(fileURLWithPath: fake))
        XCTAssertThrowsError(try MedicalImageFile.read(fake)) { error in
            XCTAssertEqual((error as! ImageError).path, fake)
        }
    }
}

// libtiff's TIFFSetField is variadic, which Swift cannot call: these go through its va_list form.
private func setField(_ tif: OpaquePointer, _ tag: Int32, _ value: UInt32) {
    withVaList([value]) { _ = TIFFVSetField(tif, UInt32(tag), $0) }
}
private func setField16(_ tif: OpaquePointer, _ tag: Int32, _ value: UInt16) {
    withVaList([Int32(value)]) { _ = TIFFVSetField(tif, UInt32(tag), $0) }
}
