import Dispatch
import Foundation

/// The k-means state of one SLIC run: centres (position in Double, colour in
/// Float32) and the per-pixel buffers, all allocated once per run.
struct SLICClusters {
    let grid: SLICGrid
    let channels: Int
    var cy: [Double], cx: [Double]
    /// `channels` values per centre; skimage starts every centre at colour 0.
    var colour: [Float]
    /// False for a centre that lost all its pixels: skimage's division by
    /// zero makes it NaN, so it never wins a pixel again.
    var alive: [Bool]

    init(grid: SLICGrid, channels: Int) {
        self.grid = grid
        self.channels = channels
        cy = []; cx = []
        cy.reserveCapacity(grid.count); cx.reserveCapacity(grid.count)
        for iy in 0..<grid.countY {
            for ix in 0..<grid.countX {
                cy.append(Double(grid.startY + iy * grid.stepY))
                cx.append(Double(grid.startX + ix * grid.stepX))
            }
        }
        colour = [Float](repeating: 0, count: grid.count * channels)
        alive = [Bool](repeating: true, count: grid.count)
    }

    var count: Int { cy.count }

    /// How many row bands the assignment is split into: by default one per
    /// core, but only for images large enough to pay for the threads.
    static func bands(pixels: Int, rows: Int, threads: Int) -> Int {
        if threads > 0 { return max(1, min(threads, rows)) }
        return max(1, min(ProcessInfo.processInfo.activeProcessorCount, pixels / 8_192, rows))
    }

    mutating func run(features: SLICFeatures, iterations: Int, spatialWeight: Double,
                      windowY: Int, windowX: Int, threads: Int, prefixLimit: Int,
                      reference: Bool = false) -> [Int32] {
        let h = features.height, w = features.width, n = h * w
        var labels = [Int32](repeating: 0, count: n)
        guard iterations > 0 else { return labels }
        // The packed round works on rows padded to whole 8-lane chunks, so
        // that every load and store of a distance uses the same chunk grid.
        let stride = (w + 7) & ~7
        // Uninitialised: both rounds set every row before reading it.
        var distance = [Float](unsafeUninitializedCapacity: h * stride) { _, c in c = h * stride }
        let padded = stride == w ? [] : SLICClusters.paddedPlanes(features, stride: stride)
        var windows = SLICWindows(clusters: count)
        // Per centre: the feature sums (4 lanes, those past `channels` unused), then count, y-sum, x-sum, unused.
        var sums = [Double](repeating: 0, count: count * 8)
        // Each row's prefix sums of the features, for all rows at once while
        // that stays small (the features never change), else one row at a time.
        let allRows = (w + 1) * h * channels <= prefixLimit
        // 4 more, as the last sum is read 4 Doubles at a time.
        // Uninitialised but for those 4: `prefixSums` writes every row it covers.
        let sumsCount = (w + 1) * channels * (allRows ? h : 1) + 4
        var rowSums = [Double](unsafeUninitializedCapacity: sumsCount) { b, c in
            (b.baseAddress! + sumsCount - 4).initialize(repeating: 0, count: 4)
            c = sumsCount
        }
        if allRows { SLICClusters.prefixSums(features, rows: 0..<h, into: &rowSums) }
        let bands = SLICClusters.bands(pixels: n, rows: h, threads: threads)
        let firstDone = seedAssign(&labels, h, w, windowY, windowX)
        if firstDone && iterations > 1 { update(features, labels, &sums, &rowSums, allRows) }
        for it in (firstDone ? 1 : 0)..<iterations {
            windows.place(self, height: h, width: w, reachY: 2 * windowY, reachX: 2 * windowX, weight: spatialWeight)
            assign(features, padded, stride, &labels, &distance, windows, spatialWeight, bands: bands, reference: reference)
            // skimage recomputes the centres after the last round too, but nothing reads them.
            if it + 1 < iterations { update(features, labels, &sums, &rowSums, allRows) }
        }
        return labels
    }

    /// The first round in closed form. All centres start with colour 0, so
    /// every centre sees the same colour term at a pixel and the nearest grid
    /// point wins, ties going to the lower index. On a grid that is the
    /// nearest row of seeds and the nearest column, each tie to the lower.
    /// Returns false (leaving the general round to run) if some pixel's
    /// nearest seed did not have it in its window, which the grid rules out.
    private func seedAssign(_ labels: inout [Int32], _ h: Int, _ w: Int, _ wy: Int, _ wx: Int) -> Bool {
        func nearest(_ n: Int, _ start: Int, _ step: Int, _ count: Int, _ reach: Int) -> [Int32]? {
            var out = [Int32](repeating: 0, count: n)
            for p in 0..<n {
                var best = 0, bestD = Int.max
                for i in 0..<count {
                    let d = abs(p - (start + i * step))
                    if d < bestD { best = i; bestD = d }
                }
                // The window of a centre at integer c is [c - reach, c + reach].
                if bestD > reach { return nil }
                out[p] = Int32(best)
            }
            return out
        }
        guard let rows = nearest(h, grid.startY, grid.stepY, grid.countY, 2 * wy),
              let cols = nearest(w, grid.startX, grid.stepX, grid.countX, 2 * wx) else { return false }
        let perRow = Int32(grid.countX)
        labels.withUnsafeMutableBufferPointer { lab in
            cols.withUnsafeBufferPointer { cp in
                let c = cp.baseAddress!
                for y in 0..<h {
                    let base = rows[y] * perRow, row = lab.baseAddress! + y * w
                    for x in 0..<w { row[x] = base &+ c[x] }
                }
            }
        }
        return true
    }

    /// The features with each row padded by zeros to `stride` samples.
    static func paddedPlanes(_ f: SLICFeatures, stride: Int) -> [Float] {
        let h = f.height, w = f.width, c = f.channels, n = h * w
        var out = [Float](repeating: 0, count: c * h * stride)
        f.planes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for ch in 0..<c {
                    for y in 0..<h {
                        (dst.baseAddress! + ch * h * stride + y * stride)
                            .update(from: src.baseAddress! + ch * n + y * w, count: w)
                    }
                }
            }
        }
        return out
    }

    private func assign(_ f: SLICFeatures, _ padded: [Float], _ stride: Int, _ labels: inout [Int32],
                        _ distance: inout [Float], _ windows: SLICWindows, _ sw: Double, bands: Int,
                        reference: Bool) {
        let h = f.height, w = f.width
        (padded.isEmpty ? f.planes : padded).withUnsafeBufferPointer { paddedPlanes in
        f.planes.withUnsafeBufferPointer { planes in
            labels.withUnsafeMutableBufferPointer { lab in
                distance.withUnsafeMutableBufferPointer { dist in
                    colour.withUnsafeBufferPointer { col in
                        cy.withUnsafeBufferPointer { cyp in
                            alive.withUnsafeBufferPointer { al in
                                windows.withPointers { win in
                                    let job = SLICAssignJob(
                                        width: w, height: h, channels: channels, clusters: cy.count,
                                        planes: planes.baseAddress!, labels: lab.baseAddress!, distance: dist.baseAddress!,
                                        colour: col.baseAddress!, cy: cyp.baseAddress!,
                                        alive: al.baseAddress!, windows: win, sw: sw, reference: reference,
                                        paddedPlanes: paddedPlanes.baseAddress!, stride: stride)
                                    if bands <= 1 {
                                        job.run(rows: 0..<h)
                                    } else {
                                        DispatchQueue.concurrentPerform(iterations: bands) { b in
                                            job.run(rows: (h * b / bands)..<(h * (b + 1) / bands))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        }
    }

    /// Centres move to the mean position and colour of their pixels. Each
    /// row is cut into runs of one label, and a run adds its length, its
    /// coordinate sums in closed form and its feature sums from the row's
    /// prefix sums.
    private mutating func update(_ f: SLICFeatures, _ labels: [Int32], _ sums: inout [Double],
                                 _ rowSums: inout [Double], _ allRows: Bool) {
        switch channels {
        case 1: accumulate(f, labels, &sums, &rowSums, allRows, Channels1.self)
        case 2: accumulate(f, labels, &sums, &rowSums, allRows, Channels2.self)
        case 3: accumulate(f, labels, &sums, &rowSums, allRows, Channels3.self)
        default: accumulate(f, labels, &sums, &rowSums, allRows, Channels4.self)
        }
        let c = channels, stride = 8
        for j in 0..<count {
            let cnt = sums[j * stride + 4]
            if cnt == 0 {
                alive[j] = false
                continue
            }
            // Pixels no window reached keep their old label, which can bring a centre back, as in skimage.
            alive[j] = true
            cy[j] = sums[j * stride + 5] / cnt
            cx[j] = sums[j * stride + 6] / cnt
            for ch in 0..<c { colour[j * c + ch] = Float(sums[j * stride + ch] / cnt) }
        }
    }

    /// Per row, the sums of the first x features (x = 0...w), the channels
    /// of one x side by side; row r of `rows` goes to the r-th block of `out`.
    static func prefixSums(_ f: SLICFeatures, rows: Range<Int>, into out: inout [Double]) {
        switch f.channels {
        case 1: prefixSums(f, rows, &out, Channels1.self)
        case 2: prefixSums(f, rows, &out, Channels2.self)
        case 3: prefixSums(f, rows, &out, Channels3.self)
        default: prefixSums(f, rows, &out, Channels4.self)
        }
    }

    private static func prefixSums<C: ChannelCount>(_ f: SLICFeatures, _ rows: Range<Int>, _ out: inout [Double],
                                                       _: C.Type) {
        let w = f.width, n = f.height * w, c = C.count
        f.planes.withUnsafeBufferPointer { planes in
            out.withUnsafeMutableBufferPointer { o in
                let fp = planes.baseAddress!
                for (r, y) in rows.enumerated() {
                    let p = o.baseAddress! + r * (w + 1) * c
                    // One running sum per channel, independent of each other.
                    var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
                    for ch in 0..<c { p[ch] = 0 }
                    for x in 0..<w {
                        let i = y * w + x
                        a0 += Double(fp[i])
                        p[(x + 1) * c] = a0
                        if c > 1 { a1 += Double(fp[n + i]); p[(x + 1) * c + 1] = a1 }
                        if c > 2 { a2 += Double(fp[2 * n + i]); p[(x + 1) * c + 2] = a2 }
                        if c > 3 { a3 += Double(fp[3 * n + i]); p[(x + 1) * c + 3] = a3 }
                    }
                }
            }
        }
    }

    private func accumulate<C: ChannelCount>(_ f: SLICFeatures, _ labels: [Int32], _ sums: inout [Double],
                                                 _ rowSums: inout [Double], _ allRows: Bool,
                                                 _: C.Type) {
        let h = f.height, w = f.width, c = C.count, stride = 8
        for i in sums.indices { sums[i] = 0 }
        for y in 0..<h {
            if !allRows { SLICClusters.prefixSums(f, rows: y..<(y + 1), into: &rowSums) }
            sums.withUnsafeMutableBufferPointer { s in
                labels.withUnsafeBufferPointer { lab in
                    rowSums.withUnsafeBufferPointer { pre in
                        let p = pre.baseAddress! + (allRows ? y * (w + 1) * c : 0)
                        let row = lab.baseAddress! + y * w
                        let yd = Double(y)
                        var start = 0
                        // The prefix sum where the current run starts: the end of the one before.
                        var ps = UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
                        let records = s.baseAddress!
                        @inline(__always) func add(_ e: Int) {
                            let base = UnsafeMutableRawPointer(records + Int(row[start]) &* stride)
                            let len = Double(e &- start)
                            // Lane by lane the same Double operations as one sum at a time.
                            let pe = UnsafeRawPointer(p + e &* c).loadUnaligned(as: SIMD4<Double>.self)
                            let fs = base.loadUnaligned(as: SIMD4<Double>.self) + (pe - ps)
                            base.storeBytes(of: fs, as: SIMD4<Double>.self)
                            let pos = SIMD4<Double>(len, yd * len, Double(start &+ e &- 1) * len * 0.5, 0)
                            let ks = base.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self) + pos
                            base.storeBytes(of: ks, toByteOffset: 32, as: SIMD4<Double>.self)
                            start = e
                            ps = pe
                        }
                        // Runs end where a label differs from the one before: found 64
                        // columns at a time as the bits of a word, so that only the
                        // runs, not the pixels, cost a step (and a branch).
                        var x = 1
                        while x + 8 <= w {
                            let chunks = min(8, (w - x) >> 3)
                            var bits: UInt64 = 0
                            for j in 0..<chunks { bits |= UInt64(SLICClusters.differs(row + x + 8 * j)) << (8 * j) }
                            while bits != 0 {
                                add(x + bits.trailingZeroBitCount)
                                bits &= bits &- 1
                            }
                            x += 8 * chunks
                        }
                        while x < w {
                            if row[x] != row[x - 1] { add(x) }
                            x += 1
                        }
                        add(w)
                    }
                }
            }
        }
    }
}

extension SLICClusters {
    /// Bit i set where label i + 1 differs from label i, for the 8 labels
    /// from `p`: the compare's lanes narrowed to bytes, then gathered into
    /// one byte by a multiply (no vector mask-to-bits operation in Swift).
    @inline(__always)
    fileprivate static func differs(_ p: UnsafePointer<Int32>) -> UInt8 {
        let cur = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Int32>.self)
        let prev = UnsafeRawPointer(p - 1).loadUnaligned(as: SIMD8<Int32>.self)
        let same = SIMD8<Int32>(repeating: 0).replacing(with: -1, where: cur .== prev)
        let b = SIMD8<UInt8>(UInt8(truncatingIfNeeded: same[0]), UInt8(truncatingIfNeeded: same[1]),
                             UInt8(truncatingIfNeeded: same[2]), UInt8(truncatingIfNeeded: same[3]),
                             UInt8(truncatingIfNeeded: same[4]), UInt8(truncatingIfNeeded: same[5]),
                             UInt8(truncatingIfNeeded: same[6]), UInt8(truncatingIfNeeded: same[7]))
        let m = ~unsafeBitCast(b, to: UInt64.self) & 0x0101_0101_0101_0101
        return UInt8(truncatingIfNeeded: (m &* 0x0102_0408_1020_4080) >> 56)
    }
}
