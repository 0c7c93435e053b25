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
    static func fixedPoint8(_ src: [UInt8], width w: Int, height h: Int, channels c: Int, kernel: [UInt16]) -> [UInt8] {
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
