import Foundation
import MedAugImage

/// imgaug's `pillike.warp_affine`: the matrix imgaug builds and Pillow's
/// `Image.transform(AFFINE)` with nearest resampling and a fill colour.
public enum PillikeAffineKernel {
    /// imgaug's `_create_affine_matrix`, inverted for Pillow: the six
    /// coefficients mapping an output pixel centre to an input position.
    ///
    /// imgaug composes, in float32, centre-shift, rotation (by minus the angle),
    /// shear (`tanh` of the angle, imgaug's choice, not `tan`), scale (at least
    /// 0.0001), translation and the shift back; `centerX`/`centerY` are
    /// relative to the width and height. The inverse is taken in float64 from
    /// the float32 product and rounded to float32, as numpy hands Pillow a
    /// float32 array (numpy's float32 LAPACK inverse can differ in the last bit).
    public static func coefficients(width: Int, height: Int, scaleX: Double = 1, scaleY: Double = 1,
                                    translateX: Double = 0, translateY: Double = 0, rotate: Double = 0,
                                    shearX: Double = 0, shearY: Double = 0,
                                    centerX: Double = 0.5, centerY: Double = 0.5) -> [Double] {
        typealias M = [[Float]]
        func mul(_ a: M, _ b: M) -> M {
            (0..<3).map { i in (0..<3).map { j in a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j] } }
        }
        let cx = Double(width) * centerX, cy = Double(height) * centerY
        let r = -rotate * .pi / 180, sx = shearX * .pi / 180, sy = shearY * .pi / 180
        let steps: [M] = [
            [[1, 0, Float(-cx)], [0, 1, Float(-cy)], [0, 0, 1]],
            [[Float(cos(r)), Float(sin(r)), 0], [Float(-sin(r)), Float(cos(r)), 0], [0, 0, 1]],
            [[1, Float(tanh(sx)), 0], [Float(tanh(sy)), 1, 0], [0, 0, 1]],
            [[Float(max(scaleX, 0.0001)), 0, 0], [0, Float(max(scaleY, 0.0001)), 0], [0, 0, 1]],
            [[1, 0, Float(translateX)], [0, 1, Float(translateY)], [0, 0, 1]],
            [[1, 0, Float(cx)], [0, 1, Float(cy)], [0, 0, 1]],
        ]
        var m: M = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        for s in steps { m = mul(s, m) }
        let a = Double(m[0][0]), b = Double(m[0][1]), c = Double(m[0][2])
        let d = Double(m[1][0]), e = Double(m[1][1]), f = Double(m[1][2])
        let det = a * e - b * d
        let inv = [e / det, -b / det, (b * f - c * e) / det, -d / det, a / det, (c * d - a * f) / det]
        return inv.map { Double(Float($0)) }
    }

    /// Pillow's nearest AFFINE transform into an image of the input's size:
    /// output pixel (x, y) takes input pixel `floor(a0 (x+.5) + a1 (y+.5) + a2)`,
    /// `floor(a3 (x+.5) + a4 (y+.5) + a5)`, or `fill` (one value per channel)
    /// when that lies outside. Pillow's three code paths are kept because they
    /// round differently near pixel borders: pure scaling (a1 = a3 = 0) steps in
    /// float64, other matrices in 16.16 fixed point while the corners map
    /// within ±32768, and in float64 steps beyond that.
    public static func transform(_ image: Image, _ a: [Double], fill: [Int]) -> Image {
        precondition(a.count == 6 && fill.count == image.channels, "six coefficients and one fill per channel")
        let w = image.width, h = image.height
        guard w > 0, h > 0 else { return image }
        let map = sourceIndices(a, width: w, height: h)
        switch image.pixels {
        case .u8(let s):
            return Image(width: w, height: h, channels: image.channels,
                         bytes: gather(s, map, image.channels, fill.map { UInt8(min(max($0, 0), 255)) }))
        case .u16(let s):
            return Image(width: w, height: h, channels: image.channels,
                         samples16: gather(s, map, image.channels, fill.map { UInt16(min(max($0, 0), 65535)) }))
        }
    }

    static func gather<T>(_ s: [T], _ map: [Int], _ c: Int, _ fill: [T]) -> [T] {
        var out = [T](repeating: fill[0], count: map.count * c)
        for (p, src) in map.enumerated() {
            if src < 0 {
                for ch in 0..<c { out[p * c + ch] = fill[ch] }
            } else {
                for ch in 0..<c { out[p * c + ch] = s[src * c + ch] }
            }
        }
        return out
    }

    /// For each output pixel, the input pixel index, or -1 for the fill.
    static func sourceIndices(_ a: [Double], width w: Int, height h: Int) -> [Int] {
        var map = [Int](repeating: -1, count: w * h)
        guard a.allSatisfy({ $0.isFinite }) else { return map }
        // Pillow's COORD: negative is outside, otherwise truncated; huge values stay outside.
        func coord(_ v: Double, _ n: Int) -> Int { v < 0 || v >= Double(n) ? -1 : Int(v) }
        if a[1] == 0 && a[3] == 0 {
            var xs = [Int](repeating: -1, count: w)
            var xo = a[2] + a[0] * 0.5
            for x in 0..<w { xs[x] = coord(xo, w); xo += a[0] }
            var yo = a[5] + a[4] * 0.5
            for y in 0..<h {
                let yi = coord(yo, h)
                if yi >= 0 {
                    for x in 0..<w where xs[x] >= 0 { map[y * w + x] = yi * w + xs[x] }
                }
                yo += a[4]
            }
            return map
        }
        func fits(_ x: Double, _ y: Double) -> Bool {
            abs(x * a[0] + y * a[1] + a[2]) < 32768 && abs(x * a[3] + y * a[4] + a[5]) < 32768
        }
        let W = Double(w), H = Double(h)
        if fits(0, 0) && fits(W, H) && fits(0, H) && fits(W, 0) {
            func fix(_ v: Double) -> Int { Int((v * 65536 + 0.5).rounded(.down)) }
            let a0 = fix(a[0]), a1 = fix(a[1]), a3 = fix(a[3]), a4 = fix(a[4])
            var rowX = fix(a[2] + a[0] * 0.5 + a[1] * 0.5), rowY = fix(a[5] + a[3] * 0.5 + a[4] * 0.5)
            for y in 0..<h {
                var xx = rowX, yy = rowY
                for x in 0..<w {
                    let xi = xx >> 16, yi = yy >> 16
                    if xi >= 0 && xi < w && yi >= 0 && yi < h { map[y * w + x] = yi * w + xi }
                    xx += a0; yy += a3
                }
                rowX += a1; rowY += a4
            }
            return map
        }
        var xo = a[2] + a[1] * 0.5 + a[0] * 0.5, yo = a[5] + a[4] * 0.5 + a[3] * 0.5
        for y in 0..<h {
            var xx = xo, yy = yo
            for x in 0..<w {
                let xi = coord(xx, w), yi = coord(yy, h)
                if xi >= 0 && yi >= 0 { map[y * w + x] = yi * w + xi }
                xx += a[0]; yy += a[3]
            }
            xo += a[1]; yo += a[4]
        }
        return map
    }
}
