import MedAugCore
import MedAugImage

/// imgaug's pillike.Equalize (PIL's `ImageOps.equalize`, as imgaug's own
/// reimplementation computes it): each channel, alpha included, gets its own
/// lookup table from its histogram h: with `step = sum(h[0..<255]) / 255`
/// (floor), value i maps to `(step / 2 + h[0] + ... + h[i-1]) / step`
/// (floor, at most 255). A channel with one value, or with step 0, is kept.
/// Pipeline files name it `Equalize` (imgaug's `pillike.Equalize`; imgaug's
/// HistogramEqualization is a different, cv2-based augmenter).
///
/// Differences from imgaug: RGB images under 64x64/3 pixels are computed the
/// same way (imgaug hands them to PIL, which subtracts the last non-empty bin
/// rather than bin 255 from the sum); 16-bit images, which imgaug refuses,
/// are equalised over 65536 bins with 65535 in place of 255.
public struct Equalize: Augmenter {
    /// Creates the augmenter; imgaug's pillike.Equalize takes no arguments.
    public init() {}

    /// The registry name (imgaug's `pillike.Equalize`).
    public var name: String { "Equalize" }

    /// The arguments as a pipeline file writes them: none.
    public var arguments: [(String, ConfigValue)] { Equalize.table.arguments(self) }

    /// Equalises every channel; nothing is drawn.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        context.record(name, [])
        return EqualizeKernel.apply(image)
    }
}

/// Per-channel histogram work shared by Equalize and Autocontrast.
enum ChannelHistogram {
    /// The histogram of channel `c` (65536 bins for 16-bit images, 256 for 8-bit).
    static func histogram(_ image: Image, channel c: Int) -> [Int] {
        let n = image.channels
        switch image.pixels {
        case .u8(let a):
            var h = [Int](repeating: 0, count: 256)
            var i = c
            while i < a.count { h[Int(a[i])] += 1; i += n }
            return h
        case .u16(let a):
            var h = [Int](repeating: 0, count: 65536)
            var i = c
            while i < a.count { h[Int(a[i])] += 1; i += n }
            return h
        }
    }

    /// The histograms of every channel; 8-bit images in one pass over the samples.
    static func histograms(_ image: Image) -> [[Int]] {
        if case .u8(let a) = image.pixels { return ByteKernels.histograms(a, channels: image.channels) }
        return (0..<image.channels).map { histogram(image, channel: $0) }
    }

    /// Applies one table per channel (each as long as the bit depth's range).
    static func apply(_ image: Image, tables: [[Int]]) -> Image {
        let n = image.channels
        var out = image
        switch image.pixels {
        case .u8(let a):
            out.pixels = .u8(ByteKernels.apply(a, channels: n, tables: tables.map { $0.map { UInt8($0) } }))
        case .u16(var a):
            a.withUnsafeMutableBufferPointer { p in
                for c in 0..<n {
                    let t = tables[c].map { UInt16($0) }
                    var i = c
                    while i < p.count { p[i] = t[Int(p[i])]; i += n }
                }
            }
            out.pixels = .u16(a)
        }
        return out
    }
}

/// Equalize's tables (imgaug `pillike._equalize_no_pil_`).
public enum EqualizeKernel {
    /// The table for one channel's histogram (256 or 65536 bins).
    public static func table(histogram h: [Int]) -> [Int] {
        let top = h.count - 1
        let identity = Array(0...top)
        guard h.lazy.filter({ $0 != 0 }).count > 1 else { return identity }
        if top != 255 {
            // 65536 bins: PIL's integer step would be 0 below 65535 samples (no
            // change at all) and coarse above; the same rule in real numbers.
            let step = Double(h.reduce(0, +) - h[top]) / Double(top)
            guard step > 0 else { return identity }
            var n = step / 2
            var t = [Int](repeating: 0, count: h.count)
            for i in 0...top {
                t[i] = min(Int(n / step), top)
                n += Double(h[i])
            }
            return t
        }
        let step = (h.reduce(0, +) - h[top]) / top
        guard step > 0 else { return identity }
        var n = step / 2
        var t = [Int](repeating: 0, count: h.count)
        for i in 0...top {
            t[i] = min(n / step, top)
            n += h[i]
        }
        return t
    }

    /// Equalises every channel of the image on its own.
    public static func apply(_ image: Image) -> Image {
        guard image.width > 0, image.height > 0 else { return image }
        let tables = ChannelHistogram.histograms(image).map { table(histogram: $0) }
        return ChannelHistogram.apply(image, tables: tables)
    }
}
