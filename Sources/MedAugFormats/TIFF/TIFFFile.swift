import CTIFFCodec
import MedAugImage

/// TIFF pages (libtiff): gray or RGB, with or without alpha, 8 or 16 bits,
/// strips or tiles, any compression libtiff reads (none, LZW, deflate, ...).
public enum TIFFFile {
    /// The header of page `page`: size, samples, depth, page count.
    public static func header(_ bytes: [UInt8], path: String, page: Int = 0) throws(ImageError) -> (header: ImageHeader, pages: Int) {
        var info = mc_tiff_info()
        var err = [CChar](repeating: 0, count: 512)
        let rc = bytes.withUnsafeBufferPointer { mc_tiff_header($0.baseAddress, $0.count, Int32(page), &info, &err, err.count) }
        if rc != 0 { throw classify(err.cText, path: path) }
        let header = ImageHeader(format: .png, width: Int(info.width), height: Int(info.height),
                                 channels: Int(info.samples), bitDepth: Int(info.bits), sourceBitDepth: Int(info.bits),
                                 progressive: false, sourceColor: info.samples >= 3 ? "rgb" : "gray")
        return (header, Int(info.pages))
    }

    /// Decodes page `page`; refused from the header when over `maxPixels`.
    /// 16-bit pages become 8-bit when `bits` is 8 (v * 255 / 65535, rounded).
    public static func decode(_ bytes: [UInt8], path: String, page: Int = 0, bits: Int = 16,
                              maxPixels: Int = ImageCodec.defaultMaxPixels) throws(ImageError) -> Image {
        let (h, _) = try header(bytes, path: path, page: page)
        if h.width * h.height > maxPixels {
            throw ImageError(.tooLarge, path: path, reason: "\(h.width)x\(h.height) is over the limit of \(maxPixels) pixels")
        }
        var err = [CChar](repeating: 0, count: 512)
        let count = h.width * h.height * h.channels
        let image: Image
        if h.bitDepth == 8 {
            var out = [UInt8](repeating: 0, count: count)
            let rc = out.withUnsafeMutableBytes { o in
                bytes.withUnsafeBufferPointer { mc_tiff_decode($0.baseAddress, $0.count, Int32(page), o.baseAddress, o.count, &err, err.count) }
            }
            if rc != 0 { throw classify(err.cText, path: path) }
            image = Image(width: h.width, height: h.height, channels: h.channels, bytes: out)
        } else {
            var out = [UInt16](repeating: 0, count: count)
            let rc = out.withUnsafeMutableBytes { o in
                bytes.withUnsafeBufferPointer { mc_tiff_decode($0.baseAddress, $0.count, Int32(page), o.baseAddress, o.count, &err, err.count) }
            }
            if rc != 0 { throw classify(err.cText, path: path) }
            image = Image(width: h.width, height: h.height, channels: h.channels, samples16: out)
        }
        if bits == 8 { return image.to8Bit() }
        if bits == 16 { return image.to16Bit() }
        return image
    }

    static func classify(_ reason: String, path: String) -> ImageError {
        if reason.hasPrefix("only") || reason.hasPrefix("an RGB page") {
            return ImageError(.unsupported, path: path, reason: "TIFF: " + reason)
        }
        if reason.hasPrefix("not a readable TIFF") { return ImageError(.corrupt, path: path, reason: reason) }
        return ImageError(.corrupt, path: path, reason: "TIFF: " + reason)
    }

    /// True when the bytes start with a TIFF signature (II*\0 or MM\0*).
    public static func sniff(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && ((bytes[0] == 0x49 && bytes[1] == 0x49 && bytes[2] == 0x2A && bytes[3] == 0)
            || (bytes[0] == 0x4D && bytes[1] == 0x4D && bytes[2] == 0 && bytes[3] == 0x2A))
    }
}
