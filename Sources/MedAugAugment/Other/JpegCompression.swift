import MedAugCore
import MedAugImage

/// imgaug's JpegCompression: the image is encoded as JPEG and decoded again,
/// at quality `round(1 + 99 * (1 - compression / 101))` (1...100) with the
/// drawn compression truncated to an integer, as imgaug's `compress_jpeg`.
/// imgaug writes through PIL with its defaults (baseline, 4:2:0 chroma
/// subsampling, standard tables scaled by the quality) and reads back with
/// libjpeg's defaults (islow DCT, fancy upsampling); MedAug's codec is
/// libjpeg-turbo with the same settings.
///
/// Beyond imgaug: an alpha channel (RGBA, gray+alpha) is kept as it is and
/// only the colour is compressed (imgaug refuses such images). 16-bit images
/// are converted to 8 bits first and come back 8-bit (JPEG is 8-bit).
public struct JpegCompression: Augmenter {
    /// The compression strength, 0...100, drawn per image and truncated
    /// (imgaug's `compression`); higher is stronger.
    public var compression: Continuous

    /// Creates the augmenter with imgaug's default `compression=(0, 100)`.
    public init(compression: Continuous = .range(0, 100)) { self.compression = compression }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "JpegCompression" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { JpegCompression.table.arguments(self) }

    /// Draws the compression and compresses.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let strength = Int(compression.sample(&context.rng))
        let quality = JpegCompressionKernel.quality(compression: strength)
        context.record(name, [("compression", String(strength)), ("quality", String(quality))])
        do {
            return try JpegCompressionKernel.apply(image.to8Bit(), quality: quality)
        } catch {
            throw AugmentError(name, "JPEG round trip failed: \(error)")
        }
    }
}

/// The JPEG round trip of JpegCompression.
public enum JpegCompressionKernel {
    /// imgaug's quality for a compression strength: `round(1 + 99 * (1 - c / 101))`
    /// (half to even), clipped to 1...100.
    public static func quality(compression: Int) -> Int {
        let q = (1 + 99 * (1 - Double(compression) / 101)).rounded(.toNearestOrEven)
        return Int(min(max(q, 1), 100))
    }

    /// Encodes the 8-bit image as JPEG at `quality` and decodes it; an alpha
    /// channel is carried over unchanged. Empty images come back as they are.
    public static func apply(_ image: Image, quality: Int) throws -> Image {
        guard image.width > 0, image.height > 0, let bytes = image.bytes else { return image }
        let c = image.channels
        let decoded = try ImageCodec.decode(try ImageCodec.encodeJPEG(image, quality: quality))
        guard var out = decoded.bytes else { return image }
        if c == 2 || c == 4 {
            // Put the alpha back: the codec compresses the colour channels only.
            let colour = c - 1
            var merged = [UInt8](repeating: 0, count: bytes.count)
            for p in 0..<(image.width * image.height) {
                for k in 0..<colour { merged[p * c + k] = out[p * colour + k] }
                merged[p * c + colour] = bytes[p * c + colour]
            }
            out = merged
        }
        return Image(width: image.width, height: image.height, channels: c, bytes: out)
    }
}
