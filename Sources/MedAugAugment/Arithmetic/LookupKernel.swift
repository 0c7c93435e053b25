/// 8-bit table application (cv2.LUT) with the vector forms that cover the
/// common point operations, and one-pass per-channel histograms.
///
/// Swift has no variable byte shuffle, so an arbitrary table is looked up
/// one sample at a time; tables that are a bit mask or an inversion above or
/// below a threshold (Invert, Solarize, Posterize, identity channels) are
/// recognised first and run 16 bytes at a time. Each recognised form is
/// checked against its table on all 256 inputs, so the output is the table's.
extension ByteKernels {
    /// `tables[ch][x]` for every sample x of channel ch (one table for all
    /// channels, or one per channel), into a fresh array.
    static func apply(_ src: [UInt8], channels c: Int, tables: [[UInt8]]) -> [UInt8] {
        precondition(tables.count == 1 || tables.count == c, "one table or one per channel")
        let perChannel = tables.count == 1 ? [[UInt8]](repeating: tables[0], count: c) : tables
        if fits(channels: c) {
            let masks = perChannel.compactMap(maskForm)
            if masks.count == c {
                return map(src, tables: perChannel, MaskKernel(and: lanes(masks.map(\.0), channels: c),
                                                               or: lanes(masks.map(\.1), channels: c)))
            }
            let flips = perChannel.compactMap(flipForm)
            if flips.count == c {
                return map(src, tables: perChannel, FlipKernel(from: lanes(flips.map(\.from), channels: c),
                                                               below: lanes(flips.map(\.below), channels: c),
                                                               above: lanes(flips.map(\.above), channels: c)))
            }
        }
        return lookup(src, tables: perChannel)
    }

    /// `x ^ (x >= from ? above : below)`: inversion (all ones) or nothing on
    /// each side of a threshold, per lane.
    struct FlipKernel: LaneKernel {
        let from: Six, below: Six, above: Six
        @inline(__always)
        func apply(_ x: V, _ k: Int) -> V {
            x ^ pick(below, k).replacing(with: pick(above, k), where: x .>= pick(from, k))
        }
    }

    /// (from, below, above) when `table[x] == x ^ (x >= from ? above : below)`
    /// for every x: the identity, Invert's full-range table and Solarize's
    /// thresholded one among them.
    static func flipForm(_ table: [UInt8]) -> (from: UInt8, below: UInt8, above: UInt8)? {
        guard table.count == 256 else { return nil }
        let below = table[0]
        var from = 0
        while from < 256, table[from] ^ UInt8(from) == below { from += 1 }
        if from == 256 { return (0, below, below) }
        let above = table[from] ^ UInt8(from)
        for x in from..<256 where table[x] ^ UInt8(x) != above { return nil }
        return (UInt8(from), below, above)
    }

    /// Per-channel 256-bin histograms of interleaved samples in one pass.
    /// Neighbouring pixels count into separate copies of the histograms
    /// (summed at the end), so that runs of equal values do not wait on the
    /// previous increment of the same bin.
    static func histograms(_ src: [UInt8], channels c: Int) -> [[Int]] {
        precondition(c > 0)
        let banks = c == 1 ? 4 : 2
        let step = banks * c
        var counts = [Int](repeating: 0, count: banks * c * 256)
        counts.withUnsafeMutableBufferPointer { hb in
            src.withUnsafeBufferPointer { sb in
                guard let h = hb.baseAddress, let s = sb.baseAddress else { return }
                let n = sb.count
                // bins of bank b, channel ch start at (b * c + ch) * 256: within one
                // step of `banks` pixels, sample j goes to bin block j.
                @inline(__always)
                func whole(_ step: Int) -> Int {
                    var i = 0
                    while i + step <= n {
                        for j in 0..<step { h[j << 8 | Int(s[i + j])] &+= 1 }
                        i += step
                    }
                    return i
                }
                // constant steps unroll the inner loop
                var i: Int
                switch step {
                case 4: i = whole(4)
                case 6: i = whole(6)
                case 8: i = whole(8)
                default: i = whole(step)
                }
                var j = 0
                while i < n {
                    h[j << 8 | Int(s[i])] &+= 1
                    i += 1
                    j += 1
                }
            }
        }
        return (0..<c).map { ch in
            (0..<256).map { v in (0..<banks).reduce(0) { $0 + counts[($1 * c + ch) << 8 | v] } }
        }
    }
}
