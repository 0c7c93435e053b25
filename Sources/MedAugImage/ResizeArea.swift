// OpenCV's INTER_AREA for shrinking: block averages for integer factors
// (resizeAreaFast_), fractional-overlap weights in float otherwise (resizeArea_).

extension CVResize {
    /// Integer factors: each target pixel is the mean of an ix-by-iy block.
    /// OpenCV's 2x2 path for 1 and 4 channels adds 2 and shifts (rounds half up);
    /// every other case multiplies by 1/area in float and rounds half to even.
    static func areaFast8(_ src: [UInt8], _ g: ResizeGeometry, _ ix: Int, _ iy: Int) -> [UInt8] {
        areaFast(src, g, ix, iy, roundHalfUp2x2: ix == 2 && iy == 2 && (g.cn == 1 || g.cn == 3 || g.cn == 4)) { saturate8($0) }
    }

    static func areaFast16(_ src: [UInt16], _ g: ResizeGeometry, _ ix: Int, _ iy: Int) -> [UInt16] {
        areaFast(src, g, ix, iy, roundHalfUp2x2: ix == 2 && iy == 2 && (g.cn == 1 || g.cn == 3 || g.cn == 4)) { saturate16($0) }
    }

    @inline(__always)
    static func areaFast<T: FixedWidthInteger & UnsignedInteger>(
        _ src: [T], _ g: ResizeGeometry, _ ix: Int, _ iy: Int, roundHalfUp2x2: Bool, cast: (Float) -> T
    ) -> [T] {
        let cn = g.cn, rowLen = g.sw * cn, width = g.dw * cn
        let scale: Float = 1 / Float(ix * iy)
        var out = [T](repeating: 0, count: width * g.dh)
        src.withUnsafeBufferPointer { sb in
            out.withUnsafeMutableBufferPointer { db in
                let s = sb.baseAddress!, d = db.baseAddress!
                for dy in 0..<g.dh {
                    let top = s + dy * iy * rowLen
                    let o = d + dy * width
                    if roundHalfUp2x2 {
                        for dx in 0..<g.dw {
                            let p = top + dx * 2 * cn
                            for k in 0..<cn {
                                let sum = Int(p[k]) + Int(p[cn + k]) + Int(p[rowLen + k]) + Int(p[rowLen + cn + k])
                                o[dx * cn + k] = T(truncatingIfNeeded: (sum + 2) >> 2)
                            }
                        }
                        continue
                    }
                    for dx in 0..<g.dw {
                        for k in 0..<cn {
                            var sum = 0
                            var r = top + dx * ix * cn + k
                            for _ in 0..<iy {
                                var p = r
                                for _ in 0..<ix { sum += Int(p[0]); p += cn }
                                r += rowLen
                            }
                            o[dx * cn + k] = cast(Float(sum) * scale)
                        }
                    }
                }
            }
        }
        return out
    }

    /// One entry of OpenCV's DecimateAlpha table: target index, source index, weight.
    struct AreaTap { var di: Int; var si: Int; var alpha: Float }

    /// OpenCV's computeResizeAreaTab.
    static func areaTable(src: Int, dst: Int, scale: Double) -> [AreaTap] {
        var tab: [AreaTap] = []
        for dx in 0..<dst {
            let fsx1 = Double(dx) * scale
            let fsx2 = fsx1 + scale
            let cellWidth = Swift.min(scale, Double(src) - fsx1)
            var sx1 = Int(fsx1.rounded(.up))
            var sx2 = Int(fsx2.rounded(.down))
            sx2 = Swift.min(sx2, src - 1)
            sx1 = Swift.min(sx1, sx2)
            if Double(sx1) - fsx1 > 1e-3 {
                tab.append(AreaTap(di: dx, si: sx1 - 1, alpha: Float((Double(sx1) - fsx1) / cellWidth)))
            }
            if sx1 < sx2 {
                for sx in sx1..<sx2 { tab.append(AreaTap(di: dx, si: sx, alpha: Float(1.0 / cellWidth))) }
            }
            if fsx2 - Double(sx2) > 1e-3 {
                tab.append(AreaTap(di: dx, si: sx2, alpha: Float(Swift.min(Swift.min(fsx2 - Double(sx2), 1.0), cellWidth) / cellWidth)))
            }
        }
        return tab
    }

    /// Non-integer shrink: fractional overlaps weighted in float, summed in OpenCV's order.
    static func area<T: FixedWidthInteger & UnsignedInteger>(_ src: [T], _ g: ResizeGeometry, maxValue: Float) -> [T] {
        let cn = g.cn, rowLen = g.sw * cn, width = g.dw * cn
        let xtab = areaTable(src: g.sw, dst: g.dw, scale: g.scaleX)
        let ytab = areaTable(src: g.sh, dst: g.dh, scale: g.scaleY)
        let xd = xtab.map { $0.di * cn }, xs = xtab.map { $0.si * cn }, xa = xtab.map(\.alpha)
        var out = [T](repeating: 0, count: width * g.dh)
        let buf = UnsafeMutablePointer<Float>.allocate(capacity: max(width, 1))
        let sum = UnsafeMutablePointer<Float>.allocate(capacity: max(width, 1))
        defer { buf.deallocate(); sum.deallocate() }
        sum.initialize(repeating: 0, count: width)
        @inline(__always) func cast(_ v: Float) -> T {
            let r = v.rounded(.toNearestOrEven)
            return r <= 0 ? 0 : (r >= maxValue ? T(truncatingIfNeeded: Int(maxValue)) : T(truncatingIfNeeded: Int(r)))
        }
        src.withUnsafeBufferPointer { sb in
        out.withUnsafeMutableBufferPointer { db in
        xd.withUnsafeBufferPointer { xd in xs.withUnsafeBufferPointer { xs in xa.withUnsafeBufferPointer { xa in
            let s = sb.baseAddress!, d = db.baseAddress!
            var prevDy = ytab.first?.di ?? 0
            for j in 0..<ytab.count {
                let beta = ytab[j].alpha, dy = ytab[j].di
                let row = s + ytab[j].si * rowLen
                buf.update(repeating: 0, count: width)
                for t in 0..<xd.count {
                    let dp = buf + xd[t], sp = row + xs[t], alpha = xa[t]
                    for k in 0..<cn { dp[k] = dp[k] + Float(sp[k]) * alpha }
                }
                if dy != prevDy {
                    let o = d + prevDy * width
                    for i in 0..<width {
                        o[i] = cast(sum[i])
                        sum[i] = beta * buf[i]
                    }
                    prevDy = dy
                } else {
                    for i in 0..<width { sum[i] = sum[i] + beta * buf[i] }
                }
            }
            let o = d + prevDy * width
            for i in 0..<width { o[i] = cast(sum[i]) }
        }}}}}
        return out
    }
}
