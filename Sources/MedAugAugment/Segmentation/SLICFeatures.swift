import Foundation
import MedAugImage

/// The colour features SLIC clusters on, as scikit-image's `slic` prepares
/// them: samples rescaled so the image spans [0, 1] (one min and max over all
/// channels), RGB turned into CIELAB (sRGB gamma, D65 white, 2° observer),
/// optionally Gaussian-smoothed, then divided by the compactness.
///
/// Stored planar (`channels` planes of `height * width` Float32) so that the
/// assignment step reads one contiguous row per channel.
struct SLICFeatures {
    let channels: Int
    let height: Int
    let width: Int
    let count: Int
    var planes: [Float]

    init(image: Image, lab: Bool, sigma: Double, ratio: Float) {
        let n = image.pixelCount
        let c = image.channels
        count = n
        channels = c
        height = image.height
        width = image.width
        // Every entry is written below.
        planes = [Float](unsafeUninitializedCapacity: n * c) { _, filled in filled = n * c }
        switch image.pixels {
        case .u8(let a):
            var lo = UInt8.max, hi = UInt8.min
            for v in a { lo = min(lo, v); hi = max(hi, v) }
            // Every sample is one of 256 values: scale (and linearise) through a table.
            let table = SLICFeatures.table(values: 0..<256, lo: Int(lo), hi: Int(hi), lab: lab)
            fill(a, table: table, base: 0)
        case .u16(let a):
            var lo = UInt16.max, hi = UInt16.min
            for v in a { lo = min(lo, v); hi = max(hi, v) }
            // A table over the used range only, unless the image has fewer samples than that.
            let range = Int(hi) - Int(lo) + 1
            if range <= a.count {
                let table = SLICFeatures.table(values: Int(lo)..<(Int(hi) + 1), lo: Int(lo), hi: Int(hi), lab: lab)
                fill(a, table: table, base: Int(lo))
            } else {
                let direct = a.map { SLICFeatures.value(Int($0), lo: Int(lo), hi: Int(hi), lab: lab) }
                fill(direct)
            }
        }
        if lab && c == 3 { toLab() }
        if sigma > 0 { smooth(sigma: sigma) }
        if ratio != 1 { for i in planes.indices { planes[i] *= ratio } }
    }

    /// One sample scaled to [0, 1], and for Lab passed through the sRGB gamma.
    @inline(__always)
    static func value(_ v: Int, lo: Int, hi: Int, lab: Bool) -> Float {
        var t = Double(v - lo)
        if hi != lo { t /= Double(hi - lo) }
        if lab { t = t > 0.04045 ? pow((t + 0.055) / 1.055, 2.4) : t / 12.92 }
        return Float(t)
    }

    static func table(values: Range<Int>, lo: Int, hi: Int, lab: Bool) -> [Float] {
        values.map { value($0, lo: lo, hi: hi, lab: lab) }
    }

    /// Interleaved samples through a table into the planes.
    private mutating func fill<T: FixedWidthInteger>(_ a: [T], table: [Float], base: Int) {
        let c = channels, n = count
        a.withUnsafeBufferPointer { src in
            table.withUnsafeBufferPointer { lut in
                planes.withUnsafeMutableBufferPointer { dst in
                    let s = src.baseAddress!, l = lut.baseAddress!, d = dst.baseAddress!
                    // Every sample lies in the table's range (lo...hi) by construction.
                    @inline(__always) func at(_ j: Int) -> Float { l[Int(s[j]) &- base] }
                    // One pass over the pixels for the usual channel counts.
                    switch c {
                    case 1:
                        for i in 0..<n { d[i] = at(i) }
                    case 3:
                        let d1 = d + n, d2 = d + 2 * n
                        for i in 0..<n {
                            let j = 3 &* i
                            d[i] = at(j); d1[i] = at(j &+ 1); d2[i] = at(j &+ 2)
                        }
                    default:
                        for ch in 0..<c {
                            let plane = d + ch * n
                            var j = ch
                            for i in 0..<n {
                                plane[i] = at(j)
                                j &+= c
                            }
                        }
                    }
                }
            }
        }
    }

    private mutating func fill(_ values: [Float]) {
        let c = channels, n = count
        for ch in 0..<c {
            for i in 0..<n { planes[ch * n + i] = values[i * c + ch] }
        }
    }

    /// Linear sRGB planes to L*, a*, b* in place, eight pixels at a time.
    private mutating func toLab() {
        typealias V = SIMD8<Float>
        let n = count
        // skimage's xyz_from_rgb with each row divided by the D65 white point.
        let mx = (V(repeating: Float(0.412453 / 0.95047)), V(repeating: Float(0.357580 / 0.95047)),
                  V(repeating: Float(0.180423 / 0.95047)))
        let my = (V(repeating: 0.212671), V(repeating: 0.715160), V(repeating: 0.072169))
        let mz = (V(repeating: Float(0.019334 / 1.08883)), V(repeating: Float(0.119193 / 1.08883)),
                  V(repeating: Float(0.950227 / 1.08883)))
        planes.withUnsafeMutableBufferPointer { buf in
            let r = UnsafeMutableRawPointer(buf.baseAddress!)
            let g = r + 4 * n, b = g + 4 * n
            func convert(_ off: Int) {
                let rv = r.loadUnaligned(fromByteOffset: off, as: V.self)
                let gv = g.loadUnaligned(fromByteOffset: off, as: V.self)
                let bv = b.loadUnaligned(fromByteOffset: off, as: V.self)
                let (fx, fy, fz) = SLICFeatures.labF(mx.0 * rv + mx.1 * gv + mx.2 * bv,
                                                     my.0 * rv + my.1 * gv + my.2 * bv,
                                                     mz.0 * rv + mz.1 * gv + mz.2 * bv)
                r.storeBytes(of: 116 * fy - 16, toByteOffset: off, as: V.self)
                g.storeBytes(of: 500 * (fx - fy), toByteOffset: off, as: V.self)
                b.storeBytes(of: 200 * (fy - fz), toByteOffset: off, as: V.self)
            }
            var i = 0
            while i + 8 <= n {
                convert(4 * i)
                i += 8
            }
            // The last few pixels through a padded copy.
            if i < n {
                var tail = [Float](repeating: 0, count: 24)
                for j in i..<n {
                    tail[j - i] = buf[j]; tail[8 + j - i] = buf[n + j]; tail[16 + j - i] = buf[2 * n + j]
                }
                tail.withUnsafeMutableBufferPointer { t in
                    let tr = UnsafeMutableRawPointer(t.baseAddress!)
                    let rv = tr.loadUnaligned(as: V.self)
                    let gv = tr.loadUnaligned(fromByteOffset: 32, as: V.self)
                    let bv = tr.loadUnaligned(fromByteOffset: 64, as: V.self)
                    let (fx, fy, fz) = SLICFeatures.labF(mx.0 * rv + mx.1 * gv + mx.2 * bv,
                                                         my.0 * rv + my.1 * gv + my.2 * bv,
                                                         mz.0 * rv + mz.1 * gv + mz.2 * bv)
                    tr.storeBytes(of: 116 * fy - 16, as: V.self)
                    tr.storeBytes(of: 500 * (fx - fy), toByteOffset: 32, as: V.self)
                    tr.storeBytes(of: 200 * (fy - fz), toByteOffset: 64, as: V.self)
                }
                for j in i..<n {
                    buf[j] = tail[j - i]; buf[n + j] = tail[8 + j - i]; buf[2 * n + j] = tail[16 + j - i]
                }
            }
        }
    }

    /// CIELAB's f(t) of X, Y and Z: a cube root above 0.008856, linear
    /// below. The cube root is a bit-level first guess refined by two Halley
    /// steps (exact to Float precision), branch-free so the pass vectorises
    /// (libm's cbrtf per sample would cost more than the whole clustering);
    /// the three divisions of a step share one reciprocal.
    @inline(__always)
    static func labF(_ tx: SIMD8<Float>, _ ty: SIMD8<Float>, _ tz: SIMD8<Float>)
        -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        typealias V = SIMD8<Float>
        // Below the threshold the linear branch is used; the clamp keeps the
        // shared reciprocal away from underflow.
        let floor = V(repeating: 0.008)
        let x0 = tx.replacing(with: floor, where: tx .< floor)
        let x1 = ty.replacing(with: floor, where: ty .< floor)
        let x2 = tz.replacing(with: floor, where: tz .< floor)
        var y0 = guess(x0), y1 = guess(x1), y2 = guess(x2)
        for _ in 0..<2 {
            let c0 = y0 * y0 * y0, c1 = y1 * y1 * y1, c2 = y2 * y2 * y2
            let d0 = 2 * c0 + x0, d1 = 2 * c1 + x1, d2 = 2 * c2 + x2
            let d01 = d0 * d1
            let inv = 1 / (d01 * d2)
            let i2 = d01 * inv, i12 = d2 * inv
            y0 = y0 * (c0 + 2 * x0) * (d1 * i12)
            y1 = y1 * (c1 + 2 * x1) * (d0 * i12)
            y2 = y2 * (c2 + 2 * x2) * i2
        }
        @inline(__always) func pick(_ t: V, _ y: V) -> V {
            (7.787 * t + Float(16.0 / 116.0)).replacing(with: y, where: t .> 0.008856)
        }
        return (pick(tx, y0), pick(ty, y1), pick(tz, y2))
    }

    /// x^(1/3) to a few percent: the exponent divided by 3 in the bits (as a
    /// sum of shifts, 1/3 = 1/4 + 1/16 + ..., free of slow vector conversions).
    @inline(__always)
    static func guess(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let b = unsafeBitCast(x, to: SIMD8<Int32>.self)
        var q = b &>> 2
        q &+= b &>> 4; q &+= b &>> 6; q &+= b &>> 8; q &+= b &>> 10; q &+= b &>> 12
        return unsafeBitCast(q &+ 709_921_077, to: SIMD8<Float>.self)
    }

    /// scipy's `gaussian_filter` (truncate 4, mode 'reflect' = edge repeated)
    /// along y and x of every plane; skimage's sigma on the depth axis of a
    /// single slice changes nothing.
    private mutating func smooth(sigma: Double) {
        let radius = Int(4.0 * sigma + 0.5)
        guard radius > 0 else { return }
        var kernel = (-radius...radius).map { exp(-0.5 * Double($0 * $0) / (sigma * sigma)) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        let weights = kernel.map(Float.init)
        let h = height, w = width
        var tmp = [Float](repeating: 0, count: count)
        for ch in 0..<channels {
            let off = ch * count
            // Along y, then x, in scipy's axis order.
            for y in 0..<h {
                for x in 0..<w {
                    var s: Float = 0
                    for k in -radius...radius {
                        let yy = BorderMode.symmetric.index(y + k, h)!
                        s += weights[k + radius] * planes[off + yy * w + x]
                    }
                    tmp[y * w + x] = s
                }
            }
            for y in 0..<h {
                for x in 0..<w {
                    var s: Float = 0
                    for k in -radius...radius {
                        let xx = BorderMode.symmetric.index(x + k, w)!
                        s += weights[k + radius] * tmp[y * w + xx]
                    }
                    planes[off + y * w + x] = s
                }
            }
        }
    }
}
