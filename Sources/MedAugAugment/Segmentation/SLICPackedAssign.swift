/// The assignment round with each pixel's label kept in its distance.
///
/// A distance is a non-negative Float32, whose bit pattern orders like its
/// value. With the label in the lowest `bits` bits of the mantissa, one
/// minimum keeps both: the nearest centre, and among centres equally near
/// (to within those bits) the lowest index, which is what index order with
/// a strictly-smaller rule gives. That drops the label loads, compares and
/// stores of `runReference`. The cost is resolution: distances that differ
/// only in the lowest `bits` bits (a relative 2^(bits-23), 2^-16 for 128
/// centres) count as equal and go to the lower index.
extension SLICAssignJob {
    /// Widest label the packed round is used for; more centres than this
    /// take the exact round, where the resolution would become coarse.
    static let maxPackedBits = 12

    static func packedBits(clusters: Int) -> Int {
        var bits = 1
        while (1 << bits) < clusters { bits += 1 }
        return bits
    }

    func runPacked<C: ChannelCount>(_ rows: Range<Int>, bits: Int, _: C.Type) {
        let w = width, s = stride, mask = UInt32((1 << bits) - 1)
        // A pixel no window reaches keeps its label, behind any real distance.
        let top = Float.greatestFiniteMagnitude.bitPattern & ~mask
        let packed = UnsafeMutableRawPointer(distance).bindMemory(to: UInt32.self, capacity: s * height)
        let planeSize = s * height
        // Rows go in pairs, each pair with the centres whose window covers
        // either row: the pair's distances and features stay in the L1 cache
        // for all its centres, and a centre covering both rows pays its setup
        // once and loads its x terms once for the two. An entry is the centre
        // index times 4 plus which rows it covers (1 the first, 2 the
        // second). The packed minimum does not depend on the order in which
        // centres are met.
        let r0 = rows.lowerBound, nr = rows.count, pairs = (nr + 1) / 2
        // Each live centre's pairs, first to last (empty: first > last).
        var span = [Int32](repeating: 0, count: 2 * clusters)
        var first = [Int32](repeating: 0, count: pairs + 2)
        var total = 0
        span.withUnsafeMutableBufferPointer { sp in
            first.withUnsafeMutableBufferPointer { fp in
                for k in 0..<clusters {
                    sp[2 * k] = 1; sp[2 * k + 1] = 0
                    guard alive[k] else { continue }
                    let ya = max(Int(windows.y0[k]), r0), yb = min(Int(windows.y1[k]), rows.upperBound)
                    if windows.x0[k] >= windows.x1[k] || ya >= yb { continue }
                    let pa = (ya &- r0) >> 1, pb = (yb &- 1 &- r0) >> 1
                    sp[2 * k] = Int32(truncatingIfNeeded: pa); sp[2 * k + 1] = Int32(truncatingIfNeeded: pb)
                    // Counts as differences, summed below.
                    fp[pa &+ 1] &+= 1
                    fp[pb &+ 2] &-= 1
                    total &+= pb &- pa &+ 1
                }
                var run: Int32 = 0, acc: Int32 = 0
                for p in 1...pairs {
                    run &+= fp[p]
                    acc &+= run
                    fp[p] = acc
                }
            }
        }
        var list = [Int32](repeating: 0, count: max(1, total))
        var cursor = first
        span.withUnsafeBufferPointer { sp in
            cursor.withUnsafeMutableBufferPointer { cp in
                list.withUnsafeMutableBufferPointer { lp in
                    for k in 0..<clusters {
                        let pa = Int(sp[2 * k]), pb = Int(sp[2 * k + 1])
                        if pa > pb { continue }
                        let ya = max(Int(windows.y0[k]), r0), yb = min(Int(windows.y1[k]), rows.upperBound)
                        for p in pa...pb {
                            var covers = 3
                            // Only the end pairs can cover one row of the two.
                            if p == pa || p == pb {
                                let y = r0 &+ 2 &* p
                                covers = (ya <= y && y < yb ? 1 : 0) | (ya <= y &+ 1 && y &+ 1 < yb ? 2 : 0)
                            }
                            lp[Int(cp[p])] = Int32(truncatingIfNeeded: k << 2 | covers)
                            cp[p] &+= 1
                        }
                    }
                }
            }
        }
        let second = min(1, C.count - 1) * planeSize, third = min(2, C.count - 1) * planeSize
        let fourth = min(3, C.count - 1) * planeSize
        list.withUnsafeBufferPointer { lp in
            for p in 0..<pairs {
                let y = r0 + 2 * p, o = y * s, lo = y * w
                let two = y + 1 < rows.upperBound
                SLICRow.packRow(packed + o, labels + lo, w, s, top)
                if two { SLICRow.packRow(packed + o + s, labels + lo + w, w, s, top) }
                let yd = Double(y)
                for j in Int(first[p])..<Int(first[p + 1]) {
                    let e = Int(lp[j]), k = e >> 2, covers = e & 3
                    let xa = Int(windows.x0[k]), xb = Int(windows.x1[k])
                    let a = xa & ~7, chunks = (((xb + 7) & ~7) - a) >> 3
                    let dx = windows.dx2 + (windows.dxOffset[k] - (xa - a))
                    let dy0 = cy[k] - yd, dy1 = dy0 - 1
                    let row = o + a
                    let f = paddedPlanes + row
                    let fp = (f, f + second, f + third, f + fourth)
                    let c = centreColour(k, C.self)
                    switch covers {
                    case 3:
                        SLICRow.assignChunks2(C.self, distance + row, s, dx, chunks, Float(dy0 * dy0 * sw),
                                              Float(dy1 * dy1 * sw), UInt32(k), mask, fp, c)
                    case 1:
                        SLICRow.assignChunks(C.self, distance + row, dx, chunks, Float(dy0 * dy0 * sw), UInt32(k),
                                             mask, fp, c)
                    default:
                        SLICRow.assignChunks(C.self, distance + row + s, dx, chunks, Float(dy1 * dy1 * sw),
                                             UInt32(k), mask, (fp.0 + s, fp.1 + s, fp.2 + s, fp.3 + s), c)
                    }
                }
                SLICRow.unpackRow(labels + lo, packed + o, w, mask)
                if two { SLICRow.unpackRow(labels + lo + w, packed + o + s, w, mask) }
            }
        }
    }
}

extension SLICRow {
    /// `assignChunks` on two rows `s` apart, with one centre's two dy terms:
    /// each chunk's x terms are loaded once for both.
    @inline(__always)
    static func assignChunks2<C: ChannelCount>(
        _: C.Type, _ dist: UnsafeMutablePointer<Float>, _ s: Int, _ dx2: UnsafePointer<Float>, _ chunks: Int,
        _ dy0: Float, _ dy1: Float, _ k: UInt32, _ mask: UInt32,
        _ f: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
        _ c: (Float, Float, Float, Float)
    ) {
        let dyv0 = V(repeating: dy0), dyv1 = V(repeating: dy1)
        let kv = SIMD8<UInt32>(repeating: k), keep = SIMD8<UInt32>(repeating: ~mask)
        let cs = (V(repeating: c.0), V(repeating: c.1), V(repeating: c.2), V(repeating: c.3))
        var i = 0
        for _ in 0..<chunks {
            let x = load(dx2, i)
            keepNearer(distance(C.self, dyv0 + x, f, i, cs), dist + i, keep, kv)
            keepNearer(distance(C.self, dyv1 + x, f, i &+ s, cs), dist + (i &+ s), keep, kv)
            i &+= 8
        }
    }

    /// Whole 8-lane chunks; lanes outside the window have dx² = +infinity,
    /// which makes their distance +infinity or NaN, and neither replaces.
    @inline(__always)
    static func assignChunks<C: ChannelCount>(
        _: C.Type, _ dist: UnsafeMutablePointer<Float>, _ dx2: UnsafePointer<Float>, _ chunks: Int,
        _ dy2: Float, _ k: UInt32, _ mask: UInt32,
        _ f: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
        _ c: (Float, Float, Float, Float)
    ) {
        let dyv = V(repeating: dy2)
        let kv = SIMD8<UInt32>(repeating: k), keep = SIMD8<UInt32>(repeating: ~mask)
        let cs = (V(repeating: c.0), V(repeating: c.1), V(repeating: c.2), V(repeating: c.3))
        var i = 0
        for _ in 0..<chunks {
            keepNearer(distance(C.self, dyv + load(dx2, i), f, i, cs), dist + i, keep, kv)
            i &+= 8
        }
    }

    /// The distance `e` with the label `kv` in its low bits (`keep` clears
    /// them) replaces the packed value at `at` if smaller.
    @inline(__always)
    static func keepNearer(_ e: V, _ at: UnsafeMutablePointer<Float>, _ keep: SIMD8<UInt32>, _ kv: SIMD8<UInt32>) {
        let old = load(at, 0)
        let d = unsafeBitCast((unsafeBitCast(e, to: SIMD8<UInt32>.self) & keep) | kv, to: V.self)
        UnsafeMutableRawPointer(at).storeBytes(of: old.replacing(with: d, where: d .< old), as: V.self)
    }
}

extension SLICRow {
    typealias U = SIMD8<UInt32>

    /// A row's labels behind the top distance, and `top` alone in the
    /// padding up to `s` (a multiple of 8).
    @inline(__always)
    static func packRow(_ dst: UnsafeMutablePointer<UInt32>, _ lab: UnsafeMutablePointer<Int32>, _ w: Int, _ s: Int,
                        _ top: UInt32) {
        let tv = U(repeating: top)
        let out = UnsafeMutableRawPointer(dst), src = UnsafeRawPointer(lab)
        var x = 0
        while x + 8 <= w {
            out.storeBytes(of: tv | src.loadUnaligned(fromByteOffset: 4 * x, as: U.self), toByteOffset: 4 * x, as: U.self)
            x += 8
        }
        while x < w { dst[x] = top | UInt32(bitPattern: lab[x]); x += 1 }
        while x < s { dst[x] = top; x += 1 }
    }

    @inline(__always)
    static func unpackRow(_ lab: UnsafeMutablePointer<Int32>, _ src: UnsafeMutablePointer<UInt32>, _ w: Int,
                          _ mask: UInt32) {
        let mv = U(repeating: mask)
        let out = UnsafeMutableRawPointer(lab), inp = UnsafeRawPointer(src)
        var x = 0
        while x + 8 <= w {
            out.storeBytes(of: inp.loadUnaligned(fromByteOffset: 4 * x, as: U.self) & mv, toByteOffset: 4 * x, as: U.self)
            x += 8
        }
        while x < w { lab[x] = Int32(bitPattern: src[x] & mask); x += 1 }
    }
}
