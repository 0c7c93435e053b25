import Foundation
import MedAugCore

/// Reading and writing image files. Reads check that the bytes match the
/// extension; writes are atomic (temporary file, then rename), so an
/// interrupted run never leaves a half-written image behind.
public enum ImageFile {
    /// The file's bytes, or an ``ImageError`` that says why not: `.unreadable`
    /// (missing, a folder, a FIFO or device, permission or I/O error) or
    /// `.tooLarge` (over ``RegularFile/maxBytes``, `--max-file-bytes`).
    public static func readBytes(_ path: String) throws(ImageError) -> [UInt8] {
        do {
            return try RegularFile.read(path)
        } catch {
            throw ImageError(error.tooLarge ? .tooLarge : .unreadable, path: path, reason: "cannot read file: \(error.reason)")
        }
    }

    /// The header only: size, channels, depth. Cheap; used by `medaug info`.
    public static func header(_ path: String) throws(ImageError) -> ImageHeader {
        let bytes = try readBytes(path)
        try checkExtension(path, bytes)
        return try ImageCodec.header(bytes, path: path)
    }

    /// Reads and decodes a PNG or JPEG file.
    ///
    /// The extension must agree with the bytes (`.wrongExtension` otherwise), and
    /// an image over `maxPixels` is refused from its header before any pixel
    /// memory is taken (`.tooLarge`). 16-bit PNGs come back 16-bit, palettes
    /// expand to RGB(A), CMYK JPEGs convert to RGB.
    public static func read(_ path: String, maxPixels: Int = ImageCodec.defaultMaxPixels) throws(ImageError) -> Image {
        try decode(try readBytes(path), path: path, maxPixels: maxPixels)
    }

    /// `read` for bytes already read from `path` (`readBytes`): a caller
    /// that also copies the file reads it once.
    public static func decode(_ bytes: [UInt8], path: String, maxPixels: Int = ImageCodec.defaultMaxPixels) throws(ImageError) -> Image {
        try checkExtension(path, bytes)
        return try ImageCodec.decode(bytes, path: path, maxPixels: maxPixels)
    }

    /// Writes PNG or JPEG, chosen by `format` or else by the extension, atomically
    /// (`durable`: see `AtomicWrite.write(_:to:durable:)`).
    public static func write(_ image: Image, to path: String, format: ImageFormat? = nil,
                             jpegQuality: Int = 95, pngCompression: Int = ImageCodec.defaultPNGCompression,
                             durable: Bool = true) throws {
        let ext = (path as NSString).pathExtension
        guard let fmt = format ?? ImageFormat(fileExtension: ext) else {
            throw ImageError(.unsupported, path: path, reason: "cannot tell the format from extension '.\(ext)'; use .png or .jpg")
        }
        let bytes: [UInt8]
        do {
            bytes = fmt == .png ? try ImageCodec.encodePNG(image, compression: pngCompression) : try ImageCodec.encodeJPEG(image, quality: jpegQuality)
        } catch {
            throw ImageError(error.kind, path: path, reason: error.reason)
        }
        try AtomicWrite.write(Data(bytes), to: path, durable: durable)
    }

    private static func checkExtension(_ path: String, _ bytes: [UInt8]) throws(ImageError) {
        let ext = (path as NSString).pathExtension
        guard let promised = ImageFormat(fileExtension: ext), let actual = ImageFormat.sniff(bytes) else { return }
        if promised != actual {
            throw ImageError(.wrongExtension, path: path,
                             reason: "extension '.\(ext)' says \(promised.rawValue.uppercased()) but the file holds \(actual.rawValue.uppercased()) data")
        }
    }
}
