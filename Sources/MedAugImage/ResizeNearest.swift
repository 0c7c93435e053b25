/// INTER_NEAREST (OpenCV 4.7's resizeNN). A label map is resized with every
/// image it follows, so its cost adds to each call. The column table is built
/// once; near scale 1 (CropAndPad's resize back) most neighbouring output
/// pixels read neighbouring source pixels, so a row is copied as runs of
/// contiguous bytes; otherwise pixel by pixel with loads of the pixel's size
/// (1 to 8 bytes). An output row whose source row equals the previous one's
/// is a copy of that output row.
extension CVResize {
    /// Source index floor(dst * src/dst), clipped to the last source pixel;
    /// not centre-aligned, as OpenCV's `cvFloor(x * ifx)`.
    static func nearestOffsets(src: Int, invScale: Double) -> (Int) -> Int {
        let ifx = 1.0 / invScale
        return { d in Swift.min(Int((Double(d) * ifx).rounded(.down)), src - 1) }
    }

    static func nearest<T: FixedWidthInteger>(_ src: [T], _ g: ResizeGeometry) -> [T] {
        let pixelBytes = g.cn * MemoryLayout<T>.stride
        let columns = nearestColumnBytes(g, pixelBytes: pixelBytes)
        let runs = ByteRun.runs(columns, pixelBytes: pixelBytes)
        let useRuns = runs.count &* ByteRun.minimumAverageBytes <= g.dw &* pixelBytes
        let fy = nearestOffsets(src: g.sh, invScale: g.invScaleY)
        let rowSamples = g.dw * g.cn, count = rowSamples * g.dh
        let srcRowBytes = g.sw * pixelBytes, dstRowBytes = rowSamples * MemoryLayout<T>.stride
        return [T](unsafeUninitializedCapacity: count) { d, initialized in
            src.withUnsafeBufferPointer { s in
                columns.withUnsafeBufferPointer { c in
                    runs.withUnsafeBufferPointer { r in
                        let sBase = UnsafeRawPointer(s.baseAddress!), dBase = UnsafeMutableRawPointer(d.baseAddress!)
                        var previousRow = -1
                        for y in 0..<g.dh {
                            let sy = fy(y), dst = dBase + y &* dstRowBytes, srow = sBase + sy &* srcRowBytes
                            if sy == previousRow {
                                dst.copyMemory(from: dst - dstRowBytes, byteCount: dstRowBytes)
                            } else if useRuns {
                                ByteRun.copy(r, from: srow, srcRowBytes: srcRowBytes, to: dst, dstRowBytes: dstRowBytes)
                            } else {
                                nearestRow(srow, dst, c, pixelBytes: pixelBytes)
                            }
                            previousRow = sy
                        }
                    }
                }
            }
            initialized = count
        }
    }

    /// Byte offset in the source row of each output pixel's source pixel
    /// (Int32 halves the table's share of the cache next to the rows).
    static func nearestColumnBytes(_ g: ResizeGeometry, pixelBytes: Int) -> [Int32] {
        precondition(g.sw * pixelBytes <= Int(Int32.max), "source row over 2 GiB")
        let fx = nearestOffsets(src: g.sw, invScale: g.invScaleX)
        return (0..<g.dw).map { Int32(fx($0) * pixelBytes) }
    }

    /// One output row gathered from one source row.
    static func nearestRow(_ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer,
                           _ columns: UnsafeBufferPointer<Int32>, pixelBytes: Int) {
        switch pixelBytes {
        case 1: gather(src, dst, columns, UInt8.self)
        case 2: gather(src, dst, columns, UInt16.self)
        case 4: gather(src, dst, columns, UInt32.self)
        case 8: gather(src, dst, columns, UInt64.self)
        case 3: gatherPair(src, dst, columns, UInt16.self, UInt8.self)
        case 6: gatherPair(src, dst, columns, UInt32.self, UInt16.self)
        default:
            for (x, offset) in columns.enumerated() {
                (dst + x &* pixelBytes).copyMemory(from: src + Int(offset), byteCount: pixelBytes)
            }
        }
    }

    /// Pixels that are one machine word (P) each.
    @inline(__always)
    static func gather<P>(_ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer,
                          _ columns: UnsafeBufferPointer<Int32>, _: P.Type) {
        let n = columns.count, c = columns.baseAddress!
        var x = 0
        while x < n {
            let v = src.loadUnaligned(fromByteOffset: Int(c[x]), as: P.self)
            dst.storeBytes(of: v, toByteOffset: x &* MemoryLayout<P>.size, as: P.self)
            x &+= 1
        }
    }

    /// Pixels of two words (3 bytes as 2 + 1, 6 as 4 + 2), so no access
    /// reaches past the pixel: the last one may end the source buffer.
    @inline(__always)
    static func gatherPair<A, B>(_ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer,
                                 _ columns: UnsafeBufferPointer<Int32>, _: A.Type, _: B.Type) {
        let a = MemoryLayout<A>.size, e = a &+ MemoryLayout<B>.size
        let n = columns.count, c = columns.baseAddress!
        var x = 0
        while x < n {
            let p = src + Int(c[x]), q = dst + x &* e
            q.storeBytes(of: p.loadUnaligned(as: A.self), as: A.self)
            q.storeBytes(of: p.loadUnaligned(fromByteOffset: a, as: B.self), toByteOffset: a, as: B.self)
            x &+= 1
        }
    }
}

/// Output bytes `dst..<dst+count` of a row are source bytes `src..<src+count`.
struct ByteRun {
    let dst, src, count: Int32

    /// Below this many bytes per run on average, a run's bookkeeping costs
    /// more than copying its pixels one by one.
    static let minimumAverageBytes = 12

    /// The maximal runs of a column table (source byte offset per output pixel).
    static func runs(_ columns: [Int32], pixelBytes e: Int) -> [ByteRun] {
        var out: [ByteRun] = []
        var start = 0
        let e32 = Int32(e)
        for x in 1...columns.count where x == columns.count || columns[x] != columns[x - 1] &+ e32 {
            out.append(ByteRun(dst: Int32(start * e), src: columns[start], count: Int32((x - start) * e)))
            start = x
        }
        return out
    }

    /// Copies one row run by run, 16 bytes at a time. The last block of a run
    /// may reach past it into bytes of later runs, which overwrite them; a run
    /// whose blocks would leave either row is copied exactly instead, so no
    /// access leaves the buffers.
    static func copy(_ runs: UnsafeBufferPointer<ByteRun>, from src: UnsafeRawPointer, srcRowBytes: Int,
                     to dst: UnsafeMutableRawPointer, dstRowBytes: Int) {
        typealias V = SIMD16<UInt8>
        for r in runs {
            let d = Int(r.dst), s = Int(r.src), n = Int(r.count)
            let blocks = (n &+ 15) & ~15
            if d &+ blocks <= dstRowBytes && s &+ blocks <= srcRowBytes {
                var i = 0
                while i < n {
                    dst.storeBytes(of: src.loadUnaligned(fromByteOffset: s &+ i, as: V.self), toByteOffset: d &+ i, as: V.self)
                    i &+= 16
                }
            } else {
                (dst + d).copyMemory(from: src + s, byteCount: n)
            }
        }
    }
}
