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

    public init(imageSize: Int, scaling: PixelScaling = .unit) {
        self.imageSize = imageSize
        self.scaling = scaling
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
