import MedAugImage

extension MedianFilter {
    /// The 3×3 median of an 8-bit image (rows at least 16 samples long) by
    /// sorted columns: with each column of the window sorted (lo ≤ mid ≤ hi),
    /// the median of the nine is the median of max(lo), median(mid) and
    /// min(hi). Each output row first sorts its three source rows sample by
    /// sample into a padded row of lo, mid and hi values (the border samples
    /// replicated), which the three horizontal neighbours then share: about
    /// half the min/max work of the 19-exchange network.
    static func median3x3(_ src: [UInt8], _ w: Int, _ h: Int, _ c: Int) -> [UInt8] {
        typealias V = SIMD16<UInt8>
        typealias L = Median3Lanes
        let n = V.scalarCount, rowLen = w &* c, padLen = rowLen &+ 2 &* c
        precondition(rowLen >= n)
        var sorted = [UInt8](repeating: 0, count: 3 * padLen)
        return [UInt8](unsafeUninitializedCapacity: h &* rowLen) { ob, initialized in
            src.withUnsafeBufferPointer { sb in
            sorted.withUnsafeMutableBufferPointer { tb in
                let s0 = sb.baseAddress!, o0 = ob.baseAddress!
                let lo = tb.baseAddress!, mid = lo + padLen, hi = mid + padLen
                for y in 0..<h {
                    let ra = s0 + max(y &- 1, 0) &* rowLen, rb = s0 + y &* rowLen, rc = s0 + min(y &+ 1, h &- 1) &* rowLen
                    // Sorted columns; the last vector ends at the row's end (overlaps agree).
                    var i = 0
                    while true {
                        if i &+ n > rowLen { i = rowLen &- n }
                        let a = L.load(ra + i), b = L.load(rb + i), d = L.load(rc + i)
                        let l = L.lower(a, b), u = L.upper(a, b)
                        L.store(L.lower(l, d), lo + (c &+ i))
                        L.store(L.upper(l, L.lower(u, d)), mid + (c &+ i))
                        L.store(L.upper(u, d), hi + (c &+ i))
                        if i &+ n >= rowLen { break }
                        i &+= n
                    }
                    // Replicated border columns.
                    for ch in 0..<c {
                        lo[ch] = lo[c &+ ch]; mid[ch] = mid[c &+ ch]; hi[ch] = hi[c &+ ch]
                        let r = rowLen &+ c &+ ch
                        lo[r] = lo[rowLen &+ ch]; mid[r] = mid[rowLen &+ ch]; hi[r] = hi[rowLen &+ ch]
                    }
                    let o = o0 + y &* rowLen
                    i = 0
                    while true {
                        if i &+ n > rowLen { i = rowLen &- n }
                        let l = L.upper(L.upper(L.load(lo + i), L.load(lo + (i &+ c))), L.load(lo + (i &+ 2 &* c)))
                        let u = L.lower(L.lower(L.load(hi + i), L.load(hi + (i &+ c))), L.load(hi + (i &+ 2 &* c)))
                        // Medians of three written out (a helper call was left un-inlined).
                        let m0 = L.load(mid + i), m1 = L.load(mid + (i &+ c)), m2 = L.load(mid + (i &+ 2 &* c))
                        let m = L.upper(L.lower(m0, m1), L.lower(L.upper(m0, m1), m2))
                        L.store(L.upper(L.lower(l, m), L.lower(L.upper(l, m), u)), o + i)
                        if i &+ n >= rowLen { break }
                        i &+= n
                    }
                }
            }
            }
            initialized = h &* rowLen
        }
    }
}

/// Byte-lane helpers of `median3x3` (vpminub/vpmaxub).
enum Median3Lanes {
    typealias V = SIMD16<UInt8>
    @inline(__always) static func load(_ p: UnsafePointer<UInt8>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<UInt8>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }
    @inline(__always) static func lower(_ a: V, _ b: V) -> V { a.replacing(with: b, where: b .< a) }
    @inline(__always) static func upper(_ a: V, _ b: V) -> V { a.replacing(with: b, where: a .< b) }
}
