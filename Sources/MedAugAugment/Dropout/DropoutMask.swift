import MedAugImage

/// The pixel work of the dropout family: Bernoulli keep masks, cv2's
/// nearest-neighbour upscaling of coarse masks, and zeroing.
public enum DropoutMask {
    /// `count` keep flags (1 = keep, 0 = drop), each kept with probability `keep`.
    ///
    /// Each 64-bit random word gives four 16-bit draws compared against a
    /// threshold, so no floating point is needed per sample (the probability
    /// is resolved to 1/65536).
    public static func bernoulli(count: Int, keep: Double, rng: inout AugmentRandom) -> [UInt8] {
        let t = threshold(keep)
        if t == 0 { return [UInt8](repeating: 0, count: count) }
        if t >= 1 << 16 { return [UInt8](repeating: 1, count: count) }
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { p in
            var i = 0
            while i + 4 <= count {
                let w = rng.next()
                p[i] = (w & 0xFFFF) < t ? 1 : 0
                p[i + 1] = (w >> 16 & 0xFFFF) < t ? 1 : 0
                p[i + 2] = (w >> 32 & 0xFFFF) < t ? 1 : 0
                p[i + 3] = (w >> 48) < t ? 1 : 0
                i += 4
            }
            if i < count {
                var w = rng.next()
                while i < count {
                    p[i] = (w & 0xFFFF) < t ? 1 : 0
                    w >>= 16
                    i += 1
                }
            }
        }
        return out
    }

    /// keep in 1/65536 steps; 0 never keeps, 65536 always keeps.
    static func threshold(_ keep: Double) -> UInt64 {
        if !(keep > 0) { return 0 }
        if keep >= 1 { return 1 << 16 }
        return UInt64((keep * 65536).rounded())
    }

    /// cv2 INTER_NEAREST source indices for resizing `src` samples to `dst`:
    /// `floor(i * (1 / (dst / src)))`, computed in double as OpenCV does, so
    /// the blocks are not centred and the last one may be smaller.
    public static func nearestIndices(src: Int, dst: Int) -> [Int] {
        guard src > 0, dst > 0 else { return [] }
        let ifx = 1.0 / (Double(dst) / Double(src))
        return (0..<dst).map { min(Int((Double($0) * ifx).rounded(.down)), src - 1) }
    }

    /// Upscales an h x w x c mask to height x width x c with cv2's nearest rule.
    public static func upscaleNearest(_ mask: [UInt8], width w: Int, height h: Int, channels c: Int,
                                      toWidth: Int, toHeight: Int) -> [UInt8] {
        precondition(mask.count == w * h * c)
        if w == toWidth && h == toHeight { return mask }
        let xs = nearestIndices(src: w, dst: toWidth)
        let ys = nearestIndices(src: h, dst: toHeight)
        var out = [UInt8](repeating: 0, count: toWidth * toHeight * c)
        mask.withUnsafeBufferPointer { m in
            out.withUnsafeMutableBufferPointer { o in
                var k = 0
                for y in 0..<toHeight {
                    let row = ys[y] * w
                    for x in 0..<toWidth {
                        let s = (row + xs[x]) * c
                        for ch in 0..<c { o[k + ch] = m[s + ch] }
                        k += c
                    }
                }
            }
        }
        return out
    }

    /// `apply(image, mask: upscaleNearest(cells, ...))` without the full-size
    /// mask: each dropped cell's rectangle (cv2's nearest rule, as
    /// `upscaleNearest`) is zeroed row by row. `channels` is 1 (a cell drops
    /// every channel) or the image's channel count (one mask per channel).
    public static func applyCells(_ image: Image, cells: [UInt8], width ws: Int, height hs: Int, channels c: Int) -> Image {
        let w = image.width, h = image.height, cn = image.channels
        precondition(cells.count == ws * hs * c && (c == 1 || c == cn), "mask size does not match the image")
        guard w > 0, h > 0 else { return image }
        // Cell column lx covers output columns start[lx] ..< end[lx] (indices are non-decreasing).
        let xs = nearestIndices(src: ws, dst: w), ys = nearestIndices(src: hs, dst: h)
        var start = [Int](repeating: 0, count: ws), end = [Int](repeating: 0, count: ws)
        for x in (0..<w).reversed() { start[xs[x]] = x }
        for x in 0..<w { end[xs[x]] = x + 1 }
        var out = image
        switch image.pixels {
        case .u8(var a):
            zeroCells(&a, cells, ws, c, cn, w, ys, start, end)
            out.pixels = .u8(a)
        case .u16(var a):
            zeroCells(&a, cells, ws, c, cn, w, ys, start, end)
            out.pixels = .u16(a)
        }
        return out
    }

    static func zeroCells<T: FixedWidthInteger>(_ a: inout [T], _ cells: [UInt8], _ ws: Int, _ c: Int, _ cn: Int, _ w: Int,
                                                _ ys: [Int], _ start: [Int], _ end: [Int]) {
        let perSample = c == cn && cn > 1
        cells.withUnsafeBufferPointer { m in
        a.withUnsafeMutableBufferPointer { p in
            let rowLen = w * cn
            for y in 0..<ys.count {
                let row = p.baseAddress! + y * rowLen, cellRow = ys[y] * ws
                for lx in 0..<ws where start[lx] < end[lx] {
                    if perSample {
                        for ch in 0..<cn where m[(cellRow + lx) * c + ch] == 0 {
                            for x in start[lx]..<end[lx] { row[x * cn + ch] = 0 }
                        }
                    } else if m[cellRow + lx] == 0 {
                        (row + start[lx] * cn).update(repeating: 0, count: (end[lx] - start[lx]) * cn)
                    }
                }
            }
        }
        }
    }

    /// Zeroes the samples whose mask entry is 0. `mask` has one entry per
    /// pixel (all channels dropped together) or one per sample (per channel).
    public static func apply(_ image: Image, mask: [UInt8]) -> Image {
        let pixels = image.width * image.height
        let perSample = mask.count == pixels * image.channels && image.channels > 1
        precondition(perSample || mask.count == pixels, "mask size does not match the image")
        var out = image
        switch image.pixels {
        case .u8(var a):
            zero(&a, mask: mask, channels: image.channels, perSample: perSample)
            out.pixels = .u8(a)
        case .u16(var a):
            zero(&a, mask: mask, channels: image.channels, perSample: perSample)
            out.pixels = .u16(a)
        }
        return out
    }

    static func zero<T: FixedWidthInteger>(_ a: inout [T], mask: [UInt8], channels c: Int, perSample: Bool) {
        mask.withUnsafeBufferPointer { m in
            a.withUnsafeMutableBufferPointer { p in
                if perSample {
                    for i in p.indices where m[i] == 0 { p[i] = 0 }
                } else {
                    for i in m.indices where m[i] == 0 {
                        let s = i * c
                        for ch in 0..<c { p[s + ch] = 0 }
                    }
                }
            }
        }
    }

    /// The whole image set to 0 (TotalDropout).
    public static func zeroAll(_ image: Image) -> Image {
        var out = image
        switch image.pixels {
        case .u8(let a): out.pixels = .u8([UInt8](repeating: 0, count: a.count))
        case .u16(let a): out.pixels = .u16([UInt16](repeating: 0, count: a.count))
        }
        return out
    }
}
