import MedAugImage

/// The pixel work of ``PiecewiseAffine`` with chosen values: imgaug's
/// `_get_transformer` (a regular grid, moved by the jitter), scikit-image's
/// `PiecewiseAffineTransform` (one affine per triangle of the unmoved grid,
/// taking output positions to input positions) and `warp(preserve_range=True)`
/// (scipy's map_coordinates in double, then the clip to the input's range),
/// then imgaug's `restore_dtypes_` (round half to even, clip to the sample type).
///
/// Triangles: scipy triangulates the grid with qhull's Delaunay, and every cell
/// of a regular grid has four cocircular corners, so which diagonal qhull cuts
/// depends on the image size and rounding, cell by cell. ``triangles(rows:cols:)``
/// cuts every cell from its top-left to its bottom-right corner instead;
/// ``apply(_:rows:cols:jitter:triangles:order:mode:cval:absoluteScale:)`` also
/// takes any other list (scipy's own, for a parity check).
public enum PiecewiseAffineKernel {
    /// A point in pixel coordinates (x right, y down).
    public struct Point: Equatable, Sendable {
        /// Column position.
        public var x: Double
        /// Row position.
        public var y: Double
        /// A point at (x, y).
        public init(x: Double, y: Double) { self.x = x; self.y = y }
    }

    /// Three corners of a triangle as indices into the grid's points
    /// (row-major: row r, column c is `r * cols + c`), as scipy's `simplices`.
    public struct Triangle: Equatable, Sendable {
        /// The corners' point indices.
        public var a, b, c: Int
        /// A triangle over points a, b and c.
        public init(_ a: Int, _ b: Int, _ c: Int) { self.a = a; self.b = b; self.c = c }
    }

    /// numpy's `linspace(0, length, count)`: i · (length / (count − 1)), the last exactly `length`.
    public static func lines(count: Int, length: Int) -> [Double] {
        guard count > 1 else { return count == 1 ? [0] : [] }
        let step = Double(length) / Double(count - 1)
        return (0..<count).map { $0 == count - 1 ? Double(length) : Double($0) * step }
    }

    /// The unmoved grid, row-major: rows over `linspace(0, height, rows)`,
    /// columns over `linspace(0, width, cols)` (the last row and column lie one
    /// pixel past the image, as in imgaug).
    public static func grid(rows: Int, cols: Int, width: Int, height: Int) -> [Point] {
        let ys = lines(count: rows, length: height), xs = lines(count: cols, length: width)
        return ys.flatMap { y in xs.map { Point(x: $0, y: y) } }
    }

    /// imgaug's skip test: the image is left alone unless some jitter value is
    /// above 0 (`np.any(jitter > 0)`), so an all-negative jitter changes nothing.
    public static func moves(jitter: [Float]) -> Bool { jitter.contains { $0 > 0 } }

    /// The moved grid: each point plus its jitter pair (y, x) times the height
    /// and width in float32 (divided by them first with `absoluteScale`, as
    /// imgaug does), clipped to [0, width − 1] × [0, height − 1].
    public static func destination(grid: [Point], jitter: [Float], width: Int, height: Int,
                                   absoluteScale: Bool = false) -> [Point] {
        let fh = Float(height), fw = Float(width)
        return grid.indices.map { i in
            var jy = 2 * i < jitter.count ? jitter[2 * i] : 0, jx = 2 * i + 1 < jitter.count ? jitter[2 * i + 1] : 0
            if absoluteScale {
                jy = height > 0 ? jy / fh : 0
                jx = width > 0 ? jx / fw : 0
            }
            let y = grid[i].y + Double(jy * fh), x = grid[i].x + Double(jx * fw)
            return Point(x: clip(x, Double(width - 1)), y: clip(y, Double(height - 1)))
        }
    }

    /// np.clip(v, 0, hi), NaN kept.
    private static func clip(_ v: Double, _ hi: Double) -> Double { v < 0 ? 0 : (v > hi ? hi : v) }

    /// MedAug's triangulation of a rows × cols grid: every cell split along its
    /// top-left to bottom-right diagonal, cells in row-major order.
    public static func triangles(rows: Int, cols: Int) -> [Triangle] {
        guard rows > 1, cols > 1 else { return [] }
        var out: [Triangle] = []
        out.reserveCapacity(2 * (rows - 1) * (cols - 1))
        for r in 0..<(rows - 1) {
            for c in 0..<(cols - 1) {
                let tl = r * cols + c, tr = tl + 1, bl = tl + cols, br = bl + 1
                out.append(Triangle(tl, tr, br))
                out.append(Triangle(tl, br, bl))
            }
        }
        return out
    }

    /// Where every output pixel samples the input (row-major x and y arrays):
    /// the affine of the first triangle of `source` that holds the pixel, from
    /// that triangle to the same corners in `destination`. Pixels in no
    /// triangle get (-1, -1), scikit-image's marker; triangles with an index
    /// outside the points, or no area, are skipped.
    public static func sourcePositions(width: Int, height: Int, source: [Point], destination: [Point],
                                       triangles: [Triangle]) -> (xs: [Double], ys: [Double]) {
        let n = width * height
        var xs = [Double](repeating: -1, count: n), ys = xs
        var done = [Bool](repeating: false, count: n)
        let tol = 1e-9
        for t in triangles {
            let idx = [t.a, t.b, t.c]
            guard idx.allSatisfy({ $0 >= 0 && $0 < source.count && $0 < destination.count }) else { continue }
            let p0 = source[t.a], p1 = source[t.b], p2 = source[t.c]
            let q0 = destination[t.a], q1 = destination[t.b], q2 = destination[t.c]
            let det = (p1.x - p0.x) * (p2.y - p0.y) - (p2.x - p0.x) * (p1.y - p0.y)
            guard abs(det) > 1e-12, det.isFinite else { continue }
            // Barycentric l1, l2 as affine functions of (x, y).
            let a1 = (p2.y - p0.y) / det, b1 = -(p2.x - p0.x) / det, c1 = -(a1 * p0.x + b1 * p0.y)
            let a2 = -(p1.y - p0.y) / det, b2 = (p1.x - p0.x) / det, c2 = -(a2 * p0.x + b2 * p0.y)
            // The affine to the moved corners: q0 + l1·(q1 − q0) + l2·(q2 − q0).
            let ux1 = q1.x - q0.x, ux2 = q2.x - q0.x, uy1 = q1.y - q0.y, uy2 = q2.y - q0.y
            let mxx = a1 * ux1 + a2 * ux2, mxy = b1 * ux1 + b2 * ux2, mx0 = q0.x + c1 * ux1 + c2 * ux2
            let myx = a1 * uy1 + a2 * uy2, myy = b1 * uy1 + b2 * uy2, my0 = q0.y + c1 * uy1 + c2 * uy2
            let lo = { (v: Double) in max(0, Int(max(v - tol, -1).rounded(.up))) }
            let x0 = lo(min(p0.x, p1.x, p2.x)), y0 = lo(min(p0.y, p1.y, p2.y))
            let x1 = min(width - 1, Int(min(max(p0.x, p1.x, p2.x) + tol, Double(width)).rounded(.down)))
            let y1 = min(height - 1, Int(min(max(p0.y, p1.y, p2.y) + tol, Double(height)).rounded(.down)))
            guard x0 <= x1, y0 <= y1 else { continue }
            for y in y0...y1 {
                let fy = Double(y)
                for x in x0...x1 where !done[y * width + x] {
                    let fx = Double(x)
                    let l1 = a1 * fx + b1 * fy + c1, l2 = a2 * fx + b2 * fy + c2
                    guard l1 >= -tol, l2 >= -tol, 1 - l1 - l2 >= -tol else { continue }
                    let i = y * width + x
                    done[i] = true
                    xs[i] = mxx * fx + mxy * fy + mx0
                    ys[i] = myx * fx + myy * fy + my0
                }
            }
        }
        return (xs, ys)
    }

    /// Samples every channel at the given positions as skimage's warp does
    /// (map_coordinates with `order` 0...5 and `mode`, cval clipped to the
    /// sample range), clips to the input's range (widened to cval where
    /// scikit-image does), rounds half to even and stores at the input's depth.
    public static func warp(_ image: Image, xs: [Double], ys: [Double], order: Int, mode: BorderMode,
                            cval: Double) -> Image {
        let w = image.width, h = image.height, cn = image.channels, n = w * h
        precondition(xs.count == n && ys.count == n, "positions must match the image size")
        if n == 0 { return image }
        let maxValue = image.bitDepth == 16 ? 65535.0 : 255.0
        let fill = cval.isNaN ? 0 : min(max(cval, 0), maxValue)
        let o = min(max(order, 0), 5)
        var src = [Double](repeating: 0, count: n * cn)
        switch image.pixels {
        case .u8(let a): for i in 0..<a.count { src[i] = Double(a[i]) }
        case .u16(let a): for i in 0..<a.count { src[i] = Double(a[i]) }
        }
        var inMin = src[0], inMax = src[0]
        for v in src { inMin = min(inMin, v); inMax = max(inMax, v) }
        var out: [Double]
        if o <= 1 {
            out = SplineRemap.sampleLowOrder(src, channels: cn, width: w, height: h, xs: xs, ys: ys, order: o,
                                             mode: mode, cval: fill)
        } else {
            out = [Double](repeating: 0, count: n * cn)
            let planes = (0..<cn).map { k in (0..<n).map { src[$0 * cn + k] } }
            let r = SplineRemap.sample(planes: planes, width: w, height: h, xs: xs, ys: ys, order: o, mode: mode, cval: fill)
            for k in 0..<cn {
                for i in 0..<n { out[i * cn + k] = r[k][i] }
            }
        }
        // _clip_warp_output: the input's range, widened to cval when constant
        // mode put a cval outside it into the output's range.
        var lo = inMin, hi = inMax
        if mode == .constant, !(inMin <= fill && fill <= inMax) {
            var oMin = out[0], oMax = out[0]
            for v in out { oMin = min(oMin, v); oMax = max(oMax, v) }
            if oMin <= fill && fill <= oMax { lo = min(lo, fill); hi = max(hi, fill) }
        }
        func store(_ v: Double) -> Double { min(max(min(max(v, lo), hi).rounded(.toNearestOrEven), 0), maxValue) }
        switch image.pixels {
        case .u8: return Image(width: w, height: h, channels: cn, pixels: .u8(out.map { UInt8(store($0)) }))
        case .u16: return Image(width: w, height: h, channels: cn, pixels: .u16(out.map { UInt16(store($0)) }))
        }
    }

    /// Where every output pixel samples the input for one image (see
    /// ``sourcePositions(width:height:source:destination:triangles:)``): the
    /// grid of `rows` × `cols` points moved by `jitter` and cut into `triangles`
    /// (MedAug's rule when nil). Nil when imgaug leaves the image alone: no
    /// jitter value above 0, a side of 1 pixel or less, or rows or cols below 2.
    public static func positions(width w: Int, height h: Int, rows: Int, cols: Int, jitter: [Float],
                                 triangles: [Triangle]? = nil, absoluteScale: Bool = false) -> (xs: [Double], ys: [Double])? {
        guard rows >= 2, cols >= 2, w > 1, h > 1, moves(jitter: jitter) else { return nil }
        let src = grid(rows: rows, cols: cols, width: w, height: h)
        let dst = destination(grid: src, jitter: jitter, width: w, height: h, absoluteScale: absoluteScale)
        return sourcePositions(width: w, height: h, source: src, destination: dst,
                               triangles: triangles ?? self.triangles(rows: rows, cols: cols))
    }

    /// The whole warp for one image: the grid of `rows` × `cols` points moved
    /// by `jitter` (`2 · rows · cols` values, y then x per point, in units of
    /// the height and width unless `absoluteScale`), cut into `triangles`
    /// (MedAug's rule when nil), warped with `order`, `mode` and `cval`.
    /// Unchanged, as in imgaug, when no jitter value is above 0, when a side
    /// is 1 pixel or less, or when rows or cols is below 2.
    public static func apply(_ image: Image, rows: Int, cols: Int, jitter: [Float], triangles: [Triangle]? = nil,
                             order: Int, mode: BorderMode, cval: Double, absoluteScale: Bool = false) -> Image {
        guard let (xs, ys) = positions(width: image.width, height: image.height, rows: rows, cols: cols, jitter: jitter,
                                       triangles: triangles, absoluteScale: absoluteScale) else { return image }
        return warp(image, xs: xs, ys: ys, order: order, mode: mode, cval: cval)
    }

    /// The warp of an image and its targets, as imgaug 0.4.0 does it, with the
    /// same positions for all: the image as the image-only `apply`;
    /// segmentation maps with order 0 and heatmaps with order 3, both in
    /// constant mode with 0 (heatmaps end within 0...1, as imgaug clips them);
    /// keypoints, then the box corners as a list of their own, through
    /// ``movedKeypoints(_:width:height:xs:ys:)``. Nothing moves when the image
    /// does not.
    public static func apply(_ sample: AnnotatedImage, rows: Int, cols: Int, jitter: [Float], triangles: [Triangle]? = nil,
                             order: Int, mode: BorderMode, cval: Double, absoluteScale: Bool = false) -> AnnotatedImage {
        let w = sample.image.width, h = sample.image.height
        guard let (xs, ys) = positions(width: w, height: h, rows: rows, cols: cols, jitter: jitter,
                                       triangles: triangles, absoluteScale: absoluteScale) else { return sample }
        let image = warp(sample.image, xs: xs, ys: ys, order: order, mode: mode, cval: cval)
        guard !sample.targets.isEmpty else { return AnnotatedImage(image, targets: sample.targets) }
        let keypointCount = sample.targets.keypoints.count
        let targets = sample.targets.moved(maps: { map, isMask in
            warp(map, xs: xs, ys: ys, order: isMask ? 0 : 3, mode: .constant, cval: 0)
        }, points: { points in
            // imgaug moves a KeypointsOnImage and a BoundingBoxesOnImage in
            // separate calls, and the clip range below is per call.
            movedKeypoints(Array(points[..<keypointCount]), width: w, height: h, xs: xs, ys: ys)
                + movedKeypoints(Array(points[keypointCount...]), width: w, height: h, xs: xs, ys: ys)
        })
        return AnnotatedImage(image, targets: targets)
    }

    /// imgaug's keypoint rule for PiecewiseAffine (`_augment_keypoints_by_samples`),
    /// which does not map coordinates but searches images: every point becomes
    /// an inverted distance map 1 / (d + 1) over the pixel grid (float32), the
    /// maps are warped like the image with order 1 in constant mode with 0 and
    /// clipped as scikit-image clips (to the maps' range over all points,
    /// widened to 0 where the output holds 0), and each point lands on the
    /// first pixel (row-major) holding its map's largest value, in whole
    /// pixels, or on (-1, -1) when that value is below 0.01. Points that were
    /// not on the image (0 <= x < width, 0 <= y < height) keep their
    /// coordinates. `xs`/`ys` are the image's sample positions
    /// (``positions(width:height:rows:cols:jitter:triangles:absoluteScale:)``).
    public static func movedKeypoints(_ points: [Keypoint], width w: Int, height h: Int,
                                      xs: [Double], ys: [Double]) -> [Keypoint] {
        let n = w * h
        guard !points.isEmpty, n > 0 else { return points }
        @inline(__always) func inverted(_ px: Int, _ py: Int, _ p: Keypoint) -> Float {
            // float64 squared distance stored as float32, then sqrt and 1/(d+1) in float32.
            let dx = Double(px) - p.x, dy = Double(py) - p.y
            return 1 / (Float(dx * dx + dy * dy).squareRoot() + 1)
        }
        // The maps' range: the farthest pixel is a corner, the nearest the
        // rounded point clamped to the grid (the distance is separable).
        var lowest = Float.infinity, highest = -Float.infinity
        for p in points where !p.x.isNaN && !p.y.isNaN {
            for (cx, cy) in [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1)] { lowest = min(lowest, inverted(cx, cy, p)) }
            let nx = Int(min(max(p.x.rounded(), 0), Double(w - 1))), ny = Int(min(max(p.y.rounded(), 0), Double(h - 1)))
            highest = max(highest, inverted(nx, ny, p))
        }
        var best = [Float](repeating: -.infinity, count: points.count), bestIndex = [Int](repeating: 0, count: points.count)
        var outputLowest = Float.infinity
        // A few maps at a time keeps the interleaved input to about 16 MB.
        let chunk = max(1, min(points.count, (1 << 21) / n))
        for start in stride(from: 0, to: points.count, by: chunk) {
            let cn = min(chunk, points.count - start)
            var src = [Double](repeating: 0, count: n * cn)
            for y in 0..<h {
                for x in 0..<w {
                    let o = (y * w + x) * cn
                    for k in 0..<cn { src[o + k] = Double(inverted(x, y, points[start + k])) }
                }
            }
            // scikit-image interpolates the float32 maps in double and stores float32.
            let out = SplineRemap.sampleLowOrder(src, channels: cn, width: w, height: h, xs: xs, ys: ys, order: 1,
                                                 mode: .constant, cval: 0)
            for i in 0..<n {
                for k in 0..<cn {
                    let v = Float(out[i * cn + k])
                    outputLowest = min(outputLowest, v)
                    let clipped = min(v, highest)
                    if clipped > best[start + k] { best[start + k] = clipped; bestIndex[start + k] = i }
                }
            }
        }
        // The lower clip bound depends on the whole output (scikit-image's
        // preserve_cval), so it is applied last: a maximum at or below it
        // makes every value equal, and argmax then picks the first pixel.
        let lower = outputLowest <= 0 ? min(lowest, 0) : lowest
        return points.indices.map { k in
            let p = points[k]
            guard p.isInside(width: w, height: h) else { return p }
            let (value, index) = best[k] <= lower ? (lower, 0) : (best[k], bestIndex[k])
            guard Double(value) >= 0.01 else { return Keypoint(x: -1, y: -1) }
            return Keypoint(x: Double(index % w), y: Double(index / w))
        }
    }
}
