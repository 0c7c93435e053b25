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
        let w = width, mask = UInt32((1 << bits) - 1)
        // A pixel no window reaches keeps its label, behind any real distance.
        let top = Float.greatestFiniteMagnitude.bitPattern & ~mask
        let start = rows.lowerBound * w, end = rows.upperBound * w
        let packed = UnsafeMutableRawPointer(distance).bindMemory(to: UInt32.self, capacity: width * height)
        for i in start..<end { packed[i] = top | UInt32(bitPattern: labels[i]) }
        for k in 0..<clusters where alive[k] {
            let ya = max(Int(windows.y0[k]), rows.lowerBound), yb = min(Int(windows.y1[k]), rows.upperBound)
            let xa = Int(windows.x0[k]), xb = Int(windows.x1[k])
            if xa >= xb || ya >= yb { continue }
            let dx = windows.dx2 + windows.dxOffset[k]
            let cv = centreColour(k, C.self)
            for y in ya..<yb {
                let dyv = cy[k] - Double(y)
                let row = y * w + xa
                SLICRow.assignPacked(C.self, distance + row, dx, xb - xa, Float(dyv * dyv), sw, UInt32(k), mask,
                                     features(row, C.self), cv)
            }
        }
        for i in start..<end { labels[i] = Int32(bitPattern: packed[i] & mask) }
    }
}

extension SLICRow {
    @inline(__always)
    static func assignPacked<C: SLICChannelCount>(
        _: C.Type, _ dist: UnsafeMutablePointer<Float>, _ dx2: UnsafePointer<Float>, _ n: Int,
        _ dy2: Float, _ sw: Float, _ k: UInt32, _ mask: UInt32,
        _ f: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
        _ c: (Float, Float, Float, Float)
    ) {
        let channels = C.count
        let dyv = V(repeating: dy2), swv = V(repeating: sw)
        let kv = SIMD8<UInt32>(repeating: k), keep = SIMD8<UInt32>(repeating: ~mask)
        let c0 = V(repeating: c.0), c1 = V(repeating: c.1), c2 = V(repeating: c.2), c3 = V(repeating: c.3)
        @inline(__always) func chunk(_ i: Int) {
            let spatial = (dyv + load(dx2, i)) * swv
            let old = load(dist, i)
            let t0 = load(f.0, i) - c0
            var colour = t0 * t0
            if channels > 1 { let t1 = load(f.1, i) - c1; colour += t1 * t1 }
            if channels > 2 { let t2 = load(f.2, i) - c2; colour += t2 * t2 }
            if channels > 3 { let t3 = load(f.3, i) - c3; colour += t3 * t3 }
            let d = unsafeBitCast((unsafeBitCast(spatial + colour, to: SIMD8<UInt32>.self) & keep) | kv, to: V.self)
            // A select of the smaller: one minps per half.
            UnsafeMutableRawPointer(dist + i).storeBytes(of: old.replacing(with: d, where: d .< old), as: V.self)
        }
        var i = 0
        while i + 8 <= n {
            chunk(i)
            i += 8
        }
        if i < n && n >= 8 {
            // Pixels done twice keep their minimum.
            chunk(n - 8)
            return
        }
        while i < n {
            let spatial = (dy2 + dx2[i]) * sw
            let t0 = f.0[i] - c.0
            var colour = t0 * t0
            if channels > 1 { let t1 = f.1[i] - c.1; colour += t1 * t1 }
            if channels > 2 { let t2 = f.2[i] - c.2; colour += t2 * t2 }
            if channels > 3 { let t3 = f.3[i] - c.3; colour += t3 * t3 }
            let d = Float(bitPattern: ((spatial + colour).bitPattern & ~mask) | k)
            if d < dist[i] { dist[i] = d }
            i += 1
        }
    }
}
