import MedAugImage

/// The colour spaces MultiplyAndAddToBrightness (and UniformColorQuantization's
/// `to_colorspace`) convert to, with OpenCV 4.7's 8-bit `cvtColor` scalings:
/// HSV/HLS hue in 0..<180, Lab/Luv L scaled by 255/100, chroma offset by 128.
public enum ColorSpace: String, CaseIterable, Sendable {
    /// Luma then the red and blue differences (OpenCV's `COLOR_RGB2YCrCb`).
    case ycrcb = "YCrCb"
    /// Hue (0..<180, degrees halved), saturation and value (both 0...255).
    case hsv = "HSV"
    /// Hue (0..<180), lightness and saturation (both 0...255).
    case hls = "HLS"
    /// CIE L\*a\*b\* under D65: L scaled to 0...255, a and b offset by 128.
    case lab = "Lab"
    /// CIE L\*u\*v\* under D65, scaled to 8 bits as OpenCV does.
    case luv = "Luv"
    /// Luma then the blue and red differences (OpenCV's `COLOR_RGB2YUV`).
    case yuv = "YUV"

    /// The channel imgaug's WithBrightnessChannels edits (`_CSPACE_TO_CHANNEL_ID`).
    public var brightnessChannel: Int {
        switch self {
        case .ycrcb, .lab, .luv, .yuv: return 0
        case .hsv: return 2
        case .hls: return 1
        }
    }

    /// Names as pipeline files and imgaug write them.
    public static var names: [String] { allCases.map(\.rawValue) }
}

/// RGB <-> the spaces above on interleaved 8-bit samples, in place.
///
/// Each conversion follows the code path OpenCV 4.7 takes for 8-bit data
/// (fixed-point for YCrCb/YUV/Lab, table-driven for Luv, float for HSV/HLS)
/// so that results match `cv2.cvtColor` sample for sample, not just closely.
/// Only the first three channels of each pixel are touched; a fourth (alpha)
/// channel is left as it is.
public enum ColorConversion {
    /// RGB (channels 0, 1, 2) to `space`, in place.
    public static func fromRGB(_ samples: inout [UInt8], width: Int, height: Int, channels: Int, to space: ColorSpace) {
        precondition(channels >= 3, "colour conversion needs 3 or 4 channels")
        let n = width * height
        samples.withUnsafeMutableBufferPointer { buf in
            guard let p = buf.baseAddress, n > 0 else { return }
            switch space {
            case .ycrcb: OpenCVYUV.rgbToYCrCb(p, count: n, stride: channels, yuv: false)
            case .yuv: OpenCVYUV.rgbToYCrCb(p, count: n, stride: channels, yuv: true)
            case .hsv: OpenCVHSV.rgbToHSV(p, count: n, stride: channels)
            case .hls: OpenCVHSV.rgbToHLS(p, width: width, height: height, stride: channels)
            case .lab: OpenCVLab.rgbToLab(p, count: n, stride: channels)
            case .luv: OpenCVLuv.rgbToLuv(p, count: n, stride: channels)
            }
        }
    }

    /// `space` back to RGB, in place.
    public static func toRGB(_ samples: inout [UInt8], width: Int, height: Int, channels: Int, from space: ColorSpace) {
        precondition(channels >= 3, "colour conversion needs 3 or 4 channels")
        let n = width * height
        samples.withUnsafeMutableBufferPointer { buf in
            guard let p = buf.baseAddress, n > 0 else { return }
            switch space {
            case .ycrcb: OpenCVYUV.yCrCbToRGB(p, count: n, stride: channels, yuv: false)
            case .yuv: OpenCVYUV.yCrCbToRGB(p, count: n, stride: channels, yuv: true)
            case .hsv: OpenCVHSV.hsvToRGB(p, width: width, height: height, stride: channels)
            case .hls: OpenCVHSV.hlsToRGB(p, width: width, height: height, stride: channels)
            case .lab: OpenCVLab.labToRGB(p, count: n, stride: channels)
            case .luv: OpenCVLuv.luvToRGB(p, width: width, height: height, stride: channels)
            }
        }
    }

    /// Swaps channels 0 and 2 (RGB <-> BGR) in place.
    public static func swapRedBlue(_ samples: inout [UInt8], pixelCount n: Int, channels: Int) {
        guard channels >= 3 else { return }
        samples.withUnsafeMutableBufferPointer { buf in
            guard let p = buf.baseAddress else { return }
            var i = 0
            for _ in 0..<n {
                let t = p[i]; p[i] = p[i + 2]; p[i + 2] = t
                i += channels
            }
        }
    }

    /// Convenience on images: RGB(A) in, the space's samples out (alpha kept).
    public static func fromRGB(_ image: Image, to space: ColorSpace) -> Image {
        guard var s = image.bytes, image.channels >= 3 else { return image }
        fromRGB(&s, width: image.width, height: image.height, channels: image.channels, to: space)
        return Image(width: image.width, height: image.height, channels: image.channels, bytes: s)
    }

    /// Convenience on images: the space's samples in, RGB(A) out (alpha kept).
    /// Images with fewer than 3 channels, or 16-bit ones, come back unchanged.
    public static func toRGB(_ image: Image, from space: ColorSpace) -> Image {
        guard var s = image.bytes, image.channels >= 3 else { return image }
        toRGB(&s, width: image.width, height: image.height, channels: image.channels, from: space)
        return Image(width: image.width, height: image.height, channels: image.channels, bytes: s)
    }
}

/// OpenCV's rounding helpers for the conversions.
enum ColorRound {
    /// `saturate_cast<uchar>` from an integer.
    @inline(__always)
    static func u8(_ v: Int) -> UInt8 {
        v < 0 ? 0 : (v > 255 ? 255 : UInt8(truncatingIfNeeded: v))
    }

    /// `saturate_cast<uchar>` from a float: round half to even, then clip.
    /// (Adding and removing 2^23 rounds to nearest-even in hardware; the
    /// generic `rounded` is a libm call on baseline x86-64.)
    @inline(__always)
    static func u8(_ v: Float) -> UInt8 {
        if !(v > 0) { return 0 }
        if v >= 255 { return 255 }
        return UInt8((v + 8_388_608) - 8_388_608)
    }

    /// Truncating float -> uchar with saturation (OpenCV's v_trunc + pack).
    @inline(__always)
    static func truncU8(_ v: Float) -> UInt8 {
        if !(v > 0) { return 0 }
        if v >= 255 { return 255 }
        return UInt8(v)
    }

    /// Float fused multiply-add `a*b + c` with one rounding, as OpenCV's AVX2
    /// code computes it (see `fusedMultiplyAdd`).
    @inline(__always)
    static func fma(_ a: Float, _ b: Float, _ c: Float) -> Float { fusedMultiplyAdd(a, b, c) }

    /// CV_DESCALE: round-half-up fixed-point shift (arithmetic, so floor for negatives).
    @inline(__always)
    static func descale(_ x: Int, _ n: Int) -> Int { (x + (1 << (n - 1))) >> n }
}
