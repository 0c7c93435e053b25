import MedAugCore
import MedAugImage

/// imgaug's Grayscale (color.py, a ChangeColorspace to GRAY): the image is
/// converted to gray with OpenCV's RGB2GRAY (BGR2GRAY for `from_colorspace:
/// BGR`), the gray value copied to all three channels, and the result blended
/// with the original by alpha, drawn per image: `round(I + alpha (G - I))` in
/// float32 (imgaug's blend_alpha); alpha <= 0.001 leaves the image and
/// alpha >= 0.999 gives the gray image itself.
///
/// imgaug accepts only 8-bit RGB images. MedAug extends it: a 1-channel or
/// gray+alpha image is already gray and comes back unchanged; RGBA has its
/// RGB made gray and its alpha kept; 16-bit images are made gray at 16 bits
/// with OpenCV's 16-bit RGB2GRAY (the same fixed-point weights).
public struct Grayscale: Augmenter {
    /// The blend factor of the gray image, drawn per image, in [0, 1] (imgaug's `alpha`).
    public var alpha: Continuous
    /// The order of the input's colour channels: "RGB" or "BGR".
    public var fromColorspace: String

    /// Creates the augmenter; the defaults are imgaug's `alpha=1`, `from_colorspace="RGB"`.
    public init(alpha: Continuous = .constant(1), fromColorspace: String = "RGB") {
        self.alpha = alpha
        self.fromColorspace = fromColorspace
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Grayscale" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { Grayscale.table.arguments(self) }

    /// Draws alpha and blends the image with its gray version.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let a = alpha.sample(&context.rng)
        context.record(name, [("alpha", fmt(a))])
        guard a > 0.001, image.channels >= 3 else { return image }
        return GrayscaleKernel.apply(image, alpha: Float(a), bgr: fromColorspace == "BGR")
    }
}

/// Grayscale's pixel work: OpenCV's RGB2GRAY and imgaug's blend_alpha.
public enum GrayscaleKernel {
    /// OpenCV's fixed-point luma for 8 and 16 bits (15-bit weights of 0.299,
    /// 0.587, 0.114, rounded; checked equal to cv2 4.7 on 200k random pixels).
    @inline(__always)
    public static func luma(r: Int, g: Int, b: Int) -> Int {
        (r * 9798 + g * 19235 + b * 3735 + 16384) >> 15
    }

    /// imgaug's blend_alpha for one sample: `bg + alpha (fg - bg)` in float32, rounded half to even.
    @inline(__always)
    static func blend(_ fg: Int, _ bg: Int, _ alpha: Float) -> Int {
        let x = Float(bg) + alpha * (Float(fg) - Float(bg))
        return Int(x.rounded(.toNearestOrEven))
    }

    /// Makes the first three channels gray and blends them by alpha; a 4th channel is kept.
    public static func apply(_ image: Image, alpha: Float, bgr: Bool) -> Image {
        precondition(image.channels >= 3, "Grayscale needs 3 or 4 channels")
        let c = image.channels
        let (ri, bi) = bgr ? (2, 0) : (0, 2)
        let full = alpha >= 0.999
        var out = image
        if full, case .u8(let a) = image.pixels, c == 3 || c == 4 {
            out.pixels = .u8(gray8(a, channels: c, bgr: bgr))
            return out
        }
        func work<T: FixedWidthInteger>(_ p: UnsafeMutableBufferPointer<T>) {
            var i = 0
            while i < p.count {
                let r = Int(p[i + ri]), g = Int(p[i + 1]), b = Int(p[i + bi])
                let y = luma(r: r, g: g, b: b)
                if full {
                    p[i] = T(y); p[i + 1] = T(y); p[i + 2] = T(y)
                } else {
                    p[i] = T(blend(y, Int(p[i]), alpha))
                    p[i + 1] = T(blend(y, g, alpha))
                    p[i + 2] = T(blend(y, Int(p[i + 2]), alpha))
                }
                i += c
            }
        }
        switch image.pixels {
        case .u8(var a):
            a.withUnsafeMutableBufferPointer { work($0) }
            out.pixels = .u8(a)
        case .u16(var a):
            a.withUnsafeMutableBufferPointer { work($0) }
            out.pixels = .u16(a)
        }
        return out
    }

    /// The gray image of 8-bit RGB(A) samples (`luma` in every colour
    /// channel, alpha kept) into a fresh array. A plain loop over the pixels
    /// in 32-bit arithmetic with constant weights: the optimiser vectorises
    /// it itself (fixed-stride loads and stores, 32-bit lanes), which
    /// measured faster than hand-written lane shuffles or 64-bit lanes.
    static func gray8(_ src: [UInt8], channels c: Int, bgr: Bool) -> [UInt8] {
        let n = src.count, pixels = n / c
        return [UInt8](unsafeUninitializedCapacity: n) { out, count in
            src.withUnsafeBufferPointer { s in
                guard n > 0, let sp = s.baseAddress, let dp = out.baseAddress else { return }
                // luma's sum is below 2^24, so UInt32 never wraps
                @inline(__always)
                func run(_ c: Int, _ w0: UInt32, _ w2: UInt32) {
                    for p in 0..<pixels {
                        let i = c * p
                        let sum = UInt32(sp[i]) &* w0 &+ UInt32(sp[i + 1]) &* 19235 &+ UInt32(sp[i + 2]) &* w2 &+ 16384
                        let y = UInt8(truncatingIfNeeded: sum &>> 15)
                        dp[i] = y; dp[i + 1] = y; dp[i + 2] = y
                        if c == 4 { dp[i + 3] = sp[i + 3] }
                    }
                }
                switch (c, bgr) {
                case (3, false): run(3, 9798, 3735)
                case (3, true): run(3, 3735, 9798)
                case (4, false): run(4, 9798, 3735)
                default: run(4, 3735, 9798)
                }
            }
            count = n
        }
    }
}
