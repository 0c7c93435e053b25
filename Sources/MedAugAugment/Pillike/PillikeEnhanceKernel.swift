import MedAugImage

/// Pillow's `ImageEnhance` operations: each blends a "degenerate" version of
/// the image with the image itself, `Image.blend(degenerate, image, factor)`.
public enum PillikeEnhance: String, CaseIterable, Equatable, Sendable {
    /// `ImageEnhance.Color`: the degenerate image is the luma (0 gives gray).
    case color = "Color"
    /// `ImageEnhance.Contrast`: the degenerate image is the mean luma everywhere.
    case contrast = "Contrast"
    /// `ImageEnhance.Brightness`: the degenerate image is black.
    case brightness = "Brightness"
    /// `ImageEnhance.Sharpness`: the degenerate image is the SMOOTH-filtered image.
    case sharpness = "Sharpness"
}

/// The pixel work of Pillow's `ImageEnhance`, with Pillow's integer and
/// float32 arithmetic:
///
/// - luma is `(19595 R + 38470 G + 7471 B + 32768) >> 16` (Pillow's RGB to L);
/// - Contrast's level is `int(mean + 0.5)` of the luma histogram's mean;
/// - the blend is `d + f (v - d)` in float32, truncated, and clipped to the
///   sample range only when f lies outside [0, 1];
/// - alpha keeps the image's alpha (the blend of two equal values);
/// - Color leaves a gray image unchanged (its degenerate image is itself).
///
/// A gray+alpha image (which imgaug refuses) follows the RGBA rules with its
/// gray channel as the luma. 16-bit images (also refused by imgaug) get the
/// same formulas over 0...65535.
public enum PillikeEnhanceKernel {
    /// Pillow's RGB-to-L luma, exact for 8 bits and used unchanged for 16.
    @inline(__always)
    public static func luma(_ r: Int, _ g: Int, _ b: Int) -> Int {
        (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16
    }

    /// `Image.blend(degenerate, image, factor)` for one sample.
    @inline(__always)
    static func blend(_ d: Int, _ v: Int, _ alpha: Float, _ clip: Bool, _ top: Float) -> Float {
        let t = Float(d) + alpha * Float(v - d)
        guard clip else { return t.rounded(.towardZero) }
        return t <= 0 ? 0 : (t >= top ? top : t.rounded(.towardZero))
    }

    /// The enhanced image for one factor.
    public static func apply(_ image: Image, _ op: PillikeEnhance, factor: Double) -> Image {
        guard image.width > 0, image.height > 0 else { return image }
        if op == .color && image.channels < 3 { return image }
        if case .u8(let v) = image.pixels { return apply8(image, v, op, factor: factor) }
        let degenerate = self.degenerate(image, op)
        switch (image.pixels, degenerate.pixels) {
        case (.u8(let v), .u8(let d)):
            return Image(width: image.width, height: image.height, channels: image.channels,
                         bytes: blendAll(d, v, factor, 255))
        case (.u16(let v), .u16(let d)):
            return Image(width: image.width, height: image.height, channels: image.channels,
                         samples16: blendAll(d, v, factor, 65535))
        default:
            return image
        }
    }

    /// The 8-bit path: brightness and contrast blend with one constant per
    /// image, so they are a 256-entry table built with ``blend`` itself;
    /// color and sharpness blend with a per-pixel degenerate image, vectorised.
    static func apply8(_ image: Image, _ v: [UInt8], _ op: PillikeEnhance, factor: Double) -> Image {
        let c = image.channels
        let alpha = Float(factor)
        let clip = !(alpha >= 0 && alpha <= 1)
        let colour = c >= 3 ? 3 : 1
        func out(_ bytes: [UInt8]) -> Image {
            Image(width: image.width, height: image.height, channels: c, bytes: bytes)
        }
        switch op {
        case .brightness, .contrast:
            let level = op == .brightness ? 0 : contrastLevel(v, c)
            let table = (0..<256).map { UInt8(blend(level, $0, alpha, clip, 255)) }
            // alpha keeps its value: the blend of two equal samples
            let tables = (0..<c).map { $0 < colour ? table : (0..<256).map { UInt8($0) } }
            return out(ByteKernels.apply(v, channels: c, tables: tables))
        case .color:
            return out(PillikeBytes.color(v, c, alpha))
        case .sharpness:
            guard image.width >= 3, image.height >= 3 else { return image }
            let d = PillikeKernel.smooth.definition
            var smooth = PillikeBytes.filter(v, image.width, image.height, c, d.size,
                                             d.weights.map { $0 / d.divisor }, d.offset)
            if c == 2 || c == 4 {
                var i = c - 1
                while i < smooth.count { smooth[i] = v[i]; i += c }
            }
            return out(PillikeBytes.blend(smooth, v, alpha))
        }
    }

    /// Contrast's level: the rounded mean luma (Pillow's L conversion for colour).
    static func contrastLevel(_ v: [UInt8], _ c: Int) -> Int {
        let n = v.count / c
        var sum = 0
        v.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return }
            if c >= 3 {
                for q in 0..<n {
                    let i = q * c
                    sum &+= luma(Int(p[i]), Int(p[i + 1]), Int(p[i + 2]))
                }
            } else {
                for q in 0..<n { sum &+= Int(p[q * c]) }
            }
        }
        // ImageStat's mean (a float division), rounded as Contrast does.
        return Int(Double(sum) / Double(n) + 0.5)
    }

    static func blendAll<T: FixedWidthInteger & UnsignedInteger>(_ d: [T], _ v: [T], _ factor: Double, _ top: Float) -> [T] {
        // Pillow receives the factor as a C float and clips only when extrapolating.
        let alpha = Float(factor)
        let clip = !(alpha >= 0 && alpha <= 1)
        var out = v
        out.withUnsafeMutableBufferPointer { o in
            for i in 0..<o.count { o[i] = T(blend(Int(d[i]), Int(v[i]), alpha, clip, top)) }
        }
        return out
    }

    /// The degenerate image of `op`, alpha taken from `image`.
    public static func degenerate(_ image: Image, _ op: PillikeEnhance) -> Image {
        let c = image.channels
        // Pillow's Color converts gray (and gray+alpha) to itself.
        if op == .color && c < 3 { return image }
        let hasAlpha = c == 2 || c == 4
        let colour = c >= 3 ? 3 : 1
        func build<T: FixedWidthInteger & UnsignedInteger>(_ v: [T]) -> [T] {
            var out = v
            let n = image.width * image.height
            switch op {
            case .color:
                for p in 0..<n {
                    let i = p * c
                    let l = T(luma(Int(v[i]), Int(v[i + 1]), Int(v[i + 2])))
                    out[i] = l; out[i + 1] = l; out[i + 2] = l
                }
            case .contrast:
                var sum = 0
                for p in 0..<n {
                    let i = p * c
                    sum += colour == 3 ? luma(Int(v[i]), Int(v[i + 1]), Int(v[i + 2])) : Int(v[i])
                }
                // ImageStat's mean (a float division), rounded as Contrast does.
                let level = T(Int(Double(sum) / Double(n) + 0.5))
                for p in 0..<n {
                    for ch in 0..<colour { out[p * c + ch] = level }
                }
            case .brightness:
                for p in 0..<n {
                    for ch in 0..<colour { out[p * c + ch] = 0 }
                }
            case .sharpness:
                break
            }
            return out
        }
        switch op {
        case .sharpness:
            let smooth = PillikeFilterKernel.apply(image, .smooth)
            guard hasAlpha else { return smooth }
            // Sharpness puts the original alpha back into the smoothed image.
            return restoringAlpha(smooth, from: image)
        default:
            switch image.pixels {
            case .u8(let v): return Image(width: image.width, height: image.height, channels: c, bytes: build(v))
            case .u16(let v): return Image(width: image.width, height: image.height, channels: c, samples16: build(v))
            }
        }
    }

    /// `image` with the last channel of `source`.
    static func restoringAlpha(_ image: Image, from source: Image) -> Image {
        let c = image.channels
        func put<T>(_ a: [T], _ s: [T]) -> [T] {
            var out = a
            var i = c - 1
            while i < out.count { out[i] = s[i]; i += c }
            return out
        }
        switch (image.pixels, source.pixels) {
        case (.u8(let a), .u8(let s)): return Image(width: image.width, height: image.height, channels: c, bytes: put(a, s))
        case (.u16(let a), .u16(let s)): return Image(width: image.width, height: image.height, channels: c, samples16: put(a, s))
        default: return image
        }
    }
}
