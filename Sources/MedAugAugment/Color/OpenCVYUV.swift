/// RGB <-> YCrCb and YUV as OpenCV's 8-bit fixed-point code does them
/// (BT.601 coefficients in units of 2^-14; color_yuv.simd.hpp).
enum OpenCVYUV {
    static let shift = 14
    static let r2y = 4899, g2y = 9617, b2y = 1868
    // to YCrCb / to YUV chroma scales
    static let ycri = 11682, ycbi = 9241
    static let r2vi = 14369, b2ui = 8061
    // from YCrCb
    static let cr2ri = 22987, cr2gi = -11698, cb2gi = -5636, cb2bi = 29049
    // from YUV
    static let v2ri = 18678, v2gi = -9519, u2gi = -6472, u2bi = 33292

    /// Output order: YCrCb is (Y, Cr, Cb), YUV is (Y, U, V). Eight pixels at
    /// a time in 32-bit lanes (every product and sum fits), the same integer
    /// operations as `rgbToYCrCbScalar`, which does the last few pixels.
    static func rgbToYCrCb(_ p: UnsafeMutablePointer<UInt8>, count: Int, stride: Int, yuv: Bool) {
        typealias I = SIMD8<Int32>
        let cr = I(repeating: Int32(yuv ? r2vi : ycri)), cb = I(repeating: Int32(yuv ? b2ui : ycbi))
        let half = I(repeating: 1 << (Int32(shift) - 1)), delta = I(repeating: 128 << Int32(shift))
        let zero = I(repeating: 0), top = I(repeating: 255)
        var k = 0
        while k + 8 <= count {
            let q = p + k * stride
            let (r, g, b) = ColorSIMD.load8(q, stride)
            let y = (r &* Int32(r2y) &+ g &* Int32(g2y) &+ b &* Int32(b2y) &+ half) &>> Int32(shift)
            let vCr = ColorSIMD.clamp(((r &- y) &* cr &+ delta &+ half) &>> Int32(shift), zero, top)
            let vCb = ColorSIMD.clamp(((b &- y) &* cb &+ delta &+ half) &>> Int32(shift), zero, top)
            let yc = ColorSIMD.clamp(y, zero, top)
            if yuv { ColorSIMD.store8(q, stride, yc, vCb, vCr) } else { ColorSIMD.store8(q, stride, yc, vCr, vCb) }
            k += 8
        }
        rgbToYCrCbScalar(p + k * stride, count: count - k, stride: stride, yuv: yuv)
    }

    static func rgbToYCrCbScalar(_ p: UnsafeMutablePointer<UInt8>, count: Int, stride: Int, yuv: Bool) {
        let cr = yuv ? r2vi : ycri
        let cb = yuv ? b2ui : ycbi
        let delta = 128 << shift
        var i = 0
        for _ in 0..<count {
            let r = Int(p[i]), g = Int(p[i + 1]), b = Int(p[i + 2])
            let y = ColorRound.descale(r * r2y + g * g2y + b * b2y, shift)
            let vCr = ColorRound.descale((r - y) * cr + delta, shift)
            let vCb = ColorRound.descale((b - y) * cb + delta, shift)
            p[i] = ColorRound.u8(y)
            if yuv {
                p[i + 1] = ColorRound.u8(vCb)
                p[i + 2] = ColorRound.u8(vCr)
            } else {
                p[i + 1] = ColorRound.u8(vCr)
                p[i + 2] = ColorRound.u8(vCb)
            }
            i += stride
        }
    }

    /// Eight pixels at a time, as `rgbToYCrCb`.
    static func yCrCbToRGB(_ p: UnsafeMutablePointer<UInt8>, count: Int, stride: Int, yuv: Bool) {
        typealias I = SIMD8<Int32>
        let c0 = I(repeating: Int32(yuv ? v2ri : cr2ri)), c1 = I(repeating: Int32(yuv ? v2gi : cr2gi))
        let c2 = I(repeating: Int32(yuv ? u2gi : cb2gi)), c3 = I(repeating: Int32(yuv ? u2bi : cb2bi))
        let half = I(repeating: 1 << (Int32(shift) - 1)), mid = I(repeating: 128)
        let zero = I(repeating: 0), top = I(repeating: 255)
        var k = 0
        while k + 8 <= count {
            let q = p + k * stride
            let (y, u, v) = ColorSIMD.load8(q, stride)
            let vCr = (yuv ? v : u) &- mid, vCb = (yuv ? u : v) &- mid
            let b = y &+ ((vCb &* c3 &+ half) &>> Int32(shift))
            let g = y &+ ((vCb &* c2 &+ vCr &* c1 &+ half) &>> Int32(shift))
            let r = y &+ ((vCr &* c0 &+ half) &>> Int32(shift))
            ColorSIMD.store8(q, stride, ColorSIMD.clamp(r, zero, top), ColorSIMD.clamp(g, zero, top),
                             ColorSIMD.clamp(b, zero, top))
            k += 8
        }
        yCrCbToRGBScalar(p + k * stride, count: count - k, stride: stride, yuv: yuv)
    }

    static func yCrCbToRGBScalar(_ p: UnsafeMutablePointer<UInt8>, count: Int, stride: Int, yuv: Bool) {
        let c0 = yuv ? v2ri : cr2ri
        let c1 = yuv ? v2gi : cr2gi
        let c2 = yuv ? u2gi : cb2gi
        let c3 = yuv ? u2bi : cb2bi
        var i = 0
        for _ in 0..<count {
            let y = Int(p[i])
            let vCr = Int(yuv ? p[i + 2] : p[i + 1]) - 128
            let vCb = Int(yuv ? p[i + 1] : p[i + 2]) - 128
            let b = y + ColorRound.descale(vCb * c3, shift)
            let g = y + ColorRound.descale(vCb * c2 + vCr * c1, shift)
            let r = y + ColorRound.descale(vCr * c0, shift)
            p[i] = ColorRound.u8(r)
            p[i + 1] = ColorRound.u8(g)
            p[i + 2] = ColorRound.u8(b)
            i += stride
        }
    }
}
