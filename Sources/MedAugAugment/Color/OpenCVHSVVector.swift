/// OpenCV's 8-bit HSV/HLS conversions eight pixels at a time: the same
/// float expression per pixel as `OpenCVHSV`'s scalar forms, in the same
/// order, with the sector choice as selects. Where OpenCV leaves its vector
/// blocks for scalar code (the end of a row), the scalar forms run.
extension OpenCVHSV {
    /// RGB->HSV eight pixels at a time: `rgbToHSVScalar`'s integer code
    /// (exact, so any grouping gives the same bytes) with the branches as
    /// arithmetic masks, which stay vector code where the stdlib's integer
    /// compares and selects become lane loops.
    /// With `valueTable`, V is written as `valueTable[V]` (the table applied
    /// to the V channel afterwards, fused).
    static func rgbToHSV(_ p: UnsafeMutablePointer<UInt8>, count: Int, stride: Int, valueTable: [UInt8]? = nil) {
        let table = (valueTable ?? (0..<256).map { UInt8($0) }).map { Int32($0) }
        table.withUnsafeBufferPointer { t in
            guard let vt = t.baseAddress else { return }
            // a literal stride, so that load8/store8 keep only their shuffles
            switch stride {
            case 3: rgbToHSV8(p, count: count, stride: 3, vt, mapped: valueTable != nil)
            case 4: rgbToHSV8(p, count: count, stride: 4, vt, mapped: valueTable != nil)
            default: rgbToHSV8(p, count: count, stride: stride, vt, mapped: valueTable != nil)
            }
        }
    }

    @inline(__always)
    static func rgbToHSV8(_ p: UnsafeMutablePointer<UInt8>, count: Int, stride: Int,
                          _ vt: UnsafePointer<Int32>, mapped: Bool) {
        let half = Int32(1 << (hsvShift - 1))
        sdivTable.withUnsafeBufferPointer { sdiv in
            hdivTable.withUnsafeBufferPointer { hdiv in
                guard let sd = sdiv.baseAddress, let hd = hdiv.baseAddress else { return }
                var i = 0, k = 0
                while k + 8 <= count {
                    let q = p + i
                    let (r, g, b) = ColorSIMD.load8(q, stride)
                    let v = maxLanes(maxLanes(r, g), b)
                    let diff = v &- minLanes(minLanes(r, g), b)
                    let s = (diff &* ColorSIMD.lookup(sd, v) &+ half) &>> Int32(hsvShift)
                    // all ones where v == r, and where v == g (v - x is never negative)
                    let isR = ((v &- r) &- 1) &>> 31, isG = ((v &- g) &- 1) &>> 31
                    let fromB = r &- g &+ 4 &* diff
                    let fromG = b &- r &+ 2 &* diff
                    var h = fromB ^ ((fromB ^ fromG) & isG)
                    h = h ^ ((h ^ (g &- b)) & isR)
                    h = (h &* ColorSIMD.lookup(hd, diff) &+ half) &>> Int32(hsvShift)
                    h = h &+ (180 & (h &>> 31))
                    ColorSIMD.store8(q, stride, h, s & 0xFF, mapped ? ColorSIMD.lookup(vt, v) : v)
                    i += 8 * stride
                    k += 8
                }
                if k < count {
                    rgbToHSVScalar(p + i, count: count - k, stride: stride)
                    if mapped {
                        for j in 0..<(count - k) { p[i + j * stride + 2] = UInt8(truncatingIfNeeded: vt[Int(p[i + j * stride + 2])]) }
                    }
                }
            }
        }
    }

    /// Lane-wise max / min of values in 0...255, by arithmetic.
    @inline(__always)
    static func maxLanes(_ a: SIMD8<Int32>, _ b: SIMD8<Int32>) -> SIMD8<Int32> {
        let d = a &- b
        return a &- (d & (d &>> 31))
    }

    @inline(__always)
    static func minLanes(_ a: SIMD8<Int32>, _ b: SIMD8<Int32>) -> SIMD8<Int32> {
        let d = a &- b
        return b &+ (d & (d &>> 31))
    }

    static func hsvToRGB(_ p: UnsafeMutablePointer<UInt8>, width: Int, height: Int, stride: Int) {
        // a literal stride, so that load8/store8 keep only their shuffles
        switch stride {
        case 3: hsvToRGB8(p, width: width, height: height, stride: 3)
        case 4: hsvToRGB8(p, width: width, height: height, stride: 4)
        default: hsvToRGB8(p, width: width, height: height, stride: stride)
        }
    }

    @inline(__always)
    static func hsvToRGB8(_ p: UnsafeMutablePointer<UInt8>, width: Int, height: Int, stride: Int) {
        let hscale = Float(6) / Float(180)
        let inv255 = Float(1) / Float(255)
        let one = SIMD8<Float>(repeating: 1)
        ColorSIMD.rows(p, width: width, height: height, stride: stride, block: hsvBlock, eight: { q in
            let (c0, c1, c2) = ColorSIMD.load8(q, stride)
            let s = SIMD8<Float>(c1) * inv255
            let v = SIMD8<Float>(c2) * inv255
            let hh = SIMD8<Float>(c0) * hscale
            let pre = ColorSIMD.trunc(hh)
            let h = hh - pre
            let sector = pre - ColorSIMD.trunc(pre * (Float(1) / Float(6))) * 6
            let t0 = v
            let t1 = v * (one - s)
            let t2 = v * ColorSIMD.fma(-s, h, one)
            let t3 = v * ColorSIMD.fma(-s, one - h, one)
            let (r, g, b) = sectorPick8(sector, t0, t1, t2, t3)
            ColorSIMD.store8(q, stride, ColorSIMD.truncU8(r * 255), ColorSIMD.truncU8(g * 255), ColorSIMD.truncU8(b * 255))
        }, rest: { q, n in hsvToRGBRowEnd(q, count: n, stride: stride) })
    }

    /// The pixels OpenCV leaves to its scalar code at the end of a row (fewer
    /// than 32), eight at a time with that code's arithmetic: rounded
    /// results, only `1 - s*h` fused. Saturation 0 needs no branch: every t
    /// is then v. The last count % 8 run through the scalar code itself.
    @inline(__always)
    static func hsvToRGBRowEnd(_ p: UnsafeMutablePointer<UInt8>, count: Int, stride: Int) {
        let hscale = Float(6) / Float(180)
        let inv255 = Float(1) / Float(255)
        let one = SIMD8<Float>(repeating: 1)
        var q = p, k = 0
        while k + 8 <= count {
            let (c0, c1, c2) = ColorSIMD.load8(q, stride)
            let s = SIMD8<Float>(c1) * inv255
            let v = SIMD8<Float>(c2) * inv255
            var h = SIMD8<Float>(c0) * hscale
            h.replace(with: h - 6, where: h .>= 6)     // h <= 8.5
            let sector = ColorSIMD.trunc(h)
            h = h - sector
            let t0 = v
            let t1 = v * (one - s)
            let t2 = v * ColorSIMD.fma(-s, h, one)
            let t3 = v * (one - s * (one - h))
            let (r, g, b) = sectorPick8(sector, t0, t1, t2, t3)
            ColorSIMD.store8(q, stride, ColorSIMD.roundU8(r * 255), ColorSIMD.roundU8(g * 255), ColorSIMD.roundU8(b * 255))
            q += 8 * stride
            k += 8
        }
        if k < count { hsvToRGBScalar(q, width: count - k, height: 1, stride: stride) }
    }

    static func rgbToHLS(_ p: UnsafeMutablePointer<UInt8>, width: Int, height: Int, stride: Int) {
        let inv255 = Float(1) / Float(255)
        let hscale = Float(180) / Float(360)
        ColorSIMD.rows(p, width: width, height: height, stride: stride, block: hlsBlock, eight: { q in
            let (c0, c1, c2) = ColorSIMD.load8(q, stride)
            let r = SIMD8<Float>(c0) * inv255, g = SIMD8<Float>(c1) * inv255, b = SIMD8<Float>(c2) * inv255
            let vmax = ColorSIMD.max(ColorSIMD.max(r, g), b), vmin = ColorSIMD.min(ColorSIMD.min(r, g), b)
            let diff = vmax - vmin
            let sum = vmax + vmin
            let l = sum * 0.5
            let inv = 60 / diff
            var den = 2 - sum
            den.replace(with: sum, where: l .< 0.5)
            var s = diff / den
            var h = ColorSIMD.fma(r - g, inv, SIMD8(repeating: 240))
            h.replace(with: ColorSIMD.fma(b - r, inv, SIMD8(repeating: 120)), where: vmax .== g)
            var add = SIMD8<Float>(repeating: 0)
            add.replace(with: 360, where: g .< b)
            h.replace(with: ColorSIMD.fma(g - b, inv, add), where: vmax .== r)
            let flat = .!(diff .> Float.ulpOfOne)
            h.replace(with: 0, where: flat)
            s.replace(with: 0, where: flat)
            ColorSIMD.store8(q, stride, ColorSIMD.roundU8(h * hscale), ColorSIMD.roundU8(l * 255), ColorSIMD.roundU8(s * 255))
        }, rest: { q, n in rgbToHLSScalar(q, width: n, height: 1, stride: stride) })
    }

    static func hlsToRGB(_ p: UnsafeMutablePointer<UInt8>, width: Int, height: Int, stride: Int) {
        let hscale = Float(6) / Float(180)
        let inv255 = Float(1) / Float(255)
        let n = width * height
        let one = SIMD8<Float>(repeating: 1)
        var i = 0
        var k = 0
        while k + 8 <= n {
            let (c0, c1, c2) = ColorSIMD.load8(p + i, stride)
            let l = SIMD8<Float>(c1) * inv255
            let s = SIMD8<Float>(c2) * inv255
            // s == 0 needs no special case: then p2 == p1 == l and every t is l
            var p2 = l + s - l * s
            p2.replace(with: l * (one + s), where: l .<= 0.5)
            let p1 = 2 * l - p2
            var h = SIMD8<Float>(c0) * hscale
            h.replace(with: h - 6, where: h .>= 6)     // h <= 8.5
            let sector = ColorSIMD.trunc(h)
            h = h - sector
            let d = p2 - p1
            let t0 = p2
            let t1 = p1
            let t2 = p1 + d * (one - h)
            let t3 = p1 + d * h
            let (r, g, b) = sectorPick8(sector, t0, t1, t2, t3)
            ColorSIMD.store8(p + i, stride, ColorSIMD.roundU8(r * 255), ColorSIMD.roundU8(g * 255), ColorSIMD.roundU8(b * 255))
            i += 8 * stride
            k += 8
        }
        if k < n {
            hlsToRGBScalar(p + i, width: n - k, height: 1, stride: stride)
        }
    }

    /// OpenCV's sector_data as selects: b = [t1,t1,t3,t0,t0,t2],
    /// g = [t3,t0,t0,t2,t1,t1], r = [t0,t2,t1,t1,t3,t0] for sectors 0...5.
    @inline(__always)
    static func sectorPick8(_ sector: SIMD8<Float>, _ t0: SIMD8<Float>, _ t1: SIMD8<Float>, _ t2: SIMD8<Float>,
                            _ t3: SIMD8<Float>) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        var b = t2
        b.replace(with: t0, where: sector .< 5)
        b.replace(with: t3, where: sector .< 3)
        b.replace(with: t1, where: sector .< 2)
        var g = t1
        g.replace(with: t2, where: sector .< 4)
        g.replace(with: t0, where: sector .< 3)
        g.replace(with: t3, where: sector .< 1)
        var r = t0
        r.replace(with: t3, where: sector .< 5)
        r.replace(with: t1, where: sector .< 4)
        r.replace(with: t2, where: sector .< 2)
        r.replace(with: t0, where: sector .< 1)
        return (r, g, b)
    }
}
