/// SIMD helpers for the 8-bit colour conversions: 8 interleaved pixels in,
/// three channel vectors out, and back.
enum ColorSIMD {
    /// Channels 0, 1, 2 of 8 pixels at `p` (pixel k at p + k*stride).
    /// With stride 3 or 4 it reads exactly the bytes of the 8 pixels.
    @inline(__always)
    static func load8(_ p: UnsafeMutablePointer<UInt8>, _ stride: Int) -> (SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>) {
        if stride == 3 {
            let raw = UnsafeRawPointer(p)
            let a = raw.loadUnaligned(as: SIMD16<UInt8>.self)                   // bytes 0..15
            let b = raw.loadUnaligned(fromByteOffset: 8, as: SIMD16<UInt8>.self) // bytes 8..23
            // one pixel per 32-bit lane (4th byte junk), then mask the channels out
            let lo = SIMD16<UInt8>(a[0], a[1], a[2], a[3], a[3], a[4], a[5], a[6],
                                   a[6], a[7], a[8], a[9], a[9], a[10], a[11], a[12])
            let hi = SIMD16<UInt8>(b[4], b[5], b[6], b[7], b[7], b[8], b[9], b[10],
                                   b[10], b[11], b[12], b[13], b[13], b[14], b[15], b[15])
            let x = SIMD8<Int32>(lowHalf: unsafeBitCast(lo, to: SIMD4<Int32>.self),
                                 highHalf: unsafeBitCast(hi, to: SIMD4<Int32>.self))
            return (x & 0xFF, (x &>> 8) & 0xFF, (x &>> 16) & 0xFF)
        }
        if stride == 4 {
            // The 8 pixels are one 32-byte vector, a pixel per lane.
            let x = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Int32>.self)
            return (x & 0xFF, (x &>> 8) & 0xFF, (x &>> 16) & 0xFF)
        }
        var c0 = SIMD8<Int32>(), c1 = SIMD8<Int32>(), c2 = SIMD8<Int32>()
        for k in 0..<8 {
            c0[k] = Int32(p[k * stride]); c1[k] = Int32(p[k * stride + 1]); c2[k] = Int32(p[k * stride + 2])
        }
        return (c0, c1, c2)
    }

    /// Stores the low bytes of three channel vectors (values already in 0...255)
    /// into channels 0, 1, 2 of 8 pixels at `p`; other bytes are left as they are.
    @inline(__always)
    static func store8(_ p: UnsafeMutablePointer<UInt8>, _ stride: Int, _ c0: SIMD8<Int32>, _ c1: SIMD8<Int32>, _ c2: SIMD8<Int32>) {
        if stride == 3 {
            // One pixel per 32-bit lane, two pixels joined into the low 6
            // bytes of each 64-bit lane, then four 8-byte stores 6 bytes
            // apart, the last split into 4 + 2 so nothing past the 8 pixels
            // is written (byte shuffles here become byte inserts).
            let x = c0 | (c1 &<< 8) | (c2 &<< 16)
            let q = unsafeBitCast(x, to: SIMD4<UInt64>.self)
            let y = (q & 0xFF_FFFF) | ((q &>> 8) & 0xFFFF_FF00_0000)
            let raw = UnsafeMutableRawPointer(p)
            raw.storeBytes(of: y[0], as: UInt64.self)
            raw.storeBytes(of: y[1], toByteOffset: 6, as: UInt64.self)
            raw.storeBytes(of: y[2], toByteOffset: 12, as: UInt64.self)
            raw.storeBytes(of: UInt32(truncatingIfNeeded: y[3]), toByteOffset: 18, as: UInt32.self)
            raw.storeBytes(of: UInt16(truncatingIfNeeded: y[3] &>> 32), toByteOffset: 22, as: UInt16.self)
            return
        }
        if stride == 4 {
            // One 32-byte store, each pixel's 4th byte written back as it was read.
            let raw = UnsafeMutableRawPointer(p)
            let keep = raw.loadUnaligned(as: SIMD8<Int32>.self) & SIMD8(repeating: Int32(bitPattern: 0xFF00_0000))
            raw.storeBytes(of: keep | c0 | (c1 &<< 8) | (c2 &<< 16), as: SIMD8<Int32>.self)
            return
        }
        for k in 0..<8 {
            p[k * stride] = UInt8(truncatingIfNeeded: c0[k])
            p[k * stride + 1] = UInt8(truncatingIfNeeded: c1[k])
            p[k * stride + 2] = UInt8(truncatingIfNeeded: c2[k])
        }
    }

    @inline(__always)
    static func toFloat(_ v: SIMD8<Int32>) -> SIMD8<Float> { SIMD8<Float>(v) }

    /// Round half to even then clamp to 0...255 (saturate_cast<uchar> of a float
    /// that is never NaN), as integer lanes.
    @inline(__always)
    static func roundU8(_ v: SIMD8<Float>) -> SIMD8<Int32> {
        let c = min(max(v, SIMD8(repeating: 0)), SIMD8(repeating: 255))
        let m = c + 8_388_608
        return unsafeBitCast(m, to: SIMD8<Int32>.self) & 0xFF
    }

    /// Truncate toward zero then clamp to 0...255 (OpenCV's v_trunc + pack).
    @inline(__always)
    static func truncU8(_ v: SIMD8<Float>) -> SIMD8<Int32> {
        let c = min(max(v, SIMD8(repeating: 0)), SIMD8(repeating: 255))
        let m = c + 8_388_608                       // round to nearest integer
        var r = unsafeBitCast(m, to: SIMD8<Int32>.self) & 0xFF
        let back = m - 8_388_608                     // exact
        r &-= unsafeBitCast(back .> c, to: SIMD8<Int32>.self) & 1 // subtract 1 where rounded up
        return r
    }
}

extension ColorSIMD {
    /// Lane-wise ColorRound.fma(a, b, c).
    @inline(__always)
    static func fma(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> {
        #if MEDAUG_FMA
        return c.addingProduct(a, b)
        #else
        var r = SIMD8<Float>()
        for k in 0..<8 { r[k] = ColorRound.fma(a[k], b[k], c[k]) }
        return r
        #endif
    }

    /// Truncation toward zero of lanes in 0..<2^22, as floats.
    @inline(__always)
    static func trunc(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let y = (x + 8_388_608) - 8_388_608
        return y.replacing(with: y - 1, where: y .> x)
    }
}

extension ColorSIMD {
    /// Lane-wise max / min for lanes that are never NaN (pointwiseMax is not inlined).
    @inline(__always)
    static func max(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a.replacing(with: b, where: b .> a) }
    @inline(__always)
    static func min(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a.replacing(with: b, where: b .< a) }
}

extension ColorSIMD {
    /// min(max(v, lo), hi) lane-wise (`clamped` is not always inlined).
    @inline(__always)
    static func clamp(_ v: SIMD8<Int32>, _ lo: SIMD8<Int32>, _ hi: SIMD8<Int32>) -> SIMD8<Int32> {
        let a = v.replacing(with: lo, where: v .< lo)
        return a.replacing(with: hi, where: a .> hi)
    }
}

extension ColorSIMD {
    /// OpenCV's row layout for the conversions whose vector and scalar code
    /// round differently: in each row, `eight` on groups of 8 pixels over
    /// the first `width - width % block` pixels (`block` a multiple of 8),
    /// then `rest` on the row's remaining pixels (start, count), as OpenCV
    /// finishes a row after its vector blocks.
    @inline(__always)
    static func rows(_ p: UnsafeMutablePointer<UInt8>, width: Int, height: Int, stride: Int, block: Int,
                     eight: (UnsafeMutablePointer<UInt8>) -> Void,
                     rest: (UnsafeMutablePointer<UInt8>, Int) -> Void) {
        let vectorWidth = width - width % block
        var row = p
        for _ in 0..<height {
            var q = row
            for _ in 0..<(vectorWidth / 8) {
                eight(q)
                q += 8 * stride
            }
            if width > vectorWidth { rest(q, width - vectorWidth) }
            row += width * stride
        }
    }
}
