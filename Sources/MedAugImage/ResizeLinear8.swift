/// cv2.resize INTER_LINEAR on 8-bit images, OpenCV's fixed-point path:
/// 11-bit horizontal weights, row sums kept shifted right by 4 (all that the
/// vertical blend uses), then the vertical blend with 16-bit high multiplies
/// and (sum + 2) >> 2. Per output pixel one 8-byte load fetches both source
/// pixels (2 to 4 channels), paired against the two weights in one
/// multiply-add; loads that would leave the source take a scalar path.
extension CVResize {
    static func linear8(_ src: [UInt8], _ g: ResizeGeometry, areaMode: Bool) -> [UInt8] {
        let cn = g.cn, dw = g.dw, width = dw * cn, rowLen = g.sw * cn
        let tx = linearTaps(src: g.sw, dst: dw, scale: g.scaleX, invScale: g.invScaleX, areaMode: areaMode, clamp: true)
        let ty = linearTaps(src: g.sh, dst: g.dh, scale: g.scaleY, invScale: g.invScaleY, areaMode: areaMode, clamp: false)
        // Per output pixel: byte offset of its left source pixel, and its two 11-bit
        // weights packed as Int16 pairs (w0 | w1 << 16; the edge rule gives 2048, 0).
        let xofs = UnsafeMutablePointer<Int32>.allocate(capacity: dw)
        let xw = UnsafeMutablePointer<UInt32>.allocate(capacity: dw)
        defer { xofs.deallocate(); xw.deallocate() }
        tx.ofs.withUnsafeBufferPointer { ofs in tx.coef.withUnsafeBufferPointer { coef in
            for d in 0..<dw {
                let s = ofs[d]
                let hasNext = s + 1 < g.sw
                let w0 = hasNext ? UInt32(fixed(coef[2 * d])) : 2048, w1 = hasNext ? UInt32(fixed(coef[2 * d + 1])) : 0
                xofs[d] = Int32(truncatingIfNeeded: s * cn)
                xw[d] = w0 | w1 << 16
            }
        }}
        // Two row buffers hold horizontal sums already shifted right by 4 (all the
        // vertical blend uses; they fit in Int16), with spare lanes for 8-byte stores.
        var bufA = UnsafeMutablePointer<Int16>.allocate(capacity: width + 4)
        var bufB = UnsafeMutablePointer<Int16>.allocate(capacity: width + 4)
        defer { bufA.deallocate(); bufB.deallocate() }
        var rowA = -1, rowB = -1
        let total = width * g.dh
        return src.withUnsafeBufferPointer { sb in
            let s = sb.baseAddress!, count = sb.count
            return [UInt8](unsafeUninitializedCapacity: total) { db, initialized in
                let d = db.baseAddress!
                func fill(_ row: Int, _ buf: UnsafeMutablePointer<Int16>) {
                    let base = s + row * rowLen
                    // Leading pixels whose vector loads (8 bytes; 2 for one channel) stay in the source.
                    let limit = count - row * rowLen - (cn == 1 ? 2 : 8)
                    var safe = dw
                    while safe > 0 && Int(xofs[safe - 1]) > limit { safe -= 1 }
                    switch cn {
                    case 1: hrow8Gray(base, buf, xofs, xw, safe, dw)
                    case 2: hrow8(base, buf, xofs, xw, safe, dw, 2)
                    case 3: hrow8(base, buf, xofs, xw, safe, dw, 3)
                    case 4: hrow8(base, buf, xofs, xw, safe, dw, 4)
                    default: hrow8Tail(base, buf, xofs, xw, 0, dw, cn)
                    }
                }
                for dy in 0..<g.dh {
                    let sy = ty.ofs[dy]
                    let r0 = clipIndex(sy, g.sh), r1 = clipIndex(sy + 1, g.sh)
                    if rowA != r0 {
                        if rowB == r0 {
                            swap(&bufA, &bufB); swap(&rowA, &rowB)
                        } else {
                            fill(r0, bufA); rowA = r0
                        }
                    }
                    var p1 = bufA
                    if r1 != r0 {
                        if rowB != r1 { fill(r1, bufB); rowB = r1 }
                        p1 = bufB
                    }
                    vrow8(bufA, p1, d + dy * width, width, Int16(fixed(ty.coef[2 * dy])), Int16(fixed(ty.coef[2 * dy + 1])))
                }
                initialized = total
            }
        }
    }

    /// Horizontal pass for 2-4 channels: per output pixel one 8-byte load holds both
    /// source pixels; lanes (left k, right k) pair up against the packed weights
    /// (a pmaddwd), and the 4 sums, shifted by 4, go out as one 8-byte store.
    @inline(__always)
    static func hrow8(_ base: UnsafePointer<UInt8>, _ buf: UnsafeMutablePointer<Int16>, _ xofs: UnsafePointer<Int32>,
                      _ xw: UnsafePointer<UInt32>, _ safe: Int, _ dw: Int, _ cn: Int) {
        let raw = UnsafeRawPointer(base), out = UnsafeMutableRawPointer(buf)
        for x in 0..<safe {
            let v = raw.loadUnaligned(fromByteOffset: Int(xofs[x]), as: SIMD8<UInt8>.self)
            let w = unsafeBitCast(SIMD4<UInt32>(repeating: xw[x]), to: SIMD8<Int16>.self)
            let r0 = Int32(v[0]) &* Int32(w[0]) &+ Int32(v[cn]) &* Int32(w[1])
            let r1 = Int32(v[1]) &* Int32(w[2]) &+ Int32(v[cn + 1]) &* Int32(w[3])
            let r2 = Int32(v[2]) &* Int32(w[4]) &+ Int32(v[cn + 2]) &* Int32(w[5])
            let r3 = Int32(v[3]) &* Int32(w[6]) &+ Int32(v[cn + 3]) &* Int32(w[7])
            let r = SIMD4<Int32>(r0, r1, r2, r3) &>> 4
            out.storeBytes(of: SIMD4<Int16>(truncatingIfNeeded: r), toByteOffset: 2 &* x &* cn, as: SIMD4<Int16>.self)
        }
        hrow8Tail(base, buf, xofs, xw, safe, dw, cn)
    }

    /// One channel: four output pixels at a time, each a 2-byte load of its source pair.
    @inline(__always)
    static func hrow8Gray(_ base: UnsafePointer<UInt8>, _ buf: UnsafeMutablePointer<Int16>, _ xofs: UnsafePointer<Int32>,
                          _ xw: UnsafePointer<UInt32>, _ safe: Int, _ dw: Int) {
        let raw = UnsafeRawPointer(base), out = UnsafeMutableRawPointer(buf)
        let wr = UnsafeRawPointer(xw)
        var x = 0
        while x + 4 <= safe {
            let p = SIMD4<UInt16>(raw.loadUnaligned(fromByteOffset: Int(xofs[x]), as: UInt16.self),
                                  raw.loadUnaligned(fromByteOffset: Int(xofs[x + 1]), as: UInt16.self),
                                  raw.loadUnaligned(fromByteOffset: Int(xofs[x + 2]), as: UInt16.self),
                                  raw.loadUnaligned(fromByteOffset: Int(xofs[x + 3]), as: UInt16.self))
            // Left pixels in the low bytes, right in the high; weights w0 | w1 << 16.
            let lo = SIMD4<Int32>(truncatingIfNeeded: p & 0xFF), hi = SIMD4<Int32>(truncatingIfNeeded: p &>> 8)
            let w = wr.loadUnaligned(fromByteOffset: 4 &* x, as: SIMD4<UInt32>.self)
            let w0 = SIMD4<Int32>(truncatingIfNeeded: SIMD4<Int16>(truncatingIfNeeded: w))
            let w1 = SIMD4<Int32>(truncatingIfNeeded: SIMD4<Int16>(truncatingIfNeeded: w &>> 16))
            let r = (lo &* w0 &+ hi &* w1) &>> 4
            out.storeBytes(of: SIMD4<Int16>(truncatingIfNeeded: r), toByteOffset: 2 &* x, as: SIMD4<Int16>.self)
            x += 4
        }
        hrow8Tail(base, buf, xofs, xw, x, dw, 1)
    }

    /// Scalar horizontal pass for pixels lo..<hi (the row's end, where vector loads
    /// would leave the source, and channel counts above 4).
    @inline(__always)
    static func hrow8Tail(_ base: UnsafePointer<UInt8>, _ buf: UnsafeMutablePointer<Int16>, _ xofs: UnsafePointer<Int32>,
                          _ xw: UnsafePointer<UInt32>, _ lo: Int, _ hi: Int, _ cn: Int) {
        for x in lo..<hi {
            let o = Int(xofs[x]), w0 = Int32(xw[x] & 0xFFFF), w1 = Int32(xw[x] >> 16)
            let o1 = w1 != 0 ? o + cn : o
            for k in 0..<cn {
                let v = Int32(base[o + k]) &* w0 &+ Int32(base[o1 + k]) &* w1
                buf[x * cn + k] = Int16(truncatingIfNeeded: v &>> 4)
            }
        }
    }

    /// Vertical blend as OpenCV does it: 16-bit high multiplies of the pre-shifted
    /// rows, then (sum + 2) >> 2. Written per sample; LLVM vectorises it (vpmulhw).
    @inline(never)
    static func vrow8(_ p0: UnsafePointer<Int16>, _ p1: UnsafePointer<Int16>, _ o: UnsafeMutablePointer<UInt8>,
                      _ width: Int, _ b0: Int16, _ b1: Int16) {
        // Int16 weights: LLVM then knows the products are 16 x 16 bits.
        let b0 = Int32(b0), b1 = Int32(b1)
        for i in 0..<width {
            let h0 = Int16(truncatingIfNeeded: (Int32(p0[i]) &* b0) &>> 16)
            let h1 = Int16(truncatingIfNeeded: (Int32(p1[i]) &* b1) &>> 16)
            o[i] = UInt8(truncatingIfNeeded: (h0 &+ h1 &+ 2) &>> 2)
        }
    }
}
