/// Table lookups for the table-driven 8-bit conversions (Lab, Luv). Swift
/// has no gather, so a lookup is eight scalar loads written with constant
/// lane indices, which the optimiser keeps as plain extracts and inserts
/// instead of a generic SIMD call.
extension ColorSIMD {
    @inline(__always)
    static func lookup(_ t: UnsafePointer<Int32>, _ i: SIMD8<Int32>) -> SIMD8<Int32> {
        SIMD8(t[Int(i[0])], t[Int(i[1])], t[Int(i[2])], t[Int(i[3])],
              t[Int(i[4])], t[Int(i[5])], t[Int(i[6])], t[Int(i[7])])
    }

    /// `t[p[c + k*stride] * scale + offset]` for the 8 pixels k: the index comes
    /// straight from memory, so no vector lanes need extracting.
    @inline(__always)
    static func lookupBytes(_ t: UnsafePointer<Int32>, _ p: UnsafeMutablePointer<UInt8>, _ stride: Int, _ c: Int,
                            scale: Int = 1, offset: Int = 0) -> SIMD8<Int32> {
        SIMD8(t[Int(p[c]) * scale + offset], t[Int(p[c + stride]) * scale + offset],
              t[Int(p[c + 2 * stride]) * scale + offset], t[Int(p[c + 3 * stride]) * scale + offset],
              t[Int(p[c + 4 * stride]) * scale + offset], t[Int(p[c + 5 * stride]) * scale + offset],
              t[Int(p[c + 6 * stride]) * scale + offset], t[Int(p[c + 7 * stride]) * scale + offset])
    }
}
