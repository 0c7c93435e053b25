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

    func runPacked<C: SLICChannelCount>(_ rows: Range<Int>, bits: Int, _: C.Type) {
        let w = width, s = stride, mask = UInt32((1 << bits) - 1)
        // A pixel no window reaches keeps its label, behind any real distance.
        let top = Float.greatestFiniteMagnitude.bitPattern & ~mask
        let packed = UnsafeMutableRawPointer(distance).bindMemory(to: UInt32.self, capacity: s * height)
        let planeSize = s * height
        // The centres whose window covers each row, in index order: rows are
        // done one at a time, so that a row's distances and features stay in
        // the L1 cache for all its centres. The packed minimum does not
        // depend on the order in which centres are met.
        let r0 = rows.lowerBound, nr = rows.count
        var first = [Int32](repeating: 0, count: nr + 1)
        var total = 0
        for k in 0..<clusters where alive[k] {
            let ya = max(Int(windows.y0[k]), r0), yb = min(Int(windows.y1[k]), rows.upperBound)
            if windows.x0[k] >= windows.x1[k] || ya >= yb { continue }
            first[ya - r0 + 1] += 1
            if yb - r0 + 1 <= nr { first[yb - r0 + 1] -= 1 }
            total += yb - ya
        }
        var list = [Int32](repeating: 0, count: max(1, total))
        first.withUnsafeMutableBufferPointer { fp in
            var run: Int32 = 0, acc: Int32 = 0
            for y in 1...nr {
                run += fp[y]          // centres covering row y - 1
                fp[y] = acc + run     // end of row y - 1's list
                acc = fp[y]
            }
            fp[0] = 0
        }
        var cursor = first
        for k in 0..<clusters where alive[k] {
            let ya = max(Int(windows.y0[k]), r0), yb = min(Int(windows.y1[k]), rows.upperBound)
            if windows.x0[k] >= windows.x1[k] || ya >= yb { continue }
            for y in ya..<yb {
                list[Int(cursor[y - r0])] = Int32(k)
                cursor[y - r0] += 1
            }
        }
        list.withUnsafeBufferPointer { lp in
            for y in rows {
                let o = y * s, lo = y * w
                SLICRow.packRow(packed + o, labels + lo, w, s, top)
                let yd = Double(y)
                for j in Int(first[y - r0])..<Int(first[y - r0 + 1]) {
                    let k = Int(lp[j])
                    let xa = Int(windows.x0[k]), xb = Int(windows.x1[k])
                    let a = xa & ~7, chunks = (((xb + 7) & ~7) - a) >> 3
                    let dx = windows.dx2 + (windows.dxOffset[k] - (xa - a))
                    let dyv = cy[k] - yd
                    let row = o + a
                    let f = paddedPlanes + row
                    SLICRow.assignChunks(C.self, distance + row, dx, chunks, Float(dyv * dyv), sw, UInt32(k), mask,
                                         (f, f + min(1, C.count - 1) * planeSize, f + min(2, C.count - 1) * planeSize,
                                          f + min(3, C.count - 1) * planeSize), centreColour(k, C.self))
                }
                SLICRow.unpackRow(labels + lo, packed + o, w, mask)
            }
        }
    }
}

extension SLICRow {
    /// Whole 8-lane chunks; lanes outside the window have dx² = +infinity,
    /// which makes their distance +infinity or NaN, and neither replaces.
    @inline(__always)
    static func assignChunks<C: SLICChannelCount>(
        _: C.Type, _ dist: UnsafeMutablePointer<Float>, _ dx2: UnsafePointer<Float>, _ chunks: Int,
        _ dy2: Float, _ sw: Float, _ k: UInt32, _ mask: UInt32,
        _ f: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
        _ c: (Float, Float, Float, Float)
    ) {
        let dyv = V(repeating: dy2), swv = V(repeating: sw)
        let kv = SIMD8<UInt32>(repeating: k), keep = SIMD8<UInt32>(repeating: ~mask)
        let c0 = V(repeating: c.0), c1 = V(repeating: c.1), c2 = V(repeating: c.2), c3 = V(repeating: c.3)
        var i = 0
        for _ in 0..<chunks {
            let old = load(dist, i)
            let e = distance(C.self, dyv, swv, dx2, f, i, (c0, c1, c2, c3))
            let d = unsafeBitCast((unsafeBitCast(e, to: SIMD8<UInt32>.self) & keep) | kv, to: V.self)
            UnsafeMutableRawPointer(dist + i).storeBytes(of: old.replacing(with: d, where: d .< old), as: V.self)
            i += 8
        }
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
