import MedAugCore
import MedAugImage

/// imgaug's Invert (arithmetic.py): with probability p an image (or, with
/// per_channel, each channel) has every sample v replaced by `M - |v - m|`,
/// where m and M are `min_value` and `max_value` (by default the bit depth's
/// range, so v becomes 255 - v or 65535 - v). With a `threshold`, only
/// samples `>= threshold` are inverted (or only those `< threshold` when
/// `invert_above_threshold` fires false). Every channel is inverted, alpha
/// included, as in imgaug.
///
/// imgaug's dtype rules are kept: for 8 bits the threshold is truncated to an
/// integer and the custom-range result is clipped to [m, M]; for 16 bits
/// samples are clipped to [m, M] before inverting and compared with the
/// threshold as it is. Differences from imgaug: a negative threshold counts
/// as 0 on 8-bit images (imgaug's table slicing wraps around and inverts the
/// top values instead); `min_value`/`max_value` outside the bit depth's range
/// are clipped to it, and a `min_value` at or above the maximum turns every
/// sample into it (imgaug fails an assertion for both); `min_value >=
/// max_value` given together is refused when the pipeline file is read (and,
/// for an Invert built in code, when the image is augmented).
public struct Invert: Augmenter {
    /// Chance that an image (or a channel, with per_channel) is inverted (imgaug's `p`).
    public var p: Probability
    /// Chance, per image, that each channel draws its own `p` (imgaug's `per_channel`).
    public var perChannel: Probability
    /// Lowest value of the range inverted within; nil is 0 (imgaug's `min_value`).
    public var minValue: Int?
    /// Highest value of the range inverted within; nil is the bit depth's maximum (imgaug's `max_value`).
    public var maxValue: Int?
    /// Only samples on one side of this value are inverted, drawn per image; nil inverts all.
    public var threshold: Continuous?
    /// Chance, per image, that samples `>= threshold` (rather than `< threshold`) are inverted.
    public var invertAboveThreshold: Probability

    /// Creates the augmenter; the defaults are imgaug's `p=1`, `per_channel=False`,
    /// no custom range, no threshold, `invert_above_threshold=0.5`.
    public init(p: Probability = .constant(1), perChannel: Probability = .constant(0), minValue: Int? = nil,
                maxValue: Int? = nil, threshold: Continuous? = nil, invertAboveThreshold: Probability = .constant(0.5)) {
        self.p = p
        self.perChannel = perChannel
        self.minValue = minValue
        self.maxValue = maxValue
        self.threshold = threshold
        self.invertAboveThreshold = invertAboveThreshold
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Invert" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { Invert.table.arguments(self) }

    /// Draws p per channel, per_channel, the threshold and its side, then inverts.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        try InvertKernel.sampleAndApply(self, name: name, image, &context)
    }
}

/// imgaug's Solarize (arithmetic.py): Invert with a threshold drawn from
/// 64...192 per image and only the samples at or above it inverted. The
/// pillike Solarize is the same operation with other defaults; write it as
/// Solarize with `threshold: 128`.
public struct Solarize: Augmenter {
    /// See ``Invert/p``.
    public var p: Probability
    /// See ``Invert/perChannel``.
    public var perChannel: Probability
    /// See ``Invert/minValue``.
    public var minValue: Int?
    /// See ``Invert/maxValue``.
    public var maxValue: Int?
    /// See ``Invert/threshold``.
    public var threshold: Continuous?
    /// See ``Invert/invertAboveThreshold``.
    public var invertAboveThreshold: Probability

    /// Creates the augmenter; the defaults are imgaug's `p=1`, `per_channel=False`,
    /// `threshold=(64, 192)`, `invert_above_threshold=True`.
    public init(p: Probability = .constant(1), perChannel: Probability = .constant(0), minValue: Int? = nil,
                maxValue: Int? = nil, threshold: Continuous? = .range(64, 192), invertAboveThreshold: Probability = .constant(1)) {
        self.p = p
        self.perChannel = perChannel
        self.minValue = minValue
        self.maxValue = maxValue
        self.threshold = threshold
        self.invertAboveThreshold = invertAboveThreshold
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Solarize" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { Solarize.table.arguments(self) }

    /// Invert's sampling and pixel work with Solarize's defaults.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let invert = Invert(p: p, perChannel: perChannel, minValue: minValue, maxValue: maxValue,
                            threshold: threshold, invertAboveThreshold: invertAboveThreshold)
        return try InvertKernel.sampleAndApply(invert, name: name, image, &context)
    }
}

/// Invert's pixel work (imgaug `invert_`).
public enum InvertKernel {
    /// imgaug's draw order: p per channel, per_channel, threshold, invert_above_threshold.
    static func sampleAndApply(_ a: Invert, name: String, _ image: Image, _ context: inout AugmentContext) throws -> Image {
        let flags = (0..<max(image.channels, 1)).map { _ in a.p.sample(&context.rng) }
        let independent = a.perChannel.sample(&context.rng)
        let t = a.threshold?.sample(&context.rng)
        let above = a.invertAboveThreshold.sample(&context.rng)
        let mask = independent ? flags : [Bool](repeating: flags[0], count: image.channels)
        context.record(name, [("p", mask.map { $0 ? "1" : "0" }.joined(separator: ","))]
                       + (t.map { [("threshold", fmt($0)), ("invert_above_threshold", above ? "true" : "false")] } ?? []))
        guard mask.contains(true), image.width > 0, image.height > 0 else { return image }
        let top = image.bitDepth == 16 ? 65535 : 255
        if let m = a.minValue, let M = a.maxValue, m >= M {
            throw AugmentError(name, "min_value (\(m)) must be below max_value (\(M))")
        }
        // Clipped into the bit depth's range; an empty range (min_value at the top) maps every sample to it.
        let lo = min(max(a.minValue ?? 0, 0), top), hi = max(min(max(a.maxValue ?? top, 0), top), lo)
        return apply(image, channels: mask, minValue: lo, maxValue: hi, threshold: t, invertAbove: above)
    }

    /// imgaug's uint8 table: `clip(M - |v - m|, m, M)`, then, with a threshold
    /// t, only entries `>= int(t)` (or `< int(t)`) inverted. A negative t counts as 0.
    public static func table(minValue m: Int = 0, maxValue M: Int = 255, threshold: Double? = nil,
                             invertAbove: Bool = true) -> [UInt8] {
        let cut = threshold.map { min(max(Int($0.isFinite ? $0 : 0), 0), 256) }
        return (0..<256).map { v in
            let inv = UInt8(min(max(M - abs(v - m), m), M))
            guard let cut else { return inv }
            return (v >= cut) == invertAbove ? inv : UInt8(v)
        }
    }

    /// One 16-bit sample: `65535 - v` over the full range, otherwise
    /// `M - (clip(v, m, M) - m)`; with a threshold only `v >= t` (or `v < t`).
    @inline(__always)
    static func invert16(_ v: UInt16, _ m: Int, _ M: Int, _ t: Double?, _ above: Bool) -> UInt16 {
        if let t, (Double(v) >= t) != above { return v }
        if m == 0 && M == 65535 { return 65535 - v }
        return UInt16(M - (min(max(Int(v), m), M) - m))
    }

    /// Inverts the channels whose `channels` flag is true (one flag per channel).
    public static func apply(_ image: Image, channels: [Bool], minValue: Int, maxValue: Int,
                             threshold: Double?, invertAbove: Bool) -> Image {
        precondition(channels.count == image.channels, "one flag per channel")
        let c = image.channels
        var out = image
        switch image.pixels {
        case .u8(let a):
            // The full-range and thresholded tables run as vector flips (ByteKernels.flipForm).
            let t = table(minValue: minValue, maxValue: maxValue, threshold: threshold, invertAbove: invertAbove)
            let identity = (0..<256).map { UInt8($0) }
            out.pixels = .u8(ByteKernels.apply(a, channels: c, tables: channels.map { $0 ? t : identity }))
        case .u16(var a):
            a.withUnsafeMutableBufferPointer { p in
                for i in p.indices where channels[i % c] {
                    p[i] = invert16(p[i], minValue, maxValue, threshold, invertAbove)
                }
            }
            out.pixels = .u16(a)
        }
        return out
    }
}
