/// scikit-image's `_enforce_label_connectivity_cython` for 2-D labels, and
/// the renumbering used when connectivity is not enforced.
enum LabelConnectivity {
    /// Splits every label into 4-connected pieces, numbered in raster order
    /// of their first pixel. A piece smaller than `minSize` joins the last
    /// already-numbered neighbour its breadth-first search met (the original
    /// paper's rule); a search stops growing at `maxSize` pixels, and the rest
    /// of that piece is found again later as a new piece. O(pixels).
    @inline(never)
    static func enforce(_ labels: [Int32], width w: Int, height h: Int, minSize: Int, maxSize: Int) -> SegmentationResult {
        let n = w * h
        let cap = max(1, maxSize)
        let qcap = min(cap, n)
        var out = [Int32](repeating: -1, count: n)
        var queue = [Int32](unsafeUninitializedCapacity: qcap) { _, c in c = qcap }
        // Columns alongside, so that no division is needed to find a pixel's neighbours.
        var queueX = [Int32](unsafeUninitializedCapacity: qcap) { _, c in c = qcap }
        // Seeds of the span fill (pixel, column); see `spanFill` for the bound.
        let scap = 6 * qcap + 16  // + 1 pair written past the top
        var stack = [Int32](unsafeUninitializedCapacity: 2 * scap) { _, c in c = 2 * scap }
        // Pieces whose search reaches this size go on by runs (`runFill`) or spans
        // (`spanFill`); neither can be kept when `minSize` > `cap`.
        let spanFrom = 8
        let fill = minSize <= cap && cap > spanFrom
        // Rows cut into runs of equal label: `runOf` per pixel, and per run its
        // last pixel (`runEnd[r + 1]`; `runEnd[0]` = -1) and fill stamp.
        // (At least one entry each, so that every buffer has an address.)
        let rn = fill ? n : 0
        var runOf = [Int32](unsafeUninitializedCapacity: max(1, rn)) { _, c in c = max(1, rn) }
        var runEnd = [Int32](unsafeUninitializedCapacity: rn + 1) { _, c in c = rn + 1 }
        let runs = fill ? labels.withUnsafeBufferPointer { seg in
            runOf.withUnsafeMutableBufferPointer { ro in
                runEnd.withUnsafeMutableBufferPointer { re in
                    buildRuns(seg.baseAddress!, ro.baseAddress!, re.baseAddress!, width: w, count: n)
                }
            }
        } : 0
        // Sized by the runs (about a sixth of the pixels on noisy images), not the pixels.
        var seen = [Int32](repeating: -1, count: max(1, runs))
        var runQueue = [Int32](unsafeUninitializedCapacity: runs + 1) { _, c in c = runs + 1 }  // + 1 written past the tail
        var next: Int32 = 0
        var highest: Int32 = -1
        labels.withUnsafeBufferPointer { seg in
            out.withUnsafeMutableBufferPointer { con in
                queue.withUnsafeMutableBufferPointer { q in
                  queueX.withUnsafeMutableBufferPointer { qx in
                   stack.withUnsafeMutableBufferPointer { st in
                    runOf.withUnsafeMutableBufferPointer { ro in
                    runEnd.withUnsafeMutableBufferPointer { re in
                    seen.withUnsafeMutableBufferPointer { sn in
                    runQueue.withUnsafeMutableBufferPointer { rq in
                    let sp = seg.baseAddress!, cp = con.baseAddress!
                    let rop = ro.baseAddress!, rep = re.baseAddress!, snp = sn.baseAddress!, rqp = rq.baseAddress!
                    // Until a piece is cut at `cap`, every piece is a whole component,
                    // which a fill over runs can find without looking at the marks.
                    var cutSeen = false
                    var fills: Int32 = 0
                    for start in 0..<n where con[start] < 0 {
                        let label = seg[start]
                        var adjacent = next
                        con[start] = next
                        q[0] = Int32(start)
                        qx[0] = Int32(start % w)
                        var size = 1, visited = 0
                        var trySpans = fill
                        while visited < size && size < cap {
                            if trySpans && size >= spanFrom {
                                trySpans = false
                                // The rest of the piece at once: the result is the same
                                // whatever the order, unless the piece ends up small
                                // (its neighbour depends on the order) or is cut at `cap`.
                                let total = cutSeen
                                    ? spanFill(seg, con, q, qx, st, from: visited, size: size, label: label,
                                               mark: next, width: w, count: n, cap: cap, minSize: minSize)
                                    : runFill(cp, rop, rep, sp, snp, rqp, from: start, label: label, mark: next,
                                              stamp: fills, width: w, count: n, cap: cap, minSize: minSize)
                                fills &+= 1
                                if total >= 0 {
                                    size = total
                                    visited = total
                                    break
                                }
                                // Left as it was; the breadth-first search goes on where it was.
                            }
                            let p = Int(q[visited]), x = Int(qx[visited])
                            // skimage's neighbour order: x+1, x-1, y+1, y-1.
                            var full = false
                            @inline(__always) func visit(_ m: Int, _ mx: Int) {
                                let lm = con[m]
                                if seg[m] == label && lm < 0 {
                                    con[m] = next
                                    q[size] = Int32(m)
                                    qx[size] = Int32(mx)
                                    size += 1
                                    if size >= cap { full = true }
                                } else if lm >= 0 && lm != next {
                                    adjacent = lm
                                }
                            }
                            if x + 1 < w { visit(p + 1, x + 1) }
                            if !full && x > 0 { visit(p - 1, x - 1) }
                            if !full && p + w < n { visit(p + w, x) }
                            if !full && p >= w { visit(p - w, x) }
                            visited += 1
                        }
                        if visited < size { cutSeen = true }
                        if size < minSize {
                            for i in 0..<size { con[Int(q[i])] = adjacent }
                            highest = max(highest, adjacent)
                        } else {
                            highest = max(highest, next)
                            next += 1
                        }
                    }
                    }}}}
                   }
                  }
                }
            }
        }
        // A small first piece has no numbered neighbour and keeps `next`,
        // which the following piece then shares, so labels stay contiguous.
        return SegmentationResult(width: w, height: h, labels: out, count: Int(highest) + 1)
    }

    /// Cuts the rows into runs of equal label; see `enforce` for the arrays.
    @inline(never)
    static func buildRuns(_ sp: UnsafePointer<Int32>, _ rop: UnsafeMutablePointer<Int32>, _ rep: UnsafeMutablePointer<Int32>,
                          width w: Int, count n: Int) -> Int {
        // Without branches: every pixel rewrites its run's entries.
        rep[0] = -1
        var run = -1, i = 0
        while i < n {
            var prev = ~sp[i]
            for _ in 0..<w {
                let v = sp[i]
                run &+= v != prev ? 1 : 0
                prev = v
                rop[i] = Int32(truncatingIfNeeded: run)
                rep[run &+ 1] = Int32(truncatingIfNeeded: i)
                i &+= 1
            }
        }
        return run &+ 1
    }

    /// The whole component of `from` by runs, marked `mark` if its size is in
    /// `minSize...cap` (then returned), else -1 with nothing changed. Only
    /// valid while no piece has been cut: the marks inside are then all this
    /// piece's, and the result is what `spanFill` would give.
    @inline(never)
    static func runFill(_ cp: UnsafeMutablePointer<Int32>, _ rop: UnsafePointer<Int32>, _ rep: UnsafePointer<Int32>,
                        _ sp: UnsafePointer<Int32>, _ snp: UnsafeMutablePointer<Int32>, _ rq: UnsafeMutablePointer<Int32>,
                        from: Int, label: Int32, mark: Int32, stamp: Int32, width w: Int, count n: Int,
                        cap: Int, minSize: Int) -> Int {
        let r0 = Int(rop[from])
        snp[r0] = stamp
        rq[0] = Int32(truncatingIfNeeded: r0)
        var head = 0, tail = 1, total = 0
        @inline(__always) func scan(_ a: Int, _ b: Int) {
            // Runs of the neighbouring row overlapping pixels a...b; every one is written, kept if new.
            var j = Int(rop[a])
            while true {
                let end = Int(rep[j &+ 1])
                // Bit arithmetic, as the compiler would branch on `==` here, at random.
                let d = sp[end] ^ label, old = snp[j], s = old ^ stamp
                let e = (UInt32(bitPattern: (d | (0 &- d)) ^ -1) & UInt32(bitPattern: s | (0 &- s))) >> 31
                snp[j] = old ^ (s & (0 &- Int32(bitPattern: e)))
                rq[tail] = Int32(truncatingIfNeeded: j)
                tail &+= Int(e)
                if end >= b { break }
                j &+= 1
            }
        }
        // First in, first out: the next run's loads do not wait on the last scan.
        while head < tail {
            let r = Int(rq[head])
            head &+= 1
            let a = Int(rep[r]) &+ 1, b = Int(rep[r &+ 1])
            total &+= b &- a &+ 1
            if total > cap { return -1 }
            if b &+ w < n { scan(a &+ w, b &+ w) }
            if a >= w { scan(a &- w, b &- w) }
        }
        if total < minSize { return -1 }
        // Eight stores whatever the length (repeats rewrite the last pixel): runs are
        // mostly that short, and a branch on their length would be mispredicted.
        let four = SIMD4<Int32>(repeating: mark)
        for k in 0..<tail {
            let r = Int(rq[k])
            let a = Int(rep[r]) &+ 1, b = Int(rep[r &+ 1])
            for t in 0..<8 { cp[min(a &+ t, b)] = mark }
            if b &- a >= 8 {
                var m = a &+ 8
                while m < b &- 3 { UnsafeMutableRawPointer(cp + m).storeBytes(of: four, as: SIMD4<Int32>.self); m &+= 4 }
                UnsafeMutableRawPointer(cp + (b &- 3)).storeBytes(of: four, as: SIMD4<Int32>.self)
            }
        }
        return total
    }

    /// Finishes a piece whose breadth-first search holds `q[0..<size]`, of
    /// which `q[from..<size]` are not yet expanded, by a scanline fill that
    /// adds the rest of the piece to `q[size...]` and returns its whole size,
    /// if that is in `minSize...cap`: then the piece is the same as the
    /// search would give. Otherwise (the search's order decides the result)
    /// it takes back its marks and returns -1. Seeds: at most 4 per
    /// unexpanded pixel, plus at most L + 1 per span of L pixels, and spans
    /// hold at most `min(cap, n)` pixels: 6 * min(cap, n) pairs suffice.
    @inline(never)
    static func spanFill(_ seg: UnsafeBufferPointer<Int32>, _ con: UnsafeMutableBufferPointer<Int32>,
                         _ q: UnsafeMutableBufferPointer<Int32>, _ qx: UnsafeMutableBufferPointer<Int32>,
                         _ st: UnsafeMutableBufferPointer<Int32>, from: Int, size size0: Int, label: Int32,
                         mark: Int32, width w: Int, count n: Int, cap: Int, minSize: Int) -> Int {
        let sp = seg.baseAddress!, cp = con.baseAddress!, stp = st.baseAddress!
        var top = 0
        @inline(__always) func eligible(_ m: Int) -> Bool { sp[m] == label && cp[m] < 0 }
        @inline(__always) func push(_ m: Int, _ x: Int) {
            stp[top] = Int32(m); stp[top + 1] = Int32(x); top += 2
        }
        for i in from..<size0 {
            let p = Int(q[i]), x = Int(qx[i])
            if x + 1 < w && eligible(p + 1) { push(p + 1, x + 1) }
            if x > 0 && eligible(p - 1) { push(p - 1, x - 1) }
            if p + w < n && eligible(p + w) { push(p + w, x) }
            if p >= w && eligible(p - w) { push(p - w, x) }
        }
        var size = size0
        var overflow = false
        @inline(__always) func scanRow(_ r: Int, _ xl: Int, _ xr: Int) {
            // r: the first pixel of the neighbouring row's range, column xl.
            // Without branches: a seed is written every time, kept at a run's start.
            var prev = 0
            var m = r
            for x in xl...xr {
                let e = (sp[m] == label ? 1 : 0) & Int(UInt32(bitPattern: cp[m]) >> 31)
                stp[top] = Int32(truncatingIfNeeded: m)
                stp[top + 1] = Int32(truncatingIfNeeded: x)
                top &+= (e & ~prev) &<< 1
                prev = e
                m &+= 1
            }
        }
        while top > 0 {
            top -= 2
            let s = Int(stp[top]), sx = Int(stp[top + 1])
            if cp[s] >= 0 { continue }
            var l = s, xl = sx
            while xl > 0 && eligible(l - 1) { l -= 1; xl -= 1 }
            var xr = sx
            let rowEnd = s - sx + w - 1
            var r = s
            while r < rowEnd && eligible(r + 1) { r += 1; xr += 1 }
            let len = xr - xl + 1
            if size + len > cap { overflow = true; break }
            var x = xl
            for m in l...r {
                cp[m] = mark
                q[size] = Int32(truncatingIfNeeded: m)
                qx[size] = Int32(truncatingIfNeeded: x)
                size &+= 1
                x &+= 1
            }
            if l + w < n { scanRow(l + w, xl, xr) }
            if l >= w { scanRow(l - w, xl, xr) }
        }
        if overflow || size < minSize {
            for i in size0..<size { cp[Int(q[i])] = -1 }
            return -1
        }
        return size
    }

    /// Renumbers the labels in use to 0..<count, keeping their order; returns count.
    static func compact(_ labels: inout [Int32]) -> Int {
        guard let top = labels.max() else { return 0 }
        var map = [Int32](repeating: -1, count: Int(top) + 1)
        for l in labels { map[Int(l)] = 0 }
        var next: Int32 = 0
        for i in map.indices where map[i] == 0 {
            map[i] = next
            next += 1
        }
        for i in labels.indices { labels[i] = map[Int(labels[i])] }
        return Int(next)
    }
}
