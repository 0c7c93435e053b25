/// cv2.resize INTER_CUBIC on 8-bit images, OpenCV's arithmetic: 11-bit
/// horizontal weights summed exactly in Int32, then a vertical 4-tap blend in
/// float over the first multiple of 8 samples of a row (OpenCV's vector loop)
/// and in fixed point over the rest (its scalar tail). The integer horizontal
/// sums do not depend on how they are computed, so interior pixels take one
/// vector load and two 16-bit multiply-adds; the float blend keeps OpenCV's
/// order of operations lane for lane. Horizontally filtered rows live in a
/// four-row ring as floats, each source row filtered and converted once.
extension CVResize {
    static func cubic8(_ src: [UInt8], _ g: ResizeGeometry) -> [UInt8] {
        let cn = g.cn, dw = g.dw, width = dw * cn, rowLen = g.sw * cn
        let tx = cubicTaps(dst: dw, scale: g.scaleX)
        let ty = cubicTaps(dst: g.dh, scale: g.scaleY)
        // Per output pixel: the four clipped source offsets (scalar path), the byte
        // offset of its first tap (vector path) and the weights as Int16 pairs.
        let xo = UnsafeMutablePointer<Int32>.allocate(capacity: dw * 4)
        let xw = UnsafeMutablePointer<UInt32>.allocate(capacity: dw * 2)
        defer { xo.deallocate(); xw.deallocate() }
        // Pixels whose four taps all lie inside the row: a contiguous run, as offsets only grow.
        var lo = dw, hi = 0
        for d in 0..<dw {
            let s = tx.ofs[d]
            for j in 0..<4 { xo[4 * d + j] = Int32(truncatingIfNeeded: clipIndex(s - 1 + j, g.sw) * cn) }
            func w(_ j: Int) -> UInt32 { UInt32(UInt16(truncatingIfNeeded: fixed(tx.coef[4 * d + j]))) }
            xw[2 * d] = w(0) | w(1) << 16
            xw[2 * d + 1] = w(2) | w(3) << 16
            if s - 1 >= 0 && s + 2 < g.sw {
                lo = Swift.min(lo, d)
                hi = d + 1
            }
        }
        if lo >= hi { lo = 0; hi = 0 }
        // Bytes a vector load reads from a pixel's first tap.
        let loadBytes = cn == 1 ? 4 : (cn == 2 ? 8 : 16)
        // Four row buffers with room for the spare lanes of 4-lane stores.
        let ring = UnsafeMutablePointer<Float>.allocate(capacity: 4 * (width + 4))
        defer { ring.deallocate() }
        var ringRow = (-1, -1, -1, -1)
        var vecEnd = 0
        while vecEnd <= width - 8 { vecEnd += 8 }
        let total = width * g.dh
        return src.withUnsafeBufferPointer { sb in
            let s = sb.baseAddress!, count = sb.count
            return [UInt8](unsafeUninitializedCapacity: total) { db, initialized in
                let d = db.baseAddress!
                func fill(_ row: Int, _ buf: UnsafeMutablePointer<Float>) {
                    let base = s + row * rowLen
                    let limit = count - row * rowLen - loadBytes
                    var safe = hi
                    while safe > lo && Int(xo[4 * (safe - 1)]) > limit { safe -= 1 }
                    hcubicScalar(base, buf, xo, xw, 0, lo, cn)
                    switch cn {
                    case 1: hcubic1(base, buf, xo, xw, lo, safe)
                    case 2: hcubic2(base, buf, xo, xw, lo, safe)
                    case 3: hcubic3(base, buf, xo, xw, lo, safe)
                    case 4: hcubic4(base, buf, xo, xw, lo, safe)
                    default: hcubicScalar(base, buf, xo, xw, lo, safe, cn)
                    }
                    hcubicScalar(base, buf, xo, xw, safe, dw, cn)
                }
                func slot(_ i: Int) -> UnsafeMutablePointer<Float> { ring + i * (width + 4) }
                for dy in 0..<g.dh {
                    let sy = ty.ofs[dy]
                    let rows = (clipIndex(sy - 1, g.sh), clipIndex(sy, g.sh), clipIndex(sy + 1, g.sh), clipIndex(sy + 2, g.sh))
                    func needed(_ r: Int) -> Bool { r == rows.0 || r == rows.1 || r == rows.2 || r == rows.3 }
                    func find(_ r: Int) -> UnsafePointer<Float> {
                        if ringRow.0 == r { return UnsafePointer(slot(0)) }
                        if ringRow.1 == r { return UnsafePointer(slot(1)) }
                        if ringRow.2 == r { return UnsafePointer(slot(2)) }
                        if ringRow.3 == r { return UnsafePointer(slot(3)) }
                        // A slot holding no row this output row needs (one exists: four slots, at most four rows).
                        let i = !needed(ringRow.0) ? 0 : (!needed(ringRow.1) ? 1 : (!needed(ringRow.2) ? 2 : 3))
                        fill(r, slot(i))
                        switch i {
                        case 0: ringRow.0 = r
                        case 1: ringRow.1 = r
                        case 2: ringRow.2 = r
                        default: ringRow.3 = r
                        }
                        return UnsafePointer(slot(i))
                    }
                    let r0 = find(rows.0), r1 = find(rows.1), r2 = find(rows.2), r3 = find(rows.3)
                    let b0 = fixed(ty.coef[4 * dy]), b1 = fixed(ty.coef[4 * dy + 1])
                    let b2 = fixed(ty.coef[4 * dy + 2]), b3 = fixed(ty.coef[4 * dy + 3])
                    vcubic8(r0, r1, r2, r3, d + dy * width, vecEnd, width, b0, b1, b2, b3)
                }
                initialized = total
            }
        }
    }

    /// Pairs of 16-bit lanes multiplied and summed into 32 bits (pmaddwd).
    @inline(__always)
    static func madd(_ a: SIMD8<Int16>, _ b: SIMD8<Int16>) -> SIMD4<Int32> {
        let p = SIMD8<Int32>(truncatingIfNeeded: a) &* SIMD8<Int32>(truncatingIfNeeded: b)
        return p.evenHalf &+ p.oddHalf
    }

    /// Eight chosen bytes as 16-bit lanes (one byte shuffle that zeroes the high bytes).
    @inline(__always)
    static func widen(_ v: SIMD16<UInt8>, _ i0: Int, _ i1: Int, _ i2: Int, _ i3: Int,
                      _ i4: Int, _ i5: Int, _ i6: Int, _ i7: Int) -> SIMD8<Int16> {
        unsafeBitCast(SIMD16<UInt8>(v[i0], 0, v[i1], 0, v[i2], 0, v[i3], 0, v[i4], 0, v[i5], 0, v[i6], 0, v[i7], 0),
                      to: SIMD8<Int16>.self)
    }

    @inline(__always)
    static func weights(_ xw: UnsafePointer<UInt32>, _ x: Int) -> (SIMD8<Int16>, SIMD8<Int16>) {
        (unsafeBitCast(SIMD4<UInt32>(repeating: xw[2 &* x]), to: SIMD8<Int16>.self),
         unsafeBitCast(SIMD4<UInt32>(repeating: xw[2 &* x &+ 1]), to: SIMD8<Int16>.self))
    }

    /// Three channels: the 12 bytes of the four taps from one 16-byte load; lanes
    /// (tap 0, tap 1) and (tap 2, tap 3) of each channel paired against the weights.
    /// The fourth lane of each store is junk that the next pixel (or the spare
    /// lanes past the row) takes.
    @inline(never)
    static func hcubic3(_ base: UnsafePointer<UInt8>, _ buf: UnsafeMutablePointer<Float>, _ xo: UnsafePointer<Int32>,
                        _ xw: UnsafePointer<UInt32>, _ lo: Int, _ hi: Int) {
        let raw = UnsafeRawPointer(base), out = UnsafeMutableRawPointer(buf)
        var x = lo
        while x < hi {
            let v = raw.loadUnaligned(fromByteOffset: Int(xo[4 &* x]), as: SIMD16<UInt8>.self)
            let (w01, w23) = weights(xw, x)
            let a = widen(v, 0, 3, 1, 4, 2, 5, 3, 6)
            let b = widen(v, 6, 9, 7, 10, 8, 11, 9, 12)
            out.storeBytes(of: SIMD4<Float>(madd(a, w01) &+ madd(b, w23)), toByteOffset: 12 &* x, as: SIMD4<Float>.self)
            x &+= 1
        }
    }

    @inline(never)
    static func hcubic4(_ base: UnsafePointer<UInt8>, _ buf: UnsafeMutablePointer<Float>, _ xo: UnsafePointer<Int32>,
                        _ xw: UnsafePointer<UInt32>, _ lo: Int, _ hi: Int) {
        let raw = UnsafeRawPointer(base), out = UnsafeMutableRawPointer(buf)
        var x = lo
        while x < hi {
            let v = raw.loadUnaligned(fromByteOffset: Int(xo[4 &* x]), as: SIMD16<UInt8>.self)
            let (w01, w23) = weights(xw, x)
            let a = widen(v, 0, 4, 1, 5, 2, 6, 3, 7)
            let b = widen(v, 8, 12, 9, 13, 10, 14, 11, 15)
            out.storeBytes(of: SIMD4<Float>(madd(a, w01) &+ madd(b, w23)), toByteOffset: 16 &* x, as: SIMD4<Float>.self)
            x &+= 1
        }
    }

    /// Two channels: one 8-byte load; lanes 0-1 sum taps 0-1, lanes 2-3 taps 2-3.
    @inline(never)
    static func hcubic2(_ base: UnsafePointer<UInt8>, _ buf: UnsafeMutablePointer<Float>, _ xo: UnsafePointer<Int32>,
                        _ xw: UnsafePointer<UInt32>, _ lo: Int, _ hi: Int) {
        let raw = UnsafeRawPointer(base)
        var x = lo
        while x < hi {
            let v = SIMD8<Int16>(truncatingIfNeeded: raw.loadUnaligned(fromByteOffset: Int(xo[4 &* x]), as: SIMD8<UInt8>.self))
            let w = unsafeBitCast(SIMD4<UInt32>(xw[2 &* x], xw[2 &* x], xw[2 &* x &+ 1], xw[2 &* x &+ 1]), to: SIMD8<Int16>.self)
            let r = madd(SIMD8<Int16>(v[0], v[2], v[1], v[3], v[4], v[6], v[5], v[7]), w)
            buf[2 &* x] = Float(r[0] &+ r[2])
            buf[2 &* x &+ 1] = Float(r[1] &+ r[3])
            x &+= 1
        }
    }

    /// One channel: two pixels per multiply-add, each a 4-byte load of its taps.
    @inline(never)
    static func hcubic1(_ base: UnsafePointer<UInt8>, _ buf: UnsafeMutablePointer<Float>, _ xo: UnsafePointer<Int32>,
                        _ xw: UnsafePointer<UInt32>, _ lo: Int, _ hi: Int) {
        let raw = UnsafeRawPointer(base)
        var x = lo
        while x &+ 2 <= hi {
            let p0 = raw.loadUnaligned(fromByteOffset: Int(xo[4 &* x]), as: SIMD4<UInt8>.self)
            let p1 = raw.loadUnaligned(fromByteOffset: Int(xo[4 &* x &+ 4]), as: SIMD4<UInt8>.self)
            let v = SIMD8<Int16>(truncatingIfNeeded: SIMD8<UInt8>(lowHalf: p0, highHalf: p1))
            let w = unsafeBitCast(SIMD4<UInt32>(xw[2 &* x], xw[2 &* x &+ 1], xw[2 &* x &+ 2], xw[2 &* x &+ 3]), to: SIMD8<Int16>.self)
            let r = madd(v, w)
            buf[x] = Float(r[0] &+ r[1])
            buf[x &+ 1] = Float(r[2] &+ r[3])
            x &+= 2
        }
        hcubicScalar(base, buf, xo, xw, x, hi, 1)
    }

    /// Pixels lo..<hi one sample at a time from the clipped offsets (the row's
    /// ends, and channel counts above 4).
    static func hcubicScalar(_ base: UnsafePointer<UInt8>, _ buf: UnsafeMutablePointer<Float>, _ xo: UnsafePointer<Int32>,
                             _ xw: UnsafePointer<UInt32>, _ lo: Int, _ hi: Int, _ cn: Int) {
        guard lo < hi else { return }
        for x in lo..<hi {
            let w01 = xw[2 * x], w23 = xw[2 * x + 1]
            let w0 = Int32(Int16(truncatingIfNeeded: w01)), w1 = Int32(Int16(truncatingIfNeeded: w01 >> 16))
            let w2 = Int32(Int16(truncatingIfNeeded: w23)), w3 = Int32(Int16(truncatingIfNeeded: w23 >> 16))
            let o0 = Int(xo[4 * x]), o1 = Int(xo[4 * x + 1]), o2 = Int(xo[4 * x + 2]), o3 = Int(xo[4 * x + 3])
            for k in 0..<cn {
                buf[x * cn + k] = Float(Int32(base[o0 + k]) &* w0 &+ Int32(base[o1 + k]) &* w1
                    &+ Int32(base[o2 + k]) &* w2 &+ Int32(base[o3 + k]) &* w3)
            }
        }
    }

    /// The vertical blend: OpenCV's float vector loop over samples 0..<vecEnd
    /// (r0*b0 + (r1*b1 + (r2*b2 + r3*b3)), weights scaled by 2^-22, rounded half
    /// to even and saturated), its fixed-point tail over the rest. The rows hold
    /// the exact Int32 horizontal sums as floats (all below 2^24).
    @inline(never)
    static func vcubic8(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>,
                        _ r3: UnsafePointer<Float>, _ o: UnsafeMutablePointer<UInt8>, _ vecEnd: Int, _ width: Int,
                        _ b0: Int32, _ b1: Int32, _ b2: Int32, _ b3: Int32) {
        typealias F = SIMD8<Float>
        let scale: Float = 1.0 / (2048 * 2048)
        let f0 = F(repeating: Float(b0) * scale), f1 = F(repeating: Float(b1) * scale)
        let f2 = F(repeating: Float(b2) * scale), f3 = F(repeating: Float(b3) * scale)
        let p0 = UnsafeRawPointer(r0), p1 = UnsafeRawPointer(r1), p2 = UnsafeRawPointer(r2), p3 = UnsafeRawPointer(r3)
        let out = UnsafeMutableRawPointer(o)
        // Adding 1.5 * 2^23 to a value of magnitude below 2^22 rounds it half to even
        // into the low mantissa bits: the bits less those of 1.5 * 2^23 are the
        // rounded value as an integer, then saturated (all integer min/max, which
        // the compiler cannot fold back into float selects).
        let magic = F(repeating: 12582912)
        let magicBits = SIMD8<Int32>(repeating: Int32(bitPattern: (12582912 as Float).bitPattern))
        @inline(__always) func eight(_ x: Int) -> SIMD8<UInt32> {
            let a0 = p0.loadUnaligned(fromByteOffset: 4 &* x, as: F.self)
            let a1 = p1.loadUnaligned(fromByteOffset: 4 &* x, as: F.self)
            let a2 = p2.loadUnaligned(fromByteOffset: 4 &* x, as: F.self)
            let a3 = p3.loadUnaligned(fromByteOffset: 4 &* x, as: F.self)
            let v = a0 * f0 + (a1 * f1 + (a2 * f2 + a3 * f3))
            let i = unsafeBitCast(v + magic, to: SIMD8<Int32>.self) &- magicBits
            return SIMD8<UInt32>(truncatingIfNeeded: i.clamped(lowerBound: SIMD8(repeating: 0), upperBound: SIMD8(repeating: 255)))
        }
        var x = 0
        while x &+ 16 <= vecEnd {
            let b = SIMD16<UInt32>(lowHalf: eight(x), highHalf: eight(x &+ 8))
            out.storeBytes(of: SIMD16<UInt8>(truncatingIfNeeded: b), toByteOffset: x, as: SIMD16<UInt8>.self)
            x &+= 16
        }
        while x < vecEnd {
            out.storeBytes(of: SIMD8<UInt8>(truncatingIfNeeded: eight(x)), toByteOffset: x, as: SIMD8<UInt8>.self)
            x &+= 8
        }
        while x < width {
            let v = Int32(r0[x]) &* b0 &+ Int32(r1[x]) &* b1 &+ Int32(r2[x]) &* b2 &+ Int32(r3[x]) &* b3
            o[x] = UInt8(clamping: (v &+ (1 << 21)) >> 22)
            x &+= 1
        }
    }
}
