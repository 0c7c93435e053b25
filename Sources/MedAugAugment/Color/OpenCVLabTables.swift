import Foundation

/// The constants and lookup tables of OpenCV's bit-exact 8-bit Lab/Luv code
/// (color_lab.cpp, `initLabTabs`). OpenCV builds them with its software
/// float; IEEE Float/Double operations in the same order give the same values.
enum OpenCVLabTables {
    // sRGB -> XYZ (D65) and back, as OpenCV stores them (exact doubles).
    static let rgb2xyz: [Double] = [
        0x3fda65a14488c60d, 0x3fd6e297396d0918, 0x3fc71819d2391d58,
        0x3fcb38cda6e75ff6, 0x3fe6e297396d0918, 0x3fb279aae6c8f755,
        0x3f93cc4ac6cdaf4b, 0x3fbe836eb4e98138, 0x3fee68427418d691,
    ].map { Double(bitPattern: $0) }
    static let xyz2rgb: [Double] = [
        0x4009ec804102ff8f, 0xbff8982a9930be0e, 0xbfdfe7ff583a53b9,
        0xbfef042528ae74f3, 0x3ffe040f23897204, 0x3fa546d3f9e7b80b,
        0x3fac7de5082cf52c, 0xbfca1e14bdfd2631, 0x3ff0eabef06b3786,
    ].map { Double(bitPattern: $0) }
    static let d65: [Double] = [Double(bitPattern: 0x3fee6a22b3892ee8), 1.0, Double(bitPattern: 0x3ff16b8950763a19)]

    static let labShift = 12          // lab_shift == xyz_shift
    static let gammaShift = 3
    static let labShift2 = 15         // lab_shift + gamma_shift
    static let invGammaShift = 12
    static let invGammaTabSize = 1 << 12
    static let lutBase = 1 << 14      // LUT_BASE == LAB_BASE
    static let minABValue = -8145

    static let lthresh = Float(216) / Float(24389)
    static let lscale = Float(841) / Float(108)
    static let lbias = Float(16) / Float(116)

    /// sRGB gamma expansion, computed in double from the float argument.
    static func applyGamma(_ x: Float) -> Float {
        let xd = Double(x)
        let r = xd <= 809.0 / 20000.0 ? xd / (323.0 / 25.0) : pow((xd + 11.0 / 200.0) / (1 + 11.0 / 200.0), 12.0 / 5.0)
        return Float(r)
    }

    static func applyInvGamma(_ x: Float) -> Float {
        let xd = Double(x)
        let r = xd <= 7827.0 / 2500000.0 ? xd * (323.0 / 25.0) : pow(xd, 1 / (12.0 / 5.0)) * (1 + 11.0 / 200.0) - 11.0 / 200.0
        return Float(r)
    }

    /// OpenCV's software cube root (Turkowski's rational approximation in
    /// double, truncated to float). Not correctly rounded, and the tables
    /// depend on exactly these values.
    static func cvCbrt(_ x: Float) -> Float {
        let bits = x.bitPattern
        if bits & 0x7FFF_FFFF == 0 { return 0 }
        let sign = bits >> 31
        var ex = Int((bits >> 23) & 0xFF) - 127
        var shx = ex % 3
        shx -= shx >= 0 ? 3 : 0
        ex = (ex - shx) / 3 - 1
        var fr = Double(bitPattern: (UInt64(shx + 1023) << 52) | (UInt64(bits & 0x7F_FFFF) << 29))
        let a1 = 45.2548339756803022511987494, a2 = 192.2798368355061050458134625
        let a3 = 119.1654824285581628956914143, a4 = 13.43250139086239872172837314
        let a5 = 0.1636161226585754240958355063, a6 = 14.80884093219134573786480845
        let a7 = 151.9714051044435648658557668, a8 = 168.5254414101568283957668343
        let a9 = 33.9905941350215598754191872, a10 = 1.0
        let num = (((a1 * fr + a2) * fr + a3) * fr + a4) * fr + a5
        let den = (((a6 * fr + a7) * fr + a8) * fr + a9) * fr + a10
        fr = num / den
        let frac = UInt32(truncatingIfNeeded: (fr.bitPattern & 0x000F_FFFF_FFFF_FFFF) >> 29)
        return Float(bitPattern: (sign << 31) &+ (UInt32(ex + 127) << 23) &+ frac)
    }

    @inline(__always)
    static func cvRound(_ x: Float) -> Int { Int(x.rounded(.toNearestOrEven)) }

    /// sRGBGammaTab_b: gamma-expanded 8-bit values in units of 1/(255*8).
    static let gammaTab8: [Int32] = (0..<256).map { i in
        let x = Float(i) / Float(255)
        return Int32(cvRound(Float(255 * (1 << gammaShift)) * applyGamma(x)))
    }

    /// sRGBInvGammaTab_b: 12-bit linear -> 8-bit sRGB.
    static let invGammaTab8: [Int32] = (0..<invGammaTabSize).map { i in
        let x = Float(1) / Float(invGammaTabSize) * Float(i)
        return Int32(cvRound(Float(255) * applyInvGamma(x)))
    }

    /// LabCbrtTab_b: f(t) in units of 2^-15, for t in units of 1/(255*8).
    static let cbrtTab8: [Int32] = (0..<(256 * 3 / 2 * (1 << gammaShift))).map { i in
        let scale = Float(1) / (Float(255) * Float(1 << gammaShift))
        let x = scale * Float(i)
        let f: Float = x < lthresh ? fma(x, lscale, lbias) : cvCbrt(x)
        return Int32(cvRound(Float(1 << labShift2) * f))
    }

    /// LabToYF_b: for an 8-bit L, (y, f(y)) in units of 2^-14.
    static let labToYF: [Int32] = {
        var t = [Int32](repeating: 0, count: 512)
        let base = lutBase
        for i in 0..<256 {
            let y: Int, ify: Int
            if i <= 20 {
                y = cvRound(Float(i * base * 20 * 9) / Float(17 * 29 * 29 * 29))
                ify = cvRound(Float(base) * (Float(16) / Float(116) + Float(i * 5) / Float(3 * 17 * 29)))
            } else {
                let fy = Float(i * 100 * base) / Float(255 * 116) + Float(16 * base) / Float(116)
                ify = cvRound(fy)
                y = cvRound(fy * fy * fy / Float(base * base))
            }
            t[2 * i] = Int32(y)
            t[2 * i + 1] = Int32(ify)
        }
        return t
    }()

    /// abToXZ_b: inverse of f for a/b offsets (integer arithmetic, as OpenCV).
    static let abToXZ: [Int32] = {
        let base = lutBase
        let n = base * 9 / 4
        var t = [Int32](repeating: 0, count: n)
        for i in minABValue..<(n + minABValue) {
            let v: Int
            if i <= 3390 {
                v = i * 108 / 841 - base * 16 / 116 * 108 / 841
            } else {
                v = i * i / base * i / base
            }
            t[i - minABValue] = Int32(v)
        }
        return t
    }()

    /// Luv white point terms un, vn (4x/(x+15y+3z) and 9y/(...) of D65, times 13).
    static let unvn: (Float, Float) = {
        let ddd = d65[0] + d65[1] * 15 + d65[2] * 3
        let dd = Float(1) / max(Float(ddd), Float.ulpOfOne)
        // softfloat * softdouble converts the double to float first
        let un = dd * Float(13 * 4) * Float(d65[0])
        let vn = dd * Float(13 * 9) * Float(d65[1])
        return (un, vn)
    }()
}
