import Foundation

/// RGB <-> CIE L*u*v* (D65) as OpenCV's bit-exact 8-bit code does it:
/// L x255/100, u mapped from [-134, 220] and v from [-140, 122] onto 0...255.
///
/// RGB->Luv interpolates trilinearly in a 33^3 table (RGB2Luvinterpolate);
/// Luv->RGB is OpenCV's integer code (Luv2RGBinteger).
enum OpenCVLuv {
    static let lutShift = 5
    static let lutDim = (1 << lutShift) + 1
    static let baseShift = 14
    static let trilinearShift = 8 - lutShift + 1
    static let trilinearBase = 1 << trilinearShift
    static let uLow: Float = -134, uRange: Float = 354
    static let vLow: Float = -140, vRange: Float = 262

    /// RGB2LuvLUT_s16, laid out as OpenCV lays it out: for each cell (blue,
    /// green, red indices), 8 corner values of L, then of u, then of v.
    static let rgbLUT: [Int16] = {
        let dim = lutDim
        let lld = Float(dim - 1)
        let m = OpenCVLabTables.rgb2xyz
        // OpenCV's `coeffs` reverse each row: the first axis is blue.
        var c = [Float](repeating: 0, count: 9)
        for i in 0..<3 {
            c[i * 3] = Float(m[i * 3 + 2])
            c[i * 3 + 1] = Float(m[i * 3 + 1])
            c[i * 3 + 2] = Float(m[i * 3])
        }
        let (un, vn) = OpenCVLabTables.unvn
        let lbase = Float(1 << baseShift)
        var prev = [Int16](repeating: 0, count: dim * dim * dim * 3)
        for p in 0..<dim {
            for q in 0..<dim {
                for r in 0..<dim {
                    let idx = p * 3 + q * dim * 3 + r * dim * dim * 3
                    let x0 = OpenCVLabTables.applyGamma(Float(p) / lld)
                    let x1 = OpenCVLabTables.applyGamma(Float(q) / lld)
                    let x2 = OpenCVLabTables.applyGamma(Float(r) / lld)
                    let X = x0 * c[0] + x1 * c[1] + x2 * c[2]
                    let Y = x0 * c[3] + x1 * c[4] + x2 * c[5]
                    let Z = x0 * c[6] + x1 * c[7] + x2 * c[8]
                    var L = Y < OpenCVLabTables.lthresh ? fma(Y, OpenCVLabTables.lscale, OpenCVLabTables.lbias) : OpenCVLabTables.cvCbrt(Y)
                    L = L * 116 - 16
                    let d = Float(4 * 13) / max(X + Float(15) * Y + Float(3) * Z, Float.ulpOfOne)
                    let u = L * (X * d - un)
                    let v = L * (Float(9) / Float(4) * Y * d - vn)
                    prev[idx] = Int16(OpenCVLabTables.cvRound(lbase * L / 100))
                    prev[idx + 1] = Int16(OpenCVLabTables.cvRound(lbase * (u - uLow) / uRange))
                    prev[idx + 2] = Int16(OpenCVLabTables.cvRound(lbase * (v - vLow) / vRange))
                }
            }
        }
        var lut = [Int16](repeating: 0, count: dim * dim * dim * 3 * 8)
        for p in 0..<dim {
            for q in 0..<dim {
                for r in 0..<dim {
                    for p_ in 0..<2 {
                        for q_ in 0..<2 {
                            for r_ in 0..<2 {
                                let old = min(p + p_, dim - 1) * 3 + min(q + q_, dim - 1) * dim * 3
                                    + min(r + r_, dim - 1) * dim * dim * 3
                                let new = p * 24 + q * dim * 24 + r * dim * dim * 24 + 4 * p_ + 2 * q_ + r_
                                lut[new] = prev[old]
                                lut[new + 8] = prev[old + 1]
                                lut[new + 16] = prev[old + 2]
                            }
                        }
                    }
                }
            }
        }
        return lut
    }()

    /// trilinearLUT: the 8 corner weights for each sub-cell position (sum 2^12).
    static let weights: [Int32] = {
        let tb = trilinearBase
        var w = [Int32](repeating: 0, count: tb * tb * tb * 8)
        for p in 0..<tb {
            let pp = tb - p
            for q in 0..<tb {
                let qq = tb - q
                for r in 0..<tb {
                    let rr = tb - r
                    let k = 8 * p + 8 * tb * q + 8 * tb * tb * r
                    w[k] = Int32(pp * qq * rr); w[k + 1] = Int32(pp * qq * r)
                    w[k + 2] = Int32(pp * q * rr); w[k + 3] = Int32(pp * q * r)
                    w[k + 4] = Int32(p * qq * rr); w[k + 5] = Int32(p * qq * r)
                    w[k + 6] = Int32(p * q * rr); w[k + 7] = Int32(p * q * r)
                }
            }
        }
        return w
    }()

    /// `weights` as Int16 (every weight is at most 16*16*16 = 4096).
    static let weights16: [Int16] = weights.map { Int16($0) }

    /// OpenCV's trilinear interpolation in the RGB cube: each pixel's 8 corner values of L, u, v are one
    /// 48-byte run of rgbLUT, dotted with the 8 weights in SIMD.
    static func rgbToLuv(_ px: UnsafeMutablePointer<UInt8>, count: Int, stride: Int) {
        let dim = lutDim
        // cx = c << 6: cell index c >> 3, sub-cell index ((c << 6) >> 5) & 15 = (c & 7) << 1
        let sb = 24, sg = 24 * dim, sr = 24 * dim * dim
        rgbLUT.withUnsafeBufferPointer { lut in
            weights16.withUnsafeBufferPointer { wt in
                let lb = UnsafeRawPointer(lut.baseAddress!)
                let wb = UnsafeRawPointer(wt.baseAddress!)
                var i = 0
                for _ in 0..<count {
                    let r = Int(px[i]), g = Int(px[i + 1]), b = Int(px[i + 2])
                    let base = sb * (b >> 3) + sg * (g >> 3) + sr * (r >> 3)
                    let wk = 16 * (b & 7) + 256 * (g & 7) + 4096 * (r & 7)
                    let w = SIMD8<Int32>(truncatingIfNeeded: wb.loadUnaligned(fromByteOffset: wk * 2, as: SIMD8<Int16>.self))
                    let cl = lb.loadUnaligned(fromByteOffset: base * 2, as: SIMD16<Int16>.self)
                    let cv = lb.loadUnaligned(fromByteOffset: base * 2 + 32, as: SIMD8<Int16>.self)
                    let pl = SIMD8<Int32>(truncatingIfNeeded: cl.lowHalf) &* w
                    let pu = SIMD8<Int32>(truncatingIfNeeded: cl.highHalf) &* w
                    let pv = SIMD8<Int32>(truncatingIfNeeded: cv) &* w
                    // horizontal sums of the three, in parallel
                    let s4 = pl.lowHalf &+ pl.highHalf
                    let u4 = pu.lowHalf &+ pu.highHalf
                    let v4 = pv.lowHalf &+ pv.highHalf
                    let a = Int(s4.wrappedSum()), bb = Int(u4.wrappedSum()), c = Int(v4.wrappedSum())
                    // descale by 12 then >> 6 == (x + 2048) >> 18
                    px[i] = ColorRound.u8((a + 2048) >> 18)
                    px[i + 1] = ColorRound.u8((bb + 2048) >> 18)
                    px[i + 2] = ColorRound.u8((c + 2048) >> 18)
                    i += stride
                }
            }
        }
    }

    /// LuToUp_b, LvToVp_b, LvToVpl_b of initLUTforLUV.
    static let tables: (up: [Int32], vp: [Int32], vpl: [Int64]) = {
        let (un, vn) = OpenCVLabTables.unvn
        let f255 = Float(255)
        let oneOf4 = Float(1) / Float(4)
        let lutBase = OpenCVLabTables.lutBase
        var up = [Int32](repeating: 0, count: 65536)
        var vp = [Int32](repeating: 0, count: 65536)
        var vpl = [Int64](repeating: 0, count: 65536)
        for ll in 0..<256 {
            let L = Float(ll * 100) / f255
            for uu in 0..<256 {
                let u = Float(uu) * uRange / f255 + uLow
                let upv = Float(9) * (u + L * un)
                up[ll * 256 + uu] = Int32(OpenCVLabTables.cvRound(upv * Float(lutBase / 1024)))
            }
            for vv in 0..<256 {
                let v = Float(vv) * vRange / f255 + vLow
                var vpv = oneOf4 / (v + L * vn)
                if vpv > oneOf4 { vpv = oneOf4 }
                if vpv < -oneOf4 { vpv = -oneOf4 }
                let ivp = Int32(OpenCVLabTables.cvRound(vpv * Float(lutBase * 1024)))
                vp[ll * 256 + vv] = ivp
                let l32 = ivp &* Int32(ll)
                vpl[ll * 256 + vv] = Int64(12 * 13 * 100 * (lutBase / 1024)) * Int64(l32)
            }
        }
        return (up, vp, vpl)
    }()

    /// Luv2RGBinteger: rows R, G, B of XYZ->sRGB in units of 2^-12 (no white point).
    static let inverse: [Int] = (0..<9).map { k in
        Int((Double(1 << OpenCVLabTables.labShift) * OpenCVLabTables.xyz2rgb[k]).rounded(.toNearestOrEven))
    }

    /// OpenCV runs a SIMD loop over 16 pixels at a time and finishes each row
    /// with scalar code; the two round negative intermediates differently
    /// (shift vs. division), so the last `width % 16` pixels of a row go to
    /// `luvToRGBScalar`, whose division rounding applies to all of a row
    /// narrower than 16. The rest runs 8 pixels per step with OpenCV's
    /// vector-path shifts.
    static func luvToRGB(_ px: UnsafeMutablePointer<UInt8>, width: Int, height: Int, stride: Int) {
        let vectorWidth = width - width % 16
        let t = tables
        OpenCVLabTables.labToYF.withUnsafeBufferPointer { yf in
            t.up.withUnsafeBufferPointer { upT in
                t.vp.withUnsafeBufferPointer { vpT in
                    OpenCVLabTables.invGammaTab8.withUnsafeBufferPointer { inv in
                        let y = yf.baseAddress!, u = upT.baseAddress!, v = vpT.baseAddress!, g = inv.baseAddress!
                        var row = px
                        for _ in 0..<height {
                            switch stride {
                            case 3: luvToRGBBlocks(row, blocks: vectorWidth / 8, stride: 3, yf: y, up: u, vp: v, inv: g)
                            case 4: luvToRGBBlocks(row, blocks: vectorWidth / 8, stride: 4, yf: y, up: u, vp: v, inv: g)
                            default: luvToRGBBlocks(row, blocks: vectorWidth / 8, stride: stride, yf: y, up: u, vp: v, inv: g)
                            }
                            if width > vectorWidth {
                                luvToRGBScalar(row + vectorWidth * stride, width: width - vectorWidth, height: 1, stride: stride)
                            }
                            row += width * stride
                        }
                    }
                }
            }
        }
    }

    /// Sign-extends 8 Int32 lanes (element-wise so it specialises to one
    /// widening instruction pair).
    @inline(__always)
    private static func widen(_ v: SIMD8<Int32>) -> SIMD8<Int64> {
        SIMD8(Int64(v[0]), Int64(v[1]), Int64(v[2]), Int64(v[3]), Int64(v[4]), Int64(v[5]), Int64(v[6]), Int64(v[7]))
    }

    @inline(__always)
    private static func low32(_ v: SIMD8<Int64>) -> SIMD8<Int32> {
        SIMD8(Int32(truncatingIfNeeded: v[0]), Int32(truncatingIfNeeded: v[1]), Int32(truncatingIfNeeded: v[2]),
              Int32(truncatingIfNeeded: v[3]), Int32(truncatingIfNeeded: v[4]), Int32(truncatingIfNeeded: v[5]),
              Int32(truncatingIfNeeded: v[6]), Int32(truncatingIfNeeded: v[7]))
    }

    /// luvToRGBScalar's vector-path arithmetic on 8 pixels, in Int64 lanes where
    /// it needs them. vpl is recomputed from ivp * L rather than loaded (that is
    /// how the table is built), and xv >> 14 is narrowed to Int32 before the
    /// multiply by y so that it becomes a 32x32->64 product: both fit in Int32
    /// (|up| < 2^17, |vp| <= 2^22, L <= 255).
    @inline(__always)
    private static func luvToRGBBlocks(_ px: UnsafeMutablePointer<UInt8>, blocks: Int, stride: Int, yf: UnsafePointer<Int32>,
                                       up upT: UnsafePointer<Int32>, vp vpT: UnsafePointer<Int32>, inv: UnsafePointer<Int32>) {
        let base = Int64(OpenCVLabTables.lutBase)
        let shift = Int32(OpenCVLabTables.labShift + (baseShift - OpenCVLabTables.invGammaShift))
        let half = SIMD8<Int32>(repeating: 1 << (shift - 1))
        let maxIdx = SIMD8<Int32>(repeating: Int32(OpenCVLabTables.invGammaTabSize - 1)), zero = SIMD8<Int32>(repeating: 0)
        let xzMax = SIMD8<Int32>(repeating: Int32(2 * base))
        let m = inverse
        func splat(_ k: Int) -> SIMD8<Int32> { SIMD8(repeating: Int32(m[k])) }
        let m0 = splat(0), m1 = splat(1), m2 = splat(2), m3 = splat(3), m4 = splat(4), m5 = splat(5), m6 = splat(6), m7 = splat(7), m8 = splat(8)
        let vplScale = Int64(12 * 13 * 100 * (OpenCVLabTables.lutBase / 1024))
        let zOff = SIMD8<Int64>(repeating: Int64(5 * 255) * base)
        var q = px
        for _ in 0..<blocks {
            let (ll, _, _) = ColorSIMD.load8(q, stride)
            let y = ColorSIMD.lookupBytes(yf, q, stride, 0, scale: 2)
            let up = SIMD8<Int32>(upT[Int(q[0]) << 8 | Int(q[1])], upT[Int(q[stride]) << 8 | Int(q[stride + 1])],
                                  upT[Int(q[2 * stride]) << 8 | Int(q[2 * stride + 1])], upT[Int(q[3 * stride]) << 8 | Int(q[3 * stride + 1])],
                                  upT[Int(q[4 * stride]) << 8 | Int(q[4 * stride + 1])], upT[Int(q[5 * stride]) << 8 | Int(q[5 * stride + 1])],
                                  upT[Int(q[6 * stride]) << 8 | Int(q[6 * stride + 1])], upT[Int(q[7 * stride]) << 8 | Int(q[7 * stride + 1])])
            let vp = SIMD8<Int32>(vpT[Int(q[0]) << 8 | Int(q[2])], vpT[Int(q[stride]) << 8 | Int(q[stride + 2])],
                                  vpT[Int(q[2 * stride]) << 8 | Int(q[2 * stride + 2])], vpT[Int(q[3 * stride]) << 8 | Int(q[3 * stride + 2])],
                                  vpT[Int(q[4 * stride]) << 8 | Int(q[4 * stride + 2])], vpT[Int(q[5 * stride]) << 8 | Int(q[5 * stride + 2])],
                                  vpT[Int(q[6 * stride]) << 8 | Int(q[6 * stride + 2])], vpT[Int(q[7 * stride]) << 8 | Int(q[7 * stride + 2])])
            let y64 = widen(y)
            let xv = widen(up) &* widen(vp)
            let vpl = widen(vp &* ll) &* vplScale
            let xs = widen(low32(xv &>> 14))
            let x = low32((y64 &* xs) &>> 14)
            let zq = ((vpl &- xv &* (255 / 3)) &>> 14) &- zOff
            let zm = low32((y64 &* zq) &>> 14)
            let z = (zm &>> 8) &+ (zm &>> 16)
            let xi = ColorSIMD.clamp(x, zero, xzMax), zi = ColorSIMD.clamp(z, zero, xzMax)
            let r = ColorSIMD.clamp((m0 &* xi &+ m1 &* y &+ m2 &* zi &+ half) &>> shift, zero, maxIdx)
            let g = ColorSIMD.clamp((m3 &* xi &+ m4 &* y &+ m5 &* zi &+ half) &>> shift, zero, maxIdx)
            let b = ColorSIMD.clamp((m6 &* xi &+ m7 &* y &+ m8 &* zi &+ half) &>> shift, zero, maxIdx)
            ColorSIMD.store8(q, stride, ColorSIMD.lookup(inv, r), ColorSIMD.lookup(inv, g), ColorSIMD.lookup(inv, b))
            q += 8 * stride
        }
    }

    /// OpenCV runs a SIMD loop over 16 pixels at a time and finishes each row
    /// with scalar code; the two round negative intermediates differently
    /// (shift vs. division), so the last `width % 16` pixels of a row use the
    /// scalar arithmetic, as in cv2.
    static func luvToRGBScalar(_ px: UnsafeMutablePointer<UInt8>, width: Int, height: Int, stride: Int) {
        let base = Int64(OpenCVLabTables.lutBase)
        let shift = OpenCVLabTables.labShift + (baseShift - OpenCVLabTables.invGammaShift)
        let maxIdx = OpenCVLabTables.invGammaTabSize - 1
        let m = inverse
        let m0 = m[0], m1 = m[1], m2 = m[2], m3 = m[3], m4 = m[4], m5 = m[5], m6 = m[6], m7 = m[7], m8 = m[8]
        let simdWidth = width - width % 16
        let t = tables
        let inv = OpenCVLabTables.invGammaTab8
        OpenCVLabTables.labToYF.withUnsafeBufferPointer { yf in
            t.up.withUnsafeBufferPointer { upT in
                t.vp.withUnsafeBufferPointer { vpT in
                    t.vpl.withUnsafeBufferPointer { vplT in
                        var i = 0
                        for _ in 0..<height {
                            for col in 0..<width {
                                let ll = Int(px[i]), uu = Int(px[i + 1]), vv = Int(px[i + 2])
                                let y = Int32(yf[ll * 2])
                                let up = Int64(upT[ll * 256 + uu])
                                let vp = Int64(vpT[ll * 256 + vv])
                                let xv = up * vp
                                let vpl = vplT[ll * 256 + vv]
                                var x: Int32, z: Int32
                                if col < simdWidth {
                                    let zp = (vpl - xv * (255 / 3)) >> 14
                                    let zq = zp - Int64(5 * 255) * base
                                    let zm = Int32(truncatingIfNeeded: (Int64(y) * zq) >> 14)
                                    // y*x overflows int32 for saturated v; OpenCV 4.7 does not wrap here
                                    x = Int32(truncatingIfNeeded: (Int64(y) * (xv >> 14)) >> 14)
                                    z = (zm >> 8) &+ (zm >> 16)
                                } else {
                                    let zp = (vpl - xv * (255 / 3)) / base
                                    let zq = zp - Int64(5 * 255) * base
                                    let zm = Int32(truncatingIfNeeded: Int64(y) * zq / base)
                                    x = Int32(truncatingIfNeeded: Int64(y) * (xv / base) / base)
                                    z = zm / 256 &+ zm / 65536
                                }
                                let xi = Int(min(max(x, 0), Int32(2 * base)))
                                let zi = Int(min(max(z, 0), Int32(2 * base)))
                                let yi = Int(y)
                                let r = min(max(ColorRound.descale(m0 * xi + m1 * yi + m2 * zi, shift), 0), maxIdx)
                                let g = min(max(ColorRound.descale(m3 * xi + m4 * yi + m5 * zi, shift), 0), maxIdx)
                                let b = min(max(ColorRound.descale(m6 * xi + m7 * yi + m8 * zi, shift), 0), maxIdx)
                                px[i] = ColorRound.u8(Int(inv[r]))
                                px[i + 1] = ColorRound.u8(Int(inv[g]))
                                px[i + 2] = ColorRound.u8(Int(inv[b]))
                                i += stride
                            }
                        }
                    }
                }
            }
        }
    }
}
