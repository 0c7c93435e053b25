/// RGB <-> HSV and HLS with OpenCV's 8-bit conventions (hue 0..<180).
/// RGB->HSV is OpenCV's integer table code; the others go through float as
/// OpenCV does, in the same operation order, so rounding lands the same way.
enum OpenCVHSV {
    static let hsvShift = 12

    /// OpenCV's `sdiv_table` / `hdiv_table180` (cvRound of the double quotient).
    static let sdivTable: [Int32] = (0..<256).map { i in
        i == 0 ? 0 : Int32((Double(255 << hsvShift) / Double(i)).rounded(.toNearestOrEven))
    }
    static let hdivTable: [Int32] = (0..<256).map { i in
        i == 0 ? 0 : Int32((Double(180 << hsvShift) / (6.0 * Double(i))).rounded(.toNearestOrEven))
    }

    static func rgbToHSVScalar(_ p: UnsafeMutablePointer<UInt8>, count: Int, stride: Int) {
        let half = 1 << (hsvShift - 1)
        sdivTable.withUnsafeBufferPointer { sdiv in
            hdivTable.withUnsafeBufferPointer { hdiv in
                var i = 0
                for _ in 0..<count {
                    let r = Int(p[i]), g = Int(p[i + 1]), b = Int(p[i + 2])
                    let v = max(max(r, g), b)
                    let diff = v - min(min(r, g), b)
                    let s = (diff * Int(sdiv[v]) + half) >> hsvShift
                    var h: Int
                    if v == r {
                        h = g - b
                    } else if v == g {
                        h = b - r + 2 * diff
                    } else {
                        h = r - g + 4 * diff
                    }
                    h = (h * Int(hdiv[diff]) + half) >> hsvShift
                    if h < 0 { h += 180 }
                    p[i] = ColorRound.u8(h)
                    p[i + 1] = UInt8(truncatingIfNeeded: s)
                    p[i + 2] = UInt8(truncatingIfNeeded: v)
                    i += stride
                }
            }
        }
    }

    /// OpenCV's `sector_data`: which of tab[0...3] is (b, g, r) in each hue sector,
    /// packed 2 bits each so the pick needs no branch.
    static let sectorCodes: [UInt8] = [
        1 | 3 << 2 | 0 << 4, 1 | 0 << 2 | 2 << 4, 3 | 0 << 2 | 1 << 4,
        0 | 2 << 2 | 1 << 4, 0 | 1 << 2 | 3 << 4, 2 | 1 << 2 | 0 << 4,
    ]

    /// (b, g, r) for a sector in 0..<6.
    @inline(__always)
    static func sectorPick(_ sector: Int, _ t0: Float, _ t1: Float, _ t2: Float, _ t3: Float) -> (Float, Float, Float) {
        let tab = SIMD4<Float>(t0, t1, t2, t3)
        let code = Int(sectorCodes[sector])
        return (tab[code & 3], tab[code >> 2 & 3], tab[code >> 4 & 3])
    }

    /// OpenCV 4.7 runs HSV->RGB in blocks of 32 pixels with AVX2 (the usual
    /// dispatch on x86-64): those truncate the float result and fuse
    /// `1 - s*h` into one FMA; the scalar code for the rest of a row rounds
    /// and fuses only `1 - s*h` (as GCC compiled it; checked on all inputs).
    static let hsvBlock = 32

    static func hsvToRGBScalar(_ p: UnsafeMutablePointer<UInt8>, width: Int, height: Int, stride: Int) {
        let hscale = Float(6) / Float(180)
        let inv255 = Float(1) / Float(255)
        let vectorWidth = width - width % hsvBlock
        var i = 0
        for _ in 0..<height {
            for col in 0..<width {
                let s = Float(p[i + 1]) * inv255
                let v = Float(p[i + 2]) * inv255
                let hh = Float(p[i]) * hscale
                var b = v, g = v, r = v
                if col < vectorWidth {
                    // hh is in 0...8.5: Int() truncates like v_trunc
                    let pre = Float(Int(hh))
                    let h = hh - pre
                    let sector = pre - Float(Int(pre * (Float(1) / Float(6)))) * 6
                    let t0 = v
                    let t1 = v * (1 - s)
                    let t2 = v * ColorRound.fma(-s, h, 1)
                    let t3 = v * ColorRound.fma(-s, 1 - h, 1)
                    (b, g, r) = sectorPick(Int(sector), t0, t1, t2, t3)
                    p[i] = ColorRound.truncU8(r * 255)
                    p[i + 1] = ColorRound.truncU8(g * 255)
                    p[i + 2] = ColorRound.truncU8(b * 255)
                } else {
                    if s != 0 {
                        var h = hh
                        while h >= 6 { h -= 6 }
                        var sector = Int(h)  // h >= 0: truncation is floor
                        h -= Float(sector)
                        if sector < 0 || sector >= 6 { sector = 0; h = 0 }
                        let t0 = v
                        let t1 = v * (1 - s)
                        let t2 = v * ColorRound.fma(-s, h, 1)
                        let t3 = v * (1 - s * (1 - h))
                        (b, g, r) = sectorPick(sector, t0, t1, t2, t3)
                    }
                    p[i] = ColorRound.u8(r * 255)
                    p[i + 1] = ColorRound.u8(g * 255)
                    p[i + 2] = ColorRound.u8(b * 255)
                }
                i += stride
            }
        }
    }

    /// RGB->HLS: OpenCV's vector code (8 pixels at a time with AVX2) fuses
    /// the hue's multiply-add; the scalar code for the rest of a row does not
    /// for red hues and computes the saturation denominator in another order.
    static let hlsBlock = 8

    static func rgbToHLSScalar(_ p: UnsafeMutablePointer<UInt8>, width: Int, height: Int, stride: Int) {
        let inv255 = Float(1) / Float(255)
        let hscale = Float(180) / Float(360)
        let vectorWidth = width - width % hlsBlock
        var i = 0
        for _ in 0..<height {
            for col in 0..<width {
                let r = Float(p[i]) * inv255, g = Float(p[i + 1]) * inv255, b = Float(p[i + 2]) * inv255
                let vmax = max(max(r, g), b), vmin = min(min(r, g), b)
                let diff = vmax - vmin
                let sum = vmax + vmin
                let l = sum * 0.5
                var h: Float = 0, s: Float = 0
                if diff > Float.ulpOfOne {
                    let inv = 60 / diff
                    if col < vectorWidth {
                        s = diff / (l < 0.5 ? sum : 2 - sum)
                        if vmax == r {
                            h = ColorRound.fma(g - b, inv, g < b ? 360 : 0)
                        } else if vmax == g {
                            h = ColorRound.fma(b - r, inv, 120)
                        } else {
                            h = ColorRound.fma(r - g, inv, 240)
                        }
                    } else {
                        s = l < 0.5 ? diff / sum : diff / (2 - vmax - vmin)
                        if vmax == r {
                            h = (g - b) * inv
                            if h < 0 { h += 360 }
                        } else if vmax == g {
                            h = ColorRound.fma(b - r, inv, 120)
                        } else {
                            h = ColorRound.fma(r - g, inv, 240)
                        }
                    }
                }
                p[i] = ColorRound.u8(h * hscale)
                p[i + 1] = ColorRound.u8(l * 255)
                p[i + 2] = ColorRound.u8(s * 255)
                i += stride
            }
        }
    }

    static func hlsToRGBScalar(_ p: UnsafeMutablePointer<UInt8>, width: Int, height: Int, stride: Int) {
        let hscale = Float(6) / Float(180)
        let inv255 = Float(1) / Float(255)
        var i = 0
        for _ in 0..<(width * height) {
            let l = Float(p[i + 1]) * inv255
            let s = Float(p[i + 2]) * inv255
            var b = l, g = l, r = l
            if s != 0 {
                let p2 = l <= 0.5 ? l * (1 + s) : l + s - l * s
                let p1 = 2 * l - p2
                var h = Float(p[i]) * hscale
                while h >= 6 { h -= 6 }
                var sector = Int(h)  // h >= 0: truncation is floor
                h -= Float(sector)
                if sector < 0 || sector >= 6 { sector = 0; h = 0 }
                let t0 = p2
                let t1 = p1
                let t2 = p1 + (p2 - p1) * (1 - h)
                let t3 = p1 + (p2 - p1) * h
                (b, g, r) = sectorPick(sector, t0, t1, t2, t3)
            }
            p[i] = ColorRound.u8(r * 255)
            p[i + 1] = ColorRound.u8(g * 255)
            p[i + 2] = ColorRound.u8(b * 255)
            i += stride
        }
    }
}
