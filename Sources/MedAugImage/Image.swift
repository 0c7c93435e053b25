/// One decoded image: interleaved HWC samples, 1 to 4 channels, 8 or 16 bits.
///
/// 16-bit data stays 16-bit until a caller asks for `to8Bit()`: a silent
/// conversion would throw away the precision that medical images carry.
public struct Image: Equatable, Sendable {
    /// The sample storage of an image, row-major and channel-interleaved
    /// (`(y * width + x) * channels + c`), at one of the two supported bit depths.
    public enum Pixels: Equatable, Sendable {
        /// 8-bit samples, 0...255.
        case u8([UInt8])
        /// 16-bit samples, 0...65535 (as a 16-bit PNG stores them).
        case u16([UInt16])
    }

    /// Width in pixels (0 or more).
    public let width: Int
    /// Height in pixels (0 or more).
    public let height: Int
    /// Samples per pixel: 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA).
    public let channels: Int
    /// The samples; `width * height * channels` of them.
    public var pixels: Pixels

    /// Wraps existing samples.
    ///
    /// Traps when a size is negative, `channels` is outside 1...4 or the sample
    /// count is not `width * height * channels`.
    public init(width: Int, height: Int, channels: Int, pixels: Pixels) {
        precondition(width >= 0 && height >= 0, "negative image size")
        precondition((1...4).contains(channels), "channels must be 1...4, got \(channels)")
        let expected = width * height * channels
        switch pixels {
        case .u8(let a): precondition(a.count == expected, "pixel count \(a.count) != \(expected)")
        case .u16(let a): precondition(a.count == expected, "pixel count \(a.count) != \(expected)")
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Wraps 8-bit samples; the same checks as ``init(width:height:channels:pixels:)``.
    public init(width: Int, height: Int, channels: Int, bytes: [UInt8]) {
        self.init(width: width, height: height, channels: channels, pixels: .u8(bytes))
    }

    /// Wraps 16-bit samples; the same checks as ``init(width:height:channels:pixels:)``.
    public init(width: Int, height: Int, channels: Int, samples16: [UInt16]) {
        self.init(width: width, height: height, channels: channels, pixels: .u16(samples16))
    }

    /// A black (or `fill`) 8-bit image.
    public init(width: Int, height: Int, channels: Int, fill: UInt8 = 0) {
        self.init(width: width, height: height, channels: channels,
                  pixels: .u8([UInt8](repeating: fill, count: width * height * channels)))
    }

    /// Bits per sample: 8 or 16.
    public var bitDepth: Int {
        if case .u16 = pixels { return 16 }
        return 8
    }

    /// The colour mode that the channel count implies.
    public var mode: ColorMode { ColorMode(channels: channels) }

    /// `width * height` (pixels, not samples).
    public var pixelCount: Int { width * height }

    /// The 8-bit samples, or nil for a 16-bit image (convert with `to8Bit()`).
    public var bytes: [UInt8]? {
        if case .u8(let a) = pixels { return a }
        return nil
    }

    /// The 16-bit samples, or nil for an 8-bit image.
    public var samples16: [UInt16]? {
        if case .u16(let a) = pixels { return a }
        return nil
    }

    /// Rounds 16-bit samples to 8 bits (v * 255 / 65535, to nearest). 8-bit images come back unchanged.
    public func to8Bit() -> Image {
        guard case .u16(let a) = pixels else { return self }
        let out = a.map { UInt8((UInt32($0) * 255 + 32767) / 65535) }
        return Image(width: width, height: height, channels: channels, pixels: .u8(out))
    }

    /// Widens 8-bit samples to 16 bits (v * 257, so 255 maps to 65535).
    public func to16Bit() -> Image {
        guard case .u8(let a) = pixels else { return self }
        return Image(width: width, height: height, channels: channels,
                     pixels: .u16(a.map { UInt16($0) &* 257 }))
    }
}

/// How the channels of an image are to be read.
public enum ColorMode: String, Sendable, CaseIterable {
    /// One channel of luminance (PIL's "L").
    case gray = "L"
    /// Luminance followed by alpha (PIL's "LA").
    case grayAlpha = "LA"
    /// Red, green, blue, in that order (not OpenCV's BGR).
    case rgb = "RGB"
    /// Red, green, blue and alpha.
    case rgba = "RGBA"

    /// The mode for a channel count: 1 gray, 2 gray + alpha, 3 RGB, anything else RGBA.
    public init(channels: Int) {
        switch channels {
        case 1: self = .gray
        case 2: self = .grayAlpha
        case 3: self = .rgb
        default: self = .rgba
        }
    }

    /// The channel count of the mode (1 to 4).
    public var channels: Int {
        switch self {
        case .gray: return 1
        case .grayAlpha: return 2
        case .rgb: return 3
        case .rgba: return 4
        }
    }
}
