import MedAugCore
import MedAugImage

/// imgaug's Posterize, its alias of UniformColorQuantizationToNBits
/// (color.py): each colour channel keeps its `nb_bits` highest bits, i.e.
/// every value moves to the lower edge of its bin of width 2^(8 - nb_bits)
/// (`quantize_uniform_(to_bin_centers=False)`), nb_bits drawn per image.
/// Alpha is left unchanged; grayscale is quantised directly.
///
/// `to_colorspace`, `max_size` and `interpolation` work as in
/// ``UniformColorQuantization`` (quantising in another colour space, shrinking
/// large images first). Differences from imgaug, which takes 8-bit images
/// only: a 16-bit image keeps the nb_bits highest of its 16 bits (with a
/// `to_colorspace` it is quantised at 8 bits and widened back to 16); a
/// gray+alpha image is accepted (gray quantised, alpha kept). imgaug 0.4.0's
/// pillike.Posterize is this augmenter under another name (``PillikePosterize``).
public struct Posterize: Augmenter {
    /// Bits kept per channel, drawn per image and clipped to 1...8 (imgaug's `nb_bits`).
    public var nbBits: Discrete
    /// The order of the input's colour channels: "RGB" or "BGR".
    public var fromColorspace: String
    /// nil is imgaug's None: quantise the RGB values themselves.
    public var toColorspace: Choice<String>?
    /// Longest side quantised at full size; nil (imgaug's default here) never shrinks.
    public var maxSize: Int?
    /// How the `maxSize` shrink and the resize back are interpolated (see ``UniformColorQuantization/interpolations``).
    public var interpolation: String

    /// Creates the augmenter; the defaults are imgaug's `nb_bits=(1, 8)`,
    /// RGB, quantising RGB itself, no shrinking, linear interpolation.
    public init(nbBits: Discrete = .range(1, 8), fromColorspace: String = "RGB",
                toColorspace: Choice<String>? = nil, maxSize: Int? = nil, interpolation: String = "linear") {
        self.nbBits = nbBits
        self.fromColorspace = fromColorspace
        self.toColorspace = toColorspace
        self.maxSize = maxSize
        self.interpolation = interpolation
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Posterize" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { Posterize.table.arguments(self) }

    /// Draws nb_bits (then the target colour space, if a choice) and quantises.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let bits = min(max(nbBits.sample(&context.rng), 1), 8)
        let target = toColorspace?.sample(&context.rng)
        context.record(name, [("nb_bits", String(bits))] + (target.map { [("to_colorspace", $0)] } ?? []))
        guard bits < 8, image.width > 0, image.height > 0 else { return image }
        let interp = Interpolation(rawValue: interpolation) ?? .linear
        var work = image
        if let maxSize, max(image.width, image.height) > maxSize {
            let factor = Double(maxSize) / Double(max(image.width, image.height))
            let w = max(Int(Double(image.width) * factor), 1)
            let h = max(Int(Double(image.height) * factor), 1)
            work = image.resized(width: w, height: h, interpolation: interp)
        }
        let space = target.flatMap { ColorSpace(rawValue: $0) }
        var out: Image
        if work.bitDepth == 16, space != nil {
            out = PosterizeKernel.apply(work.to8Bit(), nbBits: bits, space: space, bgr: fromColorspace == "BGR").to16Bit()
        } else {
            out = PosterizeKernel.apply(work, nbBits: bits, space: space, bgr: fromColorspace == "BGR")
        }
        if out.width != image.width || out.height != image.height {
            out = out.resized(width: image.width, height: image.height, interpolation: interp)
        }
        return out
    }
}

/// Posterize's pixel work (imgaug `quantize_uniform_to_n_bits_`).
public enum PosterizeKernel {
    /// `floor(v / 2^(8-b)) * 2^(8-b)`: the lowest 8 - b bits cleared; b = 8 keeps every value.
    public static func table(nbBits b: Int) -> [UInt8] {
        let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - min(max(b, 0), 8)))
        return (0..<256).map { UInt8($0) & mask }
    }

    /// Quantises the colour channels (in `space` when given, 8-bit only); alpha is kept.
    /// A 16-bit image keeps its nb_bits highest bits of 16 (the same bins, scaled by 257).
    public static func apply(_ image: Image, nbBits: Int, space: ColorSpace? = nil, bgr: Bool = false) -> Image {
        let w = image.width, h = image.height, c = image.channels
        let colour = c >= 3 ? 3 : 1
        if case .u16(var a) = image.pixels {
            guard nbBits < 8 else { return image }
            let mask = UInt16(truncatingIfNeeded: 0xFFFF << (16 - min(max(nbBits, 0), 8)))
            a.withUnsafeMutableBufferPointer { p in
                for i in p.indices where i % c < colour { p[i] &= mask }
            }
            return Image(width: w, height: h, channels: c, samples16: a)
        }
        guard var samples = image.bytes, nbBits < 8 else { return image }
        let t = table(nbBits: nbBits)
        guard let space, colour == 3 else {
            return Image(width: w, height: h, channels: c,
                         bytes: ByteKernels.mapChannels(samples, channels: c, mapped: colour, table: t))
        }
        if bgr { ColorConversion.swapRedBlue(&samples, pixelCount: w * h, channels: c) }
        ColorConversion.fromRGB(&samples, width: w, height: h, channels: c, to: space)
        samples = ByteKernels.mapChannels(samples, channels: c, mapped: 3, table: t)
        ColorConversion.toRGB(&samples, width: w, height: h, channels: c, from: space)
        if bgr { ColorConversion.swapRedBlue(&samples, pixelCount: w * h, channels: c) }
        return Image(width: w, height: h, channels: c, bytes: samples)
    }
}
