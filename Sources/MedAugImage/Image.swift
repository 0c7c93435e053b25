/// One decoded image: interleaved HWC samples, 1 to 4 channels, 8 or 16 bits.
///
/// 16-bit data stays 16-bit until a caller asks for `to8Bit()`: a silent
/// conversion would throw away the precision that medical images carry.
public struct Image: Equatable, Sendable {
    public enum Pixels: Equatable, Sendable {
        case u8([UInt8])
        case u16([UInt16])
    }

    public let width: Int
    public let height: Int
    public let channels: Int
    public var pixels: Pixels

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

    public init(width: Int, height: Int, channels: Int, bytes: [UInt8]) {
        self.init(width: width, height: height, channels: channels, pixels: .u8(bytes))
    }

    public init(width: Int, height: Int, channels: Int, samples16: [UInt16]) {
        self.init(width: width, height: height, channels: channels, pixels: .u16(samples16))
    }

    /// A black (or `fill`) 8-bit image.
    public init(width: Int, height: Int, channels: Int, fill: UInt8 = 0) {
        self.init(width: width, height: height, channels: channels,
                  pixels: .u8([UInt8](repeating: fill, count: width * height * channels)))
    }

    public var bitDepth: Int {
        if case .u16 = pixels { return 16 }
        return 8
    }

    public var mode: ColorMode { ColorMode(channels: channels) }

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
    case gray = "L"
    case grayAlpha = "LA"
    case rgb = "RGB"
    case rgba = "RGBA"

    public init(channels: Int) {
        switch channels {
        case 1: self = .gray
        case 2: self = .grayAlpha
        case 3: self = .rgb
        default: self = .rgba
        }
    }

    public var channels: Int {
        switch self {
        case .gray: return 1
        case .grayAlpha: return 2
        case .rgb: return 3
        case .rgba: return 4
        }
    }
}
