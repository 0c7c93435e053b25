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

    /// Per output sample (pixel x channel) of a horizontal pass: the two source
    /// sample offsets and weights, with OpenCV's edge rule (weight 1 on the edge pixel).
    struct HorizontalTaps<W> {
        var o0: [Int], o1: [Int], a0: [W], a1: [W]
    }

    static func horizontalTaps<W: Numeric>(_ tx: Taps, sw: Int, dw: Int, cn: Int, one: W, weight: (Float) -> W) -> HorizontalTaps<W> {
        let width = dw * cn
        var t = HorizontalTaps<W>(o0: [Int](repeating: 0, count: width), o1: [Int](repeating: 0, count: width),
                                  a0: [W](repeating: 0, count: width), a1: [W](repeating: 0, count: width))
        for d in 0..<dw {
            let s = tx.ofs[d]
            let hasNext = s + 1 < sw
            let w0 = hasNext ? weight(tx.coef[2 * d]) : one, w1 = hasNext ? weight(tx.coef[2 * d + 1]) : 0
            for k in 0..<cn {
                let i = d * cn + k
                t.o0[i] = s * cn + k
                t.o1[i] = (hasNext ? s + 1 : s) * cn + k
                t.a0[i] = w0
                t.a1[i] = w1
            }
        }
        return t
    }

    // 8-bit linear: ResizeLinear8.swift.

    // MARK: 16-bit (float) linear

    static func linearFloat(_ src: [UInt16], _ g: ResizeGeometry, areaMode: Bool) -> [UInt16] {
        let width = g.dw * g.cn, rowLen = g.sw * g.cn
        let tx = linearTaps(src: g.sw, dst: g.dw, scale: g.scaleX, invScale: g.invScaleX, areaMode: areaMode, clamp: true)
        let ty = linearTaps(src: g.sh, dst: g.dh, scale: g.scaleY, invScale: g.invScaleY, areaMode: areaMode, clamp: false)
        let h = horizontalTaps(tx, sw: g.sw, dw: g.dw, cn: g.cn, one: Float(1), weight: { $0 })
        var out = [UInt16](repeating: 0, count: width * g.dh)
        let rows = ResizeRowPair<Float>(width: width)
        defer { rows.free() }
        src.withUnsafeBufferPointer { sb in
        h.o0.withUnsafeBufferPointer { o0 in h.o1.withUnsafeBufferPointer { o1 in
        h.a0.withUnsafeBufferPointer { a0 in h.a1.withUnsafeBufferPointer { a1 in
        out.withUnsafeMutableBufferPointer { db in
            let s = sb.baseAddress!, d = db.baseAddress!
            for dy in 0..<g.dh {
                let sy = ty.ofs[dy]
                let (p0, p1) = rows.rows(clipIndex(sy, g.sh), clipIndex(sy + 1, g.sh)) { row, buf in
                    let base = s + row * rowLen
                    for i in 0..<width { buf[i] = Float(base[o0[i]]) * a0[i] + Float(base[o1[i]]) * a1[i] }
                }
                let b0 = ty.coef[2 * dy], b1 = ty.coef[2 * dy + 1]
                let o = d + dy * width
                for x in 0..<width { o[x] = saturate16(p0[x] * b0 + p1[x] * b1) }
            }
        }}}}}}
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

    /// Horizontal cubic pass for every source row that a target row needs
    /// (computed once per source row), then the vertical 4-tap blend.
    @inline(__always)
    static func cubic<T, W: Numeric>(_ src: [T], _ g: ResizeGeometry, sample: (T) -> W, weight: (Float) -> W,
                                     madd: (W, W, W) -> W,
                                     blend: (UnsafePointer<W>, UnsafePointer<W>, UnsafePointer<W>, UnsafePointer<W>,
                                             [W], Int) -> Void) {
        let cn = g.cn, width = g.dw * cn, rowLen = g.sw * cn
        let tx = cubicTaps(dst: g.dw, scale: g.scaleX)
        let ty = cubicTaps(dst: g.dh, scale: g.scaleY)
        var xo = [Int](repeating: 0, count: width * 4)
        var xa = [W](repeating: 0, count: width * 4)
        for d in 0..<g.dw {
            for k in 0..<cn {
                let i = d * cn + k
                for j in 0..<4 {
                    xo[4 * i + j] = clipIndex(tx.ofs[d] - 1 + j, g.sw) * cn + k
                    xa[4 * i + j] = weight(tx.coef[4 * d + j])
                }
            }
        }
        let hrows = UnsafeMutablePointer<W>.allocate(capacity: g.sh * width)
        defer { hrows.deallocate() }
        var done = [Bool](repeating: false, count: g.sh)
        src.withUnsafeBufferPointer { sb in
        xo.withUnsafeBufferPointer { xo in xa.withUnsafeBufferPointer { xa in
            func row(_ r: Int) -> UnsafePointer<W> {
                let buf = hrows + r * width
                if !done[r] {
                    let base = sb.baseAddress! + r * rowLen
                    for i in 0..<width {
                        let t = 4 * i
                        buf[i] = madd(madd(madd(sample(base[xo[t]]) * xa[t], sample(base[xo[t + 1]]), xa[t + 1]),
                                           sample(base[xo[t + 2]]), xa[t + 2]), sample(base[xo[t + 3]]), xa[t + 3])
                    }
                    done[r] = true
                }
                return UnsafePointer(buf)
            }
            for dy in 0..<g.dh {
                let sy = ty.ofs[dy]
                let b = (0..<4).map { weight(ty.coef[4 * dy + $0]) }
                blend(row(clipIndex(sy - 1, g.sh)), row(clipIndex(sy, g.sh)), row(clipIndex(sy + 1, g.sh)), row(clipIndex(sy + 2, g.sh)),
                      b, dy * width)
            }
        }}}
    }

    /// The closure-based 8-bit cubic resize that `cubic8` (ResizeCubic8.swift)
    /// replaced; kept as the reference its tests compare against.
    static func cubic8Reference(_ src: [UInt8], _ g: ResizeGeometry) -> [UInt8] {
        let width = g.dw * g.cn
        // OpenCV's SSE loop (8 samples at a time) blends in float, its tail in fixed point.
        var vecEnd = 0
        while vecEnd <= width - 8 { vecEnd += 8 }
        var out = [UInt8](repeating: 0, count: width * g.dh)
        out.withUnsafeMutableBufferPointer { db in
            let d = db.baseAddress!
            cubic(src, g, sample: { Int32($0) }, weight: fixed, madd: { $0 &+ $1 &* $2 }) { r0, r1, r2, r3, b, o in
                let scale: Float = 1.0 / (2048 * 2048)
                let f0 = Float(b[0]) * scale, f1 = Float(b[1]) * scale, f2 = Float(b[2]) * scale, f3 = Float(b[3]) * scale
                for x in 0..<vecEnd {
                    let v = Float(r0[x]) * f0 + (Float(r1[x]) * f1 + (Float(r2[x]) * f2 + Float(r3[x]) * f3))
                    d[o + x] = saturate8(v)
                }
                for x in vecEnd..<width {
                    let v = r0[x] &* b[0] &+ r1[x] &* b[1] &+ r2[x] &* b[2] &+ r3[x] &* b[3]
                    d[o + x] = UInt8(clamping: (v &+ (1 << 21)) >> 22)
                }
            }
        }
        return out
    }

    static func cubicFloat(_ src: [UInt16], _ g: ResizeGeometry) -> [UInt16] {
        let width = g.dw * g.cn
        var vecEnd = 0
        while vecEnd <= width - 8 { vecEnd += 8 }
        var out = [UInt16](repeating: 0, count: width * g.dh)
        out.withUnsafeMutableBufferPointer { db in
            let d = db.baseAddress!
            cubic(src, g, sample: { Float($0) }, weight: { $0 }, madd: { $0 + $1 * $2 }) { r0, r1, r2, r3, b, o in
                // OpenCV's vector loop (8 at a time) nests the sums; its tail adds left to right.
                for x in 0..<vecEnd {
                    d[o + x] = saturate16(r0[x] * b[0] + (r1[x] * b[1] + (r2[x] * b[2] + r3[x] * b[3])))
                }
                for x in vecEnd..<width {
                    d[o + x] = saturate16(r0[x] * b[0] + r1[x] * b[1] + r2[x] * b[2] + r3[x] * b[3])
                }
            }
        }
        return out
    }
}

/// The two horizontally resized source rows a linear vertical pass needs,
/// recomputed only when the source rows change (as OpenCV reuses its buffers).
final class ResizeRowPair<T> {
    let width: Int
    private var a: UnsafeMutablePointer<T>, b: UnsafeMutablePointer<T>
    private var rowA = -1, rowB = -1

    init(width: Int) {
        self.width = width
        a = .allocate(capacity: max(width, 1))
        b = .allocate(capacity: max(width, 1))
    }

    func free() {
        a.deallocate()
        b.deallocate()
    }

    /// Buffers holding rows r0 and r1, filling whichever is not already held.
    @inline(__always)
    func rows(_ r0: Int, _ r1: Int, fill: (Int, UnsafeMutablePointer<T>) -> Void) -> (UnsafePointer<T>, UnsafePointer<T>) {
        if rowA != r0 {
            if rowB == r0 {
                swap(&a, &b)
                swap(&rowA, &rowB)
            } else {
                fill(r0, a)
                rowA = r0
            }
        }
        if r1 == r0 { return (UnsafePointer(a), UnsafePointer(a)) }
        if rowB != r1 {
            fill(r1, b)
            rowB = r1
        }
        return (UnsafePointer(a), UnsafePointer(b))
    }
}
