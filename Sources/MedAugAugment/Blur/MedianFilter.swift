import MedAugImage

/// `cv2.medianBlur(image, k)`: each sample becomes the median of its k×k
/// window in the same channel, with replicated borders (OpenCV's median
/// filter always replicates). The median is exactly defined, so any correct
/// method gives OpenCV's result; the methods below are chosen for speed:
/// sorted columns shared by neighbours for 8-bit k = 3 (MedianFilter3.swift),
/// sorting networks over 16 pixels at a time for k = 3 and 5, the median
/// built bit by bit from counts (16 samples at a time) for k = 7 to 11, and
/// a sliding histogram with a tracked median (Huang) for larger 8-bit windows.
///
/// Any channel count and bit depth works for any k (OpenCV refuses k ≥ 7 for
/// 2-channel and for 16-bit images).
public enum MedianFilter {
    /// The median-filtered image; `k` must be odd and positive (traps
    /// otherwise), and k = 1 returns the image unchanged.
    public static func apply(_ image: Image, size k: Int) -> Image {
        precondition(k >= 1 && k % 2 == 1, "median size must be odd and positive, got \(k)")
        let w = image.width, h = image.height, c = image.channels
        if k == 1 || w == 0 || h == 0 { return image }
        let r = k / 2, rowLen = w * c
        switch image.pixels {
        case .u8(let src):
            if k == 3 && rowLen >= 16 {
                return Image(width: w, height: h, channels: c, pixels: .u8(median3x3(src, w, h, c)))
            }
            if k <= 5 && rowLen >= 16 {
                let out = networkFilter(src, w, h, c, k, SIMD16<UInt8>.self)
                return Image(width: w, height: h, channels: c, pixels: .u8(out))
            }
            let padded = ReplicatePadded(src, width: w, height: h, channels: c, radius: r)
            var out = [UInt8](repeating: 0, count: h * rowLen)
            out.withUnsafeMutableBufferPointer { o in
                padded.samples.withUnsafeBufferPointer { p in
                    let ctx = Rows(padded: p.baseAddress!, stride: padded.stride, out: o.baseAddress!,
                                   rowLen: rowLen, height: h, channels: c)
                    if k <= 5 {
                        select(ctx, k: k)
                    } else if k <= MedianFilter.bitwiseLargest && rowLen >= 16 {
                        bitwise8(ctx, k: k)
                    } else {
                        histogram8(ctx, k: k)
                    }
                }
            }
            return Image(width: w, height: h, channels: c, pixels: .u8(out))
        case .u16(let src):
            if k <= 5 && rowLen >= 8 {
                let out = networkFilter(src, w, h, c, k, SIMD8<UInt16>.self)
                return Image(width: w, height: h, channels: c, pixels: .u16(out))
            }
            let padded = ReplicatePadded(src, width: w, height: h, channels: c, radius: r)
            var out = [UInt16](repeating: 0, count: h * rowLen)
            out.withUnsafeMutableBufferPointer { o in
                padded.samples.withUnsafeBufferPointer { p in
                    select(Rows(padded: p.baseAddress!, stride: padded.stride, out: o.baseAddress!,
                                rowLen: rowLen, height: h, channels: c), k: k)
                }
            }
            return Image(width: w, height: h, channels: c, pixels: .u16(out))
        }
    }

    /// The largest window the bit-by-bit median is used for; past it the
    /// sliding histogram, whose cost does not grow with k², is faster.
    static let bitwiseLargest = 11

    /// Where the padded rows are and where results go. Padded row y holds
    /// source row y − r; its sample i + dx·c is column x + dx − r of sample i.
    struct Rows<T> {
        let padded: UnsafePointer<T>
        let stride: Int
        let out: UnsafeMutablePointer<T>
        let rowLen: Int
        let height: Int
        let channels: Int
    }

    // MARK: sorting networks

    @inline(__always)
    static func op<V: MedianSortingLanes>(_ a: inout V, _ b: inout V) { V.sort2(&a, &b) }

    @inline(__always)
    static func load<V: SIMD>(_ p: UnsafePointer<V.Scalar>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    /// The k = 3 and 5 networks over a whole image (rows at least one vector
    /// wide). Interior windows are read straight from the source; only the
    /// windows that cross the border read from small replicated copies (the
    /// k rows around a top or bottom row, or one vector's width at the left
    /// and right ends of the other rows), so no padded copy of the image is made.
    @inline(__always)
    static func networkFilter<V: MedianSortingLanes>(_ src: [V.Scalar], _ w: Int, _ h: Int, _ c: Int, _ k: Int,
                                                     _: V.Type) -> [V.Scalar] {
        let n = V.scalarCount, r = k / 2, rowLen = w * c, rc = r * c
        let padLen = rowLen + 2 * rc, edgeLen = n + 2 * rc
        var out = [V.Scalar](repeating: 0, count: h * rowLen)
        var strip = [V.Scalar](repeating: 0, count: k * padLen)
        var edge = [V.Scalar](repeating: 0, count: k * edgeLen)
        src.withUnsafeBufferPointer { sb in
        out.withUnsafeMutableBufferPointer { ob in
        strip.withUnsafeMutableBufferPointer { stb in
        edge.withUnsafeMutableBufferPointer { eb in
            let s0 = sb.baseAddress!, o0 = ob.baseAddress!, st = stb.baseAddress!, ed = eb.baseAddress!
            // Where padded sample j of a row comes from (replicated at both ends).
            let sourceIndex = (0..<padLen).map { j in min(max(j / c - r, 0), w - 1) * c + j % c }
            sourceIndex.withUnsafeBufferPointer { source in
            @inline(__always) func store(_ v: V, _ o: UnsafeMutablePointer<V.Scalar>) {
                UnsafeMutableRawPointer(o).storeBytes(of: v, as: V.self)
            }
            // Rows too narrow for an interior vector go wholly through the strip.
            let directInterior = rowLen - 2 * rc >= n
            for y in 0..<h {
                let o = o0 + y * rowLen
                if y < r || y >= h - r || !directInterior {
                    for dy in 0..<k {
                        let sy = min(max(y + dy - r, 0), h - 1)
                        let d = st + dy * padLen
                        let row = s0 + sy * rowLen
                        for j in 0..<rc { d[j] = row[source[j]]; d[rc + rowLen + j] = row[source[rc + rowLen + j]] }
                        (d + rc).update(from: s0 + sy * rowLen, count: rowLen)
                    }
                    var i = 0
                    while true {
                        if i + n > rowLen { i = rowLen - n }
                        store(k == 3 ? median9(st + i, c, padLen) : median25(st + i, c, padLen), o + i)
                        if i + n >= rowLen { break }
                        i += n
                    }
                    continue
                }
                // Both ends through a one-vector strip: the replicated border
                // samples plus the row's first (last) n + r·c samples.
                for dy in 0..<k {
                    let row = s0 + (y + dy - r) * rowLen, d = ed + dy * edgeLen
                    for j in 0..<rc { d[j] = row[source[j]] }
                    (d + rc).update(from: row, count: n + rc)
                }
                store(k == 3 ? median9(ed, c, edgeLen) : median25(ed, c, edgeLen), o)
                for dy in 0..<k {
                    let row = s0 + (y + dy - r) * rowLen, d = ed + dy * edgeLen
                    d.update(from: row + rowLen - n - rc, count: n + rc)
                    for j in 0..<rc { d[n + rc + j] = row[source[rc + rowLen + j]] }
                }
                store(k == 3 ? median9(ed, c, edgeLen) : median25(ed, c, edgeLen), o + rowLen - n)
                // The interior straight from the source.
                let top = s0 + (y - r) * rowLen - rc
                let end = rowLen - rc
                var i = rc
                while true {
                    if i + n > end { i = end - n }
                    store(k == 3 ? median9(top + i, c, rowLen) : median25(top + i, c, rowLen), o + i)
                    if i + n >= end { break }
                    i += n
                }
            }
            }
        }
        }
        }
        }
        return out
    }

    /// OpenCV's 3×3 median network (medianBlur_SortNet) on `V.scalarCount`
    /// samples at once; `c` is the distance between horizontal neighbours,
    /// `s` between rows. Unused outputs are dropped by the compiler.
    @inline(__always)
    static func median9<V: MedianSortingLanes>(_ p: UnsafePointer<V.Scalar>, _ c: Int, _ s: Int) -> V {
        var p0: V = load(p), p1: V = load(p + c), p2: V = load(p + 2 * c)
        var p3: V = load(p + s), p4: V = load(p + s + c), p5: V = load(p + s + 2 * c)
        var p6: V = load(p + 2 * s), p7: V = load(p + 2 * s + c), p8: V = load(p + 2 * s + 2 * c)
        op(&p1, &p2); op(&p4, &p5); op(&p7, &p8); op(&p0, &p1)
        op(&p3, &p4); op(&p6, &p7); op(&p1, &p2); op(&p4, &p5)
        op(&p7, &p8); op(&p0, &p3); op(&p5, &p8); op(&p4, &p7)
        op(&p3, &p6); op(&p1, &p4); op(&p2, &p5); op(&p4, &p7)
        op(&p4, &p2); op(&p6, &p4); op(&p4, &p2)
        return p4
    }

    /// OpenCV's 5×5 median network (medianBlur_SortNet).
    @inline(__always)
    static func median25<V: MedianSortingLanes>(_ p: UnsafePointer<V.Scalar>, _ c: Int, _ s: Int) -> V {
        let r0 = p, r1 = p + s, r2 = p + 2 * s, r3 = p + 3 * s, r4 = p + 4 * s
        var p0: V = load(r0), p1: V = load(r0 + c), p2: V = load(r0 + 2 * c), p3: V = load(r0 + 3 * c), p4: V = load(r0 + 4 * c)
        var p5: V = load(r1), p6: V = load(r1 + c), p7: V = load(r1 + 2 * c), p8: V = load(r1 + 3 * c), p9: V = load(r1 + 4 * c)
        var p10: V = load(r2), p11: V = load(r2 + c), p12: V = load(r2 + 2 * c), p13: V = load(r2 + 3 * c), p14: V = load(r2 + 4 * c)
        var p15: V = load(r3), p16: V = load(r3 + c), p17: V = load(r3 + 2 * c), p18: V = load(r3 + 3 * c), p19: V = load(r3 + 4 * c)
        var p20: V = load(r4), p21: V = load(r4 + c), p22: V = load(r4 + 2 * c), p23: V = load(r4 + 3 * c), p24: V = load(r4 + 4 * c)
        op(&p1, &p2); op(&p0, &p1); op(&p1, &p2); op(&p4, &p5); op(&p3, &p4)
        op(&p4, &p5); op(&p0, &p3); op(&p2, &p5); op(&p2, &p3); op(&p1, &p4)
        op(&p1, &p2); op(&p3, &p4); op(&p7, &p8); op(&p6, &p7); op(&p7, &p8)
        op(&p10, &p11); op(&p9, &p10); op(&p10, &p11); op(&p6, &p9); op(&p8, &p11)
        op(&p8, &p9); op(&p7, &p10); op(&p7, &p8); op(&p9, &p10); op(&p0, &p6)
        op(&p4, &p10); op(&p4, &p6); op(&p2, &p8); op(&p2, &p4); op(&p6, &p8)
        op(&p1, &p7); op(&p5, &p11); op(&p5, &p7); op(&p3, &p9); op(&p3, &p5)
        op(&p7, &p9); op(&p1, &p2); op(&p3, &p4); op(&p5, &p6); op(&p7, &p8)
        op(&p9, &p10); op(&p13, &p14); op(&p12, &p13); op(&p13, &p14); op(&p16, &p17)
        op(&p15, &p16); op(&p16, &p17); op(&p12, &p15); op(&p14, &p17); op(&p14, &p15)
        op(&p13, &p16); op(&p13, &p14); op(&p15, &p16); op(&p19, &p20); op(&p18, &p19)
        op(&p19, &p20); op(&p21, &p22); op(&p23, &p24); op(&p21, &p23); op(&p22, &p24)
        op(&p22, &p23); op(&p18, &p21); op(&p20, &p23); op(&p20, &p21); op(&p19, &p22)
        op(&p22, &p24); op(&p19, &p20); op(&p21, &p22); op(&p23, &p24); op(&p12, &p18)
        op(&p16, &p22); op(&p16, &p18); op(&p14, &p20); op(&p20, &p24); op(&p14, &p16)
        op(&p18, &p20); op(&p22, &p24); op(&p13, &p19); op(&p17, &p23); op(&p17, &p19)
        op(&p15, &p21); op(&p15, &p17); op(&p19, &p21); op(&p13, &p14); op(&p15, &p16)
        op(&p17, &p18); op(&p19, &p20); op(&p21, &p22); op(&p23, &p24); op(&p0, &p12)
        op(&p8, &p20); op(&p8, &p12); op(&p4, &p16); op(&p16, &p24); op(&p12, &p16)
        op(&p2, &p14); op(&p10, &p22); op(&p10, &p14); op(&p6, &p18); op(&p6, &p10)
        op(&p10, &p12); op(&p1, &p13); op(&p9, &p21); op(&p9, &p13); op(&p5, &p17)
        op(&p13, &p17); op(&p3, &p15); op(&p11, &p23); op(&p11, &p15); op(&p7, &p19)
        op(&p7, &p11); op(&p11, &p13); op(&p11, &p12)
        return p12
    }

    // MARK: sliding histogram (8-bit, k >= 7)

    /// Huang's algorithm, one channel plane and one row at a time: slide the
    /// window right by dropping one column and adding one, keep the count of
    /// samples below the current median, and walk the median to its new
    /// place, which on real images is a step or two. Channels are first
    /// copied into planes so the column walks read consecutive rows of one
    /// plane; the arithmetic wraps (it cannot overflow) to keep overflow
    /// checks out of the inner loop.
    static func histogram8(_ ctx: Rows<UInt8>, k: Int) {
        let c = ctx.channels, s = ctx.stride
        let width = ctx.rowLen / c
        let planeStride = s / c
        let paddedRows = ctx.height + k - 1
        let half = (k * k) / 2
        var plane = [UInt8](repeating: 0, count: paddedRows * planeStride)
        var hist = [Int32](repeating: 0, count: 256)
        plane.withUnsafeMutableBufferPointer { pb in
        hist.withUnsafeMutableBufferPointer { hb in
            let p = pb.baseAddress!, hist = hb.baseAddress!
            for ch in 0..<c {
                for i in 0..<(paddedRows * planeStride) { p[i] = ctx.padded[i &* c &+ ch] }
                for y in 0..<ctx.height {
                    let base = UnsafePointer(p + y &* planeStride)
                    let o = ctx.out + (y &* ctx.rowLen &+ ch)
                    for v in 0..<256 { hist[v] = 0 }
                    for dy in 0..<k {
                        let row = base + dy &* planeStride
                        for dx in 0..<k { hist[Int(row[dx])] &+= 1 }
                    }
                    var m = 0, lt = 0
                    while lt &+ Int(hist[m]) <= half { lt &+= Int(hist[m]); m &+= 1 }
                    o[0] = UInt8(truncatingIfNeeded: m)
                    var leave = base, enter = base + k
                    for x in stride(from: 1, to: width, by: 1) {
                        var a0 = leave, b0 = enter
                        for _ in 0..<k {
                            let a = Int(a0.pointee), b = Int(b0.pointee)
                            hist[a] &-= 1
                            hist[b] &+= 1
                            lt = lt &+ (b < m ? 1 : 0) &- (a < m ? 1 : 0)
                            a0 += planeStride
                            b0 += planeStride
                        }
                        if lt > half {
                            repeat { m &-= 1; lt &-= Int(hist[m]) } while lt > half
                        } else {
                            while lt &+ Int(hist[m]) <= half { lt &+= Int(hist[m]); m &+= 1 }
                        }
                        o[x &* c] = UInt8(truncatingIfNeeded: m)
                        leave += 1
                        enter += 1
                    }
                }
            }
        }
        }
    }

    /// The median found bit by bit, 32 samples at a time: starting from the
    /// top bit, a bit joins the result if fewer than half the window lies
    /// below the result with that bit set. Eight counting passes over the
    /// k² neighbours, all in byte lanes (counts stay under 256 for k <= 15),
    /// with no histogram to keep; for k = 7 to 11 this beats Huang's
    /// sliding histogram, whose per-sample work is a chain of dependent
    /// table updates. Rows must be at least one vector long.
    static func bitwise8(_ ctx: Rows<UInt8>, k: Int) {
        // Signed byte lanes throughout (samples offset by 128), so that every
        // compare is one instruction and none falls back to a lane-by-lane loop.
        typealias V = SIMD16<Int8>
        let c = ctx.channels, s = ctx.stride, n = ctx.rowLen, lanes = V.scalarCount
        let below = V(repeating: Int8((k &* k) / 2)), offset = V(repeating: -128)
        // The padded rows offset once, not once per bit.
        let total = (ctx.height &+ k &- 1) &* s
        let signed = UnsafeMutablePointer<UInt8>.allocate(capacity: total)
        defer { signed.deallocate() }
        for j in 0..<total { signed[j] = ctx.padded[j] ^ 0x80 }
        for y in 0..<ctx.height {
            let top = UnsafeRawPointer(signed + y &* s)
            var i = 0
            while i < n {
                // The last vector of a row ends at its end (samples done twice agree).
                let at = min(i, n &- lanes)
                var m = V(repeating: 0)
                var bit: Int8 = -128
                for _ in 0..<8 {
                    let t = (m | V(repeating: bit)) ^ offset
                    var count = V(repeating: 0)
                    for dy in 0..<k {
                        let row = top + (dy &* s &+ at)
                        for dx in 0..<k {
                            let v = row.loadUnaligned(fromByteOffset: dx &* c, as: V.self)
                            // A true lane is all ones: subtracting it adds one.
                            count &-= unsafeBitCast(v .< t, to: V.self)
                        }
                    }
                    m |= unsafeBitCast(count .<= below, to: V.self) & V(repeating: bit)
                    bit = Int8(bitPattern: UInt8(bitPattern: bit) >> 1)
                }
                UnsafeMutableRawPointer(ctx.out + (y &* n &+ at)).storeBytes(of: m, as: V.self)
                i &+= lanes
            }
        }
    }

    // MARK: plain selection (thin images, 16-bit k >= 7)

    /// Gathers each window and selects its middle value. Used where the
    /// faster methods do not apply: rows narrower than one vector, and
    /// 16-bit windows of 7 and more.
    static func select<T: FixedWidthInteger>(_ ctx: Rows<T>, k: Int) {
        let c = ctx.channels, s = ctx.stride
        let width = ctx.rowLen / c
        let n = k * k
        var window = [T](repeating: 0, count: n)
        window.withUnsafeMutableBufferPointer { wb in
            for y in 0..<ctx.height {
                for x in 0..<width {
                    for ch in 0..<c {
                        let base = ctx.padded + y * s + x * c + ch
                        var j = 0
                        for dy in 0..<k {
                            let row = base + dy * s
                            for dx in 0..<k { wb[j] = row[dx * c]; j += 1 }
                        }
                        ctx.out[y * ctx.rowLen + x * c + ch] = nthElement(wb, n / 2)
                    }
                }
            }
        }
    }

    /// Hoare's quickselect: the value that would sit at index `nth` if `a` were sorted.
    static func nthElement<T: Comparable>(_ a: UnsafeMutableBufferPointer<T>, _ nth: Int) -> T {
        var lo = 0, hi = a.count - 1
        while lo < hi {
            let pivot = a[(lo + hi) / 2]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while pivot < a[j] { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            if nth <= j { hi = j } else if nth >= i { lo = i } else { break }
        }
        return a[nth]
    }

    /// A copy of the image with `radius` replicated samples on every side.
    struct ReplicatePadded<T: FixedWidthInteger> {
        let samples: [T]
        /// Samples per padded row.
        let stride: Int

        init(_ src: [T], width w: Int, height h: Int, channels c: Int, radius r: Int) {
            let stride = (w + 2 * r) * c
            var out = [T](repeating: 0, count: (h + 2 * r) * stride)
            src.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { o in
                    for py in 0..<(h + 2 * r) {
                        let sy = min(max(py - r, 0), h - 1)
                        let srow = s.baseAddress! + sy * w * c
                        let orow = o.baseAddress! + py * stride
                        for px in 0..<r {
                            for ch in 0..<c {
                                orow[px * c + ch] = srow[ch]
                                orow[(r + w + px) * c + ch] = srow[(w - 1) * c + ch]
                            }
                        }
                        (orow + r * c).update(from: srow, count: w * c)
                    }
                }
            }
            self.samples = out
            self.stride = stride
        }
    }
}

/// A vector type whose compare-exchange compiles to a min and a max
/// instruction. Generic SIMD code constrained only by `Comparable` compares
/// lane by lane (hundreds of times slower); the concrete conformances below
/// pick the vector comparisons.
protocol MedianSortingLanes: SIMD where Scalar: FixedWidthInteger {
    /// Puts the lane-wise minimum in `a` and the maximum in `b`.
    static func sort2(_ a: inout Self, _ b: inout Self)
}

extension SIMD16: MedianSortingLanes where Scalar == UInt8 {
    @inline(__always)
    static func sort2(_ a: inout Self, _ b: inout Self) {
        let swap = b .< a
        let lo = a.replacing(with: b, where: swap)
        b = b.replacing(with: a, where: swap)
        a = lo
    }
}

extension SIMD8: MedianSortingLanes where Scalar == UInt16 {
    @inline(__always)
    static func sort2(_ a: inout Self, _ b: inout Self) {
        let swap = b .< a
        let lo = a.replacing(with: b, where: swap)
        b = b.replacing(with: a, where: swap)
        a = lo
    }
}
