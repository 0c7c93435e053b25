/// Table lookups and 4-byte-pixel loads/stores for the table-driven 8-bit
/// conversions (Lab, Luv). Swift has no gather, so a lookup is eight scalar
/// loads written with constant lane indices, which the optimiser keeps as
/// plain extracts and inserts instead of a generic SIMD call.
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

    /// load8 that for 4-byte pixels reads the 32 bytes as one vector (load8's
    /// element-wise path is its slow case).
    @inline(__always)
    static func load8x(_ p: UnsafeMutablePointer<UInt8>, _ stride: Int) -> (SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>) {
        if stride == 4 {
            let x = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Int32>.self)
            return (x & 0xFF, (x &>> 8) & 0xFF, (x &>> 16) & 0xFF)
        }
        return load8(p, stride)
    }

    /// store8 that for 4-byte pixels writes the 32 bytes at once, putting each
    /// pixel's 4th byte back as it was read.
    @inline(__always)
    static func store8x(_ p: UnsafeMutablePointer<UInt8>, _ stride: Int, _ c0: SIMD8<Int32>, _ c1: SIMD8<Int32>, _ c2: SIMD8<Int32>) {
        if stride == 4 {
            let raw = UnsafeMutableRawPointer(p)
            let keep = raw.loadUnaligned(as: SIMD8<Int32>.self) & SIMD8(repeating: Int32(bitPattern: 0xFF00_0000))
            raw.storeBytes(of: keep | c0 | (c1 &<< 8) | (c2 &<< 16), as: SIMD8<Int32>.self)
            return
        }
        store8(p, stride, c0, c1, c2)
    }
}
