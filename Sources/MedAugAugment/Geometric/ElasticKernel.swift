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
        let w = image.width, h = image.height
        precondition(dx.count == w * h && dy.count == w * h, "shift maps must match the image size")
        if w == 0 || h == 0 || image.channels == 0 { return image }
        let interp = interpolation(order: order)
        var xs = [Int32](repeating: 0, count: w * h), ys = xs
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                let fx = Float(x) + (-1) * dx[i], fy = Float(y) + (-1) * dy[i]
                if interp == .nearest {
                    xs[i] = FixedPointRemap.cvRound(fx); ys[i] = FixedPointRemap.cvRound(fy)
                } else {
                    xs[i] = FixedPointRemap.cvRound(fx * 32); ys[i] = FixedPointRemap.cvRound(fy * 32)
                }
            }
        }
        let fill = (0..<image.channels).map { $0 % 4 == 3 ? 0 : cval }
        return FixedPointRemap.apply(image, width: w, height: h, xs: xs, ys: ys, order: interp, mode: mode, cval: fill)
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
        let image = remap(sample.image, dx: dx, dy: dy, order: order, mode: mode, cval: cval)
        guard !sample.targets.isEmpty else { return AnnotatedImage(image, targets: sample.targets) }
        let w = sample.image.width, h = sample.image.height
        let targets = sample.targets.moved(maps: { map, isMask in
            remap(map, dx: dx, dy: dy, order: isMask ? 0 : 3, mode: .constant, cval: 0)
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
        return points.map { p in
            guard p.isInside(width: w, height: h) else { return p }
            var moved: [(x: Float, y: Float)] = []
            moved.reserveCapacity(25)
            for q in manhattanNeighbourhood(p, steps: 3, stepSize: 1) {
                let fx = q.x.rounded(.toNearestOrEven), fy = q.y.rounded(.toNearestOrEven)
                guard fx >= 0, fx < Float(w), fy >= 0, fy < Float(h) else { continue }
                let x = Int(fx), y = Int(fy)
                moved.append((Float(x) + dx[y * w + x], Float(y) + dy[y * w + x]))
            }
            let m = geometricMedian(moved)
            return Keypoint(x: m.x, y: m.y)
        }
    }

    /// imgaug's `Keypoint.generate_similar_points_manhattan(steps, stepSize)`
    /// as float32: rows from y − steps·stepSize to y + steps·stepSize (numpy
    /// linspace), 1, 3, ... 2·steps+1, ... 3, 1 points wide, each row a linspace
    /// around x; the point itself is among them.
    static func manhattanNeighbourhood(_ p: Keypoint, steps: Int, stepSize: Double) -> [(x: Float, y: Float)] {
        // numpy.linspace: start + i * ((stop - start) / (num - 1)), the last exactly stop.
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

    /// imgaug's `compute_geometric_median` (Weiszfeld's iteration with the
    /// Vardi–Zhang step for points on the estimate), stopping when a step is
    /// below 1e-5: the start is the float32 mean, the rest in double. No
    /// points gives (0, 0), as imgaug's loop ends there.
    static func geometricMedian(_ points: [(x: Float, y: Float)], eps: Double = 1e-5) -> (x: Double, y: Double) {
        let n = points.count
        guard n > 0 else { return (0, 0) }
        var sx: Float = 0, sy: Float = 0
        for p in points { sx += p.x; sy += p.y }
        var y = (x: Double(sx / Float(n)), y: Double(sy / Float(n)))
        // Weiszfeld converges; the cap only guards against a pathological cycle.
        for _ in 0..<10_000 {
            var inv: [Double] = [], kept: [(x: Double, y: Double)] = []
            for p in points {
                let ddx = Double(p.x) - y.x, ddy = Double(p.y) - y.y
                let d = (ddx * ddx + ddy * ddy).squareRoot()
                if d != 0 { inv.append(1 / d); kept.append((Double(p.x), Double(p.y))) }
            }
            let zeros = n - kept.count
            if zeros == n { return y }
            let total = pairwiseSum(inv)
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

    /// numpy's pairwise sum of a short contiguous float64 array (eight
    /// accumulators from eight values on, as `np.sum` adds them).
    static func pairwiseSum(_ a: [Double]) -> Double {
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
        return pairwiseSum(Array(a[..<half])) + pairwiseSum(Array(a[half...]))
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
        let cn = image.channels
        let g = AffineWarpGeometry(sw: image.width, sh: image.height, cn: cn, dw: width, dh: height, mode: mode)
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

    /// Order 0 at either bit depth: the nearest source pixel, or the fill
    /// outside (the border mode decides which positions are outside).
    static func remapNearest<T>(_ s: UnsafeBufferPointer<T>, _ d: UnsafeMutableBufferPointer<T>, _ g: AffineWarpGeometry,
                                _ xs: [Int32], _ ys: [Int32], _ fill: [T]) {
        let cn = g.cn, sw = g.sw, sh = g.sh, stride = sw * cn
        for i in 0..<(g.dw * g.dh) {
            let o = i * cn
            let sx = affineClampShort(xs[i]), sy = affineClampShort(ys[i])
            if let ix = g.mode.index(sx, sw), let iy = g.mode.index(sy, sh) {
                for k in 0..<cn { d[o + k] = s[iy * stride + ix * cn + k] }
            } else {
                for k in 0..<cn { d[o + k] = fill[k] }
            }
        }
    }

    static func remap8(_ s: UnsafeBufferPointer<UInt8>, _ d: UnsafeMutableBufferPointer<UInt8>, _ g: AffineWarpGeometry,
                       _ xs: [Int32], _ ys: [Int32], _ order: AffineOrder, _ fill: [UInt8]) {
        if order == .nearest { return remapNearest(s, d, g, xs, ys, fill) }
        let cn = g.cn, sw = g.sw, sh = g.sh, stride = sw * cn
        let sp = s.baseAddress!, dp = d.baseAddress!
        AffineBicubicTable.fixed.withUnsafeBufferPointer { table in
            let tab = table.baseAddress!
            for i in 0..<(g.dw * g.dh) {
                let o = i * cn
                switch order {
                case .nearest:
                    break  // handled by remapNearest before the loop
                case .linear:
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
                case .cubic:
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
                        _ xs: [Int32], _ ys: [Int32], _ order: AffineOrder, _ fill: [UInt16]) {
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
