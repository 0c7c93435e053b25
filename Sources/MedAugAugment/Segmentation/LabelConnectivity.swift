/// scikit-image's `_enforce_label_connectivity_cython` for 2-D labels, and
/// the renumbering used when connectivity is not enforced.
enum LabelConnectivity {
    /// Splits every label into 4-connected pieces, numbered in raster order
    /// of their first pixel. A piece smaller than `minSize` joins the last
    /// already-numbered neighbour its breadth-first search met (the original
    /// paper's rule); a search stops growing at `maxSize` pixels, and the rest
    /// of that piece is found again later as a new piece. O(pixels).
    static func enforce(_ labels: [Int32], width w: Int, height h: Int, minSize: Int, maxSize: Int) -> SegmentationResult {
        let n = w * h
        let cap = max(1, maxSize)
        var out = [Int32](repeating: -1, count: n)
        var queue = [Int32](repeating: 0, count: min(cap, n))
        // Columns alongside, so that no division is needed to find a pixel's neighbours.
        var queueX = [Int32](repeating: 0, count: min(cap, n))
        var next: Int32 = 0
        var highest: Int32 = -1
        labels.withUnsafeBufferPointer { seg in
            out.withUnsafeMutableBufferPointer { con in
                queue.withUnsafeMutableBufferPointer { q in
                  queueX.withUnsafeMutableBufferPointer { qx in
                    for start in 0..<n where con[start] < 0 {
                        let label = seg[start]
                        var adjacent = next
                        con[start] = next
                        q[0] = Int32(start)
                        qx[0] = Int32(start % w)
                        var size = 1, visited = 0
                        while visited < size && size < cap {
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
                        if size < minSize {
                            for i in 0..<size { con[Int(q[i])] = adjacent }
                            highest = max(highest, adjacent)
                        } else {
                            highest = max(highest, next)
                            next += 1
                        }
                    }
                  }
                }
            }
        }
        // A small first piece has no numbered neighbour and keeps `next`,
        // which the following piece then shares, so labels stay contiguous.
        return SegmentationResult(width: w, height: h, labels: out, count: Int(highest) + 1)
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
