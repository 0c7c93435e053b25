import CImageCodecs

/// What a file's header says, read without decoding pixels.
public struct ImageHeader: Equatable, Sendable {
    /// The format found from the file's signature (not its name).
    public let format: ImageFormat
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Channels after decoding: palettes expand to RGB(A), CMYK converts to RGB.
    public let channels: Int
    /// Bits per sample after decoding: 8 or 16.
    public let bitDepth: Int
    /// Bits per sample in the file (PNG: 1, 2, 4, 8 or 16).
    public let sourceBitDepth: Int
    /// PNG interlaced or JPEG progressive.
    public let progressive: Bool
    /// The file's own colour description: "gray", "palette", "rgb", "cmyk", ...
    public let sourceColor: String

    /// The colour mode the decoded image will have.
    public var mode: ColorMode { ColorMode(channels: channels) }

    /// Makes a header; readers of other formats (DICOM, TIFF in MedAugFormats)
    /// describe their files with it, giving `.png` as `format`, the format
    /// their images are written in.
    public init(format: ImageFormat, width: Int, height: Int, channels: Int, bitDepth: Int,
                sourceBitDepth: Int, progressive: Bool, sourceColor: String) {
        self.format = format
        self.width = width
        self.height = height
        self.channels = channels
        self.bitDepth = bitDepth
        self.sourceBitDepth = sourceBitDepth
        self.progressive = progressive
        self.sourceColor = sourceColor
    }
}

/// Decoding and encoding of in-memory files. Errors carry `path` for the message.
public enum ImageCodec {
    /// The default pixel limit: 100 megapixels.
    public static let defaultMaxPixels = 100_000_000

    /// Reads the header of an in-memory PNG or JPEG without decoding pixels.
    ///
    /// - Parameters:
    ///   - bytes: The whole file, or at least its header.
    ///   - path: The name used in error messages.
    /// - Throws: ``ImageError`` (`.empty`, `.notAnImage`, `.corrupt`, `.unsupported`).
    public static func header(_ bytes: [UInt8], path: String = "<memory>") throws(ImageError) -> ImageHeader {
        let format = try detect(bytes, path: path)
        var h = mc_header()
        var err = [CChar](repeating: 0, count: 512)
        let rc = bytes.withUnsafeBufferPointer { buf in
            format == .png
                ? mc_png_header(buf.baseAddress, buf.count, &h, &err, err.count)
                : mc_jpeg_header(buf.baseAddress, buf.count, &h, &err, err.count)
        }
        if rc != Int32(MC_OK) { throw failure(rc, err, format, path) }
        return makeHeader(h, format)
    }

    /// Decodes PNG or JPEG. Anything over `maxPixels` is refused from the header, before any pixel buffer exists.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>",
                              maxPixels: Int = defaultMaxPixels) throws(ImageError) -> Image {
        let format = try detect(bytes, path: path)
        var out = mc_image()
        var err = [CChar](repeating: 0, count: 512)
        let limit = UInt64(max(0, maxPixels))
        let rc = bytes.withUnsafeBufferPointer { buf in
            format == .png
                ? mc_png_decode(buf.baseAddress, buf.count, limit, &out, &err, err.count)
                : mc_jpeg_decode(buf.baseAddress, buf.count, limit, &out, &err, err.count)
        }
        if rc != Int32(MC_OK) { throw failure(rc, err, format, path) }
        defer { mc_free(out.data) }
        let h = out.header
        let w = Int(h.width), hh = Int(h.height), c = Int(h.channels)
        let n = w * hh * c
        if h.bit_depth == 16 {
            let p = out.data!.bindMemory(to: UInt16.self, capacity: n)
            return Image(width: w, height: hh, channels: c, pixels: .u16(Array(UnsafeBufferPointer(start: p, count: n))))
        }
        let p = out.data!.bindMemory(to: UInt8.self, capacity: n)
        return Image(width: w, height: hh, channels: c, pixels: .u8(Array(UnsafeBufferPointer(start: p, count: n))))
    }

    /// The PNG compression levels a caller may ask for: libdeflate's 0 (stored,
    /// fastest to write, largest) to 9 (smallest, slowest).
    public static let pngCompressionLevels = 0...9

    /// The level MedAug writes PNG at unless told: libdeflate's fastest, which
    /// writes files as small as OpenCV's default (zlib level 1, RLE) in less
    /// time (BENCHMARKS.md, "PNG and JPEG I/O"). Levels 6 and up also choose
    /// each row's filter, for files about 10% smaller.
    public static let defaultPNGCompression = 1

    /// PNG keeps 8 or 16 bits and all channels, losslessly, at `compression`
    /// (one of `pngCompressionLevels`).
    public static func encodePNG(_ image: Image, compression: Int = defaultPNGCompression) throws(ImageError) -> [UInt8] {
        guard pngCompressionLevels.contains(compression) else {
            throw ImageError(.unsupported, path: "<memory>", reason: "PNG compression must be 0...9, got \(compression)")
        }
        var out: UnsafeMutablePointer<UInt8>? = nil
        var len = 0
        var err = [CChar](repeating: 0, count: 512)
        let rc: Int32
        switch image.pixels {
        case .u8(let a):
            rc = a.withUnsafeBytes { p in
                mc_png_encode(p.baseAddress, UInt32(image.width), UInt32(image.height), UInt32(image.channels),
                              8, Int32(compression), &out, &len, &err, err.count)
            }
        case .u16(let a):
            rc = a.withUnsafeBytes { p in
                mc_png_encode(p.baseAddress, UInt32(image.width), UInt32(image.height), UInt32(image.channels),
                              16, Int32(compression), &out, &len, &err, err.count)
            }
        }
        if rc != Int32(MC_OK) { throw failure(rc, err, .png, "<memory>") }
        defer { mc_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: len))
    }

    /// JPEG holds 8-bit gray or RGB. An alpha channel is dropped (JPEG has none);
    /// a 16-bit image is refused so that the loss of precision is the caller's explicit choice.
    public static func encodeJPEG(_ image: Image, quality: Int = 95, progressive: Bool = false) throws(ImageError) -> [UInt8] {
        guard let bytes = image.bytes else {
            throw ImageError(.unsupported, path: "<memory>",
                             reason: "JPEG is 8-bit only; convert the 16-bit image with to8Bit() first")
        }
        let (src, ch) = dropAlpha(bytes, image.channels)
        var out: UnsafeMutablePointer<UInt8>? = nil
        var len = 0
        var err = [CChar](repeating: 0, count: 512)
        let rc = src.withUnsafeBufferPointer { p in
            mc_jpeg_encode(p.baseAddress, UInt32(image.width), UInt32(image.height), UInt32(ch),
                           Int32(quality), progressive ? 1 : 0, &out, &len, &err, err.count)
        }
        if rc != Int32(MC_OK) { throw failure(rc, err, .jpeg, "<memory>") }
        defer { mc_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: len))
    }

    private static func dropAlpha(_ a: [UInt8], _ c: Int) -> ([UInt8], Int) {
        guard c == 2 || c == 4 else { return (a, c) }
        let keep = c - 1
        var out = [UInt8]()
        out.reserveCapacity(a.count / c * keep)
        var i = 0
        while i < a.count {
            for k in 0..<keep { out.append(a[i + k]) }
            i += c
        }
        return (out, keep)
    }

    private static func detect(_ bytes: [UInt8], path: String) throws(ImageError) -> ImageFormat {
        if bytes.isEmpty { throw ImageError(.empty, path: path, reason: "file is empty (0 bytes)") }
        guard let f = ImageFormat.sniff(bytes) else {
            throw ImageError(.notAnImage, path: path, reason: "not a PNG or JPEG file (unrecognised signature)")
        }
        return f
    }

    private static func failure(_ rc: Int32, _ err: [CChar], _ format: ImageFormat, _ path: String) -> ImageError {
        let msg = String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let name = format == .png ? "PNG" : "JPEG"
        switch rc {
        case Int32(MC_ERR_TOO_LARGE): return ImageError(.tooLarge, path: path, reason: msg)
        case Int32(MC_ERR_UNSUPPORTED): return ImageError(.unsupported, path: path, reason: msg)
        case Int32(MC_ERR_MEMORY): return ImageError(.corrupt, path: path, reason: msg)
        default: return ImageError(.corrupt, path: path, reason: "corrupt \(name): \(msg.isEmpty ? "decoder error" : msg)")
        }
    }

    private static func makeHeader(_ h: mc_header, _ format: ImageFormat) -> ImageHeader {
        let color: String
        if format == .png {
            switch h.color_type {
            case 0: color = "gray"
            case 2: color = "rgb"
            case 3: color = "palette"
            case 4: color = "gray+alpha"
            case 6: color = "rgba"
            default: color = "png-\(h.color_type)"
            }
        } else {
            switch h.color_type {
            case 1: color = "gray"
            case 2: color = "rgb"
            case 3: color = "ycbcr"
            case 4: color = "cmyk"
            case 5: color = "ycck"
            default: color = "jpeg-\(h.color_type)"
            }
        }
        return ImageHeader(format: format, width: Int(h.width), height: Int(h.height), channels: Int(h.channels),
                           bitDepth: Int(h.bit_depth), sourceBitDepth: Int(h.source_bit_depth),
                           progressive: h.progressive != 0, sourceColor: color)
    }
}
