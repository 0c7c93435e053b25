import MedAugCore
import MedAugImage

/// OpenCV's `cv2.equalizeHist` on one channel of interleaved 8-bit samples.
public enum HistogramEqualizer {
    /// The table `equalizeHist` builds from a histogram of `total` samples:
    /// with `lo` the smallest value present, `lut[lo] = 0` and
    /// `lut[v] = saturate_cast<uchar>(cdf(v) * (255 / (total - hist[lo])))`
    /// in float32, where cdf(v) counts the samples in (lo, v]. An image with
    /// one value keeps it.
    public static func table(histogram hist: [Int]) -> [UInt8] {
        precondition(hist.count == 256)
        let total = hist.reduce(0, +)
        var lut = (0..<256).map { UInt8($0) }
        guard total > 0, let lo = hist.firstIndex(where: { $0 > 0 }), hist[lo] != total else { return lut }
        let scale = Float(255) / Float(total - hist[lo])
        var sum = 0
        lut[lo] = 0
        for v in (lo + 1)..<256 {
            sum += hist[v]
            let x = (Float(sum) * scale).rounded(.toNearestOrEven)
            lut[v] = x >= 255 ? 255 : UInt8(max(x, 0))
        }
        return lut
    }

    /// Equalises channel `channel` of `samples` (interleaved, `channels` per pixel) in place.
    public static func equalize(_ samples: inout [UInt8], channels: Int, channel: Int) {
        equalize(&samples, channels: channels, channel: channel, bins: 256, table: table(histogram:))
    }

    /// Histogram of one channel, then its table applied to that channel: the 8- and 16-bit paths alike.
    static func equalize<T: FixedWidthInteger & UnsignedInteger>(_ samples: inout [T], channels: Int, channel: Int, bins: Int,
                                                                  table: ([Int]) -> [T]) {
        precondition(channel < channels)
        // Two histograms for alternate pixels, summed: a run of equal values
        // then does not wait on the previous increment of the same bin (for
        // 8 bits; 65536 bins are spread out enough, and one copy is cheaper).
        let second = bins <= 256 ? bins : 0
        var counts = [Int](repeating: 0, count: bins + second)
        counts.withUnsafeMutableBufferPointer { hb in
            samples.withUnsafeBufferPointer { p in
                guard let h = hb.baseAddress, let s = p.baseAddress else { return }
                let n = p.count
                var i = channel
                while i + channels < n {
                    h[Int(s[i])] &+= 1
                    h[second + Int(s[i + channels])] &+= 1
                    i += 2 * channels
                }
                if i < n { h[Int(s[i])] &+= 1 }
            }
        }
        let hist = second == 0 ? counts : (0..<bins).map { counts[$0] + counts[second + $0] }
        let lut = table(hist)
        precondition(lut.count == bins, "one table entry per bin")
        lut.withUnsafeBufferPointer { tb in
            samples.withUnsafeMutableBufferPointer { p in
                guard let t = tb.baseAddress, let s = p.baseAddress else { return }
                let n = p.count
                var i = channel
                while i < n {
                    s[i] = t[Int(s[i])]
                    i += channels
                }
            }
        }
    }

    /// MedAug's 16-bit form of the same table (imgaug takes only uint8):
    /// 65536 bins, `lut[v] = round(cdf(v) * 65535 / (total - hist[lo]))`,
    /// in float64 so that large images keep every count exact.
    public static func table16(histogram hist: [Int]) -> [UInt16] {
        precondition(hist.count == 65536)
        let total = hist.reduce(0, +)
        var lut = (0...65535).map { UInt16($0) }
        guard total > 0, let lo = hist.firstIndex(where: { $0 > 0 }), hist[lo] != total else { return lut }
        let scale = 65535 / Double(total - hist[lo])
        var sum = 0
        lut[lo] = 0
        for v in (lo + 1)..<65536 {
            sum += hist[v]
            let x = (Double(sum) * scale).rounded(.toNearestOrEven)
            lut[v] = x >= 65535 ? 65535 : UInt16(max(x, 0))
        }
        return lut
    }

    /// Equalises channel `channel` of interleaved 16-bit samples in place (65536 bins).
    public static func equalize16(_ samples: inout [UInt16], channels: Int, channel: Int) {
        equalize(&samples, channels: channels, channel: channel, bins: 65536, table: table16(histogram:))
    }

    /// `image` with every channel equalised on its own, at its own bit depth.
    static func allChannels(_ image: Image) -> Image {
        guard image.pixelCount > 0 else { return image }
        var out = image
        switch image.pixels {
        case .u8(let s):
            let tables = ByteKernels.histograms(s, channels: image.channels).map(table(histogram:))
            out.pixels = .u8(ByteKernels.apply(s, channels: image.channels, tables: tables))
        case .u16(var s):
            for c in 0..<image.channels { equalize16(&s, channels: image.channels, channel: c) }
            out.pixels = .u16(s)
        }
        return out
    }
}

/// imgaug's AllChannelsHistogramEqualization: `cv2.equalizeHist` on every
/// channel of the image on its own, alpha included, as in imgaug. Nothing is
/// random. imgaug takes only uint8; MedAug equalises 16-bit images with
/// 65536 bins and the same formula, scaled to 65535.
public struct AllChannelsHistogramEqualization: Augmenter {
    /// Creates the augmenter (imgaug's has no parameters).
    public init() {}

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "AllChannelsHistogramEqualization" }

    /// The arguments as a pipeline file writes them (none).
    public var arguments: [(String, ConfigValue)] { AllChannelsHistogramEqualization.table.arguments(self) }

    /// Equalises every channel; draws nothing.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        context.record(name, [])
        return HistogramEqualizer.allChannels(image)
    }
}

/// imgaug's HistogramEqualization: `cv2.equalizeHist` on the brightness
/// channel of another colour space (L of Lab, L of HLS, V of HSV).
///
/// As in imgaug: a 1-channel image is equalised directly; a 3-channel image is
/// converted from `from_colorspace` to `to_colorspace` (through RGB when
/// OpenCV has no direct conversion, not at all when the two are the same),
/// equalised on the brightness channel and converted back; a 4th (alpha)
/// channel is left unchanged; other channel counts (2, 5 or more) have every
/// channel equalised. imgaug takes only uint8. MedAug equalises 1-channel
/// (and 2, 5+ channel) 16-bit images with 65536 bins, as
/// AllChannelsHistogramEqualization does; a 16-bit colour image goes
/// through 8 bits (the colour conversions are 8-bit only) and is widened back
/// to 16 bits (v * 257).
public struct HistogramEqualization: Augmenter {
    /// The colour spaces the input may be in (imgaug's `from_colorspace`).
    public static let fromColorspaces = ["RGB", "BGR", "HSV", "HLS", "Lab"]
    /// The colour spaces the equalisation may run in (imgaug's `to_colorspace`).
    public static let toColorspaces = ["Lab", "HLS", "HSV"]

    /// The colour space the image is in (imgaug's `from_colorspace`).
    public var fromColorspace: String
    /// The colour space whose brightness channel is equalised (imgaug's `to_colorspace`).
    public var toColorspace: String

    /// Creates the augmenter; the defaults are imgaug's `from_colorspace="RGB"`,
    /// `to_colorspace="Lab"`. Names outside `fromColorspaces` and
    /// `toColorspaces` are refused when an image is augmented (pipeline files
    /// are checked by the table when read).
    public init(fromColorspace: String = "RGB", toColorspace: String = "Lab") {
        self.fromColorspace = fromColorspace
        self.toColorspace = toColorspace
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "HistogramEqualization" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { HistogramEqualization.table.arguments(self) }

    /// Equalises the brightness channel; draws nothing.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        guard Self.fromColorspaces.contains(fromColorspace), Self.toColorspaces.contains(toColorspace) else {
            throw AugmentError(name, "from_colorspace must be one of \(Self.fromColorspaces.joined(separator: ", ")) and "
                + "to_colorspace one of \(Self.toColorspaces.joined(separator: ", ")); got \(fromColorspace) and \(toColorspace)")
        }
        context.record(name, [])
        guard image.channels == 3 || image.channels == 4 else { return HistogramEqualizer.allChannels(image) }
        if image.bitDepth == 16 { return equalizeColour(image.to8Bit()).to16Bit() }
        return equalizeColour(image)
    }

    /// The 3- or 4-channel 8-bit path: convert, equalise the brightness channel, convert back.
    func equalizeColour(_ img: Image) -> Image {
        guard var s = img.bytes, img.pixelCount > 0,
              let target = ColorSpace(rawValue: toColorspace) else { return img }
        let w = img.width, h = img.height, c = img.channels
        let source = ColorSpace(rawValue: fromColorspace)  // nil for RGB and BGR
        if fromColorspace != toColorspace {
            if fromColorspace == "BGR" { ColorConversion.swapRedBlue(&s, pixelCount: w * h, channels: c) }
            if let source { ColorConversion.toRGB(&s, width: w, height: h, channels: c, from: source) }
            ColorConversion.fromRGB(&s, width: w, height: h, channels: c, to: target)
        }
        HistogramEqualizer.equalize(&s, channels: c, channel: target.brightnessChannel)
        if fromColorspace != toColorspace {
            ColorConversion.toRGB(&s, width: w, height: h, channels: c, from: target)
            if let source { ColorConversion.fromRGB(&s, width: w, height: h, channels: c, to: source) }
            if fromColorspace == "BGR" { ColorConversion.swapRedBlue(&s, pixelCount: w * h, channels: c) }
        }
        return Image(width: w, height: h, channels: c, bytes: s)
    }
}
