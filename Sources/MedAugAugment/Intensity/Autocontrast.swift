import MedAugCore
import MedAugImage

/// imgaug's pillike.Autocontrast (PIL's `ImageOps.autocontrast`): per
/// channel, `cutoff` percent of the samples is removed from each end of the
/// histogram, and the remaining range [lo, hi] is stretched linearly to the
/// full range (`int(v * 255 / (hi - lo) - lo * 255 / (hi - lo))`, clipped).
/// A channel whose range is empty is kept. The cutoff is an integer in
/// 0...49 drawn per image, or per channel when `per_channel` fires. Every
/// channel is stretched, alpha included, as in imgaug. Pipeline files name it
/// `Autocontrast` (imgaug's `pillike.Autocontrast`).
///
/// Differences from imgaug: for 2- and 4-channel images imgaug uses its own
/// cutting code, which differs from PIL's where a cut ends exactly on a bin
/// border; MedAug uses PIL's for every channel count. 16-bit images, which
/// imgaug refuses, are stretched over 65536 bins to 0...65535.
public struct Autocontrast: Augmenter {
    /// Percent of samples cut from each end, drawn per image or channel (imgaug's `cutoff`).
    public var cutoff: Discrete
    /// Chance, per image, that each channel draws its own cutoff (imgaug's `per_channel`).
    public var perChannel: Probability

    /// Creates the augmenter; the defaults are imgaug's `cutoff=(0, 20)`, `per_channel=False`.
    public init(cutoff: Discrete = .range(0, 20), perChannel: Probability = .constant(0)) {
        self.cutoff = cutoff
        self.perChannel = perChannel
    }

    /// The registry name (imgaug's `pillike.Autocontrast`).
    public var name: String { "Autocontrast" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { Autocontrast.table.arguments(self) }

    /// Draws per_channel, then one cutoff (or one per channel), and stretches.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let independent = perChannel.sample(&context.rng)
        let draws = (0..<(independent ? image.channels : 1)).map { _ in min(max(cutoff.sample(&context.rng), 0), 49) }
        context.record(name, [("cutoff", draws.map(String.init).joined(separator: ","))])
        guard image.width > 0, image.height > 0 else { return image }
        let cutoffs = independent ? draws : [Int](repeating: draws[0], count: image.channels)
        return AutocontrastKernel.apply(image, cutoffs: cutoffs)
    }
}

/// Autocontrast's tables (PIL `ImageOps.autocontrast`).
public enum AutocontrastKernel {
    /// The table for one channel's histogram (256 or 65536 bins) and a cutoff in percent.
    public static func table(histogram: [Int], cutoff: Int) -> [Int] {
        var h = histogram
        let top = h.count - 1
        if cutoff > 0 {
            let n = h.reduce(0, +)
            var cut = n * cutoff / 100
            for lo in 0...top {
                if cut > h[lo] { cut -= h[lo]; h[lo] = 0 } else { h[lo] -= cut; cut = 0 }
                if cut <= 0 { break }
            }
            cut = n * cutoff / 100
            for hi in stride(from: top, through: 0, by: -1) {
                if cut > h[hi] { cut -= h[hi]; h[hi] = 0 } else { h[hi] -= cut; cut = 0 }
                if cut <= 0 { break }
            }
        }
        let lo = h.firstIndex { $0 != 0 } ?? top
        let hi = h.lastIndex { $0 != 0 } ?? 0
        guard hi > lo else { return Array(0...top) }
        let scale = Double(top) / Double(hi - lo)
        let offset = -Double(lo) * scale
        return (0...top).map { ix in
            let v = Double(ix) * scale + offset
            return min(max(Int(v.rounded(.towardZero)), 0), top)
        }
    }

    /// Stretches channel c with `cutoffs[c]`.
    public static func apply(_ image: Image, cutoffs: [Int]) -> Image {
        precondition(cutoffs.count == image.channels, "one cutoff per channel")
        let tables = zip(ChannelHistogram.histograms(image), cutoffs).map { table(histogram: $0, cutoff: $1) }
        return ChannelHistogram.apply(image, tables: tables)
    }
}
