import MedAugImage

/// Interpolation orders imgaug's Affine runs through OpenCV: 0 = INTER_NEAREST,
/// 1 = INTER_LINEAR, 3 = INTER_CUBIC (bicubic with a = −0.75).
public enum AffineOrder: Int, Sendable, CaseIterable {
    /// Order 0: the nearest source pixel (INTER_NEAREST).
    case nearest = 0
    /// Order 1: bilinear (INTER_LINEAR), imgaug's default.
    case linear = 1
    /// Order 3: bicubic (INTER_CUBIC).
    case cubic = 3
}

/// `cv2.warpAffine` as imgaug calls it (forward matrix, OpenCV inverts it).
///
/// Each output pixel samples the input at the inverse map of its position. As in
/// OpenCV, positions are fixed point: 1/1024 pixel steps along a row, rounded to
/// the nearest pixel (order 0) or to 1/32 pixel (INTER_BITS = 5) with tabulated
/// weights; 8-bit blends are integer (15-bit weights), 16-bit blends float.
public enum WarpAffine {
    /// `cval[k]` fills channel k outside the image in constant mode (missing
    /// entries are 0, as in OpenCV's Scalar), clipped to the sample range.
    public static func apply(_ image: Image, matrix: AffineMatrix, width: Int, height: Int,
                             order: AffineOrder, mode: BorderMode, cval: [Int]) -> Image {
        let cn = image.channels
        guard width > 0, height > 0 else {
            return Image(width: max(width, 0), height: max(height, 0), channels: cn,
                         pixels: image.bitDepth == 16 ? .u16([]) : .u8([]))
        }
        let grid = AffineSampleGrid(inverse: matrix.inverted, width: width, order: order)
        let geometry = AffineWarpGeometry(sw: image.width, sh: image.height, cn: cn, dw: width, dh: height, mode: mode)
        switch image.pixels {
        case .u8(let src):
            let fill = (0..<cn).map { UInt8(clamping: $0 < cval.count ? cval[$0] : 0) }
            if order == .nearest && image.width > 0 && image.height > 0 {
                // Every output sample is written, so the buffer starts uninitialised.
                let count = width * height * cn
                let out = [UInt8](unsafeUninitializedCapacity: count) { d, initialized in
                    src.withUnsafeBufferPointer { s in nearest8(s, d, geometry, grid, fill) }
                    initialized = count
                }
                return Image(width: width, height: height, channels: cn, pixels: .u8(out))
            }
            var out = [UInt8](repeating: 0, count: width * height * cn)
            if image.width == 0 || image.height == 0 {
                fillConstant(&out, fill)
            } else {
                src.withUnsafeBufferPointer { s in
                    out.withUnsafeMutableBufferPointer { d in
                        switch order {
                        case .nearest: nearest(s, d, geometry, grid, fill)
                        case .linear: bilinear8(s, d, geometry, grid, fill)
                        case .cubic: bicubic8(s, d, geometry, grid, fill)
                        }
                    }
                }
            }
            return Image(width: width, height: height, channels: cn, pixels: .u8(out))
        case .u16(let src):
            let fill = (0..<cn).map { UInt16(clamping: $0 < cval.count ? cval[$0] : 0) }
            var out = [UInt16](repeating: 0, count: width * height * cn)
            if image.width == 0 || image.height == 0 {
                fillConstant(&out, fill)
            } else {
                src.withUnsafeBufferPointer { s in
                    out.withUnsafeMutableBufferPointer { d in
                        switch order {
                        case .nearest: nearest(s, d, geometry, grid, fill)
                        case .linear: bilinear16(s, d, geometry, grid, fill)
                        case .cubic: bicubic16(s, d, geometry, grid, fill)
                        }
                    }
                }
            }
            return Image(width: width, height: height, channels: cn, pixels: .u16(out))
        }
    }

    static func fillConstant<T>(_ out: inout [T], _ fill: [T]) {
        let cn = fill.count
        for i in 0..<out.count { out[i] = fill[i % cn] }
    }
}

struct AffineWarpGeometry {
    let sw, sh, cn, dw, dh: Int
    let mode: BorderMode
}

/// OpenCV's warpAffine coordinate arithmetic: per column `M0·x·1024` and
/// `M3·x·1024` rounded once, per row `(M1·y + M2)·1024` rounded plus a
/// rounding offset; sums are shifted down to whole pixels plus 5 fraction bits.
struct AffineSampleGrid {
    static let abBits: Int32 = 10
    static let interBits: Int32 = 5
    let m: AffineMatrix
    let adelta: [Int32]
    let bdelta: [Int32]
    let roundDelta: Int32

    init(inverse m: AffineMatrix, width: Int, order: AffineOrder) {
        self.m = m
        adelta = (0..<width).map { AffineSampleGrid.cvRound(m.a * Double($0) * 1024) }
        bdelta = (0..<width).map { AffineSampleGrid.cvRound(m.d * Double($0) * 1024) }
        roundDelta = order == .nearest ? 512 : 16
    }

    /// OpenCV's saturate_cast<int>(double): round half to even, clamp.
    @inline(__always)
    static func cvRound(_ v: Double) -> Int32 {
        let r = v.rounded(.toNearestOrEven)
        if r.isNaN { return Int32.min }
        return r >= 2147483647 ? Int32.max : (r <= -2147483648 ? Int32.min : Int32(r))
    }

    @inline(__always)
    func rowStart(_ y: Int) -> (Int32, Int32) {
        (AffineSampleGrid.cvRound((m.b * Double(y) + m.c) * 1024) &+ roundDelta,
         AffineSampleGrid.cvRound((m.e * Double(y) + m.f) * 1024) &+ roundDelta)
    }
}

/// OpenCV's saturate_cast<short> of a source coordinate.
@inline(__always)
func affineClampShort(_ v: Int32) -> Int { Int(max(-32768, min(32767, v))) }

extension WarpAffine {
    /// Runs `body(o, sx, sy, fx, fy)` for every output pixel (o = its first sample
    /// index) with OpenCV's positions: whole pixels for nearest, otherwise whole
    /// pixels plus a 5-bit fraction (fx, fy in 0..<32).
    @inline(__always)
    static func forEachSample(_ g: AffineWarpGeometry, _ grid: AffineSampleGrid, subpixel: Bool,
                              _ body: (Int, Int, Int, Int, Int) -> Void) {
        let cn = g.cn, dw = g.dw
        grid.adelta.withUnsafeBufferPointer { ad in
            grid.bdelta.withUnsafeBufferPointer { bd in
                var o = 0
                for y in 0..<g.dh {
                    let (x0, y0) = grid.rowStart(y)
                    if subpixel {
                        let shift = AffineSampleGrid.abBits - AffineSampleGrid.interBits
                        for x in 0..<dw {
                            let X = (x0 &+ ad[x]) >> shift
                            let Y = (y0 &+ bd[x]) >> shift
                            body(o, affineClampShort(X >> AffineSampleGrid.interBits), affineClampShort(Y >> AffineSampleGrid.interBits), Int(X & 31), Int(Y & 31))
                            o += cn
                        }
                    } else {
                        for x in 0..<dw {
                            body(o, affineClampShort((x0 &+ ad[x]) >> AffineSampleGrid.abBits), affineClampShort((y0 &+ bd[x]) >> AffineSampleGrid.abBits), 0, 0)
                            o += cn
                        }
                    }
                }
            }
        }
    }

    /// Specialises a kernel for the common channel counts so its channel loop unrolls.
    @inline(__always)
    static func byChannels(_ cn: Int, _ body: (Int) -> Void) {
        switch cn {
        case 1: body(1)
        case 3: body(3)
        case 4: body(4)
        default: body(cn)
        }
    }

    // MARK: nearest

    static func nearest<T>(_ s: UnsafeBufferPointer<T>, _ d: UnsafeMutableBufferPointer<T>,
                           _ g: AffineWarpGeometry, _ grid: AffineSampleGrid, _ fill: [T]) {
        let sw = g.sw, sh = g.sh, stride = sw * g.cn
        let sp = s.baseAddress!, dp = d.baseAddress!
        byChannels(g.cn) { cn in
            forEachSample(g, grid, subpixel: false) { o, sx, sy, _, _ in
                if UInt(bitPattern: sx) < UInt(sw) && UInt(bitPattern: sy) < UInt(sh) {
                    let p = sp + sy * stride + sx * cn
                    for k in 0..<cn { dp[o + k] = p[k] }
                } else if let ix = g.mode.index(sx, sw), let iy = g.mode.index(sy, sh) {
                    let p = sp + iy * stride + ix * cn
                    for k in 0..<cn { dp[o + k] = p[k] }
                } else {
                    for k in 0..<cn { dp[o + k] = fill[k] }
                }
            }
        }
    }

    // MARK: bilinear

    /// Inside the image: `(Σ v·w + 2^14) >> 15` with w = (32−fy or fy)(32−fx or fx)·32,
    /// computed as two 5-bit blends (the same integer); outside, taps go through the border mode.
    static func bilinear8(_ s: UnsafeBufferPointer<UInt8>, _ d: UnsafeMutableBufferPointer<UInt8>,
                          _ g: AffineWarpGeometry, _ grid: AffineSampleGrid, _ fill: [UInt8]) {
        if shift8(s, d, g, grid, fill) { return }
        byChannels(g.cn) { cn in bilinear8Rows(s, d, g, grid, fill, cn) }
    }

    /// Constant-mode warps that only move the image by whole pixels (integer
    /// translations): when every position OpenCV computes has zero fraction
    /// bits and the row steps are exactly one pixel, its weights are 1, 0, 0, 0
    /// and each output pixel is its source pixel, or the fill outside the
    /// image, so rows are copied. Returns false, writing nothing, otherwise.
    static func shift8(_ s: UnsafeBufferPointer<UInt8>, _ d: UnsafeMutableBufferPointer<UInt8>,
                       _ g: AffineWarpGeometry, _ grid: AffineSampleGrid, _ fill: [UInt8]) -> Bool {
        let cn = g.cn, sw = g.sw, sh = g.sh, dw = g.dw
        // Small enough that no sum wraps and OpenCV's clamp to Int16 keeps outside positions outside.
        guard g.mode == .constant, sw < 32767, sh < 32767, dw < 1 << 19, s.count == sw * sh * cn else { return false }
        for x in 0..<dw where grid.adelta[x] != Int32(x) << 10 || grid.bdelta[x] != 0 { return false }
        let shift = AffineSampleGrid.abBits - AffineSampleGrid.interBits
        var starts = [(Int, Int)]()
        starts.reserveCapacity(g.dh)
        for y in 0..<g.dh {
            let (x0, y0) = grid.rowStart(y)
            guard abs(Int(x0)) < 1 << 30, abs(Int(y0)) < 1 << 30 else { return false }
            let X = x0 >> shift, Y = y0 >> shift
            guard X & 31 == 0, Y & 31 == 0 else { return false }
            starts.append((Int(X >> AffineSampleGrid.interBits), Int(Y >> AffineSampleGrid.interBits)))
        }
        let sp = s.baseAddress!, dp = d.baseAddress!, stride = sw * cn, rowBytes = dw * cn
        func fillPixels(_ o: UnsafeMutablePointer<UInt8>, _ n: Int) {
            for i in 0..<n { for k in 0..<cn { o[i * cn + k] = fill[k] } }
        }
        for (y, (bx, sy)) in starts.enumerated() {
            let o = dp + y * rowBytes
            guard sy >= 0 && sy < sh else { fillPixels(o, dw); continue }
            // Output columns whose source column bx + x lies in 0..<sw.
            let lo = min(max(-bx, 0), dw), hi = max(min(sw - bx, dw), lo)
            fillPixels(o, lo)
            if hi > lo { (o + lo * cn).update(from: sp + sy * stride + (bx + lo) * cn, count: (hi - lo) * cn) }
            fillPixels(o + hi * cn, dw - hi)
        }
        return true
    }

    // `bilinear8Rows`: WarpAffineBilinear8.swift.

    @inline(never)
    static func bilinearBorder8(_ s: UnsafeBufferPointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>, _ g: AffineWarpGeometry,
                                _ sx: Int, _ sy: Int, _ fx: Int, _ fy: Int, _ fill: [UInt8]) {
        let cn = g.cn, sw = g.sw, sh = g.sh, stride = sw * cn
        if g.mode == .constant && (sx >= sw || sx + 1 < 0 || sy >= sh || sy + 1 < 0) {
            for k in 0..<cn { out[k] = fill[k] }
            return
        }
        let ax = 32 - fx, ay = 32 - fy
        let x0 = g.mode.index(sx, sw), x1 = g.mode.index(sx + 1, sw)
        let y0 = g.mode.index(sy, sh), y1 = g.mode.index(sy + 1, sh)
        let w0 = ay * ax * 32, w1 = ay * fx * 32, w2 = fy * ax * 32, w3 = fy * fx * 32
        for k in 0..<cn {
            let c = Int(fill[k])
            let v0 = (y0 != nil && x0 != nil) ? Int(s[y0! * stride + x0! * cn + k]) : c
            let v1 = (y0 != nil && x1 != nil) ? Int(s[y0! * stride + x1! * cn + k]) : c
            let v2 = (y1 != nil && x0 != nil) ? Int(s[y1! * stride + x0! * cn + k]) : c
            let v3 = (y1 != nil && x1 != nil) ? Int(s[y1! * stride + x1! * cn + k]) : c
            out[k] = UInt8(clamping: (v0 * w0 + v1 * w1 + v2 * w2 + v3 * w3 + (1 << 14)) >> 15)
        }
    }

    static func bilinear16(_ s: UnsafeBufferPointer<UInt16>, _ d: UnsafeMutableBufferPointer<UInt16>,
                           _ g: AffineWarpGeometry, _ grid: AffineSampleGrid, _ fill: [UInt16]) {
        forEachSample(g, grid, subpixel: true) { o, sx, sy, fx, fy in
            bilinearPixel16(s, d, o, g, sx, sy, fx, fy, fill)
        }
    }

    /// One output pixel of the 16-bit bilinear warp (also ElasticKernel's remap):
    /// source top-left (sx, sy), sub-pixel (fx, fy) in 32nds, border by `g.mode`.
    @inline(__always)
    static func bilinearPixel16(_ s: UnsafeBufferPointer<UInt16>, _ d: UnsafeMutableBufferPointer<UInt16>, _ o: Int,
                                _ g: AffineWarpGeometry, _ sx: Int, _ sy: Int, _ fx: Int, _ fy: Int, _ fill: [UInt16]) {
        let cn = g.cn, sw = g.sw, sh = g.sh, stride = sw * cn
        if g.mode == .constant && (sx >= sw || sx + 1 < 0 || sy >= sh || sy + 1 < 0) {
            for k in 0..<cn { d[o + k] = fill[k] }
            return
        }
        // OpenCV's float table: products of (1 − f/32, f/32), exact in float.
        let tx0 = 1 - Float(fx) / 32, tx1 = Float(fx) / 32
        let ty0 = 1 - Float(fy) / 32, ty1 = Float(fy) / 32
        let w0 = ty0 * tx0, w1 = ty0 * tx1, w2 = ty1 * tx0, w3 = ty1 * tx1
        let x0 = g.mode.index(sx, sw), x1 = g.mode.index(sx + 1, sw)
        let y0 = g.mode.index(sy, sh), y1 = g.mode.index(sy + 1, sh)
        for k in 0..<cn {
            let c = Float(fill[k])
            let v0 = (y0 != nil && x0 != nil) ? Float(s[y0! * stride + x0! * cn + k]) : c
            let v1 = (y0 != nil && x1 != nil) ? Float(s[y0! * stride + x1! * cn + k]) : c
            let v2 = (y1 != nil && x0 != nil) ? Float(s[y1! * stride + x0! * cn + k]) : c
            let v3 = (y1 != nil && x1 != nil) ? Float(s[y1! * stride + x1! * cn + k]) : c
            d[o + k] = saturate16(v0 * w0 + v1 * w1 + v2 * w2 + v3 * w3)
        }
    }

    @inline(__always)
    static func saturate16(_ v: Float) -> UInt16 {
        let r = v.rounded(.toNearestOrEven)
        return r <= 0 ? 0 : (r >= 65535 ? 65535 : UInt16(r))
    }

    // MARK: bicubic

    /// One output pixel of the 8-bit bicubic warp whose 4x4 neighbourhood
    /// (top-left at `p`) lies inside: `(Σ v·w + 2^14) >> 15`, saturated, per channel.
    @inline(__always)
    static func bicubicPixel8(_ p: UnsafePointer<UInt8>, _ cn: Int, _ stride: Int, _ w: UnsafePointer<Int32>,
                              _ out: UnsafeMutablePointer<UInt8>) {
        for k in 0..<cn {
            var sum: Int32 = 0
            var r = p + k
            for i in 0..<4 {
                sum &+= Int32(r[0]) &* w[4 * i] &+ Int32(r[cn]) &* w[4 * i + 1]
                    &+ Int32(r[2 * cn]) &* w[4 * i + 2] &+ Int32(r[3 * cn]) &* w[4 * i + 3]
                r += stride
            }
            out[k] = UInt8(clamping: (sum &+ (1 << 14)) >> 15)
        }
    }

    /// The per-pixel 8-bit bicubic warp: any channel count, the reference
    /// `bicubic8` (WarpAffineBicubic8.swift) matches.
    static func bicubic8PerPixel(_ s: UnsafeBufferPointer<UInt8>, _ d: UnsafeMutableBufferPointer<UInt8>,
                                 _ g: AffineWarpGeometry, _ grid: AffineSampleGrid, _ fill: [UInt8]) {
        let sw = g.sw, stride = sw * g.cn
        let innerW = UInt(max(sw - 3, 0)), innerH = UInt(max(g.sh - 3, 0))
        let sp = s.baseAddress!, dp = d.baseAddress!
        AffineBicubicTable.fixed.withUnsafeBufferPointer { table in
            let tab = table.baseAddress!
            byChannels(g.cn) { cn in
                forEachSample(g, grid, subpixel: true) { o, sx1, sy1, fx, fy in
                    let sx = sx1 - 1, sy = sy1 - 1
                    let w = tab + (fy * 32 + fx) * 16
                    if UInt(bitPattern: sx) < innerW && UInt(bitPattern: sy) < innerH {
                        bicubicPixel8(sp + sy * stride + sx * cn, cn, stride, w, dp + o)
                    } else {
                        bicubicBorder8(s, dp + o, g, sx, sy, w, fill)
                    }
                }
            }
        }
    }

    @inline(never)
    static func bicubicBorder8(_ s: UnsafeBufferPointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>, _ g: AffineWarpGeometry,
                               _ sx: Int, _ sy: Int, _ w: UnsafePointer<Int32>, _ fill: [UInt8]) {
        let cn = g.cn, sw = g.sw, sh = g.sh, stride = sw * cn
        if g.mode == .constant && (sx >= sw || sx + 4 <= 0 || sy >= sh || sy + 4 <= 0) {
            for k in 0..<cn { out[k] = fill[k] }
            return
        }
        // Source columns in lanes 0...3, rows in 4...7; −1 where the border mode has none.
        var at = SIMD8<Int>(repeating: -1)
        for j in 0..<4 {
            at[j] = g.mode.index(sx + j, sw) ?? -1
            at[4 + j] = g.mode.index(sy + j, sh) ?? -1
        }
        for k in 0..<cn {
            let c = Int32(fill[k])
            var sum = c &* 32768
            for i in 0..<4 {
                let yi = at[4 + i]
                if yi < 0 { continue }
                for j in 0..<4 {
                    let xj = at[j]
                    if xj < 0 { continue }
                    sum &+= (Int32(s[yi * stride + xj * cn + k]) &- c) &* w[4 * i + j]
                }
            }
            out[k] = UInt8(clamping: (sum &+ (1 << 14)) >> 15)
        }
    }

    static func bicubic16(_ s: UnsafeBufferPointer<UInt16>, _ d: UnsafeMutableBufferPointer<UInt16>,
                          _ g: AffineWarpGeometry, _ grid: AffineSampleGrid, _ fill: [UInt16]) {
        AffineBicubicTable.float.withUnsafeBufferPointer { tab in
            forEachSample(g, grid, subpixel: true) { o, sx1, sy1, fx, fy in
                bicubicPixel16(s, d, o, g, sx1 - 1, sy1 - 1, (fy * 32 + fx) * 16, tab, fill)
            }
        }
    }

    /// One output pixel of the 16-bit bicubic warp (also ElasticKernel's remap):
    /// 4x4 neighbourhood from (sx, sy), weights at `tab[w...]`, border by `g.mode`.
    @inline(__always)
    static func bicubicPixel16(_ s: UnsafeBufferPointer<UInt16>, _ d: UnsafeMutableBufferPointer<UInt16>, _ o: Int,
                               _ g: AffineWarpGeometry, _ sx: Int, _ sy: Int, _ w: Int, _ tab: UnsafeBufferPointer<Float>,
                               _ fill: [UInt16]) {
        let cn = g.cn, sw = g.sw, sh = g.sh, stride = sw * cn
        if UInt(bitPattern: sx) < UInt(max(sw - 3, 0)) && UInt(bitPattern: sy) < UInt(max(sh - 3, 0)) {
            let p = sy * stride + sx * cn
            for k in 0..<cn {
                var sum: Float = 0
                var r = p + k
                for i in 0..<4 {
                    let part = Float(s[r]) * tab[w + 4 * i] + Float(s[r + cn]) * tab[w + 4 * i + 1]
                        + Float(s[r + 2 * cn]) * tab[w + 4 * i + 2] + Float(s[r + 3 * cn]) * tab[w + 4 * i + 3]
                    sum = i == 0 ? part : sum + part
                    r += stride
                }
                d[o + k] = saturate16(sum)
            }
            return
        }
        if g.mode == .constant && (sx >= sw || sx + 4 <= 0 || sy >= sh || sy + 4 <= 0) {
            for k in 0..<cn { d[o + k] = fill[k] }
            return
        }
        let xs = (0..<4).map { g.mode.index(sx + $0, sw) }
        let ys = (0..<4).map { g.mode.index(sy + $0, sh) }
        for k in 0..<cn {
            let c = Float(fill[k])
            var sum = c
            for i in 0..<4 {
                guard let yi = ys[i] else { continue }
                for j in 0..<4 {
                    guard let xj = xs[j] else { continue }
                    sum += (Float(s[yi * stride + xj * cn + k]) - c) * tab[w + 4 * i + j]
                }
            }
            d[o + k] = saturate16(sum)
        }
    }
}

/// OpenCV's 32x32 bicubic weight tables (initInterTab2D): 16 weights per
/// sub-pixel position, float products of the 1-D a = −0.75 kernel; the
/// fixed-point table rounds them to 15 bits and corrects the sum to 2^15.
enum AffineBicubicTable {
    static let float: [Float] = build().float
    static let fixed: [Int32] = build().fixed
    /// `fixed` plus `fixedBias` as UInt16 (every weight lies in −8192...57343;
    /// building traps otherwise): half the bytes, for the vector path's cache.
    static let fixedBiased: [UInt16] = fixed.map { UInt16(Int($0) + Int(fixedBias)) }
    static let fixedBias: Int32 = 8192

    static func build() -> (float: [Float], fixed: [Int32]) {
        var tab1D = [Float](repeating: 0, count: 32 * 4)
        for i in 0..<32 {
            let c = cubic(Float(i) * (1 / 32))
            tab1D[4 * i] = c.0; tab1D[4 * i + 1] = c.1; tab1D[4 * i + 2] = c.2; tab1D[4 * i + 3] = c.3
        }
        var ftab = [Float](repeating: 0, count: 1024 * 16)
        var itab = [Int32](repeating: 0, count: 1024 * 16)
        for i in 0..<32 {
            for j in 0..<32 {
                let base = (i * 32 + j) * 16
                var isum: Int32 = 0
                for k1 in 0..<4 {
                    let vy = tab1D[i * 4 + k1]
                    for k2 in 0..<4 {
                        let v = vy * tab1D[j * 4 + k2]
                        ftab[base + k1 * 4 + k2] = v
                        let iv = Int32((v * 32768).rounded(.toNearestOrEven))
                        itab[base + k1 * 4 + k2] = iv
                        isum += iv
                    }
                }
                if isum != 32768 {
                    let diff = isum - 32768
                    var mk1 = 2, mk2 = 2, bk1 = 2, bk2 = 2
                    for k1 in 2..<4 {
                        for k2 in 2..<4 {
                            if itab[base + k1 * 4 + k2] < itab[base + mk1 * 4 + mk2] {
                                mk1 = k1; mk2 = k2
                            } else if itab[base + k1 * 4 + k2] > itab[base + bk1 * 4 + bk2] {
                                bk1 = k1; bk2 = k2
                            }
                        }
                    }
                    if diff < 0 {
                        itab[base + bk1 * 4 + bk2] -= diff
                    } else {
                        itab[base + mk1 * 4 + mk2] -= diff
                    }
                }
            }
        }
        return (ftab, itab)
    }

    @inline(__always)
    static func cubic(_ x: Float) -> (Float, Float, Float, Float) {
        let a: Float = -0.75
        let c0 = ((a * (x + 1) - 5 * a) * (x + 1) + 8 * a) * (x + 1) - 4 * a
        let c1 = ((a + 2) * x - (a + 3)) * x * x + 1
        let c2 = ((a + 2) * (1 - x) - (a + 3)) * (1 - x) * (1 - x) + 1
        return (c0, c1, c2, 1 - c0 - c1 - c2)
    }
}
