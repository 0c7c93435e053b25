import MedAugImage

/// A label per pixel: row-major, 0-based and contiguous (every label in
/// `0..<count` is used).
public struct SegmentationResult: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let labels: [Int32]
    public let count: Int

    public init(width: Int, height: Int, labels: [Int32], count: Int) {
        precondition(labels.count == width * height, "labels must hold one entry per pixel")
        self.width = width
        self.height = height
        self.labels = labels
        self.count = count
    }
}

/// SLIC superpixels (Achanta et al., TPAMI 2012), following scikit-image
/// 0.20's `slic` step by step, since that is what imgaug's Superpixels ran:
/// features from `SLICFeatures`, seeds on skimage's regular grid with colour
/// 0, `maxIterations` rounds of assignment within a window of two grid steps
/// around each centre, and skimage's connectivity pass.
///
/// Differences from skimage: distances are Float32 (skimage uses float64 for
/// integer images), which can move a pixel that is within rounding of two
/// centres; labels start at 0 (skimage's default `start_label` is 1); with
/// `enforceConnectivity` off the labels are renumbered to be contiguous.
public struct SLIC: Equatable, Sendable {
    /// Wanted number of segments (the grid decides the exact number of seeds).
    public var nSegments: Int
    /// Weight of space against colour: higher gives squarer segments.
    public var compactness: Double
    public var maxIterations: Int
    /// Gaussian pre-smoothing of the features; 0 is none.
    public var sigma: Double
    public var enforceConnectivity: Bool
    /// Connected pieces smaller than this fraction of the mean segment size join a neighbour.
    public var minSizeFactor: Double
    /// Pieces are cut at this multiple of the mean segment size.
    public var maxSizeFactor: Double
    /// nil: Lab for 3-channel images only, as skimage. true asks for Lab but,
    /// unlike skimage (which raises), other channel counts simply go without.
    public var convertToLab: Bool?

    public init(nSegments: Int, compactness: Double = 10, maxIterations: Int = 10, sigma: Double = 0,
                enforceConnectivity: Bool = true, minSizeFactor: Double = 0.5, maxSizeFactor: Double = 3,
                convertToLab: Bool? = nil) {
        self.nSegments = nSegments
        self.compactness = compactness
        self.maxIterations = maxIterations
        self.sigma = sigma
        self.enforceConnectivity = enforceConnectivity
        self.minSizeFactor = minSizeFactor
        self.maxSizeFactor = maxSizeFactor
        self.convertToLab = convertToLab
    }

    public func segment(_ image: Image) -> SegmentationResult {
        let h = image.height, w = image.width, n = h * w
        guard n > 0 else { return SegmentationResult(width: w, height: h, labels: [], count: 0) }
        let lab = (convertToLab ?? true) && image.channels == 3
        let ratio = compactness > 0 ? Float(1.0 / compactness) : 1
        let features = SLICFeatures(image: image, lab: lab, sigma: sigma, ratio: ratio)

        let grid = SLICGrid(height: h, width: w, points: max(1, nSegments))
        // skimage's spatial scale: the largest grid step, the depth axis counting as 1.
        let step = Double(max(1, grid.stepY, grid.stepX))
        // The search window comes from a second grid for the number of seeds actually placed.
        let window = SLICGrid(height: h, width: w, points: grid.count)
        var clusters = SLICClusters(grid: grid, channels: features.channels)
        var labels = clusters.run(features: features, iterations: maxIterations,
                                  spatialWeight: Float(1.0 / (step * step)),
                                  windowY: window.stepY, windowX: window.stepX)

        if enforceConnectivity {
            let segmentSize = Double(n) / Double(grid.count)
            let minSize = Int(minSizeFactor * segmentSize)
            let maxSize = Int(maxSizeFactor * segmentSize)
            return LabelConnectivity.enforce(labels, width: w, height: h, minSize: minSize, maxSize: maxSize)
        }
        let count = LabelConnectivity.compact(&labels)
        return SegmentationResult(width: w, height: h, labels: labels, count: count)
    }
}

/// The k-means state of one SLIC run: centres (position in Double, colour in
/// Float32) and the per-pixel buffers, all allocated once.
struct SLICClusters {
    let channels: Int
    var cy: [Double], cx: [Double]
    /// channels values per cluster; skimage starts every centre at colour 0.
    var colour: [Float]
    /// A centre that lost all its pixels: skimage's division by zero makes it
    /// NaN, so it never wins a pixel again.
    var alive: [Bool]

    init(grid: SLICGrid, channels: Int) {
        self.channels = channels
        let k = grid.count
        cy = []; cx = []
        cy.reserveCapacity(k); cx.reserveCapacity(k)
        for iy in 0..<grid.countY {
            for ix in 0..<grid.countX {
                cy.append(Double(grid.startY + iy * grid.stepY))
                cx.append(Double(grid.startX + ix * grid.stepX))
            }
        }
        colour = [Float](repeating: 0, count: k * channels)
        alive = [Bool](repeating: true, count: k)
    }

    var count: Int { cy.count }

    mutating func run(features: SLICFeatures, iterations: Int, spatialWeight: Float,
                      windowY: Int, windowX: Int) -> [Int32] {
        let h = features.height, w = features.width, n = h * w
        var labels = [Int32](repeating: 0, count: n)
        var distance = [Float](repeating: .infinity, count: n)
        var dx2 = [Float](repeating: 0, count: w)
        var sums = [Double](repeating: 0, count: count * (3 + channels))
        for it in 0..<max(0, iterations) {
            assign(features, &labels, &distance, &dx2, spatialWeight, windowY, windowX)
            // skimage recomputes the centres after the last round too, but nothing reads them.
            if it + 1 < iterations { update(features, labels, &sums) }
        }
        return labels
    }

    /// Every live centre claims the pixels in its window that it is strictly
    /// closer to than all earlier centres (skimage's `>` keeps the lower index on ties).
    private mutating func assign(_ f: SLICFeatures, _ labels: inout [Int32], _ distance: inout [Float],
                                 _ dx2: inout [Float], _ sw: Float, _ wy: Int, _ wx: Int) {
        let h = f.height, w = f.width, n = h * w, c = channels
        let dyLimit = Double(2 * wy), dxLimit = Double(2 * wx)
        f.planes.withUnsafeBufferPointer { planes in
            labels.withUnsafeMutableBufferPointer { lab in
                distance.withUnsafeMutableBufferPointer { dist in
                    dx2.withUnsafeMutableBufferPointer { dxs in
                        colour.withUnsafeBufferPointer { col in
                            for i in 0..<n { dist[i] = .infinity }
                            let p0 = planes.baseAddress!
                            for k in 0..<cy.count where alive[k] {
                                let ky = cy[k], kx = cx[k]
                                // skimage truncates the float bounds toward zero.
                                let y0 = Int(max(ky - dyLimit, 0)), y1 = Int(min(ky + dyLimit + 1, Double(h)))
                                let x0 = Int(max(kx - dxLimit, 0)), x1 = Int(min(kx + dxLimit + 1, Double(w)))
                                let span = x1 - x0
                                if span <= 0 || y1 <= y0 { continue }
                                for i in 0..<span {
                                    let d = kx - Double(x0 + i)
                                    dxs[i] = Float(d * d)
                                }
                                let label = Int32(k)
                                let cc = col.baseAddress! + k * c
                                for y in y0..<y1 {
                                    let dyv = ky - Double(y)
                                    let dy2 = Float(dyv * dyv)
                                    let row = y * w + x0
                                    let dRow = dist.baseAddress! + row
                                    let lRow = lab.baseAddress! + row
                                    let dxp = dxs.baseAddress!
                                    let fr = (p0 + row, p0 + min(1, c - 1) * n + row,
                                              p0 + min(2, c - 1) * n + row, p0 + min(3, c - 1) * n + row)
                                    let cv = (cc[0], cc[min(1, c - 1)], cc[min(2, c - 1)], cc[min(3, c - 1)])
                                    switch c {
                                    case 1: SLICRow.assign(1, dRow, lRow, dxp, span, dy2, sw, label, fr, cv)
                                    case 2: SLICRow.assign(2, dRow, lRow, dxp, span, dy2, sw, label, fr, cv)
                                    case 3: SLICRow.assign(3, dRow, lRow, dxp, span, dy2, sw, label, fr, cv)
                                    default: SLICRow.assign(4, dRow, lRow, dxp, span, dy2, sw, label, fr, cv)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Centres move to the mean position and colour of their pixels. Rows are
    /// read as runs of one label, so most of the sums stay in registers.
    private mutating func update(_ f: SLICFeatures, _ labels: [Int32], _ sums: inout [Double]) {
        let h = f.height, w = f.width, n = h * w, c = channels, stride = 3 + c
        let k = count
        for i in sums.indices { sums[i] = 0 }
        sums.withUnsafeMutableBufferPointer { s in
            labels.withUnsafeBufferPointer { lab in
                f.planes.withUnsafeBufferPointer { planes in
                    for y in 0..<h {
                        let row = y * w
                        var x = 0
                        while x < w {
                            let l = lab[row + x]
                            var e = x + 1
                            while e < w && lab[row + e] == l { e += 1 }
                            let len = Double(e - x)
                            let base = Int(l) * stride
                            s[base] += len
                            s[base + 1] += Double(y) * len
                            s[base + 2] += Double(x + e - 1) * len * 0.5
                            for ch in 0..<c {
                                let p = planes.baseAddress! + ch * n + row
                                var acc: Double = 0
                                for i in x..<e { acc += Double(p[i]) }
                                s[base + 3 + ch] += acc
                            }
                            x = e
                        }
                    }
                }
            }
        }
        for j in 0..<k {
            let cnt = sums[j * stride]
            if cnt == 0 {
                alive[j] = false
                continue
            }
            // Pixels no window reached keep their old label, which can bring a centre back, as in skimage.
            alive[j] = true
            cy[j] = sums[j * stride + 1] / cnt
            cx[j] = sums[j * stride + 2] / cnt
            for ch in 0..<c { colour[j * c + ch] = Float(sums[j * stride + 3 + ch] / cnt) }
        }
    }
}

/// The inner loop of the assignment step: distance = (dy² + dx²)·weight +
/// colour², and a strictly smaller distance takes the pixel. Written with
/// explicit vectors (the compiler does not vectorise the conditional store
/// on its own); one function for all channel counts, the unused channels
/// being skipped by constant branches once inlined.
enum SLICRow {
    typealias V = SIMD8<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ i: Int) -> V {
        UnsafeRawPointer(p + i).loadUnaligned(as: V.self)
    }

    @inline(__always)
    static func assign(_ channels: Int, _ dist: UnsafeMutablePointer<Float>, _ lab: UnsafeMutablePointer<Int32>,
                       _ dx2: UnsafePointer<Float>, _ n: Int, _ dy2: Float, _ sw: Float, _ k: Int32,
                       _ f: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
                       _ c: (Float, Float, Float, Float)) {
        let dyv = V(repeating: dy2), swv = V(repeating: sw), kv = SIMD8<Int32>(repeating: k)
        let c0 = V(repeating: c.0), c1 = V(repeating: c.1), c2 = V(repeating: c.2), c3 = V(repeating: c.3)
        var i = 0
        while i + 8 <= n {
            let t0 = load(f.0, i) - c0
            var colour = t0 * t0
            if channels > 1 { let t1 = load(f.1, i) - c1; colour += t1 * t1 }
            if channels > 2 { let t2 = load(f.2, i) - c2; colour += t2 * t2 }
            if channels > 3 { let t3 = load(f.3, i) - c3; colour += t3 * t3 }
            let d = (dyv + load(dx2, i)) * swv + colour
            let old = load(dist, i)
            let better = d .< old
            let dp = UnsafeMutableRawPointer(dist + i), lp = UnsafeMutableRawPointer(lab + i)
            dp.storeBytes(of: old.replacing(with: d, where: better), as: V.self)
            let l = lp.loadUnaligned(as: SIMD8<Int32>.self)
            lp.storeBytes(of: l.replacing(with: kv, where: better), as: SIMD8<Int32>.self)
            i += 8
        }
        while i < n {
            let t0 = f.0[i] - c.0
            var colour = t0 * t0
            if channels > 1 { let t1 = f.1[i] - c.1; colour += t1 * t1 }
            if channels > 2 { let t2 = f.2[i] - c.2; colour += t2 * t2 }
            if channels > 3 { let t3 = f.3[i] - c.3; colour += t3 * t3 }
            let d = (dy2 + dx2[i]) * sw + colour
            if d < dist[i] {
                dist[i] = d
                lab[i] = k
            }
            i += 1
        }
    }
}
