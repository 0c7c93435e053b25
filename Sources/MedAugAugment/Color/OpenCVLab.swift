/// RGB <-> CIE L*a*b* (D65) as OpenCV's bit-exact 8-bit code does it:
/// L scaled to 0...255 (x255/100), a and b offset by 128.
///
/// `rgbToLab` / `labToRGB` take 8 pixels per step with the scalar forms'
/// integer arithmetic in Int32 lanes (no intermediate exceeds 2^31; an
/// exhaustive check over all 2^24 inputs backs this); the `...Scalar` forms
/// are the reference and finish what is left over 8-pixel blocks.
enum OpenCVLab {
    /// RGB2Lab_b: rows X/Xn, Y, Z/Zn of sRGB->XYZ in units of 2^-12.
    static let forward: [Int] = (0..<9).map { k in
        let row = k / 3
        return Int((Double(1 << OpenCVLabTables.labShift) * OpenCVLabTables.rgb2xyz[k] / OpenCVLabTables.d65[row]).rounded(.toNearestOrEven))
    }

    /// Lab2RGBinteger: rows R, G, B of XYZ->sRGB times the white point, units of 2^-12.
    static let inverse: [Int] = (0..<9).map { k in
        let col = k % 3
        return Int((Double(1 << OpenCVLabTables.labShift) * OpenCVLabTables.xyz2rgb[k] * OpenCVLabTables.d65[col]).rounded(.toNearestOrEven))
    }

    static func rgbToLab(_ p: UnsafeMutablePointer<UInt8>, count: Int, stride: Int) {
        let blocks = count / 8
        OpenCVLabTables.gammaTab8.withUnsafeBufferPointer { gamma in
            OpenCVLabTables.cbrtTab8.withUnsafeBufferPointer { cbrt in
                let g = gamma.baseAddress!, c = cbrt.baseAddress!
                // constant strides let the byte offsets fold into the loads
                switch stride {
                case 3: rgbToLabBlocks(p, blocks: blocks, stride: 3, gamma: g, cbrt: c)
                case 4: rgbToLabBlocks(p, blocks: blocks, stride: 4, gamma: g, cbrt: c)
                default: rgbToLabBlocks(p, blocks: blocks, stride: stride, gamma: g, cbrt: c)
                }
            }
        }
        if count > blocks * 8 {
            rgbToLabScalar(p + blocks * 8 * stride, count: count - blocks * 8, stride: stride)
        }
    }

    @inline(__always)
    private static func rgbToLabBlocks(_ p: UnsafeMutablePointer<UInt8>, blocks: Int, stride: Int,
                                       gamma: UnsafePointer<Int32>, cbrt: UnsafePointer<Int32>) {
        let s1 = Int32(OpenCVLabTables.labShift), s2 = Int32(OpenCVLabTables.labShift2)
        let lscale = Int32((116 * 255 + 50) / 100)
        let lshift: Int32 = -((16 * 255 * (1 << s2) + 50) / 100)
        let f = forward
        func splat(_ k: Int) -> SIMD8<Int32> { SIMD8(repeating: Int32(f[k])) }
        let c0 = splat(0), c1 = splat(1), c2 = splat(2), c3 = splat(3), c4 = splat(4), c5 = splat(5), c6 = splat(6), c7 = splat(7), c8 = splat(8)
        let half1 = SIMD8<Int32>(repeating: 1 << (s1 - 1)), half2 = Int32(1 << (s2 - 1))
        let lOff = SIMD8<Int32>(repeating: lshift + half2)
        let abOff = SIMD8<Int32>(repeating: 128 * (1 << s2) + half2)
        let zero = SIMD8<Int32>(repeating: 0), top = SIMD8<Int32>(repeating: 255)
        var q = p
        for _ in 0..<blocks {
            let r = ColorSIMD.lookupBytes(gamma, q, stride, 0)
            let g = ColorSIMD.lookupBytes(gamma, q, stride, 1)
            let b = ColorSIMD.lookupBytes(gamma, q, stride, 2)
            let fX = ColorSIMD.lookup(cbrt, (r &* c0 &+ g &* c1 &+ b &* c2 &+ half1) &>> s1)
            let fY = ColorSIMD.lookup(cbrt, (r &* c3 &+ g &* c4 &+ b &* c5 &+ half1) &>> s1)
            let fZ = ColorSIMD.lookup(cbrt, (r &* c6 &+ g &* c7 &+ b &* c8 &+ half1) &>> s1)
            let l = (lscale &* fY &+ lOff) &>> s2
            let a = (500 &* (fX &- fY) &+ abOff) &>> s2
            let bb = (200 &* (fY &- fZ) &+ abOff) &>> s2
            ColorSIMD.store8(q, stride, ColorSIMD.clamp(l, zero, top), ColorSIMD.clamp(a, zero, top),
                              ColorSIMD.clamp(bb, zero, top))
            q += 8 * stride
        }
    }

    static func labToRGB(_ p: UnsafeMutablePointer<UInt8>, count: Int, stride: Int) {
        let blocks = count / 8
        OpenCVLabTables.labToYF.withUnsafeBufferPointer { yf in
            OpenCVLabTables.abToXZ.withUnsafeBufferPointer { xz in
                OpenCVLabTables.invGammaTab8.withUnsafeBufferPointer { inv in
                    let y = yf.baseAddress!, x = xz.baseAddress!, g = inv.baseAddress!
                    switch stride {
                    case 3: labToRGBBlocks(p, blocks: blocks, stride: 3, yf: y, xz: x, inv: g)
                    case 4: labToRGBBlocks(p, blocks: blocks, stride: 4, yf: y, xz: x, inv: g)
                    default: labToRGBBlocks(p, blocks: blocks, stride: stride, yf: y, xz: x, inv: g)
                    }
                }
            }
        }
        if count > blocks * 8 {
            labToRGBScalar(p + blocks * 8 * stride, count: count - blocks * 8, stride: stride)
        }
    }

    @inline(__always)
    private static func labToRGBBlocks(_ p: UnsafeMutablePointer<UInt8>, blocks: Int, stride: Int, yf: UnsafePointer<Int32>,
                                       xz: UnsafePointer<Int32>, inv: UnsafePointer<Int32>) {
        let base = Int32(OpenCVLabTables.lutBase)
        let shift = Int32(OpenCVLabTables.labShift + (14 - OpenCVLabTables.invGammaShift))
        let half = SIMD8<Int32>(repeating: 1 << (shift - 1))
        let maxIdx = SIMD8<Int32>(repeating: Int32(OpenCVLabTables.invGammaTabSize - 1)), zero = SIMD8<Int32>(repeating: 0)
        let minAB = Int32(OpenCVLabTables.minABValue)
        let m = inverse
        func splat(_ k: Int) -> SIMD8<Int32> { SIMD8(repeating: Int32(m[k])) }
        let m0 = splat(0), m1 = splat(1), m2 = splat(2), m3 = splat(3), m4 = splat(4), m5 = splat(5), m6 = splat(6), m7 = splat(7), m8 = splat(8)
        // adiv + ify - minAB and ify - bdiv - minAB with the constants folded
        let aOff = SIMD8<Int32>(repeating: -(128 * base / 500) - minAB)
        let bOff = SIMD8<Int32>(repeating: (128 * base / 200 - 1) - minAB)
        var q = p
        for _ in 0..<blocks {
            let (_, aa, bb) = ColorSIMD.load8(q, stride)
            let y = ColorSIMD.lookupBytes(yf, q, stride, 0, scale: 2)
            let ify = ColorSIMD.lookupBytes(yf, q, stride, 0, scale: 2, offset: 1)
            // OpenCV's fixed-point a*BASE/500 and b*BASE/200
            let adiv = (aa &* (5 * 53687) &+ (1 << 7)) &>> 13
            let bdiv = (bb &* 41943 &+ (1 << 4)) &>> 9
            let x = ColorSIMD.lookup(xz, ify &+ adiv &+ aOff)
            let z = ColorSIMD.lookup(xz, ify &- bdiv &+ bOff)
            let r = ColorSIMD.clamp((m0 &* x &+ m1 &* y &+ m2 &* z &+ half) &>> shift, zero, maxIdx)
            let g = ColorSIMD.clamp((m3 &* x &+ m4 &* y &+ m5 &* z &+ half) &>> shift, zero, maxIdx)
            let b = ColorSIMD.clamp((m6 &* x &+ m7 &* y &+ m8 &* z &+ half) &>> shift, zero, maxIdx)
            // invGammaTab8 holds 0...255, so no saturation is needed
            ColorSIMD.store8(q, stride, ColorSIMD.lookup(inv, r), ColorSIMD.lookup(inv, g), ColorSIMD.lookup(inv, b))
            q += 8 * stride
        }
    }

    static func rgbToLabScalar(_ p: UnsafeMutablePointer<UInt8>, count: Int, stride: Int) {
        let s1 = OpenCVLabTables.labShift, s2 = OpenCVLabTables.labShift2
        let lscale = (116 * 255 + 50) / 100
        let lshift = -((16 * 255 * (1 << s2) + 50) / 100)
        let c = forward
        let c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3], c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7], c8 = c[8]
        OpenCVLabTables.gammaTab8.withUnsafeBufferPointer { gamma in
            OpenCVLabTables.cbrtTab8.withUnsafeBufferPointer { cbrt in
                var i = 0
                for _ in 0..<count {
                    let r = Int(gamma[Int(p[i])]), g = Int(gamma[Int(p[i + 1])]), b = Int(gamma[Int(p[i + 2])])
                    let fX = Int(cbrt[ColorRound.descale(r * c0 + g * c1 + b * c2, s1)])
                    let fY = Int(cbrt[ColorRound.descale(r * c3 + g * c4 + b * c5, s1)])
                    let fZ = Int(cbrt[ColorRound.descale(r * c6 + g * c7 + b * c8, s1)])
                    let l = ColorRound.descale(lscale * fY + lshift, s2)
                    let a = ColorRound.descale(500 * (fX - fY) + 128 * (1 << s2), s2)
                    let bb = ColorRound.descale(200 * (fY - fZ) + 128 * (1 << s2), s2)
                    p[i] = ColorRound.u8(l)
                    p[i + 1] = ColorRound.u8(a)
                    p[i + 2] = ColorRound.u8(bb)
                    i += stride
                }
            }
        }
    }

    static func labToRGBScalar(_ p: UnsafeMutablePointer<UInt8>, count: Int, stride: Int) {
        let base = OpenCVLabTables.lutBase
        let shift = OpenCVLabTables.labShift + (14 - OpenCVLabTables.invGammaShift)
        let maxIdx = OpenCVLabTables.invGammaTabSize - 1
        let minAB = OpenCVLabTables.minABValue
        let m = inverse
        let m0 = m[0], m1 = m[1], m2 = m[2], m3 = m[3], m4 = m[4], m5 = m[5], m6 = m[6], m7 = m[7], m8 = m[8]
        OpenCVLabTables.labToYF.withUnsafeBufferPointer { yf in
            OpenCVLabTables.abToXZ.withUnsafeBufferPointer { xz in
                OpenCVLabTables.invGammaTab8.withUnsafeBufferPointer { inv in
                    var i = 0
                    for _ in 0..<count {
                        let ll = Int(p[i]), aa = Int(p[i + 1]), bb = Int(p[i + 2])
                        let y = Int(yf[ll * 2])
                        let ify = Int(yf[ll * 2 + 1])
                        // OpenCV's fixed-point a*BASE/500 and b*BASE/200
                        let adiv = ((5 * aa * 53687 + (1 << 7)) >> 13) - 128 * base / 500
                        let bdiv = ((bb * 41943 + (1 << 4)) >> 9) - 128 * base / 200 + 1
                        let x = Int(xz[ify + adiv - minAB])
                        let z = Int(xz[ify - bdiv - minAB])
                        let r = min(max(ColorRound.descale(m0 * x + m1 * y + m2 * z, shift), 0), maxIdx)
                        let g = min(max(ColorRound.descale(m3 * x + m4 * y + m5 * z, shift), 0), maxIdx)
                        let b = min(max(ColorRound.descale(m6 * x + m7 * y + m8 * z, shift), 0), maxIdx)
                        p[i] = ColorRound.u8(Int(inv[r]))
                        p[i + 1] = ColorRound.u8(Int(inv[g]))
                        p[i + 2] = ColorRound.u8(Int(inv[b]))
                        i += stride
                    }
                }
            }
        }
    }
}
