import MedAugCore
import MedAugImage

/// imgaug's Cutout (DeVries and Taylor): fills `nb_iterations` rectangles per
/// image. Each rectangle is centred at `position` (relative to the image) and
/// is `size` of the height by `size` of the width; with `squared` its width is
/// made equal to its height in pixels (imgaug uses the height's extent). The
/// corners are truncated to whole pixels and clipped to the image, as imgaug's
/// `cutout_` does. `constant` fills with `cval` (one value, or one per channel
/// with `fill_per_channel`), truncated to the sample type; `gaussian` fills
/// with Normal(centre, range / 6) noise, clipped, per pixel (and per channel
/// with `fill_per_channel`).
///
/// Any channel count and both bit depths, as imgaug: `cval` is in sample units
/// (a 16-bit image is filled with the raw value, clipped to 0...65535) and the
/// gaussian is centred on the middle of the sample range.
public struct Cutout: Augmenter {
    /// How many rectangles per image (imgaug's `nb_iterations`).
    public var nbIterations: Discrete
    /// The centre of each rectangle, relative to width and height.
    public var position: FixedSizePosition
    /// Each side as a fraction of the image's side, drawn per rectangle and axis.
    public var size: Continuous
    /// The chance per rectangle that it is made square (imgaug's `squared`).
    public var squared: Probability
    /// "constant" or "gaussian", one drawn per rectangle.
    public var fillMode: Choice<String>
    /// The fill for `constant`, in sample units, drawn per rectangle and channel.
    public var cval: Continuous
    /// The chance per rectangle that each channel gets its own fill.
    public var fillPerChannel: Probability

    /// The fill modes imgaug accepts.
    public static let fillModes = ["constant", "gaussian"]

    /// Creates the augmenter with imgaug's defaults: one rectangle at a
    /// uniform position, 20% of each side, squared, filled with 128.
    public init(nbIterations: Discrete = .constant(1), position: FixedSizePosition = .uniform,
                size: Continuous = .constant(0.2), squared: Probability = .constant(1),
                fillMode: Choice<String> = .constant("constant"), cval: Continuous = .constant(128),
                fillPerChannel: Probability = .constant(0)) {
        self.nbIterations = nbIterations
        self.position = position
        self.size = size
        self.squared = squared
        self.fillMode = fillMode
        self.cval = cval
        self.fillPerChannel = fillPerChannel
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Cutout" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { Cutout.table.arguments(self) }

    /// Draws the count, then per rectangle (in imgaug's order of parameters)
    /// the positions, sizes, squared flags, fill modes, fills and
    /// per-channel flags, and fills the rectangles in turn.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let n = max(0, nbIterations.sample(&context.rng))
        let c = image.channels
        let positions = (0..<n).map { _ in position.sample(&context.rng) }
        let sizes = (0..<n).map { _ in (h: size.sample(&context.rng), w: size.sample(&context.rng)) }
        let squares = (0..<n).map { _ in squared.sample(&context.rng) }
        let modes = (0..<n).map { _ in fillMode.sample(&context.rng) }
        let cvals = (0..<n).map { _ in (0..<c).map { _ in cval.sample(&context.rng) } }
        let perChannel = (0..<n).map { _ in fillPerChannel.sample(&context.rng) }
        context.record(name, [("nb_iterations", String(n))])
        var out = image
        let w = Double(image.width), h = Double(image.height)
        for i in 0..<n {
            var x1 = (positions[i].x - sizes[i].w / 2) * w
            let y1 = (positions[i].y - sizes[i].h / 2) * h
            var x2 = (positions[i].x + sizes[i].w / 2) * w
            let y2 = (positions[i].y + sizes[i].h / 2) * h
            if squares[i] {
                let halfHeight = (y2 - y1) / 2
                let centre = x1 + (x2 - x1) / 2
                x1 = centre - halfHeight
                x2 = centre + halfHeight
            }
            if modes[i] == "gaussian" {
                out = CutoutKernel.fillGaussian(out, x1: x1, y1: y1, x2: x2, y2: y2, perChannel: perChannel[i], &context.rng)
            } else {
                out = CutoutKernel.fillConstant(out, x1: x1, y1: y1, x2: x2, y2: y2,
                                                values: perChannel[i] ? cvals[i] : [cvals[i][0]])
            }
        }
        return out
    }
}

/// imgaug's `cutout_`: fills one rectangle given by absolute corner coordinates.
public enum CutoutKernel {
    /// imgaug's corner handling: each coordinate truncated toward zero, then
    /// clipped to the image; nil when the rectangle is empty.
    public static func rectangle(_ image: Image, x1: Double, y1: Double, x2: Double, y2: Double)
        -> (x1: Int, y1: Int, x2: Int, y2: Int)? {
        func clip(_ v: Double, _ hi: Int) -> Int {
            guard v.isFinite else { return v > 0 ? hi : 0 }
            let t = v.rounded(.towardZero)
            return t <= 0 ? 0 : (t >= Double(hi) ? hi : Int(t))
        }
        let a = clip(x1, image.width), b = clip(y1, image.height)
        let c = clip(x2, image.width), d = clip(y2, image.height)
        return c > a && d > b ? (a, b, c, d) : nil
    }

    /// Fills with one value for every channel (`values.count == 1`) or one
    /// per channel, each truncated and clipped to the sample range.
    public static func fillConstant(_ image: Image, x1: Double, y1: Double, x2: Double, y2: Double, values: [Double]) -> Image {
        guard let r = rectangle(image, x1: x1, y1: y1, x2: x2, y2: y2), !values.isEmpty else { return image }
        let c = image.channels
        let per = (0..<c).map { values.count == 1 ? values[0] : values[min($0, values.count - 1)] }
        switch image.pixels {
        case .u8(var a):
            let v = per.map { UInt8(clampingTruncated: $0, max: 255) }
            fill(&a, image.width, c, r) { _, ch in v[ch] }
            return Image(width: image.width, height: image.height, channels: c, bytes: a)
        case .u16(var a):
            let v = per.map { UInt16(clampingTruncated: $0, max: 65535) }
            fill(&a, image.width, c, r) { _, ch in v[ch] }
            return Image(width: image.width, height: image.height, channels: c, samples16: a)
        }
    }

    /// Fills with Normal(centre, (max - min) / 6) noise clipped to the sample
    /// range and truncated, one draw per pixel (per sample with `perChannel`).
    public static func fillGaussian(_ image: Image, x1: Double, y1: Double, x2: Double, y2: Double,
                                    perChannel: Bool, _ rng: inout AugmentRandom) -> Image {
        guard let r = rectangle(image, x1: x1, y1: y1, x2: x2, y2: y2) else { return image }
        let c = image.channels
        let maxValue: Double = image.bitDepth == 16 ? 65535 : 255
        let centre = maxValue / 2, sd = maxValue / 6
        var draws = [Double]()
        let count = (r.x2 - r.x1) * (r.y2 - r.y1) * (perChannel ? c : 1)
        draws.reserveCapacity(count)
        for _ in 0..<count { draws.append(min(max(centre + sd * rng.nextGaussian(), 0), maxValue)) }
        func value(_ pixel: Int, _ ch: Int) -> Double { perChannel ? draws[pixel * c + ch] : draws[pixel] }
        switch image.pixels {
        case .u8(var a):
            fill(&a, image.width, c, r) { p, ch in UInt8(value(p, ch)) }
            return Image(width: image.width, height: image.height, channels: c, bytes: a)
        case .u16(var a):
            fill(&a, image.width, c, r) { p, ch in UInt16(value(p, ch)) }
            return Image(width: image.width, height: image.height, channels: c, samples16: a)
        }
    }

    /// Writes `value(pixelIndexInRectangle, channel)` into the rectangle.
    static func fill<T>(_ a: inout [T], _ width: Int, _ c: Int, _ r: (x1: Int, y1: Int, x2: Int, y2: Int),
                        _ value: (Int, Int) -> T) {
        var p = 0
        for y in r.y1..<r.y2 {
            for x in r.x1..<r.x2 {
                let base = (y * width + x) * c
                for ch in 0..<c { a[base + ch] = value(p, ch) }
                p += 1
            }
        }
    }
}

extension FixedWidthInteger {
    /// numpy's float-to-integer cast for fill values: truncation toward zero,
    /// clipped to 0...max (NaN gives 0).
    init(clampingTruncated v: Double, max: Double) {
        if !(v > 0) { self = 0; return }
        self = v >= max ? Self(max) : Self(v.rounded(.towardZero))
    }
}
