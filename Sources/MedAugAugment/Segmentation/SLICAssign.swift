/// The search windows of one round: skimage's bounds (centre ± two grid
/// steps, truncated toward zero, clipped to the image) and each centre's
/// weighted squared x distances across its window, computed once and
/// shared by all rows and threads.
struct SLICWindows {
    var y0: [Int32], y1: [Int32], x0: [Int32], x1: [Int32]
    var dxOffset: [Int]
    var dx2: [Float] = []

    init(clusters: Int) {
        y0 = [Int32](repeating: 0, count: clusters); y1 = y0; x0 = y0; x1 = y0
        dxOffset = [Int](repeating: 0, count: clusters)
    }

    mutating func place(_ c: SLICClusters, height h: Int, width w: Int, reachY: Int, reachX: Int, weight: Double) {
        // Each centre's entries cover whole 8-lane chunks of the row (x from
        // the window's start rounded down to a multiple of 8 to its end
        // rounded up), +infinity outside the window; dxOffset points at the
        // window's first column.
        let span = min(w, 2 * reachX + 1) + 16
        if dx2.count < c.count * span { dx2 = [Float](repeating: 0, count: c.count * span) }
        let ry = Double(reachY), rx = Double(reachX)
        var offset = 0
        for k in 0..<c.count where c.alive[k] {
            let ky = c.cy[k], kx = c.cx[k]
            let a = Int(max(ky - ry, 0)), b = Int(min(ky + ry + 1, Double(h)))
            let l = Int(max(kx - rx, 0)), r = Int(min(kx + rx + 1, Double(w)))
            y0[k] = Int32(a); y1[k] = Int32(max(a, b))
            x0[k] = Int32(l); x1[k] = Int32(max(l, r))
            let r2 = max(l, r)
            let ca = l & ~7, cb = (r2 + 7) & ~7
            dx2.withUnsafeMutableBufferPointer { t in
                let p = t.baseAddress! + offset - ca
                for x in ca..<l { p[x] = .infinity }
                // Four columns at a time: each lane the same Double arithmetic and rounding.
                var x = l
                let kv = SIMD4<Double>(repeating: kx), step = SIMD4<Double>(repeating: 4)
                let wv = SIMD4<Double>(repeating: weight)
                // The columns as Doubles, stepped (exactly) rather than converted each time.
                var xs = SIMD4<Double>(repeating: Double(l)) + SIMD4<Double>(0, 1, 2, 3)
                while x &+ 4 <= r2 {
                    let d = kv - xs
                    UnsafeMutableRawPointer(p + x).storeBytes(of: SIMD4<Float>(d * d * wv), as: SIMD4<Float>.self)
                    xs += step
                    x &+= 4
                }
                while x < r2 {
                    let d = kx - Double(x)
                    p[x] = Float(d * d * weight)
                    x += 1
                }
                for x in r2..<cb { p[x] = .infinity }
            }
            dxOffset[k] = offset + (l - ca)
            offset += cb - ca
        }
    }

    func withPointers<R>(_ body: (SLICWindowPointers) -> R) -> R {
        y0.withUnsafeBufferPointer { a in
            y1.withUnsafeBufferPointer { b in
                x0.withUnsafeBufferPointer { l in
                    x1.withUnsafeBufferPointer { r in
                        dxOffset.withUnsafeBufferPointer { o in
                            dx2.withUnsafeBufferPointer { d in
                                body(SLICWindowPointers(y0: a.baseAddress!, y1: b.baseAddress!, x0: l.baseAddress!,
                                                        x1: r.baseAddress!, dxOffset: o.baseAddress!, dx2: d.baseAddress!))
                            }
                        }
                    }
                }
            }
        }
    }
}

struct SLICWindowPointers: @unchecked Sendable {
    let y0: UnsafePointer<Int32>, y1: UnsafePointer<Int32>, x0: UnsafePointer<Int32>, x1: UnsafePointer<Int32>
    let dxOffset: UnsafePointer<Int>
    let dx2: UnsafePointer<Float>
}

/// One assignment round over a band of rows, by raw pointers so that bands
/// can run on several threads (they write disjoint rows). As in skimage,
/// every distance starts at infinity and the centres claim pixels in index
/// order, a strictly smaller distance winning, so each pixel ends with the
/// lowest-index centre among those at its minimum distance; a pixel that no
/// window reaches keeps its label. `runReference` does exactly that;
/// `runPacked` (SLICPackedAssign.swift) does it with less work.
struct SLICAssignJob: @unchecked Sendable {
    let width: Int, height: Int, channels: Int, clusters: Int
    let planes: UnsafePointer<Float>
    let labels: UnsafeMutablePointer<Int32>
    let distance: UnsafeMutablePointer<Float>
    let colour: UnsafePointer<Float>
    let cy: UnsafePointer<Double>
    let alive: UnsafePointer<Bool>
    let windows: SLICWindowPointers
    /// The spatial weight, 1 / step².
    let sw: Double
    let reference: Bool
    /// The features with rows padded to `stride` (a multiple of 8), for the
    /// packed round; `distance` holds `height * stride` values.
    let paddedPlanes: UnsafePointer<Float>
    let stride: Int

    func run(rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        let bits = SLICAssignJob.packedBits(clusters: clusters)
        if reference || bits > SLICAssignJob.maxPackedBits {
            runReference(rows: rows)
            return
        }
        switch channels {
        case 1: runPacked(rows, bits: bits, Channels1.self)
        case 2: runPacked(rows, bits: bits, Channels2.self)
        case 3: runPacked(rows, bits: bits, Channels3.self)
        default: runPacked(rows, bits: bits, Channels4.self)
        }
    }

    func runReference(rows: Range<Int>) {
        (distance + rows.lowerBound * width).update(repeating: .infinity, count: rows.count * width)
        switch channels {
        case 1: runReference(rows, Channels1.self)
        case 2: runReference(rows, Channels2.self)
        case 3: runReference(rows, Channels3.self)
        default: runReference(rows, Channels4.self)
        }
    }

    private func runReference<C: ChannelCount>(_ rows: Range<Int>, _: C.Type) {
        let w = width
        for k in 0..<clusters where alive[k] {
            let ya = max(Int(windows.y0[k]), rows.lowerBound), yb = min(Int(windows.y1[k]), rows.upperBound)
            let xa = Int(windows.x0[k]), xb = Int(windows.x1[k])
            if xa >= xb || ya >= yb { continue }
            let dx = windows.dx2 + windows.dxOffset[k]
            let cv = centreColour(k, C.self)
            let label = Int32(k), span = xb - xa
            for y in ya..<yb {
                let dyv = cy[k] - Double(y)
                let row = y * w + xa
                SLICRow.assign(C.self, distance + row, labels + row, dx, span, Float(dyv * dyv * sw), label,
                               features(row, C.self), cv)
            }
        }
    }

    /// Pointers to the features of pixel `i` in each channel (repeating the
    /// last channel past `C.count`, where nothing reads them).
    @inline(__always)
    func features<C: ChannelCount>(_ i: Int, _: C.Type)
        -> (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>) {
        let c = C.count, n = width * height
        return (planes + i, planes + min(1, c - 1) * n + i, planes + min(2, c - 1) * n + i, planes + min(3, c - 1) * n + i)
    }

    @inline(__always)
    func centreColour<C: ChannelCount>(_ k: Int, _: C.Type) -> (Float, Float, Float, Float) {
        let c = C.count, cc = colour + k * c
        return (cc[0], cc[min(1, c - 1)], cc[min(2, c - 1)], cc[min(3, c - 1)])
    }
}

/// The inner loops of the assignment step: distance = dy²·weight +
/// dx²·weight + colour² (`distance`). Explicit vectors, since the compiler
/// does not vectorise the conditional store on its own.
enum SLICRow {
    typealias V = SIMD8<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ i: Int) -> V {
        UnsafeRawPointer(p + i).loadUnaligned(as: V.self)
    }

    /// dy²·weight + dx²·weight + colour², the one expression both rounds
    /// use, so that they agree to the bit; `spatial` is the first sum. The
    /// weighted squares come ready (per centre and row, per window column)
    /// and the colour terms are fused multiply-adds where the processor has
    /// them: 7 vector operations per 8 pixels instead of 11. skimage adds in
    /// float64; the rounding here differs from it in the last Float32 bits only.
    @inline(__always)
    static func distance<C: ChannelCount>(
        _: C.Type, _ spatial: V,
        _ f: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>), _ i: Int,
        _ c: (V, V, V, V)
    ) -> V {
        let channels = C.count
        let t0 = load(f.0, i) - c.0
        var d = madd(t0, t0, spatial)
        if channels > 1 { let t1 = load(f.1, i) - c.1; d = madd(t1, t1, d) }
        if channels > 2 { let t2 = load(f.2, i) - c.2; d = madd(t2, t2, d) }
        if channels > 3 { let t3 = load(f.3, i) - c.3; d = madd(t3, t3, d) }
        return d
    }

    /// a·b + c: one instruction with FMA; on a baseline build a multiply and
    /// an add (a libm call per lane would cost more than SLIC gains).
    @inline(__always)
    static func madd(_ a: V, _ b: V, _ c: V) -> V {
        #if MEDAUG_FMA
        c.addingProduct(a, b)
        #else
        a * b + c
        #endif
    }

    @inline(__always)
    static func assign<C: ChannelCount>(
        _: C.Type, _ dist: UnsafeMutablePointer<Float>, _ lab: UnsafeMutablePointer<Int32>,
        _ dx2: UnsafePointer<Float>, _ n: Int, _ dy2: Float, _ k: Int32,
        _ f: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
        _ c: (Float, Float, Float, Float)
    ) {
        let dyv = V(repeating: dy2), kv = SIMD8<Int32>(repeating: k)
        let c0 = V(repeating: c.0), c1 = V(repeating: c.1), c2 = V(repeating: c.2), c3 = V(repeating: c.3)
        @inline(__always) func chunk(_ i: Int) {
            let old = load(dist, i)
            let d = distance(C.self, dyv + load(dx2, i), f, i, (c0, c1, c2, c3))
            let better = d .< old
            UnsafeMutableRawPointer(dist + i).storeBytes(of: old.replacing(with: d, where: better), as: V.self)
            let lp = UnsafeMutableRawPointer(lab + i)
            lp.storeBytes(of: lp.loadUnaligned(as: SIMD8<Int32>.self).replacing(with: kv, where: better),
                          as: SIMD8<Int32>.self)
        }
        var i = 0
        while i + 8 <= n {
            chunk(i)
            i += 8
        }
        if i < n && n >= 8 {
            // The last pixels as one more chunk ending at n: the lanes done
            // already hold this centre's distance or a smaller one, and an
            // equal distance does not replace.
            chunk(n - 8)
            return
        }
        guard i < n else { return }
        // A window narrower than a chunk: its pixels copied into one padded
        // chunk, so that they get the same vector arithmetic as the rest.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 40) { t in
            let b = UnsafePointer(t.baseAddress!), m = t.baseAddress!
            m.initialize(repeating: 0, count: 40)
            for j in 0..<n {
                m[j] = dx2[j]; m[8 + j] = f.0[j]; m[16 + j] = f.1[j]; m[24 + j] = f.2[j]; m[32 + j] = f.3[j]
            }
            let d = distance(C.self, dyv + load(b, 0), (b + 8, b + 16, b + 24, b + 32), 0, (c0, c1, c2, c3))
            for j in 0..<n where d[j] < dist[j] {
                dist[j] = d[j]
                lab[j] = k
            }
        }
    }
}
