/// Vector forms of the 8-bit lookup tables that Add, Multiply,
/// UniformColorQuantization, Posterize, Invert and Solarize build (imgaug
/// applies them with cv2.LUT).
///
/// Each form runs over 96-byte blocks (six 16-byte vectors, a whole number
/// of pixels for 1, 2, 3 or 4 channels) with one parameter per lane, reads
/// the source and writes a fresh array (no copy first), and finishes the
/// last bytes with the tables themselves. Each form gives exactly the
/// table's values: Add's clamps by construction; Multiply's integer
/// factors and the mask and flip forms (LookupKernel.swift) are compared
/// with their tables on all 256 inputs before they are used.
enum ByteKernels {
    /// Bytes per block: six 16-byte vectors (Swift lowers byte vectors of 16
    /// lanes to single instructions; wider ones to lane loops).
    static let block = 96
    typealias V = SIMD16<UInt8>
    typealias Six = (V, V, V, V, V, V)

    /// Whether a 96-byte block holds whole pixels.
    static func fits(channels c: Int) -> Bool { c > 0 && block % c == 0 }

    /// The per-lane form of per-channel bytes: one 16-lane vector per sixth of a block.
    static func lanes(_ perChannel: [UInt8], channels c: Int) -> Six {
        func part(_ k: Int) -> V {
            var v = V()
            for j in 0..<16 { v[j] = perChannel[(16 * k + j) % c] }
            return v
        }
        return (part(0), part(1), part(2), part(3), part(4), part(5))
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<UInt8>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always)
    static func store(_ p: UnsafeMutablePointer<UInt8>, _ v: V) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// A fresh array: the kernel on every whole 96-byte block from the
    /// start, the per-channel tables on the bytes after them.
    @inline(__always)
    static func map<K: LaneKernel>(_ src: [UInt8], tables: [[UInt8]], _ kernel: K?) -> [UInt8] {
        let n = src.count, c = tables.count
        return [UInt8](unsafeUninitializedCapacity: n) { out, count in
            src.withUnsafeBufferPointer { s in
                guard n > 0, let sp = s.baseAddress, let dp = out.baseAddress else { return }
                var i = 0
                if let kernel {
                    while i + block <= n {
                        store(dp + i, kernel.apply(load(sp + i), 0))
                        store(dp + i + 16, kernel.apply(load(sp + i + 16), 1))
                        store(dp + i + 32, kernel.apply(load(sp + i + 32), 2))
                        store(dp + i + 48, kernel.apply(load(sp + i + 48), 3))
                        store(dp + i + 64, kernel.apply(load(sp + i + 64), 4))
                        store(dp + i + 80, kernel.apply(load(sp + i + 80), 5))
                        i += block
                    }
                }
                while i < n {
                    dp[i] = tables[i % c][Int(sp[i])]
                    i += 1
                }
            }
            count = n
        }
    }

    @inline(__always)
    static func pick<T>(_ t: (T, T, T, T, T, T), _ k: Int) -> T {
        switch k {
        case 0: return t.0
        case 1: return t.1
        case 2: return t.2
        case 3: return t.3
        case 4: return t.4
        default: return t.5
        }
    }
}

/// One vector form: `apply(x, k)` maps the k-th 16-byte sixth of a block.
protocol LaneKernel {
    func apply(_ x: ByteKernels.V, _ k: Int) -> ByteKernels.V
}

// MARK: - Add

extension ByteKernels {
    /// `clip(x + v, 0, 255)` per channel for rounded values v in -255...255
    /// (one value, or one per channel): `min(max(x, lo), hi) &+ v` with
    /// lo = max(0, -v), hi = min(255, 255 - v).
    static func add(_ src: [UInt8], channels c: Int, values: [Int]) -> [UInt8] {
        let v = values.count == 1 ? [Int](repeating: values[0], count: c) : values
        let tables = v.map(AddPixels.table)
        guard fits(channels: c) else { return map(src, tables: tables, nil as AddKernel?) }
        let kernel = AddKernel(lo: lanes(v.map { UInt8(max(0, -$0)) }, channels: c),
                               hi: lanes(v.map { UInt8(min(255, 255 - $0)) }, channels: c),
                               d: lanes(v.map { UInt8(truncatingIfNeeded: $0) }, channels: c))
        return map(src, tables: tables, kernel)
    }

    struct AddKernel: LaneKernel {
        let lo: Six, hi: Six, d: Six
        @inline(__always)
        func apply(_ x: V, _ k: Int) -> V { add16(x, pick(lo, k), pick(hi, k), pick(d, k)) }
    }

    @inline(__always)
    static func add16(_ x: V, _ lo: V, _ hi: V, _ d: V) -> V {
        var y = x.replacing(with: lo, where: x .< lo)
        y.replace(with: hi, where: y .> hi)
        return y &+ d
    }
}

// MARK: - Multiply

extension ByteKernels {
    /// imgaug's uint8 multiply per channel (`MultiplyPixels.table`: the
    /// float32 product truncated and clipped) as `min((x * M) >> shift, 255)`
    /// in 32-bit lanes, with an integer M found for each factor from its
    /// table and checked against it on all 256 inputs: below 2^15 where the
    /// table allows (`shortFactors`), else with shift 16; nil where neither
    /// exists (the table is then applied as it is).
    static func multiply(_ src: [UInt8], channels c: Int, factors: [Float]) -> [UInt8]? {
        let m = factors.count == 1 ? [Float](repeating: factors[0], count: c) : factors
        guard fits(channels: c) else { return nil }
        let tables = m.map(MultiplyPixels.table)
        if let short = shortFactors(m, tables) {
            let (lo, hi) = wordLanes(short.factors, channels: c)
            return map(src, tables: tables, ShortMultiplyKernel(lo: lo, hi: hi, shift: short.shift))
        }
        var fixed = [UInt32]()
        for (f, t) in zip(m, tables) {
            guard let k = fixedFactor(t, near: f) else { return nil }
            fixed.append(k)
        }
        let (lo, hi) = wordLanes(fixed, channels: c)
        return map(src, tables: tables, MultiplyKernel(lo: lo, hi: hi))
    }

    typealias SixWords = (SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>)

    /// Per-channel values per 32-bit lane: for each sixth of a block, its
    /// first 8 bytes' lanes (lo) and its last 8 (hi).
    static func wordLanes(_ perChannel: [UInt32], channels c: Int) -> (lo: SixWords, hi: SixWords) {
        func part(_ k: Int) -> SIMD8<UInt32> {
            var v = SIMD8<UInt32>()
            for j in 0..<8 { v[j] = perChannel[(8 * k + j) % c] }
            return v
        }
        return ((part(0), part(2), part(4), part(6), part(8), part(10)),
                (part(1), part(3), part(5), part(7), part(9), part(11)))
    }

    struct MultiplyKernel: LaneKernel {
        typealias U = SIMD8<UInt32>
        let lo: (U, U, U, U, U, U), hi: (U, U, U, U, U, U)
        @inline(__always)
        func apply(_ x: V, _ k: Int) -> V {
            bytes(scaled(words(x, high: false), pick(lo, k)), scaled(words(x, high: true), pick(hi, k)))
        }
    }

    /// `min((x * M) >> shift, 255)` with every M below 2^15, which the
    /// compiler multiplies as 16-bit halves (one instruction where a 32-bit
    /// product takes two).
    struct ShortMultiplyKernel: LaneKernel {
        typealias U = SIMD8<UInt32>
        let lo: (U, U, U, U, U, U), hi: (U, U, U, U, U, U)
        let shift: UInt32
        @inline(__always)
        func apply(_ x: V, _ k: Int) -> V {
            bytes(short(words(x, high: false), pick(lo, k)), short(words(x, high: true), pick(hi, k)))
        }

        @inline(__always)
        func short(_ x: U, _ m: U) -> U {
            let y = unsafeBitCast((x &* (m & 0x7FFF)) &>> shift, to: SIMD8<Int32>.self)
            return unsafeBitCast(y | ((255 &- y) &>> 31), to: U.self)
        }
    }

    /// The largest shift below 16 at which every table is
    /// `min((x * M) >> shift, 255)` with an M below 2^15, with those M;
    /// checked on all 256 inputs.
    static func shortFactors(_ factors: [Float], _ tables: [[UInt8]]) -> (shift: UInt32, factors: [UInt32])? {
        var shift = 15
        for f in factors where f.isFinite && f > 1 {
            while shift > 0, Double(f) * Double(1 << shift) >= 32767 { shift -= 1 }
        }
        for s in stride(from: shift, through: max(shift - 1, 0), by: -1) {
            var found = [UInt32]()
            for (f, t) in zip(factors, tables) {
                guard t[0] == 0, f.isFinite else { return nil }
                let scaled = max((Double(f) * Double(1 << s)).rounded(.up), 0)
                guard scaled < 32768 else { break }
                guard let m = [UInt64(scaled), UInt64(scaled) + 1].first(where: {
                    $0 < 32768 && fixedMatches($0, t, shift: UInt64(s))
                }) ?? fixedFactor(t, shift: UInt64(s)).map(UInt64.init), m < 32768 else { break }
                found.append(UInt32(m))
            }
            if found.count == factors.count { return (UInt32(s), found) }
        }
        return nil
    }

    /// An M with `min((x * M) >> 16, 255) == table[x]` for every x (and
    /// `255 * M` below 2^32), or nil: the factor's nearest multiples of
    /// 2^-16 first (no division), else the smallest M the table allows.
    static func fixedFactor(_ table: [UInt8], near factor: Float) -> UInt32? {
        guard table[0] == 0 else { return nil }
        if factor.isFinite {
            let scaled = (Double(factor) * 65536).rounded(.up)
            if scaled >= 0, scaled <= Double(UInt32.max / 255) {
                for m in [UInt64(scaled), UInt64(scaled) + 1] where fixedMatches(m, table) { return UInt32(m) }
            }
        }
        return fixedFactor(table)
    }

    static func fixedMatches(_ m: UInt64, _ table: [UInt8], shift: UInt64 = 16) -> Bool {
        guard m <= UInt64(UInt32.max / 255) else { return false }
        return table.withUnsafeBufferPointer { t in
            var same = true
            for x in 0..<256 { same = same && min((UInt64(x) * m) >> shift, 255) == UInt64(t[x]) }
            return same
        }
    }

    /// The smallest M with `min((x * M) >> shift, 255) == table[x]` for
    /// every x (and `255 * M` below 2^32), or nil.
    static func fixedFactor(_ table: [UInt8], shift: UInt64 = 16) -> UInt32? {
        guard table[0] == 0 else { return nil }
        var lower: UInt64 = 0, upper = UInt64(UInt32.max) / 255
        for x in 1..<256 {
            let t = UInt64(table[x]), d = UInt64(x)
            lower = max(lower, (t << shift + d - 1) / d)
            if t < 255 { upper = min(upper, ((t + 1) << shift + d - 1) / d - 1) }
        }
        guard lower <= upper, fixedMatches(lower, table, shift: shift) else { return nil }
        return UInt32(lower)
    }

    /// `min((x * m) >> 16, 255)` lane-wise for x * m below 2^32; the clamp is
    /// `y | ((255 - y) >> 31)` (all ones in the low byte past 255), as the
    /// stdlib's unsigned compares become lane loops.
    @inline(__always)
    static func scaled(_ x: SIMD8<UInt32>, _ m: SIMD8<UInt32>) -> SIMD8<UInt32> {
        let y = unsafeBitCast((x &* m) &>> 16, to: SIMD8<Int32>.self)
        return unsafeBitCast(y | ((255 &- y) &>> 31), to: SIMD8<UInt32>.self)
    }

    /// Lanes 0..<8 (or 8..<16) of x zero-extended to 32 bits.
    @inline(__always)
    static func words(_ x: V, high: Bool) -> SIMD8<UInt32> {
        let o = high ? 8 : 0
        let a = V(x[o], 0, 0, 0, x[o + 1], 0, 0, 0, x[o + 2], 0, 0, 0, x[o + 3], 0, 0, 0)
        let b = V(x[o + 4], 0, 0, 0, x[o + 5], 0, 0, 0, x[o + 6], 0, 0, 0, x[o + 7], 0, 0, 0)
        return SIMD8<UInt32>(lowHalf: unsafeBitCast(a, to: SIMD4<UInt32>.self),
                             highHalf: unsafeBitCast(b, to: SIMD4<UInt32>.self))
    }

    /// The low bytes of the 16 lanes of two vectors, in order.
    @inline(__always)
    static func bytes(_ r0: SIMD8<UInt32>, _ r1: SIMD8<UInt32>) -> V {
        let a = unsafeBitCast(r0.lowHalf, to: V.self), b = unsafeBitCast(r0.highHalf, to: V.self)
        let c = unsafeBitCast(r1.lowHalf, to: V.self), d = unsafeBitCast(r1.highHalf, to: V.self)
        return V(a[0], a[4], a[8], a[12], b[0], b[4], b[8], b[12], c[0], c[4], c[8], c[12], d[0], d[4], d[8], d[12])
    }
}

// MARK: - Quantisation tables

extension ByteKernels {
    /// `table` on the first `mapped` channels of each pixel, the others kept,
    /// by ``apply(_:channels:tables:)`` (a mask table such as
    /// `(x & ~(q-1)) | q/2` as a mask and an or).
    static func mapChannels(_ src: [UInt8], channels c: Int, mapped: Int, table: [UInt8]) -> [UInt8] {
        let identity = (0..<256).map { UInt8($0) }
        return apply(src, channels: c, tables: (0..<c).map { $0 < mapped ? table : identity })
    }

    /// The tables sample by sample into a fresh array, in one pass (one
    /// table for all channels where they are the same).
    static func lookup(_ src: [UInt8], tables: [[UInt8]]) -> [UInt8] {
        let n = src.count, c = tables.count
        let shared = tables.allSatisfy { $0 == tables[0] }
        let flat = shared ? tables[0] : tables.flatMap { $0 }
        return [UInt8](unsafeUninitializedCapacity: n) { out, count in
            flat.withUnsafeBufferPointer { t in
                src.withUnsafeBufferPointer { s in
                    guard n > 0, let tp = t.baseAddress, let sp = s.baseAddress, let dp = out.baseAddress else { return }
                    if shared {
                        if n >= pairThreshold {
                            lookupPairs(sp, dp, count: n, table: tp)
                        } else {
                            for i in 0..<n { dp[i] = tp[Int(sp[i])] }
                        }
                        return
                    }
                    // whole pixels with each channel's table at a constant offset,
                    // then any samples left over (none for a whole image)
                    @inline(__always)
                    func pixels(_ c: Int) -> Int {
                        var i = 0
                        while i + c <= n {
                            for ch in 0..<c { dp[i + ch] = tp[ch << 8 | Int(sp[i + ch])] }
                            i += c
                        }
                        return i
                    }
                    var i: Int
                    switch c {
                    case 3: i = pixels(3)
                    case 4: i = pixels(4)
                    case 2: i = pixels(2)
                    default: i = pixels(c)
                    }
                    while i < n {
                        dp[i] = tp[(i % c) << 8 | Int(sp[i])]
                        i += 1
                    }
                }
            }
            count = n
        }
    }

    /// Samples from which one table is applied two samples at a time
    /// (``lookupPairs``): building the pair table costs about as much as
    /// the single lookups it saves on some 64k samples.
    static let pairThreshold = 1 << 17

    /// `table` on `count` samples through a 65536-entry table of sample
    /// pairs (`pairs[a | b << 8] = table[a] | table[b] << 8`): half as many
    /// loads and stores as one lookup per sample, which bound that loop.
    static func lookupPairs(_ sp: UnsafePointer<UInt8>, _ dp: UnsafeMutablePointer<UInt8>, count n: Int,
                            table tp: UnsafePointer<UInt8>) {
        let wide = (0..<256).map { UInt16(tp[$0]) }
        let pairs = [UInt16](unsafeUninitializedCapacity: 1 << 16) { p, built in
            wide.withUnsafeBufferPointer { w in
                guard let pp = p.baseAddress, let wp = w.baseAddress else { return }
                for b in 0..<256 {
                    let high = wp[b] << 8, row = pp + (b << 8)
                    for a in 0..<256 { row[a] = high | wp[a] }
                }
            }
            built = 1 << 16
        }
        pairs.withUnsafeBufferPointer { pb in
            guard let t = pb.baseAddress else { return }
            let src = UnsafeRawPointer(sp), dst = UnsafeMutableRawPointer(dp)
            // four pairs of one 8-byte word, bytes in memory order whatever
            // the platform's byte order
            @inline(__always)
            func word(_ at: Int) -> UInt64 {
                let w = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                let o = UInt64(t[Int(w & 0xFFFF)]) | UInt64(t[Int((w >> 16) & 0xFFFF)]) << 16
                    | UInt64(t[Int((w >> 32) & 0xFFFF)]) << 32 | UInt64(t[Int(w >> 48)]) << 48
                return o.littleEndian
            }
            var i = 0
            // two words a step (measured faster than one)
            while n - i >= 16 {
                let a = word(i), b = word(i &+ 8)
                dst.storeBytes(of: a, toByteOffset: i, as: UInt64.self)
                dst.storeBytes(of: b, toByteOffset: i &+ 8, as: UInt64.self)
                i &+= 16
            }
            while i < n {
                dp[i] = tp[Int(sp[i])]
                i += 1
            }
        }
    }

    struct MaskKernel: LaneKernel {
        let and: Six, or: Six
        @inline(__always)
        func apply(_ x: V, _ k: Int) -> V { (x & pick(and, k)) | pick(or, k) }
    }

    /// (and, or) when `table[x] == (x & and) | or` for every x (Posterize's
    /// `x & ~(q-1)`, UniformColorQuantization's `(x & ~(q-1)) | q/2`, the identity).
    static func maskForm(_ table: [UInt8]) -> (UInt8, UInt8)? {
        guard table.count == 256 else { return nil }
        let or = table[0]
        // a bit that `or` lacks is kept exactly when the single-bit input keeps it
        var and: UInt8 = 0
        for b in 0..<8 where or & (1 << b) == 0 { and |= table[1 << b] & (1 << b) }
        for x in 0..<256 where table[x] != (UInt8(x) & and) | or { return nil }
        return (and, or)
    }
}
