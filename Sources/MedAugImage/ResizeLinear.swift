// OpenCV's separable resize (resizeGeneric_): a horizontal pass into an
// integer (8-bit) or float (16-bit) row buffer, then a vertical blend of
// buffered rows. Coefficients, clamps and rounding follow cv::resize 4.7 so
// that 8-bit results match cv2 bit for bit where OpenCV itself is exact.

extension CVResize {
    /// OpenCV's INTER_RESIZE_COEF_BITS fixed point for 8-bit images.
    static let coefBits = 11
    static let coefScale: Float = 2048

    /// Per-axis source offsets and the two (linear) or four (cubic) float coefficients.
    struct Taps {
        var ofs: [Int]
        var coef: [Float]
    }

    /// INTER_LINEAR coefficients (or INTER_AREA's enlarging variant in `areaMode`).
    /// `clamp` applies OpenCV's horizontal rule (outside the image: weight 1 on the
    /// edge pixel); the vertical axis keeps its weights and clips row indices instead.
    static func linearTaps(src: Int, dst: Int, scale: Double, invScale: Double, areaMode: Bool, clamp: Bool) -> Taps {
        var ofs = [Int](repeating: 0, count: dst)
        var coef = [Float](repeating: 0, count: dst * 2)
        for d in 0..<dst {
            var s: Int
            var f: Float
            if !areaMode {
                f = Float((Double(d) + 0.5) * scale - 0.5)
                s = Int(f.rounded(.down))
                f -= Float(s)
            } else {
                s = Int((Double(d) * scale).rounded(.down))
                f = Float(Double(d + 1) - Double(s + 1) * invScale)
                f = f <= 0 ? 0 : f - f.rounded(.down)
            }
            if clamp {
                if s < 0 { f = 0; s = 0 }
                if s >= src - 1 { f = 0; s = src - 1 }
            }
            ofs[d] = s
            coef[2 * d] = 1 - f
            coef[2 * d + 1] = f
        }
        return Taps(ofs: ofs, coef: coef)
    }

    /// OpenCV's interpolateCubic (a = -0.75), in float as OpenCV computes it.
    @inline(__always)
    static func cubicCoefficients(_ x: Float) -> (Float, Float, Float, Float) {
        let a: Float = -0.75
        let c0 = ((a * (x + 1) - 5 * a) * (x + 1) + 8 * a) * (x + 1) - 4 * a
        let c1 = ((a + 2) * x - (a + 3)) * x * x + 1
        let c2 = ((a + 2) * (1 - x) - (a + 3)) * (1 - x) * (1 - x) + 1
        let c3 = 1 - c0 - c1 - c2
        return (c0, c1, c2, c3)
    }

    static func cubicTaps(dst: Int, scale: Double) -> Taps {
        var ofs = [Int](repeating: 0, count: dst)
        var coef = [Float](repeating: 0, count: dst * 4)
        for d in 0..<dst {
            var f = Float((Double(d) + 0.5) * scale - 0.5)
            let s = Int(f.rounded(.down))
            f -= Float(s)
            ofs[d] = s
            let c = cubicCoefficients(f)
            coef[4 * d] = c.0; coef[4 * d + 1] = c.1; coef[4 * d + 2] = c.2; coef[4 * d + 3] = c.3
        }
        return Taps(ofs: ofs, coef: coef)
    }

    @inline(__always)
    static func fixed(_ v: Float) -> Int32 {
        Int32(clamping: Int((v * coefScale).rounded(.toNearestOrEven)))
    }

    /// OpenCV's clip(x, 0, n) for row indices.
    @inline(__always)
    static func clipIndex(_ i: Int, _ n: Int) -> Int { i < 0 ? 0 : (i < n ? i : n - 1) }

    // MARK: 8-bit linear

    static func linear8(_ src: [UInt8], _ g: ResizeGeometry, areaMode: Bool) -> [UInt8] {
        let cn = g.cn, sw = g.sw, width = g.dw * cn
        let tx = linearTaps(src: sw, dst: g.dw, scale: g.scaleX, invScale: g.invScaleX, areaMode: areaMode, clamp: true)
        let ty = linearTaps(src: g.sh, dst: g.dh, scale: g.scaleY, invScale: g.invScaleY, areaMode: areaMode, clamp: false)
        // Horizontal taps per output sample (pixel offsets already times cn).
        var xo0 = [Int](repeating: 0, count: width), xo1 = [Int](repeating: 0, count: width)
        var xa0 = [Int32](repeating: 0, count: width), xa1 = [Int32](repeating: 0, count: width)
        for d in 0..<g.dw {
            let s = tx.ofs[d]
            let hasNext = s + 1 < sw
            let a0 = fixed(tx.coef[2 * d]), a1 = fixed(tx.coef[2 * d + 1])
            for k in 0..<cn {
                let i = d * cn + k
                xo0[i] = s * cn + k
                xo1[i] = hasNext ? (s + 1) * cn + k : s * cn + k
                xa0[i] = hasNext ? a0 : 2048
                xa1[i] = hasNext ? a1 : 0
            }
        }
        var out = [UInt8](repeating: 0, count: width * g.dh)
        var rows = RowCache<Int32>(width: width)
        src.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                for dy in 0..<g.dh {
                    let sy = ty.ofs[dy]
                    let r0 = clipIndex(sy, g.sh), r1 = clipIndex(sy + 1, g.sh)
                    let b0 = fixed(ty.coef[2 * dy]), b1 = fixed(ty.coef[2 * dy + 1])
                    rows.prepare(r0, r1) { row, buf in
                        let base = row * sw * cn
                        for i in 0..<width {
                            buf[i] = Int32(s[base + xo0[i]]) * xa0[i] + Int32(s[base + xo1[i]]) * xa1[i]
                        }
                    }
                    rows.withRows { p0, p1 in
                        let o = dy * width
                        // OpenCV's 8-bit vertical blend (vector and scalar alike) drops 4 bits
                        // of each row before a 16-bit high multiply, then rounds away 2 more.
                        for x in 0..<width {
                            let h = ((p0[x] >> 4) &* b0) >> 16 &+ ((p1[x] >> 4) &* b1) >> 16
                            d[o + x] = UInt8(truncatingIfNeeded: (h &+ 2) >> 2)
                        }
                    }
                }
            }
        }
        return out
    }

    // MARK: 16-bit (float) linear

    static func linearFloat(_ src: [UInt16], _ g: ResizeGeometry, areaMode: Bool) -> [UInt16] {
        let cn = g.cn, sw = g.sw, width = g.dw * cn
        let tx = linearTaps(src: sw, dst: g.dw, scale: g.scaleX, invScale: g.invScaleX, areaMode: areaMode, clamp: true)
        let ty = linearTaps(src: g.sh, dst: g.dh, scale: g.scaleY, invScale: g.invScaleY, areaMode: areaMode, clamp: false)
        var xo0 = [Int](repeating: 0, count: width), xo1 = [Int](repeating: 0, count: width)
        var xa0 = [Float](repeating: 0, count: width), xa1 = [Float](repeating: 0, count: width)
        for d in 0..<g.dw {
            let s = tx.ofs[d]
            let hasNext = s + 1 < sw
            for k in 0..<cn {
                let i = d * cn + k
                xo0[i] = s * cn + k
                xo1[i] = hasNext ? (s + 1) * cn + k : s * cn + k
                xa0[i] = hasNext ? tx.coef[2 * d] : 1
                xa1[i] = hasNext ? tx.coef[2 * d + 1] : 0
            }
        }
        var out = [UInt16](repeating: 0, count: width * g.dh)
        var rows = RowCache<Float>(width: width)
        src.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                for dy in 0..<g.dh {
                    let sy = ty.ofs[dy]
                    let r0 = clipIndex(sy, g.sh), r1 = clipIndex(sy + 1, g.sh)
                    let b0 = ty.coef[2 * dy], b1 = ty.coef[2 * dy + 1]
                    rows.prepare(r0, r1) { row, buf in
                        let base = row * sw * cn
                        for i in 0..<width {
                            buf[i] = Float(s[base + xo0[i]]) * xa0[i] + Float(s[base + xo1[i]]) * xa1[i]
                        }
                    }
                    rows.withRows { p0, p1 in
                        let o = dy * width
                        for x in 0..<width { d[o + x] = saturate16(p0[x] * b0 + p1[x] * b1) }
                    }
                }
            }
        }
        return out
    }

    @inline(__always)
    static func saturate16(_ v: Float) -> UInt16 {
        let r = v.rounded(.toNearestOrEven)
        return r <= 0 ? 0 : (r >= 65535 ? 65535 : UInt16(r))
    }

    @inline(__always)
    static func saturate8(_ v: Float) -> UInt8 {
        let r = v.rounded(.toNearestOrEven)
        return r <= 0 ? 0 : (r >= 255 ? 255 : UInt8(r))
    }

    // MARK: cubic

    static func cubic8(_ src: [UInt8], _ g: ResizeGeometry) -> [UInt8] {
        let cn = g.cn, sw = g.sw, sh = g.sh, width = g.dw * cn
        let tx = cubicTaps(dst: g.dw, scale: g.scaleX)
        let ty = cubicTaps(dst: g.dh, scale: g.scaleY)
        var xo = [Int](repeating: 0, count: width * 4)
        var xa = [Int32](repeating: 0, count: width * 4)
        for d in 0..<g.dw {
            for k in 0..<cn {
                let i = d * cn + k
                for j in 0..<4 {
                    xo[4 * i + j] = clipIndex(tx.ofs[d] - 1 + j, sw) * cn + k
                    xa[4 * i + j] = fixed(tx.coef[4 * d + j])
                }
            }
        }
        // The vertical pass: OpenCV's SSE loop (8 samples at a time) blends in float, its tail in fixed point.
        var vecEnd = 0
        while vecEnd <= width - 8 { vecEnd += 8 }
        var hrows = [[Int32]](repeating: [], count: sh)
        var out = [UInt8](repeating: 0, count: width * g.dh)
        src.withUnsafeBufferPointer { s in
            func hrow(_ r: Int) -> [Int32] {
                if !hrows[r].isEmpty { return hrows[r] }
                var buf = [Int32](repeating: 0, count: width)
                let base = r * sw * cn
                for i in 0..<width {
                    var v: Int32 = 0
                    for j in 0..<4 { v &+= Int32(s[base + xo[4 * i + j]]) * xa[4 * i + j] }
                    buf[i] = v
                }
                hrows[r] = buf
                return buf
            }
            out.withUnsafeMutableBufferPointer { d in
                for dy in 0..<g.dh {
                    let rs = (0..<4).map { hrow(clipIndex(ty.ofs[dy] - 1 + $0, sh)) }
                    let b = (0..<4).map { fixed(ty.coef[4 * dy + $0]) }
                    let scale: Float = 1.0 / (2048 * 2048)
                    let fb = b.map { Float($0) * scale }
                    let o = dy * width
                    for x in 0..<width {
                        if x < vecEnd {
                            let v = Float(rs[0][x]) * fb[0] + (Float(rs[1][x]) * fb[1] + (Float(rs[2][x]) * fb[2] + Float(rs[3][x]) * fb[3]))
                            d[o + x] = saturate8(v)
                        } else {
                            var v = rs[0][x] &* b[0]
                            v = v &+ rs[1][x] &* b[1]
                            v = v &+ rs[2][x] &* b[2]
                            v = v &+ rs[3][x] &* b[3]
                            d[o + x] = UInt8(clamping: (v &+ (1 << 21)) >> 22)
                        }
                    }
                }
            }
        }
        return out
    }

    static func cubicFloat(_ src: [UInt16], _ g: ResizeGeometry) -> [UInt16] {
        let cn = g.cn, sw = g.sw, sh = g.sh, width = g.dw * cn
        let tx = cubicTaps(dst: g.dw, scale: g.scaleX)
        let ty = cubicTaps(dst: g.dh, scale: g.scaleY)
        var vecEnd = 0
        while vecEnd <= width - 8 { vecEnd += 8 }
        var hrows = [[Float]](repeating: [], count: sh)
        var out = [UInt16](repeating: 0, count: width * g.dh)
        src.withUnsafeBufferPointer { s in
            func hrow(_ r: Int) -> [Float] {
                if !hrows[r].isEmpty { return hrows[r] }
                var buf = [Float](repeating: 0, count: width)
                let base = r * sw * cn
                for dx in 0..<g.dw {
                    for k in 0..<cn {
                        var v: Float = 0
                        for j in 0..<4 {
                            v += Float(s[base + clipIndex(tx.ofs[dx] - 1 + j, sw) * cn + k]) * tx.coef[4 * dx + j]
                        }
                        buf[dx * cn + k] = v
                    }
                }
                hrows[r] = buf
                return buf
            }
            out.withUnsafeMutableBufferPointer { d in
                for dy in 0..<g.dh {
                    let rs = (0..<4).map { hrow(clipIndex(ty.ofs[dy] - 1 + $0, sh)) }
                    let b = (0..<4).map { ty.coef[4 * dy + $0] }
                    let o = dy * width
                    for x in 0..<width {
                        // OpenCV's vector loop (8 at a time) nests the sums; its tail adds left to right.
                        let v = x < vecEnd
                            ? rs[0][x] * b[0] + (rs[1][x] * b[1] + (rs[2][x] * b[2] + rs[3][x] * b[3]))
                            : rs[0][x] * b[0] + rs[1][x] * b[1] + rs[2][x] * b[2] + rs[3][x] * b[3]
                        d[o + x] = saturate16(v)
                    }
                }
            }
        }
        return out
    }
}

/// The two horizontally resized source rows a linear vertical pass needs,
/// recomputed only when the source rows change (as OpenCV reuses its buffers).
struct RowCache<T: Numeric> {
    let width: Int
    private var bufs: [[T]]
    private var rowOf: [Int] = [-1, -1]

    init(width: Int) {
        self.width = width
        bufs = [[T](repeating: 0, count: width), [T](repeating: 0, count: width)]
    }

    mutating func prepare(_ r0: Int, _ r1: Int, fill: (Int, UnsafeMutableBufferPointer<T>) -> Void) {
        // Keep whichever buffered row is still needed in place, reuse the other.
        if rowOf[0] == r0 && rowOf[1] == r1 { return }
        if rowOf[1] == r0 {
            bufs.swapAt(0, 1)
            rowOf.swapAt(0, 1)
        }
        if rowOf[0] != r0 {
            bufs[0].withUnsafeMutableBufferPointer { fill(r0, $0) }
            rowOf[0] = r0
        }
        if rowOf[1] != r1 {
            if r1 == r0 {
                bufs[1] = bufs[0]
            } else {
                bufs[1].withUnsafeMutableBufferPointer { fill(r1, $0) }
            }
            rowOf[1] = r1
        }
    }

    func withRows<R>(_ body: (UnsafeBufferPointer<T>, UnsafeBufferPointer<T>) -> R) -> R {
        bufs[0].withUnsafeBufferPointer { p0 in bufs[1].withUnsafeBufferPointer { p1 in body(p0, p1) } }
    }
}
