/// 8-bit forms of the pillike Enhance and Filter kernels that vectorise
/// across samples while keeping, per output sample, exactly the float32
/// operations (and their order) of the generic paths.
enum PillikeBytes {
    typealias F = SIMD8<Float>

    /// Eight bytes as floats. Or-ing a byte into the mantissa of 2^23 and
    /// subtracting 2^23 is exact and needs no conversion instruction.
    @inline(__always)
    static func load(_ p: UnsafePointer<UInt8>) -> F {
        let b = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<UInt8>.self)
        let bits = SIMD8<UInt32>(truncatingIfNeeded: b) | 0x4B00_0000
        return unsafeBitCast(bits, to: F.self) - 8_388_608
    }

    /// `t <= 0 ? 0 : (t >= 255 ? 255 : trunc(t))` per lane, stored as bytes.
    /// The truncated value in [0, 255] plus 2^23 holds it in its low mantissa
    /// bits, which avoids the trapping float-to-integer conversion.
    @inline(__always)
    static func store(_ t: F, _ p: UnsafeMutablePointer<UInt8>) {
        var c = t.replacing(with: 0, where: t .<= 0)
        c = c.replacing(with: 255, where: t .>= 255)
        let bits = unsafeBitCast(c.rounded(.towardZero) + 8_388_608, to: SIMD8<UInt32>.self)
        UnsafeMutableRawPointer(p).storeBytes(of: SIMD8<UInt8>(truncatingIfNeeded: bits), as: SIMD8<UInt8>.self)
    }

    /// `d + alpha (v - d)` per sample (Pillow's `Image.blend`), truncated and
    /// clipped to 0...255; the clip only matters when alpha is outside [0, 1],
    /// where the generic path applies it, and is a no-op otherwise because
    /// the blend then lies between d and v.
    static func blend(_ d: [UInt8], _ v: [UInt8], _ alpha: Float) -> [UInt8] {
        precondition(d.count == v.count)
        let n = v.count
        let out = [UInt8](unsafeUninitializedCapacity: n) { o, count in
            d.withUnsafeBufferPointer { db in
                v.withUnsafeBufferPointer { vb in
                    guard let dp = db.baseAddress, let vp = vb.baseAddress, let op = o.baseAddress else { return }
                    let a = F(repeating: alpha)
                    var i = 0
                    while i + 8 <= n {
                        let df = load(dp + i)
                        store(df + a * (load(vp + i) - df), op + i)
                        i += 8
                    }
                    while i < n {
                        let t = Float(dp[i]) + alpha * Float(Int(vp[i]) - Int(dp[i]))
                        op[i] = t <= 0 ? 0 : (t >= 255 ? 255 : UInt8(t.rounded(.towardZero)))
                        i += 1
                    }
                }
            }
            count = n
        }
        return out
    }

    /// EnhanceColor for 3 or 4 channels: each pixel's colour samples blend
    /// with its luma (Pillow's RGB to L, in integers) by ``blend(_:_:_:)``'s
    /// formula, alpha unchanged. Eight pixels' luma are computed together and
    /// spread over the interleaved samples, which are then blended in place.
    static func color(_ v: [UInt8], _ c: Int, _ alpha: Float) -> [UInt8] {
        precondition(c == 3 || c == 4)
        let n = v.count
        let px = n / c
        let out = [UInt8](unsafeUninitializedCapacity: n) { o, count in
            v.withUnsafeBufferPointer { vb in
                guard let vp = vb.baseAddress, let op = o.baseAddress else { return }
                let av = F(repeating: alpha)
                @inline(__always) func mix(_ d: F, _ i: Int) {
                    let x = load(vp + i)
                    store(d + av * (x - d), op + i)
                }
                var p = 0
                while p + 8 <= px {
                    let q = vp + p * c
                    var r = SIMD8<Int32>(), g = SIMD8<Int32>(), b = SIMD8<Int32>()
                    for l in 0..<8 {
                        r[l] = Int32(q[l * c]); g[l] = Int32(q[l * c + 1]); b[l] = Int32(q[l * c + 2])
                    }
                    let lum = (r &* 19595 &+ g &* 38470 &+ b &* 7471 &+ 0x8000) &>> 16
                    let lf = unsafeBitCast(lum | 0x4B00_0000, to: F.self) - 8_388_608
                    let i = p * c
                    if c == 3 {
                        mix(F(lf[0], lf[0], lf[0], lf[1], lf[1], lf[1], lf[2], lf[2]), i)
                        mix(F(lf[2], lf[3], lf[3], lf[3], lf[4], lf[4], lf[4], lf[5]), i + 8)
                        mix(F(lf[5], lf[5], lf[6], lf[6], lf[6], lf[7], lf[7], lf[7]), i + 16)
                    } else {
                        // the alpha lane blends with itself, which leaves it unchanged
                        for h in 0..<4 {
                            let x = load(vp + i + 8 * h)
                            let d = F(lf[2 * h], lf[2 * h], lf[2 * h], x[3], lf[2 * h + 1], lf[2 * h + 1], lf[2 * h + 1], x[7])
                            store(d + av * (x - d), op + i + 8 * h)
                        }
                    }
                    p += 8
                }
                while p < px {
                    let i = p * c
                    let l = PillikeEnhanceKernel.luma(Int(vp[i]), Int(vp[i + 1]), Int(vp[i + 2]))
                    for ch in 0..<3 {
                        let t = Float(l) + alpha * Float(Int(vp[i + ch]) - l)
                        op[i + ch] = t <= 0 ? 0 : (t >= 255 ? 255 : UInt8(t.rounded(.towardZero)))
                    }
                    if c == 4 { op[i + 3] = vp[i + 3] }
                    p += 1
                }
            }
            count = n
        }
        return out
    }

    /// Pillow's 3x3 or 5x5 filter over 8-bit interleaved samples; see
    /// ``PillikeFilterKernel``. `k` holds the weights already divided by the
    /// divisor, row by row.
    static func filter(_ src: [UInt8], _ w: Int, _ h: Int, _ c: Int, _ size: Int, _ k: [Float], _ offset: Float) -> [UInt8] {
        guard w >= size, h >= size else { return src }
        precondition(k.count == size * size && src.count == w * h * c)
        var out = src
        src.withUnsafeBufferPointer { sb in
            out.withUnsafeMutableBufferPointer { ob in
                guard let s = sb.baseAddress, let o = ob.baseAddress else { return }
                k.withUnsafeBufferPointer { kb in
                    if size == 3 {
                        rows3(s, o, w, h, c, kb, offset + 0.5)
                    } else {
                        rows5(s, o, w, h, c, kb, offset + 0.5)
                    }
                }
            }
        }
        return out
    }

    /// One output sample on the scalar path: `p[kr]` is the image row that
    /// kernel row kr meets, already offset to the sample's leftmost neighbour.
    @inline(__always)
    static func sample(_ p: (Int) -> UnsafePointer<UInt8>, _ j: Int, _ c: Int, _ size: Int,
                       _ k: UnsafeBufferPointer<Float>, _ start: Float) -> UInt8 {
        var ss = start
        for kr in 0..<size {
            let row = p(kr)
            var sum = Float(row[j]) * k[kr * size]
            for kc in 1..<size { sum = sum + Float(row[j + kc * c]) * k[kr * size + kc] }
            ss = ss + sum
        }
        return ss <= 0 ? 0 : (ss >= 255 ? 255 : UInt8(ss))
    }

    /// The interior rows for a 3x3 kernel: each kernel row is summed left to
    /// right, and the row sums are added to `start` beginning with kernel
    /// row 0, which meets the image row below the output row.
    static func rows3(_ s: UnsafePointer<UInt8>, _ o: UnsafeMutablePointer<UInt8>, _ w: Int, _ h: Int, _ c: Int,
                      _ k: UnsafeBufferPointer<Float>, _ start: Float) {
        let stride = w * c
        let k0 = F(repeating: k[0]), k1 = F(repeating: k[1]), k2 = F(repeating: k[2])
        let k3 = F(repeating: k[3]), k4 = F(repeating: k[4]), k5 = F(repeating: k[5])
        let k6 = F(repeating: k[6]), k7 = F(repeating: k[7]), k8 = F(repeating: k[8])
        let st = F(repeating: start)
        // output samples j in [c, stride - c) of the row; neighbours at j - c, j, j + c
        let n = stride - 2 * c
        for y in 1..<(h - 1) {
            let a = s + (y + 1) * stride, b = s + y * stride, d = s + (y - 1) * stride
            let out = o + y * stride + c
            var j = 0
            while j + 8 <= n {
                var ss = st
                ss = ss + (load(a + j) * k0 + load(a + j + c) * k1 + load(a + j + 2 * c) * k2)
                ss = ss + (load(b + j) * k3 + load(b + j + c) * k4 + load(b + j + 2 * c) * k5)
                ss = ss + (load(d + j) * k6 + load(d + j + c) * k7 + load(d + j + 2 * c) * k8)
                store(ss, out + j)
                j += 8
            }
            while j < n {
                out[j] = sample({ $0 == 0 ? a : ($0 == 1 ? b : d) }, j, c, 3, k, start)
                j += 1
            }
        }
    }

    /// ``rows3(_:_:_:_:_:_:_:)`` for a 5x5 kernel.
    static func rows5(_ s: UnsafePointer<UInt8>, _ o: UnsafeMutablePointer<UInt8>, _ w: Int, _ h: Int, _ c: Int,
                      _ k: UnsafeBufferPointer<Float>, _ start: Float) {
        let stride = w * c
        let kv = (0..<25).map { F(repeating: k[$0]) }
        let st = F(repeating: start)
        let n = stride - 4 * c
        kv.withUnsafeBufferPointer { kvb in
            let kp = kvb.baseAddress!
            for y in 2..<(h - 2) {
                let out = o + y * stride + 2 * c
                let rows = (s + (y + 2) * stride, s + (y + 1) * stride, s + y * stride,
                            s + (y - 1) * stride, s + (y - 2) * stride)
                @inline(__always) func row(_ kr: Int) -> UnsafePointer<UInt8> {
                    switch kr {
                    case 0: return rows.0
                    case 1: return rows.1
                    case 2: return rows.2
                    case 3: return rows.3
                    default: return rows.4
                    }
                }
                var j = 0
                while j + 8 <= n {
                    var ss = st
                    for kr in 0..<5 {
                        let r = row(kr) + j
                        let q = kp + kr * 5
                        let sum = load(r) * q[0] + load(r + c) * q[1] + load(r + 2 * c) * q[2]
                            + load(r + 3 * c) * q[3] + load(r + 4 * c) * q[4]
                        ss = ss + sum
                    }
                    store(ss, out + j)
                    j += 8
                }
                while j < n {
                    out[j] = sample(row, j, c, 5, k, start)
                    j += 1
                }
            }
        }
    }
}
