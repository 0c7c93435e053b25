import MedAugAugment
import MedAugData
import MedAugImage
import MedAugTorch

/// What happens to a file before the network sees it, recorded in a run's
/// config.json so that anyone can feed the model the same way.
public struct Preprocessing: Codable, Equatable, Sendable {
    public var imageSize: Int
    /// Gray images are repeated to 3 channels; alpha is dropped.
    public var channels: Int = 3
    /// "area" when shrinking, "linear" when enlarging (OpenCV semantics), to a square.
    public var resize: String = "area-down-linear-up"
    public var scaling: PixelScaling

    /// The input sides a network is trained and fed at: below 32 the
    /// networks' pooling leaves nothing, above 1024 one batch outgrows memory.
    public static let imageSizes = 32...1024
    /// The channel counts a network is fed.
    public static let channelCounts: Set<Int> = [1, 3]

    public init(imageSize: Int, scaling: PixelScaling = .unit) {
        self.imageSize = imageSize
        self.scaling = scaling
    }

    enum CodingKeys: String, CodingKey { case imageSize, channels, resize, scaling }

    /// Reads a recorded preprocessing (a run's config.json, a checkpoint's
    /// metadata) and refuses values no network was fed with: an edited or
    /// damaged file must be an error naming the key, not a crash later.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        imageSize = try c.decode(Int.self, forKey: .imageSize)
        channels = try c.decodeIfPresent(Int.self, forKey: .channels) ?? 3
        resize = try c.decodeIfPresent(String.self, forKey: .resize) ?? resize
        scaling = try c.decode(PixelScaling.self, forKey: .scaling)
        guard Self.imageSizes.contains(imageSize) else {
            throw DecodingError.dataCorruptedError(forKey: .imageSize, in: c,
                debugDescription: "imageSize must be \(Self.imageSizes.lowerBound) to \(Self.imageSizes.upperBound), got \(imageSize)")
        }
        guard Self.channelCounts.contains(channels) else {
            throw DecodingError.dataCorruptedError(forKey: .channels, in: c, debugDescription: "channels must be 1 or 3, got \(channels)")
        }
    }

    /// Decoded image -> 8-bit, `channels`, imageSize x imageSize.
    public func prepare(_ image: Image) -> Image {
        var img = image.to8Bit()
        img = ChannelConversion.convert(img, to: channels)
        if img.width != imageSize || img.height != imageSize {
            let shrinking = img.width >= imageSize && img.height >= imageSize
            img = img.resized(width: imageSize, height: imageSize, interpolation: shrinking ? .area : .linear)
        }
        return img
    }
}
