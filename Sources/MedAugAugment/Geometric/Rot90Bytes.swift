/// Quarter turns of 1-byte pixels (8-bit label maps, gray images) in 16x16
/// blocks through vector registers. The scalar tile loop spends a load and a
/// store on every byte, so a mask cost as much to turn as its RGB image.
///
/// A block is 16 source rows loaded whole, transposed by four rounds of byte
/// interleaves, and stored as 16 pieces of output rows. Vectors 2i and 2i+1
/// of a round interleave vectors i and i+8 of the round before, which
/// rotates each byte's 8-bit (row, column) address left by one bit; four
/// rounds swap row and column. Blocks on the last column and row of blocks
/// are moved back to end at the border and overlap their neighbours, writing
/// the same bytes again, which costs less than a scalar remainder; under 16
/// pixels a side the scalar tiles remain.
extension QuarterTurn {
    typealias Lanes = SIMD16<UInt8>

    /// Output pixels per row segment: a block strip reads one cache line from
    /// each of this many source rows, and 512 lines (32 KiB) stay in L1 while
    /// the strips beside it, which read the rest of those lines, come by.
    static let byteSpan = 512

    /// `QuarterTurn.run` for 1-byte pixels, same layout and result as `tiles`.
    static func oneByte(_ s: UnsafeRawPointer, _ d: UnsafeMutableRawPointer, _ w: Int, _ h: Int, _ clockwise: Bool) {
        guard w >= 16, h >= 16 else { return tiles(s, d, w, h, clockwise, UInt8.self) }
        let ow = h
        // Clockwise, output rows go down the source columns and output pixels up
        // the source rows; the other way round both directions flip.
        let srcStep = clockwise ? -w : w, dstStep = clockwise ? ow : -ow
        var span0 = 0
        while span0 < ow {
            let span1 = Swift.min(span0 &+ byteSpan, ow)
            var c0 = 0
            while true {
                let c = Swift.min(c0, w &- 16)
                var ox0 = span0
                while true {
                    let ox = Swift.min(ox0, ow &- 16)
                    let from = s + (clockwise ? (h &- 1 &- ox) &* w &+ c : ox &* w &+ c)
                    let to = d + ((clockwise ? c : w &- 1 &- c) &* ow &+ ox)
                    byteBlock(from, srcStep, to, dstStep)
                    if ox0 &+ 16 >= span1 { break }
                    ox0 &+= 16
                }
                if c0 &+ 16 >= w { break }
                c0 &+= 16
            }
            span0 = span1
        }
    }

    /// 16 rows of 16 bytes `srcStep` apart, transposed into 16 rows `dstStep` apart.
    ///
    /// Out of line, with the rounds as a loop: inlined into the caller or
    /// unrolled, LLVM merges the rounds into table-driven byte shuffles and
    /// lane inserts that cost several times the interleaves. 32-byte vectors,
    /// whose halves AVX2 could interleave at once, came out the same way and
    /// ran at a third of this speed or less.
    @inline(never)
    static func byteBlock(_ s: UnsafeRawPointer, _ srcStep: Int, _ d: UnsafeMutableRawPointer, _ dstStep: Int) {
        @inline(__always) func row(_ i: Int) -> Lanes { s.loadUnaligned(fromByteOffset: i &* srcStep, as: Lanes.self) }
        var (r0, r1, r2, r3, r4, r5, r6, r7) = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
        var (r8, r9, r10, r11, r12, r13, r14, r15) = (row(8), row(9), row(10), row(11), row(12), row(13), row(14), row(15))
        for _ in 0..<4 {
            (r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15) =
                (zipLow(r0, r8), zipHigh(r0, r8), zipLow(r1, r9), zipHigh(r1, r9),
                 zipLow(r2, r10), zipHigh(r2, r10), zipLow(r3, r11), zipHigh(r3, r11),
                 zipLow(r4, r12), zipHigh(r4, r12), zipLow(r5, r13), zipHigh(r5, r13),
                 zipLow(r6, r14), zipHigh(r6, r14), zipLow(r7, r15), zipHigh(r7, r15))
        }
        @inline(__always) func put(_ j: Int, _ v: Lanes) { d.storeBytes(of: v, toByteOffset: j &* dstStep, as: Lanes.self) }
        put(0, r0); put(1, r1); put(2, r2); put(3, r3); put(4, r4); put(5, r5); put(6, r6); put(7, r7)
        put(8, r8); put(9, r9); put(10, r10); put(11, r11); put(12, r12); put(13, r13); put(14, r14); put(15, r15)
    }

    // Written lane by lane so that LLVM recognises punpcklbw / punpckhbw.

    @inline(__always)
    static func zipLow(_ a: Lanes, _ b: Lanes) -> Lanes {
        Lanes(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3], a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7])
    }

    @inline(__always)
    static func zipHigh(_ a: Lanes, _ b: Lanes) -> Lanes {
        Lanes(a[8], b[8], a[9], b[9], a[10], b[10], a[11], b[11], a[12], b[12], a[13], b[13], a[14], b[14], a[15], b[15])
    }
}
