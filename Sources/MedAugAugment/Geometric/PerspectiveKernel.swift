import MedAugImage

/// A 3x3 projective matrix, row-major (`m[0] m[1] m[2]` is the first row).
public struct PerspectiveMatrix: Equatable, Sendable {
    /// The nine entries, row-major.
    public var m: [Double]

    /// A matrix from nine row-major entries.
    public init(_ m: [Double]) {
        precondition(m.count == 9, "a perspective matrix has 9 entries")
        self.m = m
    }

    /// The identity.
    public static let identity = PerspectiveMatrix([1, 0, 0, 0, 1, 0, 0, 0, 1])

    /// The inverse as cv::invert(DECOMP_LU) computes it for 3x3 (cofactors over
    /// the determinant); all zeros when singular.
    public var inverted: PerspectiveMatrix {
        let a = m
        func e(_ r: Int, _ c: Int) -> Double { a[r * 3 + c] }
        var d = e(0, 0) * (e(1, 1) * e(2, 2) - e(1, 2) * e(2, 1)) - e(0, 1) * (e(1, 0) * e(2, 2) - e(1, 2) * e(2, 0))
            + e(0, 2) * (e(1, 0) * e(2, 1) - e(1, 1) * e(2, 0))
        if d == 0 { return PerspectiveMatrix([Double](repeating: 0, count: 9)) }
        d = 1 / d
        return PerspectiveMatrix([
            (e(1, 1) * e(2, 2) - e(1, 2) * e(2, 1)) * d, (e(0, 2) * e(2, 1) - e(0, 1) * e(2, 2)) * d,
            (e(0, 1) * e(1, 2) - e(0, 2) * e(1, 1)) * d,
            (e(1, 2) * e(2, 0) - e(1, 0) * e(2, 2)) * d, (e(0, 0) * e(2, 2) - e(0, 2) * e(2, 0)) * d,
            (e(0, 2) * e(1, 0) - e(0, 0) * e(1, 2)) * d,
            (e(1, 0) * e(2, 1) - e(1, 1) * e(2, 0)) * d, (e(0, 1) * e(2, 0) - e(0, 0) * e(2, 1)) * d,
            (e(0, 0) * e(1, 1) - e(0, 1) * e(1, 0)) * d,
        ])
    }

    /// Maps a point (x, y) (divides by the third coordinate; 0 stays 0).
    public func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        let w = m[6] * x + m[7] * y + m[8]
        let s = w != 0 ? 1 / w : 0
        return ((m[0] * x + m[1] * y + m[2]) * s, (m[3] * x + m[4] * y + m[5]) * s)
    }
}

/// The pixel work of ``PerspectiveTransform`` with chosen values: imgaug's
/// geometry from the jittered corners (`_draw_samples`, `_order_points`,
/// `_expand_transform`), `cv2.getPerspectiveTransform`, `cv2.warpPerspective`
/// with INTER_LINEAR, and the resize back to the input size.
public enum PerspectiveKernel {
    /// imgaug's minimum output width and height.
    public static let minSize = 2

    /// The corner points in pixels (float32, as imgaug holds them) from the
    /// eight jitter draws (float32, `jitter[2i]` x, `jitter[2i+1]` y of corner i: top-left,
    /// top-right, bottom-right, bottom-left): |j| mod 1, mirrored for the right and
    /// bottom corners, times the width and height.
    public static func corners(jitter: [Double], width: Int, height: Int) -> [(x: Float, y: Float)] {
        precondition(jitter.count == 8, "eight jitter values")
        // imgaug holds the draws as float32 and computes in float32.
        var p = jitter.map { abs(Float($0)).truncatingRemainder(dividingBy: 1) }
        p[2] = 1 - p[2]; p[4] = 1 - p[4]; p[5] = 1 - p[5]; p[7] = 1 - p[7]
        return (0..<4).map { (p[2 * $0] * Float(width), p[2 * $0 + 1] * Float(height)) }
    }

    /// imgaug's `_order_points`: top-left = smallest x+y, bottom-right = largest,
    /// top-right = smallest y−x, bottom-left = largest (first index on ties).
    public static func orderPoints(_ pts: [(x: Float, y: Float)]) -> [(x: Float, y: Float)] {
        func arg(_ f: ((x: Float, y: Float)) -> Float, _ better: (Float, Float) -> Bool) -> Int {
            var best = 0
            for i in 1..<pts.count where better(f(pts[i]), f(pts[best])) { best = i }
            return best
        }
        let sum = { (p: (x: Float, y: Float)) in p.x + p.y }
        let diff = { (p: (x: Float, y: Float)) in p.y - p.x }
        return [pts[arg(sum, <)], pts[arg(diff, <)], pts[arg(sum, >)], pts[arg(diff, >)]]
    }

    /// `cv2.getPerspectiveTransform(src, dst)`: the 8x8 system solved by LU
    /// with partial pivoting in double, products of coordinates in float.
    public static func perspectiveTransform(from src: [(x: Float, y: Float)], to dst: [(x: Float, y: Float)]) -> PerspectiveMatrix {
        var a = [[Double]](repeating: [Double](repeating: 0, count: 8), count: 8)
        var b = [Double](repeating: 0, count: 8)
        for i in 0..<4 {
            a[i][0] = Double(src[i].x); a[i + 4][3] = Double(src[i].x)
            a[i][1] = Double(src[i].y); a[i + 4][4] = Double(src[i].y)
            a[i][2] = 1; a[i + 4][5] = 1
            a[i][6] = Double(-src[i].x * dst[i].x); a[i][7] = Double(-src[i].y * dst[i].x)
            a[i + 4][6] = Double(-src[i].x * dst[i].y); a[i + 4][7] = Double(-src[i].y * dst[i].y)
            b[i] = Double(dst[i].x); b[i + 4] = Double(dst[i].y)
        }
        // OpenCV's LUImpl.
        for i in 0..<8 {
            var k = i
            for j in (i + 1)..<8 where abs(a[j][i]) > abs(a[k][i]) { k = j }
            if abs(a[k][i]) < Double.ulpOfOne * 10 { return PerspectiveMatrix([Double](repeating: 0, count: 9)) }
            if k != i { a.swapAt(i, k); b.swapAt(i, k) }
            let d = -1 / a[i][i]
            for j in (i + 1)..<8 {
                let alpha = a[j][i] * d
                for c in (i + 1)..<8 { a[j][c] += alpha * a[i][c] }
                b[j] += alpha * b[i]
            }
            a[i][i] = -d
        }
        for i in stride(from: 7, through: 0, by: -1) {
            var s = b[i]
            for k in (i + 1)..<8 { s -= a[i][k] * b[k] }
            b[i] = s * a[i][i]
        }
        return PerspectiveMatrix(b + [1])
    }

    /// imgaug's sample for an image: the matrix and the output size, from the
    /// corner points (``corners(jitter:width:height:)``). Corners too close
    /// (int distance below 2) are pushed apart by half the shortfall until they
    /// are not; with `fitOutput` the transform is enlarged to hold the whole image.
    public static func transform(corners pts: [(x: Float, y: Float)], width: Int, height: Int,
                                 fitOutput: Bool) -> (matrix: PerspectiveMatrix, width: Int, height: Int) {
        var p = orderPoints(pts)
        func dist(_ a: (x: Float, y: Float), _ b: (x: Float, y: Float)) -> Float {
            ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
        }
        var maxW = 0, maxH = 0
        var guardSteps = 0
        while true {
            let top = dist(p[1], p[0]), bottom = dist(p[2], p[3])
            maxW = truncate(max(top, bottom)); let minW = truncate(min(top, bottom))
            if minW >= minSize || guardSteps > 64 { break }
            let step = Float(Double(minSize - minW) / 2)
            p[0].x -= step; p[1].x += step; p[3].x -= step; p[2].x += step
            guardSteps += 1
        }
        guardSteps = 0
        while true {
            let right = dist(p[1], p[2]), left = dist(p[0], p[3])
            maxH = truncate(max(right, left)); let minH = truncate(min(right, left))
            if minH >= minSize || guardSteps > 64 { break }
            let step = Float(Double(minSize - minH) / 2)
            p[0].y -= step; p[1].y -= step; p[3].y += step; p[2].y += step
            guardSteps += 1
        }
        let dst: [(x: Float, y: Float)] = [(0, 0), (Float(maxW), 0), (Float(maxW), Float(maxH)), (0, Float(maxH))]
        let m = perspectiveTransform(from: p, to: dst)
        if !fitOutput { return (m, maxW, maxH) }
        return expand(m, width: width, height: height)
    }

    /// Python's int() on a float32 distance, saturating.
    static func truncate(_ v: Float) -> Int {
        if v.isNaN { return 0 }
        return v >= 1e9 ? 1_000_000_000 : Int(v)
    }

    /// imgaug's `_expand_transform`: the image's corners mapped (in float, as
    /// cv2.perspectiveTransform), shifted to start at 0, rounded; the new matrix
    /// maps the corners there and the size is the largest coordinate.
    static func expand(_ m: PerspectiveMatrix, width: Int, height: Int) -> (matrix: PerspectiveMatrix, width: Int, height: Int) {
        let rect: [(x: Float, y: Float)] = [(0, 0), (Float(width), 0), (Float(width), Float(height)), (0, Float(height))]
        var dst = rect.map { c -> (x: Float, y: Float) in
            let r = m.apply(Double(c.x), Double(c.y))
            return (Float(r.x), Float(r.y))
        }
        let minX = dst.map(\.x).min()!, minY = dst.map(\.y).min()!
        dst = dst.map { ((($0.x - minX)).rounded(.toNearestOrEven), ($0.y - minY).rounded(.toNearestOrEven)) }
        let e = perspectiveTransform(from: rect, to: dst)
        return (e, truncate(dst.map(\.x).max()!), truncate(dst.map(\.y).max()!))
    }

    /// `cv2.warpPerspective(image, matrix, (width, height), flags, borderMode,
    /// borderValue=cval)` for the forward `matrix`: OpenCV's block order of the
    /// double arithmetic, positions rounded to 1/32 pixel, then the fixed-point
    /// bilinear of ``WarpAffine`` (`order` `.linear`, INTER_LINEAR), or rounded to
    /// whole pixels and copied (`.nearest`, INTER_NEAREST, which imgaug uses for
    /// segmentation maps). `mode` is `.constant` or `.edge`; `cval[k]` fills
    /// channel k (missing entries are 0, as in OpenCV's Scalar).
    public static func warp(_ image: Image, matrix: PerspectiveMatrix, width: Int, height: Int,
                            mode: BorderMode, cval: [Int], order: AffineOrder = .linear) -> Image {
        var cache = mapCache(matrix: matrix, width: width, height: height)
        return warp(image, maps: &cache, width: width, height: height, mode: mode, cval: cval, order: order)
    }

    /// ``warp(_:matrix:width:height:mode:cval:order:)`` with the positions from
    /// `cache` (built for the same matrix and output size).
    static func warp(_ image: Image, maps cache: inout RemapMapCache, width: Int, height: Int,
                     mode: BorderMode, cval: [Int], order: AffineOrder) -> Image {
        precondition(order != .cubic, "warpPerspective runs INTER_LINEAR or INTER_NEAREST here")
        let cn = image.channels
        guard width > 0, height > 0, image.width > 0, image.height > 0 else {
            return Image(width: max(width, 0), height: max(height, 0), channels: cn,
                         pixels: image.bitDepth == 16 ? .u16([UInt16](repeating: 0, count: max(width, 0) * max(height, 0) * cn))
                             : .u8([UInt8](repeating: 0, count: max(width, 0) * max(height, 0) * cn)))
        }
        return FixedPointRemap.apply(image, width: width, height: height, maps: cache.maps(for: order), order: order,
                                     mode: mode, cval: cval)
    }

    /// The maps of one matrix and output size, built when a warp first needs them.
    static func mapCache(matrix: PerspectiveMatrix, width: Int, height: Int) -> RemapMapCache {
        let inverse = matrix.inverted.m
        return RemapMapCache { subpixel in
            coordinateMaps(inverse: inverse, width: max(width, 0), height: max(height, 0), subpixel: subpixel)
        }
    }

    /// `cv2.perspectiveTransform` on float32 points, as imgaug moves keypoints:
    /// each coordinate rounded to float32, mapped in double, the result rounded
    /// to float32; a point whose third coordinate is within FLT_EPSILON of 0
    /// goes to (0, 0), as OpenCV sends it.
    public static func transform(_ points: [Keypoint], matrix: PerspectiveMatrix) -> [Keypoint] {
        let m = matrix.m
        return points.map { p in
            let x = Double(Float(p.x)), y = Double(Float(p.y))
            var w = x * m[6] + y * m[7] + m[8]
            guard abs(w) > Double(Float.ulpOfOne) else { return Keypoint(x: 0, y: 0) }
            w = 1 / w
            return Keypoint(x: Double(Float((x * m[0] + y * m[1] + m[2]) * w)),
                            y: Double(Float((x * m[3] + y * m[4] + m[5]) * w)))
        }
    }

    /// PerspectiveTransform's work on an image and its targets from the drawn
    /// values, as imgaug 0.4.0 does it: the image as the image-only `apply`;
    /// segmentation maps warped with INTER_NEAREST and heatmaps with
    /// INTER_LINEAR, both BORDER_CONSTANT with 0; keypoints and box corners
    /// through ``transform(_:matrix:)`` with the same matrix. With `keepSize`
    /// the targets are then scaled back from the warped size to the input's
    /// (maps by nearest neighbour and cubic interpolation, points per axis, as
    /// imgaug's `resize` and `on_`). An image with a side or its channels 0
    /// leaves everything as it is.
    public static func apply(_ sample: AnnotatedImage, jitter: [Double], mode: BorderMode, cval: [Double],
                             keepSize: Bool, fitOutput: Bool) -> AnnotatedImage {
        let image = sample.image
        guard !sample.targets.isEmpty, image.width > 0, image.height > 0, image.channels > 0 else {
            let warped = apply(image, jitter: jitter, mode: mode, cval: cval, keepSize: keepSize, fitOutput: fitOutput)
            return AnnotatedImage(warped, targets: sample.targets)
        }
        let w = image.width, h = image.height
        // imgaug draws the maps' samples again from a copy of the same stream, on
        // maps of the image's size: the same corners, so the same matrix, and
        // the positions (which depend only on it and the output size) are shared.
        let (m, ow, oh) = transform(corners: corners(jitter: jitter, width: w, height: h), width: w, height: h,
                                    fitOutput: fitOutput)
        var cache = mapCache(matrix: m, width: ow, height: oh)
        let warped = apply(image, matrix: m, width: ow, height: oh, maps: &cache, mode: mode, cval: cval, keepSize: keepSize)
        var targets = sample.targets.moved(maps: { map, isMask in
            warp(map, maps: &cache, width: ow, height: oh, mode: .constant, cval: [Int](repeating: 0, count: map.channels),
                 order: isMask ? .nearest : .linear)
        }, points: { transform($0, matrix: m) })
        if keepSize {
            targets = targets.resized(fromWidth: ow, fromHeight: oh, toWidth: w, toHeight: h)
        }
        return AnnotatedImage(warped, targets: targets)
    }

    /// PerspectiveTransform's per-image work from its drawn values: the corners
    /// from `jitter`, the warp, and with `keepSize` the resize back to the input
    /// size with imgaug's default interpolation (area when enlarging either
    /// side, else linear). `cval` holds the three drawn fill values, rounded as
    /// OpenCV's Scalar to the sample type; more than four channels are warped one
    /// at a time, channel c with `cval[min(c, 2)]`; a fourth channel gets 0.
    public static func apply(_ image: Image, jitter: [Double], mode: BorderMode, cval: [Double],
                             keepSize: Bool, fitOutput: Bool) -> Image {
        if image.width == 0 || image.height == 0 || image.channels == 0 { return image }
        let pts = corners(jitter: jitter, width: image.width, height: image.height)
        let (m, ow, oh) = transform(corners: pts, width: image.width, height: image.height, fitOutput: fitOutput)
        var cache = mapCache(matrix: m, width: ow, height: oh)
        return apply(image, matrix: m, width: ow, height: oh, maps: &cache, mode: mode, cval: cval, keepSize: keepSize)
    }

    /// The image part of `apply` once the matrix and output size are known.
    static func apply(_ image: Image, matrix m: PerspectiveMatrix, width ow: Int, height oh: Int,
                      maps cache: inout RemapMapCache, mode: BorderMode, cval: [Double], keepSize: Bool) -> Image {
        let maxValue = image.bitDepth == 16 ? 65535.0 : 255.0
        let ints = cval.map { Int(min(max($0.rounded(.toNearestOrEven), -1), maxValue + 1)) }
        let fill = (0..<image.channels).map { c -> Int in
            image.channels > 4 ? ints[min(c, ints.count - 1)] : (c < 3 && c < ints.count ? ints[c] : 0)
        }
        let warped = warp(image, maps: &cache, width: ow, height: oh, mode: mode, cval: fill, order: .linear)
        guard keepSize else { return warped }
        let interp = Interpolation.imgaugDefault(fromWidth: ow, fromHeight: oh, toWidth: image.width, toHeight: image.height)
        return warped.resized(width: image.width, height: image.height, interpolation: interp)
    }
}
