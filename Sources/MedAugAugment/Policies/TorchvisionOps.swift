import Foundation
import MedAugCore
import MedAugImage

/// The operations torchvision's automatic augmentation policies draw from
/// (`_AutoAugmentBase._apply_image_or_video_transform` in torchvision 0.29),
/// by the names torchvision gives them.
public enum TorchvisionOp: String, CaseIterable, Sendable {
    /// Leaves the image as it is.
    case identity = "Identity"
    /// Horizontal shear by `atan(magnitude)`, about the top-left corner.
    case shearX = "ShearX"
    /// Vertical shear by `atan(magnitude)`, about the top-left corner.
    case shearY = "ShearY"
    /// Horizontal shift by `int(magnitude)` pixels.
    case translateX = "TranslateX"
    /// Vertical shift by `int(magnitude)` pixels.
    case translateY = "TranslateY"
    /// Counter-clockwise rotation by `magnitude` degrees about the centre.
    case rotate = "Rotate"
    /// Brightness factor `1 + magnitude`.
    case brightness = "Brightness"
    /// Saturation factor `1 + magnitude` (torchvision's name "Color").
    case color = "Color"
    /// Contrast factor `1 + magnitude`.
    case contrast = "Contrast"
    /// Sharpness factor `1 + magnitude`.
    case sharpness = "Sharpness"
    /// Keeps `int(magnitude)` bits.
    case posterize = "Posterize"
    /// Inverts the samples at or above `magnitude` times the bit depth's maximum.
    case solarize = "Solarize"
    /// Stretches each channel's [min, max] to the full range.
    case autoContrast = "AutoContrast"
    /// Equalises each channel's histogram.
    case equalize = "Equalize"
    /// Inverts every sample.
    case invert = "Invert"
}

/// torchvision.transforms.v2.functional's tensor kernels for the policy
/// operations, reproduced with torchvision's float32 arithmetic so that 8-bit
/// results match it sample for sample: products and blends in float32 with
/// the fused multiply-add PyTorch's vectorised `add(alpha=)` uses, truncation
/// when casting back to integers, the affine sampling grid built and rounded
/// as `_affine_grid` and `grid_sample(nearest, align_corners=False)` do.
///
/// Images torchvision does not take are extended, not refused: alpha (the
/// 2nd channel of gray+alpha, the 4th of RGBA) is left untouched by the
/// colour operations and carried along by the geometric ones; 16-bit images
/// use 65535 wherever torchvision's uint8 code uses 255 (the solarize
/// threshold, the blend clamp, the posterize bits counted from the top of 16,
/// Equalize over 65536 bins with real-number steps, where torchvision would
/// reduce the image to 8 bits first).
public enum TorchvisionOps {
    /// Applies `op` with a fixed magnitude, as the policies do once they
    /// have drawn one. `fill` is the value of the area a geometric operation
    /// uncovers, in 8-bit units (scaled by 257 for 16-bit images), one value
    /// for every colour channel or one per colour channel (a gray image takes
    /// the first of three, where torchvision would refuse them); nil is
    /// torchvision's `fill=None` (zeros).
    public static func apply(_ image: Image, op: TorchvisionOp, magnitude: Double, fill: [Double]? = nil) -> Image {
        guard image.width > 0, image.height > 0 else { return image }
        switch op {
        case .identity: return image
        case .shearX, .shearY:
            // torchvision shears by the angle whose tangent is the magnitude,
            // through degrees and back, about the corner (center=[0, 0]).
            let degrees = atan(magnitude) * (180.0 / Double.pi)
            let m = inverseAffine(center: (-0.5 * Double(image.width), -0.5 * Double(image.height)), angle: 0,
                                  translate: (0, 0), shear: op == .shearX ? (degrees, 0) : (0, degrees))
            return warpNearest(image, matrix: m, fill: fill)
        case .translateX, .translateY:
            let t = Double(Int(magnitude))
            let m = inverseAffine(center: (0, 0), angle: 0, translate: op == .translateX ? (t, 0) : (0, t), shear: (0, 0))
            return warpNearest(image, matrix: m, fill: fill)
        case .rotate: return rotate(image, degrees: magnitude, fill: fill)
        case .brightness: return brightness(image, factor: 1.0 + magnitude)
        case .color: return saturation(image, factor: 1.0 + magnitude)
        case .contrast: return contrast(image, factor: 1.0 + magnitude)
        case .sharpness: return sharpness(image, factor: 1.0 + magnitude)
        case .posterize: return posterize(image, bits: Int(magnitude))
        case .solarize: return solarize(image, threshold: Double(top(image)) * magnitude)
        case .autoContrast: return autocontrast(image)
        case .equalize: return equalize(image)
        case .invert: return invert(image)
        }
    }

    // MARK: samples

    /// The bit depth's maximum: torchvision's `_max_value(dtype)`.
    static func top(_ image: Image) -> Int { image.bitDepth == 16 ? 65535 : 255 }

    /// Channels the colour operations change: alpha is left out.
    static func colourChannels(_ image: Image) -> Int { image.channels >= 3 ? 3 : 1 }

    /// The samples as Float, interleaved as stored.
    static func floats(_ image: Image) -> [Float] {
        switch image.pixels {
        case .u8(let a): return a.map { Float($0) }
        case .u16(let a): return a.map { Float($0) }
        }
    }

    /// An image like `image` from float samples, each clamped to the bit depth
    /// and truncated towards zero, as torchvision's `clamp_(0, bound).to(uint8)`.
    static func truncated(_ image: Image, _ s: [Float]) -> Image {
        let hi = Float(top(image))
        switch image.pixels {
        case .u8: return Image(width: image.width, height: image.height, channels: image.channels,
                               bytes: s.map { UInt8(min(max($0, 0), hi)) })
        case .u16: return Image(width: image.width, height: image.height, channels: image.channels,
                                samples16: s.map { UInt16(min(max($0, 0), hi)) })
        }
    }

    /// Maps the colour channels' samples through `f`; alpha is copied.
    static func mapColour(_ image: Image, _ f: (Int) -> Int) -> Image {
        let c = image.channels, colour = colourChannels(image)
        var out = image
        switch image.pixels {
        case .u8(var a):
            for i in a.indices where i % c < colour { a[i] = UInt8(f(Int(a[i]))) }
            out.pixels = .u8(a)
        case .u16(var a):
            for i in a.indices where i % c < colour { a[i] = UInt16(f(Int(a[i]))) }
            out.pixels = .u16(a)
        }
        return out
    }

    // MARK: colour

    /// `_blend(v, other, ratio)`: `v * ratio + (1 - ratio) * other` in float32,
    /// the second product fused into the sum as PyTorch's `add_(alpha=)` does.
    @inline(__always)
    static func blend(_ v: Float, _ other: Float, ratio: Float, alpha: Float) -> Float {
        (v * ratio).addingProduct(other, alpha)
    }

    /// torchvision's float32 gray: `r * 0.2989 + g * 0.587 + b * 0.114`, each addition fused.
    @inline(__always)
    static func gray(_ r: Float, _ g: Float, _ b: Float) -> Float {
        (r * Float(0.2989)).addingProduct(g, Float(0.587)).addingProduct(b, Float(0.114))
    }

    /// `adjust_brightness`: `v * factor`, clamped and truncated.
    public static func brightness(_ image: Image, factor: Double) -> Image {
        let f = Float(factor), c = image.channels, colour = colourChannels(image)
        var s = floats(image)
        for i in s.indices where i % c < colour { s[i] *= f }
        return truncated(image, s)
    }

    /// `adjust_saturation`: blends with the floored gray; 1-channel images are kept (torchvision matches PIL there).
    public static func saturation(_ image: Image, factor: Double) -> Image {
        guard colourChannels(image) == 3 else { return image }
        let ratio = Float(factor), alpha = Float(1.0 - factor), c = image.channels
        var s = floats(image)
        var i = 0
        while i < s.count {
            let g = gray(s[i], s[i + 1], s[i + 2]).rounded(.down)
            for k in 0..<3 { s[i + k] = blend(s[i + k], g, ratio: ratio, alpha: alpha) }
            i += c
        }
        return truncated(image, s)
    }

    /// `adjust_contrast`: blends with the mean of the floored gray (or of the single channel).
    public static func contrast(_ image: Image, factor: Double) -> Image {
        let ratio = Float(factor), alpha = Float(1.0 - factor), c = image.channels, colour = colourChannels(image)
        var s = floats(image)
        // torch sums in float32, exact while the sum stays below 2^24; a Double
        // sum rounded once is the same there and closer beyond.
        var sum = 0.0
        var i = 0
        while i < s.count {
            sum += Double(colour == 3 ? gray(s[i], s[i + 1], s[i + 2]).rounded(.down) : s[i])
            i += c
        }
        let mean = Float(sum) / Float(image.width * image.height)
        for j in s.indices where j % c < colour { s[j] = blend(s[j], mean, ratio: ratio, alpha: alpha) }
        return truncated(image, s)
    }

    /// `adjust_sharpness`: the interior blends with a 3x3 blur (weights 1, centre 5,
    /// over 13, rounded); the one-pixel border is kept, as are images of side <= 2.
    public static func sharpness(_ image: Image, factor: Double) -> Image {
        let w = image.width, h = image.height, c = image.channels, colour = colourChannels(image)
        guard w > 2, h > 2 else { return image }
        let alpha = Float(1.0 - factor)
        let src = floats(image)
        var s = src
        for y in 1..<(h - 1) {
            for x in 1..<(w - 1) {
                for k in 0..<colour {
                    let at = { (dx: Int, dy: Int) in Int(src[((y + dy) * w + x + dx) * c + k]) }
                    var sum = 4 * at(0, 0)
                    for dy in -1...1 { for dx in -1...1 { sum += at(dx, dy) } }
                    // sum / 13 is never within 1/26 of a half, so torchvision's
                    // float convolution rounds it as integer division does.
                    let blurred = Float((2 * sum + 13) / 26)
                    let v = src[(y * w + x) * c + k]
                    s[(y * w + x) * c + k] = v.addingProduct(blurred - v, alpha)
                }
            }
        }
        return truncated(image, s)
    }

    /// `posterize`: keeps the `bits` highest bits (of 8, or of 16 for 16-bit images); 8 or more keeps everything.
    public static func posterize(_ image: Image, bits: Int) -> Image {
        let depth = image.bitDepth
        guard bits < depth else { return image }
        let b = max(bits, 0)
        let mask = ((1 << b) - 1) << (depth - b)
        return mapColour(image) { $0 & mask }
    }

    /// `solarize`: samples `>= threshold` (compared in float32) become `max - v`.
    public static func solarize(_ image: Image, threshold: Double) -> Image {
        let t = Float(threshold), hi = top(image)
        return mapColour(image) { Float($0) >= t ? hi - $0 : $0 }
    }

    /// `invert`: `max - v`.
    public static func invert(_ image: Image) -> Image {
        let hi = top(image)
        return mapColour(image) { hi - $0 }
    }

    /// `autocontrast`: each colour channel's [min, max] stretched to the full
    /// range, `(v - min) / ((max - min) * (1 / bound))` in float32, truncated;
    /// a constant channel is kept.
    public static func autocontrast(_ image: Image) -> Image {
        let c = image.channels, hi = top(image)
        var s = floats(image)
        for k in 0..<colourChannels(image) {
            var lo = Float.infinity, up = -Float.infinity
            for i in stride(from: k, to: s.count, by: c) { lo = min(lo, s[i]); up = max(up, s[i]) }
            guard up > lo else { continue }
            let inverseScale = (up - lo) * Float(1.0 / Double(hi))
            for i in stride(from: k, to: s.count, by: c) { s[i] = (s[i] - lo) / inverseScale }
        }
        return truncated(image, s)
    }

    /// `equalize`: PIL's scheme as torchvision writes it, per colour channel:
    /// `step = (n - count of the highest value present) / 255` (floor),
    /// `lut[0] = 0`, `lut[k] = (cum[k-1] + step / 2) / step` (floor, at most
    /// 255); a channel with step 0 is kept. 16-bit channels use 65536 bins,
    /// 65535 and real-number steps (integer ones would be 0 for all but huge images).
    public static func equalize(_ image: Image) -> Image {
        var out = image
        for k in 0..<colourChannels(image) {
            let h = ChannelHistogram.histogram(image, channel: k)
            let t = equalizeTable(histogram: h)
            out = ChannelHistogram.apply(out, tables: (0..<image.channels).map { $0 == k ? t : Array(0..<h.count) })
        }
        return out
    }

    /// The equalize lookup table for one channel's histogram (256 or 65536 bins).
    public static func equalizeTable(histogram h: [Int]) -> [Int] {
        let topBin = h.count - 1
        let identity = Array(0...topBin)
        guard let last = h.lastIndex(where: { $0 != 0 }) else { return identity }
        let nonMax = h.reduce(0, +) - h[last]
        var t = [Int](repeating: 0, count: h.count)
        var cum = 0
        if topBin == 255 {
            let step = nonMax / 255
            guard step > 0 else { return identity }
            for i in 1...topBin {
                cum += h[i - 1]
                t[i] = min((cum + step / 2) / step, 255)
            }
        } else {
            let step = Double(nonMax) / Double(topBin)
            guard step > 0 else { return identity }
            for i in 1...topBin {
                cum += h[i - 1]
                t[i] = min(Int(((Double(cum) + step / 2) / step).rounded(.down)), topBin)
            }
        }
        return t
    }

    // MARK: geometry

    /// `_get_inverse_affine_matrix(center, angle, translate, scale=1, shear)`,
    /// operation for operation in Double: the output-to-input matrix
    /// `[a, b, c, d, e, f]` in coordinates centred on the image.
    public static func inverseAffine(center: (Double, Double), angle: Double, translate: (Double, Double),
                                     shear: (Double, Double)) -> [Double] {
        let radians = Double.pi / 180.0
        let rot = angle * radians, sx = shear.0 * radians, sy = shear.1 * radians
        let (cx, cy) = center, (tx, ty) = translate
        let cosSy = cos(sy), tanSx = tan(sx)
        let rotMinusSy = rot - sy
        let cxPlusTx = cx + tx, cyPlusTy = cy + ty
        let a = cos(rotMinusSy) / cosSy
        let b = -(a * tanSx + sin(rot))
        let c = sin(rotMinusSy) / cosSy
        let d = cos(rot) - c * tanSx
        var m = [d / 1.0, -b / 1.0, 0.0, -c / 1.0, a / 1.0, 0.0]
        m[2] += cx - m[0] * cxPlusTx - m[1] * cyPlusTy
        m[5] += cy - m[3] * cxPlusTx - m[4] * cyPlusTy
        return m
    }

    /// `rotate(angle, NEAREST, expand=False)`: the angle taken modulo 360;
    /// 0 and 180 (and 90 and 270 on square images) are exact turns, as
    /// torchvision's fast paths; other angles go through the affine grid.
    public static func rotate(_ image: Image, degrees: Double, fill: [Double]?) -> Image {
        var a = fmod(degrees, 360)
        if a < 0 { a += 360 }
        if a == 0 { return image }
        if a == 180 { return quarterTurns(image, 2) }
        if image.width == image.height {
            if a == 90 { return quarterTurns(image, 1) }
            if a == 270 { return quarterTurns(image, 3) }
        }
        let m = inverseAffine(center: (0, 0), angle: -a, translate: (0, 0), shear: (0, 0))
        return warpNearest(image, matrix: m, fill: fill)
    }

    /// `torch.rot90(k, dims=(-2, -1))`: k quarter turns counter-clockwise.
    static func quarterTurns(_ image: Image, _ k: Int) -> Image {
        let w = image.width, h = image.height
        let (ow, oh) = k == 2 ? (w, h) : (h, w)
        return gather(image, width: ow, height: oh) { x, y in
            switch k {
            case 1: return (w - 1 - y, x)
            case 2: return (w - 1 - x, h - 1 - y)
            default: return (y, h - 1 - x)
            }
        }
    }

    /// Builds an image whose pixel (x, y) copies the source pixel `from(x, y)`.
    static func gather(_ image: Image, width ow: Int, height oh: Int, _ from: (Int, Int) -> (Int, Int)) -> Image {
        let c = image.channels, w = image.width
        func work<T>(_ a: [T]) -> [T] {
            var out = [T]()
            out.reserveCapacity(ow * oh * c)
            for y in 0..<oh {
                for x in 0..<ow {
                    let (sx, sy) = from(x, y)
                    let base = (sy * w + sx) * c
                    for k in 0..<c { out.append(a[base + k]) }
                }
            }
            return out
        }
        switch image.pixels {
        case .u8(let a): return Image(width: ow, height: oh, channels: c, bytes: work(a))
        case .u16(let a): return Image(width: ow, height: oh, channels: c, samples16: work(a))
        }
    }

    /// The fill of one channel: torchvision's `fill` rounded to the sample
    /// type; alpha is transparent without a fill and opaque with one.
    static func fillValues(_ image: Image, _ fill: [Double]?) -> [Int] {
        let hi = top(image), colour = colourChannels(image), scale = image.bitDepth == 16 ? 257.0 : 1.0
        return (0..<image.channels).map { k in
            guard let fill, !fill.isEmpty else { return 0 }
            if k >= colour { return hi }
            let v = fill.count == 1 ? fill[0] : fill[min(k, fill.count - 1)]
            return min(max(Int((Float(v * scale)).rounded(.toNearestOrEven)), 0), hi)
        }
    }

    /// `_affine_grid` and `grid_sample(mode="nearest", padding_mode="zeros",
    /// align_corners=False)` for an output the size of the input: the matrix
    /// divided by half the size in float32, each output pixel's grid value
    /// `x * r0 + y * r1 + r2` (the second product fused, as the batched
    /// matrix product computes it), unnormalised to `(g + 1) * size / 2 - 0.5`
    /// and rounded half to even; points outside take the fill.
    public static func warpNearest(_ image: Image, matrix m: [Double], fill: [Double]?) -> Image {
        let w = image.width, h = image.height, c = image.channels
        let theta = m.map { Float($0) }
        let hw = Float(0.5 * Double(w)), hh = Float(0.5 * Double(h))
        let r = [theta[0] / hw, theta[1] / hw, theta[2] / hw, theta[3] / hh, theta[4] / hh, theta[5] / hh]
        let scaleX = Float(w) / 2, scaleY = Float(h) / 2
        let fills = fillValues(image, fill)
        func work<T: FixedWidthInteger>(_ a: [T]) -> [T] {
            var out = [T](repeating: 0, count: a.count)
            for y in 0..<h {
                let gy0 = Float(Double(y) - Double(h - 1) * 0.5)
                for x in 0..<w {
                    let gx0 = Float(Double(x) - Double(w - 1) * 0.5)
                    let gx = (gx0 * r[0]).addingProduct(gy0, r[1]) + r[2]
                    let gy = (gx0 * r[3]).addingProduct(gy0, r[4]) + r[5]
                    let ix = ((gx + 1) * scaleX - 0.5).rounded(.toNearestOrEven)
                    let iy = ((gy + 1) * scaleY - 0.5).rounded(.toNearestOrEven)
                    let o = (y * w + x) * c
                    if ix >= 0, ix <= Float(w - 1), iy >= 0, iy <= Float(h - 1) {
                        let s = (Int(iy) * w + Int(ix)) * c
                        for k in 0..<c { out[o + k] = a[s + k] }
                    } else {
                        for k in 0..<c { out[o + k] = T(fills[k]) }
                    }
                }
            }
            return out
        }
        switch image.pixels {
        case .u8(let a): return Image(width: w, height: h, channels: c, bytes: work(a))
        case .u16(let a): return Image(width: w, height: h, channels: c, samples16: work(a))
        }
    }
}
