/// RGB <-> CIE L*a*b* (D65) as OpenCV's bit-exact 8-bit code does it:
/// L scaled to 0...255 (x255/100), a and b offset by 128.
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

    static func labToRGB(_ p: UnsafeMutablePointer<UInt8>, count: Int, stride: Int) {
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
