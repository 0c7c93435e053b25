import XCTest
import MedAugImage
@testable import MedAugAugment

/// The pointer and SIMD paths of warpPerspective's and the elastic remap's
/// coordinate maps, the channel-specialised fixed-point remap and the
/// allocation-free keypoint median against the straightforward per-pixel code
/// they replaced (kept below as the reference): the outputs must be the same
/// bits, since they reproduce OpenCV and imgaug exactly.
final class WarpExactnessTests: XCTestCase {
    /// A deterministic stream (SplitMix64).
    struct Stream {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * Double(next() >> 11) / Double(1 << 53) }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    // MARK: References (the code before the pointer versions)

    static func referencePerspectiveMaps(_ M: [Double], width: Int, height: Int, scale: Double) -> ([Int32], [Int32]) {
        var xs = [Int32](repeating: 0, count: width * height), ys = xs
        let bh0 = min(16, height)
        let bw0 = min(32 * 32 / bh0, width)
        for y in 0..<height {
            var x = 0
            while x < width {
                let bw = min(bw0, width - x)
                let X0 = M[0] * Double(x) + M[1] * Double(y) + M[2]
                let Y0 = M[3] * Double(x) + M[4] * Double(y) + M[5]
                let W0 = M[6] * Double(x) + M[7] * Double(y) + M[8]
                for x1 in 0..<bw {
                    var W = W0 + M[6] * Double(x1)
                    W = W != 0 ? scale / W : 0
                    let fX = max(-2147483648, min(2147483647, (X0 + M[0] * Double(x1)) * W))
                    let fY = max(-2147483648, min(2147483647, (Y0 + M[3] * Double(x1)) * W))
                    let i = y * width + x + x1
                    xs[i] = AffineSampleGrid.cvRound(fX)
                    ys[i] = AffineSampleGrid.cvRound(fY)
                }
                x += bw
            }
        }
        return (xs, ys)
    }

    static func referenceElasticMaps(dx: [Float], dy: [Float], w: Int, h: Int, nearest: Bool) -> ([Int32], [Int32]) {
        var xs = [Int32](repeating: 0, count: w * h), ys = xs
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                let fx = Float(x) + (-1) * dx[i], fy = Float(y) + (-1) * dy[i]
                if nearest {
                    xs[i] = FixedPointRemap.cvRound(fx); ys[i] = FixedPointRemap.cvRound(fy)
                } else {
                    xs[i] = FixedPointRemap.cvRound(fx * 32); ys[i] = FixedPointRemap.cvRound(fy * 32)
                }
            }
        }
        return (xs, ys)
    }

    static func referenceRemap(_ image: Image, width: Int, height: Int, xs: [Int32], ys: [Int32],
                               order: AffineOrder, mode: BorderMode, cval: [Int]) -> Image {
        let cn = image.channels
        let g = AffineWarpGeometry(sw: image.width, sh: image.height, cn: cn, dw: width, dh: height, mode: mode)
        func nearest<T>(_ s: UnsafeBufferPointer<T>, _ d: UnsafeMutableBufferPointer<T>, _ fill: [T]) {
            let stride = g.sw * cn
            for i in 0..<(g.dw * g.dh) {
                let o = i * cn
                let sx = affineClampShort(xs[i]), sy = affineClampShort(ys[i])
                if let ix = g.mode.index(sx, g.sw), let iy = g.mode.index(sy, g.sh) {
                    for k in 0..<cn { d[o + k] = s[iy * stride + ix * cn + k] }
                } else {
                    for k in 0..<cn { d[o + k] = fill[k] }
                }
            }
        }
        switch image.pixels {
        case .u8(let src):
            let fill = (0..<cn).map { UInt8(clamping: $0 < cval.count ? cval[$0] : 0) }
            var out = [UInt8](repeating: 0, count: width * height * cn)
            src.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { d in
                    if order == .nearest { return nearest(s, d, fill) }
                    let sw = g.sw, sh = g.sh, stride = sw * cn
                    let sp = s.baseAddress!, dp = d.baseAddress!
                    AffineBicubicTable.fixed.withUnsafeBufferPointer { table in
                        let tab = table.baseAddress!
                        for i in 0..<(g.dw * g.dh) {
                            let o = i * cn
                            if order == .linear {
                                let sx = affineClampShort(xs[i] >> 5), sy = affineClampShort(ys[i] >> 5)
                                let fx = Int(xs[i] & 31), fy = Int(ys[i] & 31)
                                if UInt(bitPattern: sx) < UInt(max(sw - 1, 0)) && UInt(bitPattern: sy) < UInt(max(sh - 1, 0)) {
                                    let p = sy * stride + sx * cn, q = p + stride
                                    let ax = 32 - fx, ay = 32 - fy
                                    let w0 = ay * ax, w1 = ay * fx, w2 = fy * ax, w3 = fy * fx
                                    for k in 0..<cn {
                                        let v = Int(sp[p + k]) * w0 + Int(sp[p + cn + k]) * w1 + Int(sp[q + k]) * w2 + Int(sp[q + cn + k]) * w3
                                        dp[o + k] = UInt8(truncatingIfNeeded: (v + 512) >> 10)
                                    }
                                } else {
                                    WarpAffine.bilinearBorder8(s, dp + o, g, sx, sy, fx, fy, fill)
                                }
                            } else {
                                let sx = affineClampShort(xs[i] >> 5) - 1, sy = affineClampShort(ys[i] >> 5) - 1
                                let w = tab + (Int(ys[i] & 31) * 32 + Int(xs[i] & 31)) * 16
                                if UInt(bitPattern: sx) < UInt(max(sw - 3, 0)) && UInt(bitPattern: sy) < UInt(max(sh - 3, 0)) {
                                    WarpAffine.bicubicPixel8(sp + sy * stride + sx * cn, cn, stride, w, dp + o)
                                } else {
                                    WarpAffine.bicubicBorder8(s, dp + o, g, sx, sy, w, fill)
                                }
                            }
                        }
                    }
                }
            }
            return Image(width: width, height: height, channels: cn, pixels: .u8(out))
        case .u16(let src):
            let fill = (0..<cn).map { UInt16(clamping: $0 < cval.count ? cval[$0] : 0) }
            var out = [UInt16](repeating: 0, count: width * height * cn)
            src.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { d in
                    if order == .nearest { return nearest(s, d, fill) }
                    AffineBicubicTable.float.withUnsafeBufferPointer { tab in
                        for i in 0..<(g.dw * g.dh) {
                            let o = i * cn
                            if order == .linear {
                                WarpAffine.bilinearPixel16(s, d, o, g, affineClampShort(xs[i] >> 5), affineClampShort(ys[i] >> 5),
                                                           Int(xs[i] & 31), Int(ys[i] & 31), fill)
                            } else {
                                WarpAffine.bicubicPixel16(s, d, o, g, affineClampShort(xs[i] >> 5) - 1, affineClampShort(ys[i] >> 5) - 1,
                                                          (Int(ys[i] & 31) * 32 + Int(xs[i] & 31)) * 16, tab, fill)
                            }
                        }
                    }
                }
            }
            return Image(width: width, height: height, channels: cn, pixels: .u16(out))
        }
    }

    static func referenceNeighbourhood(_ p: Keypoint, steps: Int, stepSize: Double) -> [(x: Float, y: Float)] {
        func linspace(_ start: Double, _ stop: Double, _ num: Int) -> [Double] {
            let step = (stop - start) / Double(num - 1)
            return (0..<num).map { $0 == num - 1 ? stop : (step == 0 ? Double($0) / Double(num - 1) * (stop - start)
                                                                      : Double($0) * step) + start }
        }
        var out: [(x: Float, y: Float)] = []
        var width = 1
        for (i, y) in linspace(p.y - Double(steps) * stepSize, p.y + Double(steps) * stepSize, 2 * steps + 1).enumerated() {
            let half = Double((width - 1) / 2) * stepSize
            let xs = width == 1 ? [p.x] : linspace(p.x - half, p.x + half, width)
            for x in xs { out.append((Float(x), Float(y))) }
            width += i < steps ? 2 : -2
        }
        return out
    }

    static func referencePairwiseSum(_ a: [Double]) -> Double {
        if a.count < 8 { return a.reduce(0, +) }
        if a.count <= 128 {
            var r = Array(a[0..<8])
            var i = 8
            while i + 8 <= a.count {
                for k in 0..<8 { r[k] += a[i + k] }
                i += 8
            }
            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while i < a.count { res += a[i]; i += 1 }
            return res
        }
        let half = (a.count / 2) / 8 * 8
        return referencePairwiseSum(Array(a[..<half])) + referencePairwiseSum(Array(a[half...]))
    }

    static func referenceMedian(_ points: [(x: Float, y: Float)], eps: Double = 1e-5) -> (x: Double, y: Double) {
        let n = points.count
        guard n > 0 else { return (0, 0) }
        var sx: Float = 0, sy: Float = 0
        for p in points { sx += p.x; sy += p.y }
        var y = (x: Double(sx / Float(n)), y: Double(sy / Float(n)))
        for _ in 0..<10_000 {
            var inv: [Double] = [], kept: [(x: Double, y: Double)] = []
            for p in points {
                let ddx = Double(p.x) - y.x, ddy = Double(p.y) - y.y
                let d = (ddx * ddx + ddy * ddy).squareRoot()
                if d != 0 { inv.append(1 / d); kept.append((Double(p.x), Double(p.y))) }
            }
            let zeros = n - kept.count
            if zeros == n { return y }
            let total = referencePairwiseSum(inv)
            var t = (x: 0.0, y: 0.0)
            for (w, p) in zip(inv, kept) {
                let wn = w / total
                t.x += wn * p.x
                t.y += wn * p.y
            }
            let next: (x: Double, y: Double)
            if zeros == 0 {
                next = t
            } else {
                let rx = (t.x - y.x) * total, ry = (t.y - y.y) * total
                let r = (rx * rx + ry * ry).squareRoot()
                let rinv = r == 0 ? 0 : Double(zeros) / r
                next = (max(0, 1 - rinv) * t.x + min(1, rinv) * y.x, max(0, 1 - rinv) * t.y + min(1, rinv) * y.y)
            }
            let sx = y.x - next.x, sy = y.y - next.y
            if (sx * sx + sy * sy).squareRoot() < eps { return next }
            y = next
        }
        return y
    }

    static func referenceMovedKeypoints(_ points: [Keypoint], dx: [Float], dy: [Float], w: Int, h: Int) -> [Keypoint] {
        points.map { p in
            guard p.isInside(width: w, height: h) else { return p }
            var moved: [(x: Float, y: Float)] = []
            for q in referenceNeighbourhood(p, steps: 3, stepSize: 1) {
                let fx = q.x.rounded(.toNearestOrEven), fy = q.y.rounded(.toNearestOrEven)
                guard fx >= 0, fx < Float(w), fy >= 0, fy < Float(h) else { continue }
                let x = Int(fx), y = Int(fy)
                moved.append((Float(x) + dx[y * w + x], Float(y) + dy[y * w + x]))
            }
            let m = referenceMedian(moved)
            return Keypoint(x: m.x, y: m.y)
        }
    }

    // MARK: Helpers

    static func randomImage(_ r: inout Stream, width: Int, height: Int, channels: Int, deep: Bool) -> Image {
        let n = width * height * channels
        if deep {
            return Image(width: width, height: height, channels: channels,
                         pixels: .u16((0..<n).map { _ in UInt16(truncatingIfNeeded: r.next()) }))
        }
        return Image(width: width, height: height, channels: channels,
                     pixels: .u8((0..<n).map { _ in UInt8(truncatingIfNeeded: r.next()) }))
    }

    /// A homography of the kinds warps meet: near the identity, strong
    /// perspective, singular, with a vanishing third row on the image, huge or
    /// not finite.
    static func randomMatrix(_ r: inout Stream, width: Int, height: Int) -> [Double] {
        switch r.int(8) {
        case 0:
            return [1 + r.uniform(-0.2, 0.2), r.uniform(-0.2, 0.2), r.uniform(-10, 10),
                    r.uniform(-0.2, 0.2), 1 + r.uniform(-0.2, 0.2), r.uniform(-10, 10),
                    r.uniform(-1e-3, 1e-3), r.uniform(-1e-3, 1e-3), 1]
        case 1:
            return (0..<9).map { _ in r.uniform(-2, 2) }
        case 2:
            // The third row passes through zero inside the output.
            let x0 = r.uniform(0, Double(width)), y0 = r.uniform(0, Double(height))
            let a = r.uniform(-0.05, 0.05), b = r.uniform(-0.05, 0.05)
            return [r.uniform(-2, 2), r.uniform(-2, 2), r.uniform(-50, 50), r.uniform(-2, 2), r.uniform(-2, 2),
                    r.uniform(-50, 50), a, b, -(a * x0.rounded() + b * y0.rounded())]
        case 3:
            return [0, 0, 0, 0, 0, 0, 0, 0, 0]
        case 4:
            return (0..<9).map { _ in r.uniform(-1e12, 1e12) }
        case 5:
            var m = (0..<9).map { _ in r.uniform(-2, 2) }
            m[r.int(9)] = [Double.nan, .infinity, -.infinity][r.int(3)]
            return m
        case 6:
            // Whole-pixel translations: ties at exactly .5 after scaling.
            return [1, 0, Double(r.int(21) - 10) + 0.5, 0, 1, Double(r.int(21) - 10) - 0.5, 0, 0, 1]
        default:
            return [r.uniform(0.5, 3), 0, r.uniform(-100, 100), 0, r.uniform(0.5, 3), r.uniform(-100, 100),
                    r.uniform(-1e-2, 1e-2), r.uniform(-1e-2, 1e-2), r.uniform(0.5, 2)]
        }
    }

    static let sizes = [(1, 1), (2, 1), (1, 3), (3, 5), (4, 4), (5, 2), (7, 9), (31, 17), (33, 16), (63, 40), (65, 3), (130, 20)]

    // MARK: Tests

    func testPerspectiveMapsMatchTheScalarCode() {
        var r = Stream(state: 11)
        for trial in 0..<400 {
            let (w, h) = WarpExactnessTests.sizes[trial % WarpExactnessTests.sizes.count]
            let M = WarpExactnessTests.randomMatrix(&r, width: w, height: h)
            for subpixel in [true, false] {
                let ref = WarpExactnessTests.referencePerspectiveMaps(M, width: w, height: h, scale: subpixel ? 32 : 1)
                let got = PerspectiveKernel.coordinateMaps(inverse: M, width: w, height: h, subpixel: subpixel)
                XCTAssertEqual(got.xs, ref.0, "trial \(trial) \(w)x\(h) \(M) subpixel \(subpixel)")
                XCTAssertEqual(got.ys, ref.1, "trial \(trial) \(w)x\(h) \(M) subpixel \(subpixel)")
            }
        }
    }

    func testElasticMapsMatchTheScalarCode() {
        var r = Stream(state: 12)
        for trial in 0..<300 {
            let (w, h) = WarpExactnessTests.sizes[trial % WarpExactnessTests.sizes.count]
            let scale = [0.3, 4, 100, 1e5, 2e6, 1e9, 1e38][r.int(7)]
            var dx = (0..<(w * h)).map { _ in Float(r.uniform(-scale, scale)) }
            var dy = (0..<(w * h)).map { _ in Float(r.uniform(-scale, scale)) }
            if trial % 5 == 0 {
                dx[r.int(w * h)] = [Float.nan, .infinity, -.infinity][r.int(3)]
                dy[r.int(w * h)] = [Float.nan, .infinity, -.infinity][r.int(3)]
            }
            if trial % 7 == 0 {
                // Ties: halves and 1/64ths round half to even.
                dx = dx.map { ($0 * 64).rounded() / 64 }
                dy = dy.map { ($0 * 2).rounded() / 2 }
            }
            for nearest in [false, true] {
                let ref = WarpExactnessTests.referenceElasticMaps(dx: dx, dy: dy, w: w, h: h, nearest: nearest)
                let got = ElasticKernel.coordinateMaps(dx: dx, dy: dy, width: w, height: h, subpixel: !nearest)
                XCTAssertEqual(got.xs, ref.0, "trial \(trial) \(w)x\(h) scale \(scale) nearest \(nearest)")
                XCTAssertEqual(got.ys, ref.1, "trial \(trial) \(w)x\(h) scale \(scale) nearest \(nearest)")
            }
        }
    }

    func testRemapMatchesTheGeneralCode() {
        var r = Stream(state: 13)
        let modes: [BorderMode] = [.constant, .edge, .reflect, .wrap]
        for trial in 0..<500 {
            let (sw, sh) = WarpExactnessTests.sizes[r.int(WarpExactnessTests.sizes.count)]
            let (dw, dh) = WarpExactnessTests.sizes[r.int(WarpExactnessTests.sizes.count)]
            let cn = [1, 1, 3, 3, 4, 2][r.int(6)]
            let deep = r.int(6) == 0
            let image = WarpExactnessTests.randomImage(&r, width: sw, height: sh, channels: cn, deep: deep)
            let order: AffineOrder = [.linear, .linear, .nearest, .cubic][r.int(4)]
            let mode = modes[r.int(4)]
            let cval = (0..<cn).map { _ in r.int(300) - 20 }
            // Positions mostly around the source, some far off or extreme.
            let unit = order == .nearest ? 1 : 32
            let xs = (0..<(dw * dh)).map { _ -> Int32 in
                switch r.int(20) {
                case 0: return [Int32.min, Int32.max, -40000 * 32, 40000 * 32][r.int(4)]
                case 1: return Int32(r.int(2000) - 1000) * Int32(unit)
                default: return Int32(r.int((sw + 4) * unit) - 2 * unit)
                }
            }
            let ys = (0..<(dw * dh)).map { _ -> Int32 in
                r.int(20) == 0 ? Int32(r.int(2000) - 1000) * Int32(unit) : Int32(r.int((sh + 4) * unit) - 2 * unit)
            }
            let ref = WarpExactnessTests.referenceRemap(image, width: dw, height: dh, xs: xs, ys: ys, order: order, mode: mode, cval: cval)
            let got = FixedPointRemap.apply(image, width: dw, height: dh, xs: xs, ys: ys, order: order, mode: mode, cval: cval)
            XCTAssertEqual(got, ref, "trial \(trial): \(sw)x\(sh)x\(cn) deep \(deep) to \(dw)x\(dh) \(order) \(mode)")
        }
    }

    func testWarpsMatchThePerPixelCodeEndToEnd() {
        var r = Stream(state: 14)
        for trial in 0..<150 {
            let (w, h) = WarpExactnessTests.sizes[r.int(WarpExactnessTests.sizes.count)]
            let cn = [1, 3, 4][r.int(3)]
            let image = WarpExactnessTests.randomImage(&r, width: w, height: h, channels: cn, deep: r.int(5) == 0)
            let M = WarpExactnessTests.randomMatrix(&r, width: w, height: h)
            let (ow, oh) = WarpExactnessTests.sizes[r.int(WarpExactnessTests.sizes.count)]
            let mode: BorderMode = r.int(2) == 0 ? .constant : .edge
            for order in [AffineOrder.linear, .nearest] {
                let matrix = PerspectiveMatrix(M).inverted
                let maps = WarpExactnessTests.referencePerspectiveMaps(matrix.inverted.m, width: ow, height: oh,
                                                                        scale: order == .nearest ? 1 : 32)
                let ref = WarpExactnessTests.referenceRemap(image, width: ow, height: oh, xs: maps.0, ys: maps.1,
                                                            order: order, mode: mode, cval: [7, 200, 13, 99])
                let got = PerspectiveKernel.warp(image, matrix: matrix, width: ow, height: oh, mode: mode,
                                                 cval: [7, 200, 13, 99], order: order)
                XCTAssertEqual(got, ref, "perspective trial \(trial) \(order)")
            }
            let dx = (0..<(w * h)).map { _ in Float(r.uniform(-6, 6)) }, dy = (0..<(w * h)).map { _ in Float(r.uniform(-6, 6)) }
            for order in 0...5 {
                let interp = ElasticKernel.interpolation(order: order)
                let maps = WarpExactnessTests.referenceElasticMaps(dx: dx, dy: dy, w: w, h: h, nearest: interp == .nearest)
                let fill = (0..<cn).map { $0 % 4 == 3 ? 0 : 77 }
                let ref = WarpExactnessTests.referenceRemap(image, width: w, height: h, xs: maps.0, ys: maps.1,
                                                            order: interp, mode: mode, cval: fill)
                XCTAssertEqual(ElasticKernel.remap(image, dx: dx, dy: dy, order: order, mode: mode, cval: 77), ref,
                               "elastic trial \(trial) order \(order)")
            }
        }
    }

    /// Masks and heatmaps that share the image's maps come out as warped on their own.
    func testSharedMapsGiveTheSeparateWarps() {
        var r = Stream(state: 15)
        for trial in 0..<40 {
            let (w, h) = [(31, 17), (64, 48), (7, 9), (130, 20)][trial % 4]
            let image = WarpExactnessTests.randomImage(&r, width: w, height: h, channels: 3, deep: false)
            let mask = WarpExactnessTests.randomImage(&r, width: w, height: h, channels: 1, deep: false)
            let heat = WarpExactnessTests.randomImage(&r, width: w, height: h, channels: 1, deep: true)
            var targets = ImageTargets()
            targets.masks = [mask, mask]
            targets.heatmaps = [Heatmap(channels16: [heat])]
            let sample = AnnotatedImage(image, targets: targets)
            let jitter = (0..<8).map { _ in Double(Float(r.uniform(-0.1, 0.1))) }
            for fit in [false, true] {
                let keep = trial % 2 == 0
                // fit_output can enlarge a strong perspective enormously.
                let size = PerspectiveKernel.transform(corners: PerspectiveKernel.corners(jitter: jitter, width: w, height: h),
                                                       width: w, height: h, fitOutput: fit)
                if size.width * size.height > 100_000 { continue }
                let out = PerspectiveKernel.apply(sample, jitter: jitter, mode: .constant, cval: [1, 2, 3], keepSize: keep, fitOutput: fit)
                XCTAssertEqual(out.image, PerspectiveKernel.apply(image, jitter: jitter, mode: .constant, cval: [1, 2, 3],
                                                                  keepSize: keep, fitOutput: fit))
                let (m, ow, oh) = PerspectiveKernel.transform(corners: PerspectiveKernel.corners(jitter: jitter, width: w, height: h),
                                                              width: w, height: h, fitOutput: fit)
                var expected = ImageTargets()
                expected.masks = [mask, mask].map {
                    PerspectiveKernel.warp($0, matrix: m, width: ow, height: oh, mode: .constant, cval: [0], order: .nearest)
                }
                expected.heatmaps = [Heatmap(channels16: [PerspectiveKernel.warp(heat, matrix: m, width: ow, height: oh,
                                                                                 mode: .constant, cval: [0], order: .linear)])]
                if keep { expected = expected.resized(fromWidth: ow, fromHeight: oh, toWidth: w, toHeight: h) }
                XCTAssertEqual(out.targets.masks, expected.masks, "trial \(trial) fit \(fit)")
                XCTAssertEqual(out.targets.heatmaps, expected.heatmaps, "trial \(trial) fit \(fit)")
            }
            let dx = (0..<(w * h)).map { _ in Float(r.uniform(-4, 4)) }, dy = (0..<(w * h)).map { _ in Float(r.uniform(-4, 4)) }
            for order in [0, 1, 3] {
                let out = ElasticKernel.apply(sample, dx: dx, dy: dy, alpha: 10, sigma: 3, order: order, mode: .reflect, cval: 9)
                XCTAssertEqual(out.image, ElasticKernel.remap(image, dx: dx, dy: dy, order: order, mode: .reflect, cval: 9))
                XCTAssertEqual(out.targets.masks[1], ElasticKernel.remap(mask, dx: dx, dy: dy, order: 0, mode: .constant, cval: 0))
                XCTAssertEqual(out.targets.heatmaps[0].channel16(0),
                               ElasticKernel.remap(heat, dx: dx, dy: dy, order: 3, mode: .constant, cval: 0))
            }
        }
    }

    func testKeypointMedianMatchesTheAllocatingCode() {
        var r = Stream(state: 16)
        for trial in 0..<200 {
            let (w, h) = [(1, 1), (3, 2), (9, 7), (40, 30), (130, 20)][trial % 5]
            let scale = [0.0, 0.5, 3, 40][r.int(4)]
            var dx = (0..<(w * h)).map { _ in Float(r.uniform(-scale, scale)) }
            let dy = (0..<(w * h)).map { _ in Float(r.uniform(-scale, scale)) }
            if trial % 3 == 0 { dx = dx.map { $0.rounded() } }  // coinciding points: the Vardi–Zhang step
            let points = (0..<12).map { i -> Keypoint in
                i % 4 == 0 ? Keypoint(x: Double(r.int(w)), y: Double(r.int(h)))
                    : Keypoint(x: r.uniform(-3, Double(w) + 3), y: r.uniform(-3, Double(h) + 3))
            }
            let ref = WarpExactnessTests.referenceMovedKeypoints(points, dx: dx, dy: dy, w: w, h: h)
            let got = ElasticKernel.movedKeypoints(points, dx: dx, dy: dy, width: w, height: h, alpha: 10, sigma: 3)
            XCTAssertEqual(got.map(\.x.bitPattern), ref.map(\.x.bitPattern), "trial \(trial)")
            XCTAssertEqual(got.map(\.y.bitPattern), ref.map(\.y.bitPattern), "trial \(trial)")
        }
        for n in [0, 1, 7, 8, 9, 16, 25, 129, 300] {
            let a = (0..<n).map { _ in r.uniform(0, 1) }
            XCTAssertEqual(ElasticKernel.pairwiseSum(a).bitPattern, WarpExactnessTests.referencePairwiseSum(a).bitPattern)
        }
        let p = Keypoint(x: 3.25, y: 7.5)
        let a = ElasticKernel.manhattanNeighbourhood(p, steps: 3, stepSize: 1)
        let b = WarpExactnessTests.referenceNeighbourhood(p, steps: 3, stepSize: 1)
        XCTAssertEqual(a.map(\.x), b.map(\.x))
        XCTAssertEqual(a.map(\.y), b.map(\.y))
    }
}
