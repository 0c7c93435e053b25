import MedAugImage

/// The pixel work of ``ElasticTransformation``, usable with chosen values:
/// imgaug's `_generate_shift_maps` (a uniform field smoothed by a Gaussian and
/// scaled by alpha) and its cv2 path of `_map_coordinates` (`cv2.convertMaps`
/// to CV_16SC2, then `cv2.remap`).
public enum ElasticKernel {
    /// imgaug's interpolation orders 0...5 as OpenCV flags: 0 nearest, 1 linear,
    /// 2...5 cubic (imgaug's `_MAPPING_ORDER_SCIPY_CV2`).
    public static func interpolation(order: Int) -> AffineOrder {
        order <= 0 ? .nearest : (order == 1 ? .linear : .cubic)
    }

    /// The padding imgaug puts around the field before smoothing: the Gaussian
    /// kernel size (`_compute_gaussian_blur_ksize`, made odd).
    public static func padding(sigma: Double) -> Int { GaussianBlurKernel.kernelSize(sigma: sigma) }

    /// The displacement fields from a raw field: `raw` holds `2·hp·wp` values in
    /// [-1, 1) (dx's `hp` rows, then dy's), hp = height + 2·pad, wp = width + 2·pad.
    /// Each half is blurred with `cv2.GaussianBlur(k, sigma, BORDER_REFLECT_101)` in
    /// float (nothing for sigma <= 1e-3), scaled by alpha, and cropped by pad.
    public static func shiftMaps(raw: [Float], width: Int, height: Int, alpha: Double, sigma: Double,
                                 pad: Int) -> (dx: [Float], dy: [Float]) {
        let hp = height + 2 * pad, wp = width + 2 * pad
        precondition(raw.count == 2 * hp * wp, "raw field has the wrong size")
        let blur = sigma > GaussianBlurKernel.epsilon
        let kernel = blur ? GaussianBlurKernel.weights(size: GaussianBlurKernel.kernelSize(sigma: sigma), sigma: sigma).map { Float($0) } : [1]
        func one(_ half: ArraySlice<Float>) -> [Float] {
            let field = blur ? gaussianFloat(Array(half), width: wp, height: hp, kernel: kernel) : Array(half)
            var out = [Float](repeating: 0, count: width * height)
            let a = Float(alpha)
            for y in 0..<height {
                for x in 0..<width { out[y * width + x] = field[(y + pad) * wp + x + pad] * a }
            }
            return out
        }
        return (one(raw[0..<(hp * wp)]), one(raw[(hp * wp)...]))
    }

    /// A separable float convolution with BORDER_REFLECT_101 (rows first, as OpenCV).
    /// Each output sums its taps in kernel order; the loops run over x inside so
    /// that they vectorise.
    static func gaussianFloat(_ src: [Float], width w: Int, height h: Int, kernel: [Float]) -> [Float] {
        let n = kernel.count, r = n / 2
        let mode = BorderMode.reflect
        var tmp = [Float](repeating: 0, count: w * h)
        var padded = [Float](repeating: 0, count: w + 2 * r)
        let xs = (-r..<(w + r)).map { mode.index($0, w)! }
        src.withUnsafeBufferPointer { sp in
            tmp.withUnsafeMutableBufferPointer { tp in
                padded.withUnsafeMutableBufferPointer { pp in
                    for y in 0..<h {
                        let row = sp.baseAddress! + y * w
                        for i in 0..<(w + 2 * r) { pp[i] = row[xs[i]] }
                        let out = tp.baseAddress! + y * w
                        for x in 0..<w { out[x] = pp[x] * kernel[0] }
                        for k in 1..<max(n, 1) {
                            let kk = kernel[k], p = pp.baseAddress! + k
                            for x in 0..<w { out[x] += p[x] * kk }
                        }
                    }
                }
            }
        }
        let ys = (-r..<(h + r)).map { mode.index($0, h)! }
        var out = [Float](repeating: 0, count: w * h)
        tmp.withUnsafeBufferPointer { tp in
            out.withUnsafeMutableBufferPointer { op in
                for y in 0..<h {
                    let o = op.baseAddress! + y * w
                    let first = tp.baseAddress! + ys[y] * w
                    for x in 0..<w { o[x] = first[x] * kernel[0] }
                    for k in 1..<max(n, 1) {
                        let kk = kernel[k], p = tp.baseAddress! + ys[y + k] * w
                        for x in 0..<w { o[x] += p[x] * kk }
                    }
                }
            }
        }
        return out
    }

    /// Moves every pixel by (dx, dy) (row-major, one value per pixel): the output
    /// at (x, y) samples the input at (x − dx, y − dy), as imgaug's cv2 path:
    /// positions in float32, rounded to 1/32 pixel (or to whole pixels for
    /// order 0), interpolated as cv2.remap does with `order`'s flag. `cval` fills
    /// the first three channels in constant mode; a fourth channel gets 0
    /// (imgaug passes `borderValue=(cval, cval, cval)`), also per group of four
    /// channels beyond four.
    public static func remap(_ image: Image, dx: [Float], dy: [Float], order: Int, mode: BorderMode, cval: Int) -> Image {
        var cache = mapCache(dx: dx, dy: dy, width: image.width, height: image.height)
        return remap(image, maps: &cache, order: order, mode: mode, cval: cval)
    }

    /// The maps of one field, built when first needed by a remap with `cache`.
    static func mapCache(dx: [Float], dy: [Float], width w: Int, height h: Int) -> RemapMapCache {
        precondition(dx.count == w * h && dy.count == w * h, "shift maps must match the image size")
        return RemapMapCache { subpixel in coordinateMaps(dx: dx, dy: dy, width: w, height: h, subpixel: subpixel) }
    }

    /// ``remap(_:dx:dy:order:mode:cval:)`` with the field's maps from `cache`
    /// (an image of the field's size).
    static func remap(_ image: Image, maps cache: inout RemapMapCache, order: Int, mode: BorderMode, cval: Int) -> Image {
        let w = image.width, h = image.height
        if w == 0 || h == 0 || image.channels == 0 { return image }
        let interp = interpolation(order: order)
        let fill = (0..<image.channels).map { $0 % 4 == 3 ? 0 : cval }
        return FixedPointRemap.apply(image, width: w, height: h, maps: cache.maps(for: interp), order: interp, mode: mode, cval: fill)
    }
}

extension ElasticKernel {
    /// imgaug leaves keypoints where they are when alpha is at or below this
    /// (`KEYPOINT_AUG_ALPHA_THRESH`).
    public static let keypointAlphaThreshold = 0.05
    /// imgaug leaves keypoints where they are when sigma is at or below this
    /// (`KEYPOINT_AUG_SIGMA_THRESH`): the field is then mostly noise.
    public static let keypointSigmaThreshold = 1.0

    /// ElasticTransformation's work on an image and its targets with one field,
    /// as imgaug 0.4.0 does it: the image as ``remap(_:dx:dy:order:mode:cval:)``
    /// with `order`, `mode` and `cval`; segmentation maps with order 0 and
    /// heatmaps with order 3, both in constant mode with 0 (heatmaps end within
    /// 0...1, as imgaug clips them); keypoints and box corners through
    /// ``movedKeypoints(_:dx:dy:width:height:alpha:sigma:)``.
    public static func apply(_ sample: AnnotatedImage, dx: [Float], dy: [Float], alpha: Double, sigma: Double,
                             order: Int, mode: BorderMode, cval: Int) -> AnnotatedImage {
        let w = sample.image.width, h = sample.image.height
        // The positions depend only on the field and the rounding (1/32 pixel
        // or whole pixels), so masks and heatmaps reuse what the image built.
        var cache = mapCache(dx: dx, dy: dy, width: w, height: h)
        let image = remap(sample.image, maps: &cache, order: order, mode: mode, cval: cval)
        guard !sample.targets.isEmpty else { return AnnotatedImage(image, targets: sample.targets) }
        let targets = sample.targets.moved(maps: { map, isMask in
            if map.width == w && map.height == h {
                return remap(map, maps: &cache, order: isMask ? 0 : 3, mode: .constant, cval: 0)
            }
            return remap(map, dx: dx, dy: dy, order: isMask ? 0 : 3, mode: .constant, cval: 0)
        }, points: { movedKeypoints($0, dx: dx, dy: dy, width: w, height: h, alpha: alpha, sigma: sigma) })
        return AnnotatedImage(image, targets: targets)
    }

    /// imgaug's keypoint rule for ElasticTransformation (`_augment_kpsoi_by_samples`):
    /// the field is only known at pixels, so each point on the image
    /// (0 <= x < width, 0 <= y < height) takes the 25 points within Manhattan
    /// distance 3 of it in steps of 1 (float32, rounded half to even to
    /// pixels), drops those off the image, moves each by the field at its
    /// pixel (float32 sums) and lands on their geometric median. Points off
    /// the image stay where they are, and all do when alpha <= 0.05 or
    /// sigma <= 1 (``keypointAlphaThreshold``, ``keypointSigmaThreshold``).
    /// `dx`/`dy` are the field row-major, one value per pixel.
    public static func movedKeypoints(_ points: [Keypoint], dx: [Float], dy: [Float], width w: Int, height h: Int,
                                      alpha: Double, sigma: Double) -> [Keypoint] {
        guard !points.isEmpty, w > 0, h > 0, alpha > keypointAlphaThreshold, sigma > keypointSigmaThreshold else {
            return points
        }
        precondition(dx.count == w * h && dy.count == w * h, "shift maps must match the image size")
        // Scratch for the 25 neighbours and the median's weights, shared by all
        // points: the per-point arrays cost more than the arithmetic.
        let capacity = 25
        var moved = [(x: Float, y: Float)](repeating: (0, 0), count: capacity)
        var scratch = [Double](repeating: 0, count: 3 * capacity)
        return dx.withUnsafeBufferPointer { dxb in
            dy.withUnsafeBufferPointer { dyb in
                moved.withUnsafeMutableBufferPointer { mb in
                    scratch.withUnsafeMutableBufferPointer { sb in
                        let fw = Float(w), fh = Float(h)
                        return points.map { p in
                            guard p.isInside(width: w, height: h) else { return p }
                            var n = 0
                            forEachManhattanNeighbour(p, steps: 3, stepSize: 1) { qx, qy in
                                let fx = qx.rounded(.toNearestOrEven), fy = qy.rounded(.toNearestOrEven)
                                guard fx >= 0, fx < fw, fy >= 0, fy < fh else { return }
                                let x = Int(fx), y = Int(fy)
                                mb[n] = (Float(x) + dxb[y * w + x], Float(y) + dyb[y * w + x])
                                n += 1
                            }
                            let m = geometricMedian(UnsafeBufferPointer(rebasing: mb[0..<n]), scratch: sb.baseAddress!)
                            return Keypoint(x: m.x, y: m.y)
                        }
                    }
                }
            }
        }
    }

    /// imgaug's `Keypoint.generate_similar_points_manhattan(steps, stepSize)`
    /// as float32: rows from y − steps·stepSize to y + steps·stepSize (numpy
    /// linspace), 1, 3, ... 2·steps+1, ... 3, 1 points wide, each row a linspace
    /// around x; the point itself is among them.
    static func manhattanNeighbourhood(_ p: Keypoint, steps: Int, stepSize: Double) -> [(x: Float, y: Float)] {
        var out: [(x: Float, y: Float)] = []
        forEachManhattanNeighbour(p, steps: steps, stepSize: stepSize) { out.append(($0, $1)) }
        return out
    }

    /// ``manhattanNeighbourhood(_:steps:stepSize:)`` handed to `body` point by
    /// point, in the same order, without building the arrays.
    @inline(__always)
    static func forEachManhattanNeighbour(_ p: Keypoint, steps: Int, stepSize: Double, _ body: (Float, Float) -> Void) {
        // numpy.linspace: start + i * ((stop - start) / (num - 1)), the last exactly stop.
        @inline(__always) func linspace(_ start: Double, _ stop: Double, _ num: Int, _ i: Int) -> Double {
            let step = (stop - start) / Double(num - 1)
            return i == num - 1 ? stop : (step == 0 ? Double(i) / Double(num - 1) * (stop - start) : Double(i) * step) + start
        }
        let rows = 2 * steps + 1
        let y0 = p.y - Double(steps) * stepSize, y1 = p.y + Double(steps) * stepSize
        var width = 1
        for i in 0..<rows {
            let y = Float(linspace(y0, y1, rows, i))
            if width == 1 {
                body(Float(p.x), y)
            } else {
                let half = Double((width - 1) / 2) * stepSize
                for j in 0..<width { body(Float(linspace(p.x - half, p.x + half, width, j)), y) }
            }
            width += i < steps ? 2 : -2
        }
    }

    /// imgaug's `compute_geometric_median` (Weiszfeld's iteration with the
    /// Vardi–Zhang step for points on the estimate), stopping when a step is
    /// below 1e-5: the start is the float32 mean, the rest in double. No
    /// points gives (0, 0), as imgaug's loop ends there.
    static func geometricMedian(_ points: [(x: Float, y: Float)], eps: Double = 1e-5) -> (x: Double, y: Double) {
        var scratch = [Double](repeating: 0, count: 3 * max(points.count, 1))
        return points.withUnsafeBufferPointer { pb in
            scratch.withUnsafeMutableBufferPointer { geometricMedian(pb, scratch: $0.baseAddress!, eps: eps) }
        }
    }

    /// ``geometricMedian(_:eps:)`` with `scratch` room for 3 × points.count
    /// doubles (the weights and the points they belong to).
    static func geometricMedian(_ points: UnsafeBufferPointer<(x: Float, y: Float)>, scratch: UnsafeMutablePointer<Double>,
                                eps: Double = 1e-5) -> (x: Double, y: Double) {
        let n = points.count
        guard n > 0 else { return (0, 0) }
        var sx: Float = 0, sy: Float = 0
        for p in points { sx += p.x; sy += p.y }
        var y = (x: Double(sx / Float(n)), y: Double(sy / Float(n)))
        let inv = scratch, keptX = scratch + n, keptY = scratch + 2 * n
        // Weiszfeld converges; the cap only guards against a pathological cycle.
        for _ in 0..<10_000 {
            var kept = 0
            for p in points {
                let ddx = Double(p.x) - y.x, ddy = Double(p.y) - y.y
                let d = (ddx * ddx + ddy * ddy).squareRoot()
                if d != 0 {
                    inv[kept] = 1 / d; keptX[kept] = Double(p.x); keptY[kept] = Double(p.y)
                    kept += 1
                }
            }
            let zeros = n - kept
            if zeros == n { return y }
            let total = pairwiseSum(inv, kept)
            var t = (x: 0.0, y: 0.0)
            for k in 0..<kept {
                let wn = inv[k] / total
                t.x += wn * keptX[k]
                t.y += wn * keptY[k]
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

    /// numpy's pairwise sum of a short contiguous float64 array (eight
    /// accumulators from eight values on, as `np.sum` adds them).
    static func pairwiseSum(_ a: [Double]) -> Double {
        a.withUnsafeBufferPointer { b in b.baseAddress.map { pairwiseSum($0, b.count) } ?? 0 }
    }

    /// ``pairwiseSum(_:)`` of the `count` values at `a`.
    static func pairwiseSum(_ a: UnsafePointer<Double>, _ count: Int) -> Double {
        if count < 8 {
            var s = 0.0
            for i in 0..<count { s += a[i] }
            return s
        }
        if count <= 128 {
            var r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7]
            var i = 8
            while i + 8 <= count {
                r0 += a[i]; r1 += a[i + 1]; r2 += a[i + 2]; r3 += a[i + 3]
                r4 += a[i + 4]; r5 += a[i + 5]; r6 += a[i + 6]; r7 += a[i + 7]
                i += 8
            }
            var res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < count { res += a[i]; i += 1 }
            return res
        }
        let half = (count / 2) / 8 * 8
        return pairwiseSum(a, half) + pairwiseSum(a + half, count - half)
    }
}

/// cv2.remap with CV_16SC2 maps, as warpAffine, warpPerspective and imgaug's
/// elastic path all end in: per output pixel a source position X, Y in 1/32
/// pixel (whole pixels for nearest), interpolated with the same fixed-point
/// (8-bit) or float (16-bit) arithmetic as ``WarpAffine``.
enum FixedPointRemap {
    /// saturate_cast<int>(float): round half to even, saturating; NaN gives INT_MIN.
    static func cvRound(_ v: Float) -> Int32 {
        if v.isNaN { return Int32.min }
        let r = v.rounded(.toNearestOrEven)
        return r >= 2147483647 ? Int32.max : (r <= -2147483648 ? Int32.min : Int32(r))
    }

    /// `xs`/`ys` hold one position per output pixel (row-major, width × height).
    static func apply(_ image: Image, width: Int, height: Int, xs: [Int32], ys: [Int32],
                      order: AffineOrder, mode: BorderMode, cval: [Int]) -> Image {
        apply(image, width: width, height: height, maps: RemapMaps(xs: xs, ys: ys), order: order, mode: mode, cval: cval)
    }

    /// `maps` hold one position per output pixel (row-major, width × height).
    static func apply(_ image: Image, width: Int, height: Int, maps: RemapMaps,
                      order: AffineOrder, mode: BorderMode, cval: [Int]) -> Image {
        let cn = image.channels
        precondition(maps.xs.count == width * height && maps.ys.count == width * height, "one position per output pixel")
        let g = AffineWarpGeometry(sw: image.width, sh: image.height, cn: cn, dw: width, dh: height, mode: mode)
        return maps.xs.withUnsafeBufferPointer { xb in
            maps.ys.withUnsafeBufferPointer { yb in
                guard let xs = xb.baseAddress, let ys = yb.baseAddress else {
                    return Image(width: width, height: height, channels: cn,
                                 pixels: image.bitDepth == 16 ? .u16([]) : .u8([]))
                }
                switch image.pixels {
                case .u8(let src):
                    let fill = (0..<cn).map { UInt8(clamping: $0 < cval.count ? cval[$0] : 0) }
                    var out = [UInt8](repeating: 0, count: width * height * cn)
                    src.withUnsafeBufferPointer { s in
                        out.withUnsafeMutableBufferPointer { d in remap8(s, d, g, xs, ys, order, fill) }
                    }
                    return Image(width: width, height: height, channels: cn, pixels: .u8(out))
                case .u16(let src):
                    let fill = (0..<cn).map { UInt16(clamping: $0 < cval.count ? cval[$0] : 0) }
                    var out = [UInt16](repeating: 0, count: width * height * cn)
                    src.withUnsafeBufferPointer { s in
                        out.withUnsafeMutableBufferPointer { d in remap16(s, d, g, xs, ys, order, fill) }
                    }
                    return Image(width: width, height: height, channels: cn, pixels: .u16(out))
                }
            }
        }
    }

    static func remap8(_ s: UnsafeBufferPointer<UInt8>, _ d: UnsafeMutableBufferPointer<UInt8>, _ g: AffineWarpGeometry,
                       _ xs: UnsafePointer<Int32>, _ ys: UnsafePointer<Int32>, _ order: AffineOrder, _ fill: [UInt8]) {
        switch order {
        case .nearest:
            remapNearest(s, d, g, xs, ys, fill)
        case .linear:
            switch g.cn {
            case 1: bilinear8(s, d, g, xs, ys, fill, Channels1.self)
            case 3: bilinear8(s, d, g, xs, ys, fill, Channels3.self)
            case 4: bilinear8(s, d, g, xs, ys, fill, Channels4.self)
            default: bilinear8(s, d, g, xs, ys, fill, 0)
            }
        case .cubic:
            let cn = g.cn, sw = g.sw, sh = g.sh, stride = sw * cn
            let sp = s.baseAddress!, dp = d.baseAddress!
            AffineBicubicTable.fixed.withUnsafeBufferPointer { table in
                let tab = table.baseAddress!
                for i in 0..<(g.dw * g.dh) {
                    let o = i * cn
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

    static func remap16(_ s: UnsafeBufferPointer<UInt16>, _ d: UnsafeMutableBufferPointer<UInt16>, _ g: AffineWarpGeometry,
                        _ xs: UnsafePointer<Int32>, _ ys: UnsafePointer<Int32>, _ order: AffineOrder, _ fill: [UInt16]) {
        if order == .nearest { return remapNearest(s, d, g, xs, ys, fill) }
        let cn = g.cn
        AffineBicubicTable.float.withUnsafeBufferPointer { tab in
            for i in 0..<(g.dw * g.dh) {
                let o = i * cn
                switch order {
                case .nearest:
                    break  // handled by remapNearest before the loop
                case .linear:
                    WarpAffine.bilinearPixel16(s, d, o, g, affineClampShort(xs[i] >> 5), affineClampShort(ys[i] >> 5),
                                               Int(xs[i] & 31), Int(ys[i] & 31), fill)
                case .cubic:
                    WarpAffine.bicubicPixel16(s, d, o, g, affineClampShort(xs[i] >> 5) - 1, affineClampShort(ys[i] >> 5) - 1,
                                              (Int(ys[i] & 31) * 32 + Int(xs[i] & 31)) * 16, tab, fill)
                }
            }
        }
    }
}
