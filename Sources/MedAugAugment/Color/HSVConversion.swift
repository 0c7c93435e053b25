/// RGB <-> HSV and HLS with OpenCV's 8-bit conventions (hue 0..<180).
/// RGB->HSV is OpenCV's integer table code; the others go through float as
/// OpenCV does, in the same operation order, so rounding lands the same way.
enum HSVConversion {
    static let hsvShift = 12

    /// OpenCV's `sdiv_table` / `hdiv_table180` (cvRound of the double quotient).
    static let sdivTable: [Int32] = (0..<256).map { i in
        i == 0 ? 0 : Int32((Double(255 << hsvShift) / Double(i)).rounded(.toNearestOrEven))
    }
    static let hdivTable: [Int32] = (0..<256).map { i in
        i == 0 ? 0 : Int32((Double(180 << hsvShift) / (6.0 * Double(i))).rounded(.toNearestOrEven))
    }

    static func rgbToHSV(_ p: UnsafeMutablePointer<UInt8>, count: Int, stride: Int) {
        let half = 1 << (hsvShift - 1)
        sdivTable.withUnsafeBufferPointer { sdiv in
            hdivTable.withUnsafeBufferPointer { hdiv in
                var i = 0
                for _ in 0..<count {
                    let r = Int(p[i]), g = Int(p[i + 1]), b = Int(p[i + 2])
                    let v = max(r, g, b)
                    let diff = v - min(r, g, b)
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
                    p[i] = saturateU8(h)
                    p[i + 1] = UInt8(truncatingIfNeeded: s)
                    p[i + 2] = UInt8(truncatingIfNeeded: v)
                    i += stride
                }
            }
        }
    }

    /// (b, g, r) picks from tab[0...3] per hue sector (OpenCV's `sector_data`).
    @inline(__always)
    static func sectorPick(_ sector: Int, _ t0: Float, _ t1: Float, _ t2: Float, _ t3: Float) -> (Float, Float, Float) {
        switch sector {
        case 0: return (t1, t3, t0)
        case 1: return (t1, t0, t2)
        case 2: return (t3, t0, t1)
        case 3: return (t0, t2, t1)
        case 4: return (t0, t1, t3)
        default: return (t2, t1, t0)
        }
    }

    static func hsvToRGB(_ p: UnsafeMutablePointer<UInt8>, width: Int, height: Int, stride: Int) {
        let hscale = Float(6) / Float(180)
        let inv255 = Float(1) / Float(255)
        var i = 0
        for _ in 0..<(width * height) {
            let s = Float(p[i + 1]) * inv255
            let v = Float(p[i + 2]) * inv255
            var b = v, g = v, r = v
            if s != 0 {
                var h = Float(p[i]) * hscale
                while h >= 6 { h -= 6 }
                var sector = Int(h.rounded(.down))
                h -= Float(sector)
                if sector < 0 || sector >= 6 { sector = 0; h = 0 }
                let t0 = v
                let t1 = v * (1 - s)
                let t2 = v * (1 - s * h)
                let t3 = v * (1 - s * (1 - h))
                (b, g, r) = sectorPick(sector, t0, t1, t2, t3)
            }
            p[i] = saturateU8(r * 255)
            p[i + 1] = saturateU8(g * 255)
            p[i + 2] = saturateU8(b * 255)
            i += stride
        }
    }

    static func rgbToHLS(_ p: UnsafeMutablePointer<UInt8>, count: Int, stride: Int) {
        let inv255 = Float(1) / Float(255)
        let hscale = Float(180) / Float(360)
        var i = 0
        for _ in 0..<count {
            let r = Float(p[i]) * inv255, g = Float(p[i + 1]) * inv255, b = Float(p[i + 2]) * inv255
            let vmax = max(r, g, b), vmin = min(r, g, b)
            var diff = vmax - vmin
            let l = (vmax + vmin) * 0.5
            var h: Float = 0, s: Float = 0
            if diff > Float.ulpOfOne {
                s = l < 0.5 ? diff / (vmax + vmin) : diff / (2 - vmax - vmin)
                diff = 60 / diff
                if vmax == r {
                    h = (g - b) * diff
                } else if vmax == g {
                    h = (b - r) * diff + 120
                } else {
                    h = (r - g) * diff + 240
                }
                if h < 0 { h += 360 }
            }
            p[i] = saturateU8(h * hscale)
            p[i + 1] = saturateU8(l * 255)
            p[i + 2] = saturateU8(s * 255)
            i += stride
        }
    }

    static func hlsToRGB(_ p: UnsafeMutablePointer<UInt8>, width: Int, height: Int, stride: Int) {
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
                var sector = Int(h.rounded(.down))
                h -= Float(sector)
                if sector < 0 || sector >= 6 { sector = 0; h = 0 }
                let t0 = p2
                let t1 = p1
                let t2 = p1 + (p2 - p1) * (1 - h)
                let t3 = p1 + (p2 - p1) * h
                (b, g, r) = sectorPick(sector, t0, t1, t2, t3)
            }
            p[i] = saturateU8(r * 255)
            p[i + 1] = saturateU8(g * 255)
            p[i + 2] = saturateU8(b * 255)
            i += stride
        }
    }
}
