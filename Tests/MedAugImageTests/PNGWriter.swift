/// A deliberately naive PNG writer for test input.
///
/// `ImageCodec.encodePNG` (libpng) only writes 8/16-bit, non-palette,
/// non-interlaced files, yet the decoder must read every PNG mode. Writing
/// these files by hand — stored deflate blocks, filter 0, no libpng — also keeps
/// the test input independent of the library under test.
struct PNGWriter {
    enum ColorType: UInt8 {
        case gray = 0, rgb = 2, palette = 3, grayAlpha = 4, rgba = 6

        var samplesPerPixel: Int {
            switch self {
            case .gray, .palette: return 1
            case .grayAlpha: return 2
            case .rgb: return 3
            case .rgba: return 4
            }
        }
    }

    var width: Int
    var height: Int
    var colorType: ColorType
    var bitDepth: Int
    /// PLTE entries (r, g, b); required for `.palette`.
    var palette: [[UInt8]] = []
    /// Raw tRNS chunk data (palette: one alpha per entry, may be shorter than PLTE).
    var transparency: [UInt8]? = nil
    var interlaced = false
    /// Row y filtered with type y % 5 (None, Sub, Up, Average, Paeth) instead of
    /// all None, as encoders that choose filters per row write them.
    var cycleFilters = false
    /// The zlib stream split over IDAT chunks of at most this many bytes (libpng writes 8 KiB).
    var idatChunkSize: Int? = nil

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A whole file. `samples` holds `samplesPerPixel` values per pixel, row by
    /// row (palette: the indices), each below 2^bitDepth.
    func encode(_ samples: [Int]) -> [UInt8] {
        precondition(samples.count == width * height * colorType.samplesPerPixel, "sample count")
        var file = Self.signature + Self.chunk("IHDR", ihdr())
        if colorType == .palette { file += Self.chunk("PLTE", palette.flatMap { $0 }) }
        if let t = transparency { file += Self.chunk("tRNS", t) }
        let z = Self.zlibStored(scanlines(samples))
        let step = idatChunkSize ?? z.count
        for start in stride(from: 0, to: z.count, by: step) {
            file += Self.chunk("IDAT", Array(z[start..<min(z.count, start + step)]))
        }
        file += Self.chunk("IEND", [])
        return file
    }

    /// Signature and IHDR only: what a header-only limit check must be able to use.
    func headerOnly() -> [UInt8] { Self.signature + Self.chunk("IHDR", ihdr()) }

    private func ihdr() -> [UInt8] {
        Self.be32(UInt32(width)) + Self.be32(UInt32(height))
            + [UInt8(bitDepth), colorType.rawValue, 0, 0, interlaced ? 1 : 0]
    }

    /// The filtered rows of the image, or of each Adam7 pass in turn.
    private func scanlines(_ samples: [Int]) -> [UInt8] {
        // (x0, y0, dx, dy) of the seven Adam7 passes.
        let passes = interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)]
        var out = [UInt8]()
        for (x0, y0, dx, dy) in passes {
            let xs = Array(stride(from: x0, to: width, by: dx))
            // An empty pass has no rows at all, not even filter bytes.
            if xs.isEmpty { continue }
            var previous: [UInt8]? = nil
            for y in stride(from: y0, to: height, by: dy) {
                let row = packRow(xs.flatMap { x in
                    let i = (y * width + x) * colorType.samplesPerPixel
                    return samples[i..<i + colorType.samplesPerPixel]
                })
                let type = cycleFilters ? UInt8(y % 5) : 0
                out.append(type)
                out += Self.filter(type, row, previous, bpp: max(1, colorType.samplesPerPixel * bitDepth / 8))
                previous = row
            }
        }
        return out
    }

    /// PNG's five row filters, written from the specification (section 9).
    static func filter(_ type: UInt8, _ row: [UInt8], _ prev: [UInt8]?, bpp: Int) -> [UInt8] {
        func a(_ i: Int) -> Int { i >= bpp ? Int(row[i - bpp]) : 0 }
        func b(_ i: Int) -> Int { prev.map { Int($0[i]) } ?? 0 }
        func c(_ i: Int) -> Int { i >= bpp ? (prev.map { Int($0[i - bpp]) } ?? 0) : 0 }
        return row.indices.map { i in
            let x = Int(row[i])
            let predicted: Int
            switch type {
            case 0: predicted = 0
            case 1: predicted = a(i)
            case 2: predicted = b(i)
            case 3: predicted = (a(i) + b(i)) / 2
            default:
                let p = a(i) + b(i) - c(i)
                let pa = abs(p - a(i)), pb = abs(p - b(i)), pc = abs(p - c(i))
                predicted = pa <= pb && pa <= pc ? a(i) : (pb <= pc ? b(i) : c(i))
            }
            return UInt8(truncatingIfNeeded: x - predicted)
        }
    }

    private func packRow(_ row: [Int]) -> [UInt8] {
        switch bitDepth {
        case 16: return row.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case 8: return row.map { UInt8($0) }
        default:
            // Most significant bits first; the last byte of a row is zero-padded.
            var out = [UInt8]()
            var acc = 0, used = 0
            for v in row {
                acc = (acc << bitDepth) | v
                used += bitDepth
                if used == 8 { out.append(UInt8(acc)); acc = 0; used = 0 }
            }
            if used > 0 { out.append(UInt8(acc << (8 - used))) }
            return out
        }
    }

    // MARK: - File structure

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return be32(UInt32(data.count)) + typeAndData + be32(crc32(typeAndData))
    }

    /// A zlib stream of stored (uncompressed) deflate blocks.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let n = min(65535, data.count - start)
            let final: UInt8 = start + n == data.count ? 1 : 0
            out += [final, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[start..<start + n]
            start += n
        } while start < data.count
        return out + be32(adler32(data))
    }

    static func be32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for x in bytes {
            a = (a + UInt32(x)) % 65521
            b = (b + a) % 65521
        }
        return (b << 16) | a
    }

    /// Byte offset of the first chunk of `type` (its length field), or nil.
    static func chunkOffset(_ type: String, in png: [UInt8]) -> Int? {
        var p = 8
        while p + 8 <= png.count {
            let len = Int(png[p]) << 24 | Int(png[p + 1]) << 16 | Int(png[p + 2]) << 8 | Int(png[p + 3])
            if String(decoding: png[p + 4..<p + 8], as: UTF8.self) == type { return p }
            p += 12 + len
        }
        return nil
    }
}
