import MedAugCore
import MedAugImage

/// imgaug's UniformColorQuantization: each channel is cut into n equal bins
/// of width 256/n and every value moved to its bin's centre (n drawn per
/// image). Alpha is left unchanged; grayscale is quantised directly.
///
/// `to_colorspace` (one name or a choice per image) quantises in YCrCb, HSV,
/// HLS, Lab, Luv or YUV with OpenCV's conversions there and back; RGB/BGR
/// quantise in place. imgaug's GRAY and CIE targets are not offered.
///
/// With `max_size`, an image larger than it is first shrunk (longest side to
/// max_size, sizes truncated) and the result resized back, both with
/// `interpolation` through cv2-exact resizing, as imgaug does.
///
/// Differences from imgaug: n = 255 quantises like any other n (imgaug's
/// table leaves it all zeros, giving a black image); a gray+alpha image is
/// accepted (gray quantised, alpha kept); a shrunk side that would be 0
/// pixels is kept at 1 (imgaug fails there).
public struct UniformColorQuantization: Augmenter {
    /// Bins per channel, drawn per image (imgaug's `n_colors`); draws below 2
    /// count as 2, and 256 or more leave the image unchanged.
    public var nColors: Discrete
    /// The order of the input's colour channels: "RGB" or "BGR".
    public var fromColorspace: String
    /// nil is imgaug's None: quantise the RGB values themselves.
    public var toColorspace: Choice<String>?
    /// Longest side quantised at full size; nil (imgaug's default here) never shrinks.
    public var maxSize: Int?
    /// How the `maxSize` shrink and the resize back are interpolated: one of
    /// ``interpolations`` (OpenCV's INTER_NEAREST, INTER_LINEAR, INTER_AREA,
    /// INTER_CUBIC).
    public var interpolation: String

    /// Names `to_colorspace` may take: RGB/BGR quantise in place, the others round-trip.
    public static let colorspaces = ["RGB", "BGR"] + ColorSpace.names
    /// The names `interpolation` accepts.
    public static let interpolations = ["nearest", "linear", "area", "cubic"]

    /// Creates the augmenter; the defaults are imgaug's `n_colors=(2, 16)`,
    /// RGB, quantising RGB itself, no shrinking, linear interpolation.
    public init(nColors: Discrete = .range(2, 16), fromColorspace: String = "RGB",
                toColorspace: Choice<String>? = nil, maxSize: Int? = nil, interpolation: String = "linear") {
        self.nColors = nColors
        self.fromColorspace = fromColorspace
        self.toColorspace = toColorspace
        self.maxSize = maxSize
        self.interpolation = interpolation
    }

    /// Quantises every image to the same number of bins per channel.
    public init(_ nColors: Int) {
        self.init(nColors: .constant(nColors))
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "UniformColorQuantization" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { UniformColorQuantization.table.arguments(self) }

    /// Draws n (then the target colour space, if a choice) and quantises;
    /// a 16-bit image is converted to 8 bits first and comes back 8-bit
    /// (imgaug refuses it; MedAug converts wherever a step needs 8 bits).
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let image = image.to8Bit()
        // imgaug rounds the sample and clips it to >= 2.
        let n = max(nColors.sample(&context.rng), 2)
        let target = toColorspace?.sample(&context.rng)
        context.record(name, [("n_colors", String(n))] + (target.map { [("to_colorspace", $0)] } ?? []))
        guard n < 256 else { return image }
        let interp = Interpolation(rawValue: interpolation) ?? .cubic
        var work = image
        if let maxSize, image.width > 0, image.height > 0, max(image.width, image.height) > maxSize {
            let factor = Double(maxSize) / Double(max(image.width, image.height))
            let w = max(Int(Double(image.width) * factor), 1)
            let h = max(Int(Double(image.height) * factor), 1)
            work = image.resized(width: w, height: h, interpolation: interp)
        }
        var out = quantize(work, nColors: n, space: target.flatMap { ColorSpace(rawValue: $0) })
        if out.width != image.width || out.height != image.height {
            out = out.resized(width: image.width, height: image.height, interpolation: interp)
        }
        return out
    }

    /// Quantises colour (optionally in another colour space); alpha is kept.
    func quantize(_ image: Image, nColors n: Int, space: ColorSpace?) -> Image {
        guard let space, image.channels >= 3, var samples = image.bytes else {
            return ColorQuantization.apply(image, nColors: n)
        }
        let w = image.width, h = image.height, c = image.channels
        let bgr = fromColorspace == "BGR"
        if bgr { ColorConversion.swapRedBlue(&samples, pixelCount: w * h, channels: c) }
        ColorConversion.fromRGB(&samples, width: w, height: h, channels: c, to: space)
        samples = ByteKernels.mapChannels(samples, channels: c, mapped: 3, table: ColorQuantization.table(nColors: n))
        ColorConversion.toRGB(&samples, width: w, height: h, channels: c, from: space)
        if bgr { ColorConversion.swapRedBlue(&samples, pixelCount: w * h, channels: c) }
        return Image(width: w, height: h, channels: c, bytes: samples)
    }
}

/// Uniform quantisation tables (imgaug `quantize_uniform`, bins centred).
public enum ColorQuantization {
    /// 256-entry table for n bins: `q = 256/n`, `floor(v/q)*q + q/2` in float32,
    /// rounded half to even, clipped. n >= 256 leaves values unchanged.
    /// Fills n = 255 too (imgaug's table stops at 254 and maps 255 to black).
    public static func table(nColors n: Int) -> [UInt8] {
        if n >= 256 { return (0..<256).map { UInt8($0) } }
        precondition(n >= 1, "n_colors must be positive")
        // imgaug divides a float32 table by a float64 scalar: numpy computes it in float32.
        let binSize = 256.0 / Double(n)
        let q = Float(binSize)
        let half = Float(binSize / 2)
        return (0..<256).map { v in
            let x = (Float(v) / q).rounded(.down) * q + half
            let r = x.rounded(.toNearestOrEven)
            return UInt8(min(max(r, 0), 255))
        }
    }

    /// Quantises the first `min(channels, 3)` channels; a 4th (alpha) or the 2nd of gray+alpha is kept.
    public static func apply(_ image: Image, nColors n: Int) -> Image {
        guard let bytes = image.bytes, n < 256 else { return image }
        let colour = image.channels >= 3 ? 3 : 1
        let s = ByteKernels.mapChannels(bytes, channels: image.channels, mapped: colour, table: table(nColors: n))
        return Image(width: image.width, height: image.height, channels: image.channels, bytes: s)
    }
}
