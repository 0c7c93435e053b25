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
        return max(1, min(ProcessInfo.processInfo.activeProcessorCount, pixels / 40_000, rows))
    }

    mutating func run(features: SLICFeatures, iterations: Int, spatialWeight: Float,
                      windowY: Int, windowX: Int, threads: Int) -> [Int32] {
        let h = features.height, w = features.width, n = h * w
        var labels = [Int32](repeating: 0, count: n)
        guard iterations > 0 else { return labels }
        var distance = [Float](repeating: .infinity, count: n)
        var windows = SLICWindows(clusters: count, width: w)
        var sums = [Double](repeating: 0, count: count * (3 + channels))
        let bands = SLICClusters.bands(pixels: n, rows: h, threads: threads)
        // The features never change, so each run of one label in a row sums in O(1).
        let prefix = SLICClusters.rowPrefixSums(features)
        var seeded = seedAssign(&labels, h, w, windowY, windowX)
        if seeded && iterations > 1 { update(features, prefix, labels, &sums) }
        for it in (seeded ? 1 : 0)..<iterations {
            windows.place(self, height: h, width: w, reachY: 2 * windowY, reachX: 2 * windowX)
            let ta = nowMs()
            assign(features, &labels, &distance, &windows, spatialWeight, bands: bands)
            slicPhase[3] += nowMs() - ta
            seeded = true
            // skimage recomputes the centres after the last round too, but nothing reads them.
            if it + 1 < iterations { update(features, prefix, labels, &sums) }
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
            for y in 0..<h {
                let base = rows[y] * perRow
                for x in 0..<w { lab[y * w + x] = base + cols[x] }
            }
        }
        return true
    }

    /// Per row and channel, the sums of the first x features (w + 1 entries per row).
    static func rowPrefixSums(_ f: SLICFeatures) -> [Double] {
        let h = f.height, w = f.width, n = h * w
        var out = [Double](repeating: 0, count: f.channels * h * (w + 1))
        f.planes.withUnsafeBufferPointer { planes in
            out.withUnsafeMutableBufferPointer { o in
                for ch in 0..<f.channels {
                    for y in 0..<h {
                        let src = planes.baseAddress! + ch * n + y * w
                        let dst = o.baseAddress! + (ch * h + y) * (w + 1)
                        var acc = 0.0
                        dst[0] = 0
                        for x in 0..<w {
                            acc += Double(src[x])
                            dst[x + 1] = acc
                        }
                    }
                }
            }
        }
        return out
    }

    private func assign(_ f: SLICFeatures, _ labels: inout [Int32], _ distance: inout [Float],
                        _ windows: inout SLICWindows, _ sw: Float, bands: Int) {
        let h = f.height, w = f.width
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
                                        colour: col.baseAddress!, cy: cyp.baseAddress!, alive: al.baseAddress!,
                                        windows: win, sw: sw)
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

    /// Centres move to the mean position and colour of their pixels, read
    /// row by row as runs of one label.
    private mutating func update(_ f: SLICFeatures, _ prefix: [Double], _ labels: [Int32], _ sums: inout [Double]) {
        let h = f.height, w = f.width, c = channels, stride = 3 + c
        for i in sums.indices { sums[i] = 0 }
        sums.withUnsafeMutableBufferPointer { s in
            labels.withUnsafeBufferPointer { lab in
                prefix.withUnsafeBufferPointer { pre in
                    for y in 0..<h {
                        let row = lab.baseAddress! + y * w
                        var x = 0
                        while x < w {
                            let l = row[x]
                            let e = SLICClusters.runEnd(row, x, w)
                            dbgRuns &+= 1
                            let len = Double(e - x)
                            let base = Int(l) * stride
                            s[base] += len
                            s[base + 1] += Double(y) * len
                            s[base + 2] += Double(x + e - 1) * len * 0.5
                            for ch in 0..<c {
                                let p = pre.baseAddress! + (ch * h + y) * (w + 1)
                                s[base + 3 + ch] += p[e] - p[x]
                            }
                            x = e
                        }
                    }
                }
            }
        }
        for j in 0..<count {
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

    /// The end of the run of equal labels starting at x, four labels per
    /// step as two 64-bit words.
    @inline(__always)
    static func runEnd(_ row: UnsafePointer<Int32>, _ x: Int, _ w: Int) -> Int {
        let l = row[x]
        let pair = UInt64(UInt32(bitPattern: l)) &* 0x1_0000_0001
        var e = x + 1
        while e + 4 <= w {
            let p = UnsafeRawPointer(row + e)
            if p.loadUnaligned(as: UInt64.self) != pair || p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) != pair {
                break
            }
            e += 4
        }
        while e < w && row[e] == l { e += 1 }
        return e
    }
}

nonisolated(unsafe) public var dbgRuns = 0
