import MedAugImage

/// Row-then-column filtering with BORDER_REFLECT_101 for symmetric odd
/// kernels (OpenCV's bit-exact Gaussian). Each row is first copied into a
/// padded buffer with its reflected border, so the tap loops run over
/// contiguous memory without bounds logic and vectorise; rows outside the
/// image are found by the same reflection, at any distance.
enum SeparableFilter {
    /// Source column for each padded column: `before` columns to the left,
    /// `after` to the right, reflected (repeatedly if the kernel is wider than the row).
    static func paddedColumns(width: Int, before: Int, after: Int) -> [Int] {
        (0..<(width + before + after)).map { BorderMode.reflect.index($0 - before, width)! }
    }

    /// Copies one row of `width * channels` samples into `dst` with its border.
    @inline(__always)
    static func padRow<S: BinaryInteger, D: Numeric>(_ src: UnsafePointer<S>, _ dst: UnsafeMutablePointer<D>,
                                                    width: Int, channels c: Int, before: Int, columns: [Int],
                                                    convert: (S) -> D) {
        for px in 0..<before { for ch in 0..<c { dst[px * c + ch] = convert(src[columns[px] * c + ch]) } }
        let mid = dst + before * c
        for i in 0..<(width * c) { mid[i] = convert(src[i]) }
        for px in (before + width)..<columns.count { for ch in 0..<c { dst[px * c + ch] = convert(src[columns[px] * c + ch]) } }
    }

    /// OpenCV's bit-exact 8-bit Gaussian: weights in units of 1/256 summing
    /// to 256; the row pass is exact in 16 bits (at most 255·256), the column
    /// pass exact in 32 bits, and the result `(sum + 2^15) >> 16` rounds half up.
    ///
    /// Vectorised: the row pass runs 8 columns at a time in UInt16 lanes (the
    /// same wrapping-free integer sums), and stores its results as Float; the
    /// column pass then runs in Float lanes, which SSE2 multiplies natively
    /// (it has no 32-bit integer multiply). Every value involved is an integer
    /// of at most 255·256·256 + 2^15 < 2^24, so each Float product and sum is
    /// exact and the result is bit-identical to the integer form, which
    /// `fixedPoint8Scalar` keeps (and which weights summing to more than 256 use).
    static func fixedPoint8(_ src: [UInt8], width w: Int, height h: Int, channels c: Int, kernel: [UInt16]) -> [UInt8] {
        let k = kernel.count, r = k / 2
        guard k % 2 == 1, kernel.reduce(0, { $0 + Int($1) }) <= 256, w > 0, h > 0, c > 0 else {
            return fixedPoint8Scalar(src, width: w, height: h, channels: c, kernel: kernel)
        }
        let rowLen = w &* c, paddedLen = (w + 2 * r) * c, total = h * rowLen
        let columns = paddedColumns(width: w, before: r, after: r)
        let weights = kernel.map { Float($0) }
        // Row-pass results for k source rows at a time: the rows one output
        // row needs (reflections included) never share a slot of `sy % k`.
        var ring = [Float](repeating: 0, count: k * rowLen)
        var slotRow = [Int](repeating: -1, count: k)
        var padded = [UInt16](repeating: 0, count: paddedLen)
        var rowPointers = [UnsafePointer<Float>](repeating: UnsafePointer(bitPattern: 8)!, count: k)
        return [UInt8](unsafeUninitializedCapacity: total) { ob, initialized in
        kernel.withUnsafeBufferPointer { kb in
        weights.withUnsafeBufferPointer { wb in
        src.withUnsafeBufferPointer { s in
        padded.withUnsafeMutableBufferPointer { pb in
        ring.withUnsafeMutableBufferPointer { rb in
        rowPointers.withUnsafeMutableBufferPointer { rpb in
            let p = pb.baseAddress!, kp = kb.baseAddress!, wp = wb.baseAddress!, rp = rpb.baseAddress!
            func rowPass(_ sy: Int) -> UnsafePointer<Float> {
                let slot = sy % k
                let o = rb.baseAddress! + slot &* rowLen
                if slotRow[slot] == sy { return UnsafePointer(o) }
                slotRow[slot] = sy
                padRow(s.baseAddress! + sy &* rowLen, p, width: w, channels: c, before: r, columns: columns) { UInt16($0) }
                let mid = p + r &* c, centre = kp[r]
                // The radius as a constant in each branch, so the tap loops unroll.
                @inline(__always) func taps(_ r: Int) -> Int {
                var i = 0
                while i &+ 16 <= rowLen {
                    var acc = SIMD16<UInt16>(repeating: centre) &* UnsafeRawPointer(mid + i).loadUnaligned(as: SIMD16<UInt16>.self)
                    var t = 1
                    while t <= r {
                        let left = UnsafeRawPointer(p + ((r &- t) &* c &+ i)).loadUnaligned(as: SIMD16<UInt16>.self)
                        let right = UnsafeRawPointer(p + ((r &+ t) &* c &+ i)).loadUnaligned(as: SIMD16<UInt16>.self)
                        acc &+= SIMD16<UInt16>(repeating: kp[r &- t]) &* (left &+ right)
                        t &+= 1
                    }
                    let f = SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: acc))
                    UnsafeMutableRawPointer(o + i).storeBytes(of: f, as: SIMD16<Float>.self)
                    i &+= 16
                }
                return i
                }
                var i: Int
                switch r {
                case 1: i = taps(1)
                case 2: i = taps(2)
                case 3: i = taps(3)
                case 4: i = taps(4)
                default: i = taps(r)
                }
                while i < rowLen {
                    var acc = centre &* mid[i]
                    var t = 1
                    while t <= r {
                        acc &+= kp[r &- t] &* (p[(r &- t) &* c &+ i] &+ p[(r &+ t) &* c &+ i])
                        t &+= 1
                    }
                    o[i] = Float(acc)
                    i &+= 1
                }
                return UnsafePointer(o)
            }
            let centre = wp[r]
            for y in 0..<h {
                for t in 0..<k { rp[t] = rowPass(BorderMode.reflect.index(y &+ t &- r, h)!) }
                let o = ob.baseAddress! + y &* rowLen
                let m = rp[r]
                @inline(__always) func taps(_ r: Int) -> Int {
                var i = 0
                while i &+ 16 <= rowLen {
                    var acc = SIMD16<Float>(repeating: centre) * UnsafeRawPointer(m + i).loadUnaligned(as: SIMD16<Float>.self)
                    var t = 1
                    while t <= r {
                        let up = UnsafeRawPointer(rp[r &- t] + i).loadUnaligned(as: SIMD16<Float>.self)
                        let down = UnsafeRawPointer(rp[r &+ t] + i).loadUnaligned(as: SIMD16<Float>.self)
                        acc += SIMD16<Float>(repeating: wp[r &- t]) * (up + down)
                        t &+= 1
                    }
                    // floor((acc + 2^15) / 2^16) without a float-to-int conversion (generic,
                    // lane by lane in Swift): v is exact; v + 2^23 rounds v to the nearest
                    // integer in its mantissa bits, minus one where that rounded up.
                    let v = acc * (1 / 65536) + 0.5
                    let m = v + 8388608
                    let up = unsafeBitCast(v - (m - 8388608), to: SIMD16<UInt32>.self) &>> 31
                    let q = (unsafeBitCast(m, to: SIMD16<UInt32>.self) &- 0x4B00_0000) &- up
                    UnsafeMutableRawPointer(o + i).storeBytes(of: SIMD16<UInt8>(truncatingIfNeeded: q), as: SIMD16<UInt8>.self)
                    i &+= 16
                }
                return i
                }
                var i: Int
                switch r {
                case 1: i = taps(1)
                case 2: i = taps(2)
                case 3: i = taps(3)
                case 4: i = taps(4)
                default: i = taps(r)
                }
                while i < rowLen {
                    var acc = centre * m[i]
                    var t = 1
                    while t <= r {
                        acc += wp[r &- t] * (rp[r &- t][i] + rp[r &+ t][i])
                        t &+= 1
                    }
                    o[i] = UInt8(truncatingIfNeeded: UInt32(acc + 32768) >> 16)
                    i &+= 1
                }
            }
        }
        }
        }
        }
        }
        }
        initialized = total
        }
    }

    /// The scalar integer form of `fixedPoint8` (the reference it matches).
    static func fixedPoint8Scalar(_ src: [UInt8], width w: Int, height h: Int, channels c: Int, kernel: [UInt16]) -> [UInt8] {
        let k = kernel.count, r = k / 2
        let rowLen = w * c, paddedLen = (w + 2 * r) * c
        let columns = paddedColumns(width: w, before: r, after: r)
        // Row-pass results for k source rows at a time: the rows one output
        // row needs (reflections included) never share a slot of `sy % k`.
        var ring = [UInt16](repeating: 0, count: k * rowLen)
        var slotRow = [Int](repeating: -1, count: k)
        var padded = [UInt16](repeating: 0, count: paddedLen)
        var acc = [UInt32](repeating: 0, count: rowLen)
        var out = [UInt8](repeating: 0, count: h * rowLen)
        kernel.withUnsafeBufferPointer { kb in
        src.withUnsafeBufferPointer { s in
        padded.withUnsafeMutableBufferPointer { pb in
        ring.withUnsafeMutableBufferPointer { rb in
        acc.withUnsafeMutableBufferPointer { ab in
        out.withUnsafeMutableBufferPointer { ob in
            let p = pb.baseAddress!, a = ab.baseAddress!
            func rowPass(_ sy: Int) -> UnsafePointer<UInt16> {
                let slot = sy % k
                let o = rb.baseAddress! + slot * rowLen
                if slotRow[slot] == sy { return UnsafePointer(o) }
                slotRow[slot] = sy
                padRow(s.baseAddress! + sy * rowLen, p, width: w, channels: c, before: r, columns: columns) { UInt16($0) }
                let mid = p + r * c, centre = kb[r]
                for i in 0..<rowLen { o[i] = centre &* mid[i] }
                for t in stride(from: 1, through: r, by: 1) {
                    let kt = kb[r - t]
                    if kt == 0 { continue }
                    let left = p + (r - t) * c, right = p + (r + t) * c
                    for i in 0..<rowLen { o[i] &+= kt &* (left[i] &+ right[i]) }
                }
                return UnsafePointer(o)
            }
            let centre = UInt32(kb[r])
            for y in 0..<h {
                let m = rowPass(y)
                for i in 0..<rowLen { a[i] = centre &* UInt32(m[i]) }
                for t in stride(from: 1, through: r, by: 1) {
                    let kt = UInt32(kb[r - t])
                    if kt == 0 { continue }
                    let up = rowPass(BorderMode.reflect.index(y - t, h)!)
                    let down = rowPass(BorderMode.reflect.index(y + t, h)!)
                    for i in 0..<rowLen { a[i] &+= kt &* (UInt32(up[i]) &+ UInt32(down[i])) }
                }
                let o = ob.baseAddress! + y * rowLen
                for i in 0..<rowLen { o[i] = UInt8(truncatingIfNeeded: (a[i] &+ 32768) >> 16) }
            }
        }
        }
        }
        }
        }
        }
        return out
    }

    /// The 16-bit counterpart: weights in units of 2^-16, rows exact in 32
    /// bits (at most 65535·65536), columns in 64, `(sum + 2^31) >> 32`.
    static func fixedPoint16(_ src: [UInt16], width w: Int, height h: Int, channels c: Int, kernel: [UInt32]) -> [UInt16] {
        let k = kernel.count, r = k / 2
        let rowLen = w * c, paddedLen = (w + 2 * r) * c
        let columns = paddedColumns(width: w, before: r, after: r)
        var rowsH = [UInt32](repeating: 0, count: h * rowLen)
        var padded = [UInt32](repeating: 0, count: paddedLen)
        var out = [UInt16](repeating: 0, count: h * rowLen)
        src.withUnsafeBufferPointer { s in
        padded.withUnsafeMutableBufferPointer { pb in
        rowsH.withUnsafeMutableBufferPointer { hb in
            let p = pb.baseAddress!
            for y in 0..<h {
                padRow(s.baseAddress! + y * rowLen, p, width: w, channels: c, before: r, columns: columns) { UInt32($0) }
                let o = hb.baseAddress! + y * rowLen
                for i in 0..<rowLen { o[i] = 0 }
                for (t, kt) in kernel.enumerated() where kt != 0 {
                    let a = p + t * c
                    for i in 0..<rowLen { o[i] &+= kt &* a[i] }
                }
            }
        }
        }
        }
        var acc = [UInt64](repeating: 0, count: rowLen)
        rowsH.withUnsafeBufferPointer { hb in
        acc.withUnsafeMutableBufferPointer { ab in
        out.withUnsafeMutableBufferPointer { ob in
            let a = ab.baseAddress!
            for y in 0..<h {
                for i in 0..<rowLen { a[i] = 0 }
                for (t, kt) in kernel.enumerated() where kt != 0 {
                    let m = hb.baseAddress! + BorderMode.reflect.index(y + t - r, h)! * rowLen
                    let kt = UInt64(kt)
                    for i in 0..<rowLen { a[i] &+= kt &* UInt64(m[i]) }
                }
                let o = ob.baseAddress! + y * rowLen
                for i in 0..<rowLen { o[i] = UInt16(min((a[i] &+ (1 << 31)) >> 32, 65535)) }
            }
        }
        }
        }
        return out
    }
}
