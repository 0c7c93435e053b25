import MedAugImage

/// One source position per output pixel (row-major), as cv2.remap reads its
/// CV_16SC2 maps: 1/32-pixel units for linear and cubic, whole pixels for
/// nearest. A map depends only on the transform and the output size, never
/// on the source, so one call's image, masks and heatmaps can share it.
struct RemapMaps {
    var xs: [Int32]
    var ys: [Int32]

    init(xs: [Int32], ys: [Int32]) {
        self.xs = xs
        self.ys = ys
    }

    /// Two arrays of `count` entries written by `body(xs, ys)` without the
    /// zero fill and the per-write uniqueness checks of subscripted arrays.
    @inline(__always)
    init(count: Int, _ body: (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>) -> Void) {
        guard count > 0 else { xs = []; ys = []; return }
        var ys: [Int32] = []
        xs = [Int32](unsafeUninitializedCapacity: count) { xb, xc in
            ys = [Int32](unsafeUninitializedCapacity: count) { yb, yc in
                body(xb.baseAddress!, yb.baseAddress!)
                yc = count
            }
            xc = count
        }
        self.ys = ys
    }
}

/// The maps that one warp call needs, each built on first use and then reused
/// by the other images of the call.
struct RemapMapCache {
    private let build: (_ subpixel: Bool) -> RemapMaps
    private var subpixel: RemapMaps?
    private var whole: RemapMaps?

    init(_ build: @escaping (_ subpixel: Bool) -> RemapMaps) { self.build = build }

    /// The maps for `order`: 1/32-pixel for linear and cubic, whole pixels for nearest.
    mutating func maps(for order: AffineOrder) -> RemapMaps {
        if order == .nearest {
            if let m = whole { return m }
            let m = build(false)
            whole = m
            return m
        }
        if let m = subpixel { return m }
        let m = build(true)
        subpixel = m
        return m
    }
}

extension PerspectiveKernel {
    /// warpPerspective's positions for the inverse matrix `M`: OpenCV's block
    /// order of the double arithmetic (X0 etc. from the block's first column),
    /// times 32 for the 1/32-pixel table or 1 for whole pixels, clamped to int
    /// and rounded half to even. Four columns at a time in SIMD: the same
    /// operations per lane, so the same bits as the scalar tail.
    static func coordinateMaps(inverse M: [Double], width: Int, height: Int, subpixel: Bool) -> RemapMaps {
        precondition(M.count == 9, "a perspective matrix has 9 entries")
        let scale: Double = subpixel ? 32 : 1
        let m0 = M[0], m1 = M[1], m2 = M[2], m3 = M[3], m4 = M[4], m5 = M[5], m6 = M[6], m7 = M[7], m8 = M[8]
        let bh0 = min(16, height)
        let bw0 = bh0 > 0 ? min(32 * 32 / bh0, width) : width
        return RemapMaps(count: width * height) { xp, yp in
            let iota = SIMD4<Double>(0, 1, 2, 3)
            let m0v = SIMD4(repeating: m0), m3v = SIMD4(repeating: m3), m6v = SIMD4(repeating: m6)
            let scalev = SIMD4(repeating: scale)
            for y in 0..<height {
                let fy = Double(y)
                var x = 0
                while x < width {
                    let bw = min(bw0, width - x)
                    let X0 = m0 * Double(x) + m1 * fy + m2
                    let Y0 = m3 * Double(x) + m4 * fy + m5
                    let W0 = m6 * Double(x) + m7 * fy + m8
                    let px = xp + (y &* width &+ x), py = yp + (y &* width &+ x)
                    let X0v = SIMD4(repeating: X0), Y0v = SIMD4(repeating: Y0), W0v = SIMD4(repeating: W0)
                    var x1 = 0
                    while x1 &+ 4 <= bw {
                        let t = SIMD4(repeating: Double(x1)) + iota
                        let w = W0v + m6v * t
                        let q = (scalev / w).replacing(with: 0, where: w .== 0)
                        UnsafeMutableRawPointer(px + x1).storeBytes(of: clampRound((X0v + m0v * t) * q), as: SIMD4<Int32>.self)
                        UnsafeMutableRawPointer(py + x1).storeBytes(of: clampRound((Y0v + m3v * t) * q), as: SIMD4<Int32>.self)
                        x1 &+= 4
                    }
                    while x1 < bw {
                        var W = W0 + m6 * Double(x1)
                        W = W != 0 ? scale / W : 0
                        let fX = max(-2147483648, min(2147483647, (X0 + m0 * Double(x1)) * W))
                        let fY = max(-2147483648, min(2147483647, (Y0 + m3 * Double(x1)) * W))
                        px[x1] = AffineSampleGrid.cvRound(fX)
                        py[x1] = AffineSampleGrid.cvRound(fY)
                        x1 &+= 1
                    }
                    x &+= bw
                }
            }
        }
    }

    /// `cvRound(max(INT_MIN, min(INT_MAX, v)))` per lane, as the scalar path
    /// does it with Swift's min and max (a NaN ends at INT_MAX). Adding
    /// 1.5·2^52 rounds a value of at most 2^31 in magnitude half to even to a
    /// whole number held in the low 32 bits.
    @inline(__always)
    static func clampRound(_ v: SIMD4<Double>) -> SIMD4<Int32> {
        var c = v.replacing(with: 2147483647, where: .!(v .< 2147483647))
        c.replace(with: -2147483648, where: .!(c .>= -2147483648))
        let bits = unsafeBitCast(c + SIMD4(repeating: 6755399441055744.0), to: SIMD4<Int64>.self)
        return SIMD4<Int32>(truncatingIfNeeded: bits)
    }
}

extension ElasticKernel {
    /// The source positions x − dx, y − dy in float32 (1/32 pixel when
    /// `subpixel`, else whole pixels), rounded as saturate_cast<int>(float).
    /// Eight pixels at a time in SIMD when all eight are well inside int range,
    /// with the scalar rounding otherwise.
    static func coordinateMaps(dx: [Float], dy: [Float], width w: Int, height h: Int, subpixel: Bool) -> RemapMaps {
        precondition(dx.count == w * h && dy.count == w * h, "shift maps must match the image size")
        // Float(x) + k for the lane offsets is exact below 2^24.
        let vector = w < 1 << 24
        return RemapMaps(count: w * h) { xp, yp in
            dx.withUnsafeBufferPointer { dxb in
                dy.withUnsafeBufferPointer { dyb in
                    let dxp = dxb.baseAddress!, dyp = dyb.baseAddress!
                    let iota = SIMD8<Float>(0, 1, 2, 3, 4, 5, 6, 7)
                    let neg = SIMD8<Float>(repeating: -1)
                    for y in 0..<h {
                        let row = y &* w
                        var x = 0
                        if vector {
                            let yv = SIMD8<Float>(repeating: Float(y))
                            while x &+ 8 <= w {
                                let i = row &+ x
                                let ddx = UnsafeRawPointer(dxp + i).loadUnaligned(as: SIMD8<Float>.self)
                                let ddy = UnsafeRawPointer(dyp + i).loadUnaligned(as: SIMD8<Float>.self)
                                var fx = (SIMD8(repeating: Float(x)) + iota) + neg * ddx
                                var fy = yv + neg * ddy
                                if subpixel { fx *= 32; fy *= 32 }
                                if let rx = roundSmall(fx), let ry = roundSmall(fy) {
                                    UnsafeMutableRawPointer(xp + i).storeBytes(of: rx, as: SIMD8<Int32>.self)
                                    UnsafeMutableRawPointer(yp + i).storeBytes(of: ry, as: SIMD8<Int32>.self)
                                } else {
                                    for k in 0..<8 {
                                        xp[i &+ k] = FixedPointRemap.cvRound(fx[k])
                                        yp[i &+ k] = FixedPointRemap.cvRound(fy[k])
                                    }
                                }
                                x &+= 8
                            }
                        }
                        while x < w {
                            let i = row &+ x
                            let fx = Float(x) + (-1) * dxp[i], fy = Float(y) + (-1) * dyp[i]
                            if subpixel {
                                xp[i] = FixedPointRemap.cvRound(fx * 32); yp[i] = FixedPointRemap.cvRound(fy * 32)
                            } else {
                                xp[i] = FixedPointRemap.cvRound(fx); yp[i] = FixedPointRemap.cvRound(fy)
                            }
                            x &+= 1
                        }
                    }
                }
            }
        }
    }

    /// Rounds half to even when every lane is below 2^22 in magnitude (then
    /// adding 1.5·2^23 leaves the whole number in the mantissa); nil when a lane
    /// is larger or NaN, for the scalar saturating rounding.
    @inline(__always)
    static func roundSmall(_ v: SIMD8<Float>) -> SIMD8<Int32>? {
        guard all((v .< 4194304) .& (v .> -4194304)) else { return nil }
        let t = v + SIMD8(repeating: 12582912)
        return unsafeBitCast(t, to: SIMD8<Int32>.self) &- SIMD8(repeating: 0x4B40_0000)
    }
}

extension FixedPointRemap {
    /// Bilinear 8-bit remap, one compiled copy per channel count.
    @inline(never)
    static func bilinear8<C: ChannelCount>(_ s: UnsafeBufferPointer<UInt8>, _ d: UnsafeMutableBufferPointer<UInt8>,
                                           _ g: AffineWarpGeometry, _ xs: UnsafePointer<Int32>, _ ys: UnsafePointer<Int32>,
                                           _ fill: [UInt8], _: C.Type) {
        bilinear8(s, d, g, xs, ys, fill, C.count)
    }

    /// cv2.remap INTER_LINEAR on 8 bits for `channels` channels (a constant
    /// after inlining; 0 means g.cn): weights (32−fy or fy)(32−fx or fx) out of
    /// 1024, which is OpenCV's INTER_REMAP_COEF_BITS = 15 table (each weight
    /// ×32) with the rounding (v·32 + 2^14) >> 15 = (v + 512) >> 10. A 2x2
    /// neighbourhood inside is blended in place; the rest goes to
    /// ``WarpAffine/bilinearBorder8``, constant-mode positions wholly outside to the fill.
    /// For 3 and 4 channels the four taps are blended as SIMD4<Int32> lanes
    /// (same integer sums, at most 255·1024, so no overflow).
    @inline(__always)
    static func bilinear8(_ s: UnsafeBufferPointer<UInt8>, _ d: UnsafeMutableBufferPointer<UInt8>,
                          _ g: AffineWarpGeometry, _ xs: UnsafePointer<Int32>, _ ys: UnsafePointer<Int32>,
                          _ fill: [UInt8], _ channels: Int) {
        let cn = channels > 0 ? channels : g.cn
        let sw = g.sw, sh = g.sh, stride = sw &* cn
        let innerW = UInt(max(sw - 1, 0)), innerH = UInt(max(sh - 1, 0))
        let constant = g.mode == .constant
        let sp = s.baseAddress!, dp = d.baseAddress!
        let scount = s.count, dcount = d.count
        let spRaw = UnsafeRawPointer(sp)
        for i in 0..<(g.dw &* g.dh) {
            let X = xs[i], Y = ys[i]
            let sx = affineClampShort(X >> 5), sy = affineClampShort(Y >> 5)
            let fx = X & 31, fy = Y & 31
            let o = i &* cn
            if UInt(bitPattern: sx) < innerW && UInt(bitPattern: sy) < innerH {
                let off = sy &* stride &+ sx &* cn
                let ax = 32 &- fx, ay = 32 &- fy
                let w0 = ay &* ax, w1 = ay &* fx, w2 = fy &* ax, w3 = fy &* fx
                // 4-byte loads of each tap: the last one ends at off + stride + cn + 4.
                if (channels == 3 || channels == 4) && off &+ stride &+ cn &+ 4 <= scount {
                    @inline(__always) func tap(_ at: Int) -> SIMD4<Int32> {
                        SIMD4<Int32>(truncatingIfNeeded: spRaw.loadUnaligned(fromByteOffset: at, as: SIMD4<UInt8>.self))
                    }
                    let v = tap(off) &* w0 &+ tap(off &+ cn) &* w1 &+ tap(off &+ stride) &* w2
                        &+ tap(off &+ stride &+ cn) &* w3
                    // Each lane's low byte, gathered by one byte shuffle (the lanes are 0...255).
                    let b = unsafeBitCast((v &+ 512) &>> 10, to: SIMD16<UInt8>.self)
                    let packed = unsafeBitCast(SIMD16<UInt8>(b[0], b[4], b[8], b[12], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                                               to: SIMD4<UInt32>.self)[0]
                    let raw = UnsafeMutableRawPointer(dp + o)
                    if channels == 4 || o &+ 4 <= dcount {
                        // For 3 channels the fourth byte spills into the next pixel, written after this one.
                        raw.storeBytes(of: packed, as: UInt32.self)
                    } else {
                        raw.storeBytes(of: UInt16(truncatingIfNeeded: packed), as: UInt16.self)
                        raw.storeBytes(of: UInt8(truncatingIfNeeded: packed >> 16), toByteOffset: 2, as: UInt8.self)
                    }
                } else {
                    let p = sp + off, q = p + stride
                    for k in 0..<cn {
                        let v = Int32(p[k]) &* w0 &+ Int32(p[cn &+ k]) &* w1 &+ Int32(q[k]) &* w2 &+ Int32(q[cn &+ k]) &* w3
                        dp[o &+ k] = UInt8(truncatingIfNeeded: (v &+ 512) >> 10)
                    }
                }
            } else if constant && (sx >= sw || sx < -1 || sy >= sh || sy < -1) {
                for k in 0..<cn { dp[o &+ k] = fill[k] }
            } else {
                WarpAffine.bilinearBorder8(s, dp + o, g, sx, sy, Int(fx), Int(fy), fill)
            }
        }
    }

    /// Order 0, one compiled copy per channel count.
    @inline(never)
    static func nearest<T, C: ChannelCount>(_ s: UnsafeBufferPointer<T>, _ d: UnsafeMutableBufferPointer<T>,
                                            _ g: AffineWarpGeometry, _ xs: UnsafePointer<Int32>,
                                            _ ys: UnsafePointer<Int32>, _ fill: [T], _: C.Type) {
        nearest(s, d, g, xs, ys, fill, C.count)
    }

    /// Order 0 at either bit depth: the nearest source pixel, or the fill
    /// outside (the border mode decides which positions are outside).
    @inline(__always)
    static func nearest<T>(_ s: UnsafeBufferPointer<T>, _ d: UnsafeMutableBufferPointer<T>, _ g: AffineWarpGeometry,
                           _ xs: UnsafePointer<Int32>, _ ys: UnsafePointer<Int32>, _ fill: [T], _ channels: Int) {
        let cn = channels > 0 ? channels : g.cn
        let sw = g.sw, sh = g.sh, stride = sw &* cn
        let sp = s.baseAddress!, dp = d.baseAddress!
        for i in 0..<(g.dw &* g.dh) {
            let o = i &* cn
            let sx = affineClampShort(xs[i]), sy = affineClampShort(ys[i])
            if UInt(bitPattern: sx) < UInt(sw) && UInt(bitPattern: sy) < UInt(sh) {
                let p = sp + (sy &* stride &+ sx &* cn)
                for k in 0..<cn { dp[o &+ k] = p[k] }
            } else if let ix = g.mode.index(sx, sw), let iy = g.mode.index(sy, sh) {
                for k in 0..<cn { dp[o &+ k] = sp[iy &* stride &+ ix &* cn &+ k] }
            } else {
                for k in 0..<cn { dp[o &+ k] = fill[k] }
            }
        }
    }

    /// Order 0 dispatched by channel count.
    static func remapNearest<T>(_ s: UnsafeBufferPointer<T>, _ d: UnsafeMutableBufferPointer<T>, _ g: AffineWarpGeometry,
                                _ xs: UnsafePointer<Int32>, _ ys: UnsafePointer<Int32>, _ fill: [T]) {
        switch g.cn {
        case 1: nearest(s, d, g, xs, ys, fill, Channels1.self)
        case 3: nearest(s, d, g, xs, ys, fill, Channels3.self)
        default: nearest(s, d, g, xs, ys, fill, 0)
        }
    }
}
