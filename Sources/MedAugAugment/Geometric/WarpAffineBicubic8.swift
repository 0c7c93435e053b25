import MedAugImage

extension WarpAffine {
    /// OpenCV's 8-bit INTER_CUBIC warp: `(Σ v·w + 2^14) >> 15`, saturated, over
    /// the 4x4 neighbourhood with the 15-bit weights of `AffineBicubicTable.fixed`.
    ///
    /// For 1...4 channels a pixel whose neighbourhood lies inside (and whose
    /// row loads stay inside the source) is summed in SIMD Int32 lanes: one
    /// channel as the 16 taps against the 16 weights at once; 2...4 channels
    /// row by row, the row's 4 pixels widened to lanes (j·2 + k for two
    /// channels, else 4j + k) and multiplied by weight j of the row spread over
    /// its channels, then the lanes of each channel added. The sums are the same integers as the per-pixel path's
    /// (no overflow: |Σ v·w| < 255·2^17). Other pixels go through the
    /// per-pixel code and the border mode, exactly as `bicubic8PerPixel`.
    static func bicubic8(_ s: UnsafeBufferPointer<UInt8>, _ d: UnsafeMutableBufferPointer<UInt8>,
                         _ g: AffineWarpGeometry, _ grid: AffineSampleGrid, _ fill: [UInt8]) {
        switch g.cn {
        case 1: bicubic8Vector(s, d, g, grid, fill, Channels1.self)
        case 2: bicubic8Vector(s, d, g, grid, fill, Channels2.self)
        case 3: bicubic8Vector(s, d, g, grid, fill, Channels3.self)
        case 4: bicubic8Vector(s, d, g, grid, fill, Channels4.self)
        default: bicubic8PerPixel(s, d, g, grid, fill)
        }
    }

    /// One compiled copy per channel count, with the count a constant in it.
    @inline(never)
    static func bicubic8Vector<C: ChannelCount>(_ s: UnsafeBufferPointer<UInt8>, _ d: UnsafeMutableBufferPointer<UInt8>,
                                                _ g: AffineWarpGeometry, _ grid: AffineSampleGrid, _ fill: [UInt8],
                                                _: C.Type) {
        let cn = C.count
        let sw = g.sw, stride = sw &* cn, dw = g.dw
        let innerW = UInt(max(sw - 3, 0)), innerH = UInt(max(g.sh - 3, 0))
        let sp = s.baseAddress!, dp = d.baseAddress!, dcount = d.count
        let src = UnsafeRawPointer(sp)
        // Rows of 2...4 channels are read as 8 (two channels) or 16 bytes from
        // the neighbourhood's first pixel; the last row's load must end inside.
        let rowBytes = cn == 2 ? 8 : 16
        let lastLoad = s.count &- 3 &* stride &- rowBytes
        let shift = AffineSampleGrid.abBits - AffineSampleGrid.interBits

        @inline(__always)
        func round(_ v: SIMD4<Int32>) -> SIMD4<UInt8> {
            SIMD4<UInt8>(truncatingIfNeeded: ((v &+ (1 << 14)) &>> 15).clamped(lowerBound: .zero, upperBound: SIMD4(repeating: 255)))
        }

        /// Weight j of a row (lanes 0...3 of `r`) in lanes 4j ..< 4j + 4.
        @inline(__always)
        func spread(_ r: SIMD4<Int32>) -> SIMD16<Int32> {
            SIMD16(r[0], r[0], r[0], r[0], r[1], r[1], r[1], r[1], r[2], r[2], r[2], r[2], r[3], r[3], r[3], r[3])
        }

        /// A row's 4 pixels with channel k of pixel j in byte 4j + k (3 channels: the fourth byte 0).
        @inline(__always)
        func pixels(_ b: SIMD16<UInt8>) -> SIMD16<UInt8> {
            cn == 3 ? SIMD16(b[0], b[1], b[2], 0, b[3], b[4], b[5], 0, b[6], b[7], b[8], 0, b[9], b[10], b[11], 0) : b
        }

        let constant = g.mode == .constant, sh = g.sh
        let fill0 = fill[0], fill1 = cn > 1 ? fill[1] : 0, fill2 = cn > 2 ? fill[2] : 0, fill3 = cn > 3 ? fill[3] : 0
        let bias = SIMD16<Int32>(repeating: AffineBicubicTable.fixedBias)
        AffineBicubicTable.fixed.withUnsafeBufferPointer { table in
        AffineBicubicTable.fixedBiased.withUnsafeBufferPointer { biased in
        grid.adelta.withUnsafeBufferPointer { adb in
        grid.bdelta.withUnsafeBufferPointer { bdb in
            let tab = table.baseAddress!, tab16 = UnsafeRawPointer(biased.baseAddress!), ad = adb.baseAddress!, bd = bdb.baseAddress!
            var o = 0
            for y in 0..<g.dh {
                let (x0, y0) = grid.rowStart(y)
                for x in 0..<dw {
                    let X = (x0 &+ ad[x]) >> shift, Y = (y0 &+ bd[x]) >> shift
                    let sx = affineClampShort(X >> AffineSampleGrid.interBits) &- 1
                    let sy = affineClampShort(Y >> AffineSampleGrid.interBits) &- 1
                    let wi = Int((Y & 31) &* 32 &+ (X & 31)) &* 16
                    let w = tab + wi
                    let out = UnsafeMutableRawPointer(dp + o)
                    if UInt(bitPattern: sx) < innerW && UInt(bitPattern: sy) < innerH {
                        let off = sy &* stride &+ sx &* cn
                        // The 16 weights, rows of 4.
                        let ws = SIMD16<Int32>(truncatingIfNeeded: tab16.loadUnaligned(fromByteOffset: wi &* 2, as: SIMD16<UInt16>.self)) &- bias
                        @inline(__always) func row(_ i: Int) -> SIMD4<Int32> {
                            SIMD4(ws[4 &* i], ws[4 &* i &+ 1], ws[4 &* i &+ 2], ws[4 &* i &+ 3])
                        }
                        if cn == 1 {
                            let rows = SIMD4<UInt32>(src.loadUnaligned(fromByteOffset: off, as: UInt32.self),
                                                     src.loadUnaligned(fromByteOffset: off &+ stride, as: UInt32.self),
                                                     src.loadUnaligned(fromByteOffset: off &+ 2 &* stride, as: UInt32.self),
                                                     src.loadUnaligned(fromByteOffset: off &+ 3 &* stride, as: UInt32.self))
                            let v = bicubicWiden(unsafeBitCast(rows, to: SIMD16<UInt8>.self))
                            let sum = (v &* ws).wrappedSum()
                            out.storeBytes(of: UInt8(clamping: (sum &+ (1 << 14)) >> 15), as: UInt8.self)
                        } else if off <= lastLoad && cn == 2 {
                            // Rows one by one (constant lane indices: the loop would not unroll).
                            @inline(__always) func tap(_ i: Int) -> SIMD8<Int32> {
                                let b = src.loadUnaligned(fromByteOffset: off &+ i &* stride, as: SIMD8<UInt8>.self)
                                let v = SIMD8<Int32>(Int32(b[0]), Int32(b[1]), Int32(b[2]), Int32(b[3]), Int32(b[4]), Int32(b[5]), Int32(b[6]), Int32(b[7]))
                                let r = row(i)
                                return v &* SIMD8(r[0], r[0], r[1], r[1], r[2], r[2], r[3], r[3])
                            }
                            let acc = (tap(0) &+ tap(1)) &+ (tap(2) &+ tap(3))
                            let a4 = acc.lowHalf &+ acc.highHalf
                            let b = round(SIMD4(a4[0] &+ a4[2], a4[1] &+ a4[3], 0, 0))
                            out.storeBytes(of: UInt16(b[0]) | UInt16(b[1]) << 8, as: UInt16.self)
                        } else if off <= lastLoad {
                            @inline(__always) func tap(_ i: Int) -> SIMD16<Int32> {
                                let b = pixels(src.loadUnaligned(fromByteOffset: off &+ i &* stride, as: SIMD16<UInt8>.self))
                                return bicubicWiden(b) &* spread(row(i))
                            }
                            let acc = (tap(0) &+ tap(1)) &+ (tap(2) &+ tap(3))
                            let a8 = acc.lowHalf &+ acc.highHalf
                            let a4 = a8.lowHalf &+ a8.highHalf
                            let word = unsafeBitCast(round(a4), to: UInt32.self)
                            // 3 channels: the fourth byte lands on the next pixel, written after.
                            if cn == 4 || o &+ 4 <= dcount {
                                out.storeBytes(of: word, as: UInt32.self)
                            } else {
                                out.storeBytes(of: UInt16(truncatingIfNeeded: word), as: UInt16.self)
                                out.storeBytes(of: UInt8(truncatingIfNeeded: word >> 16), toByteOffset: 2, as: UInt8.self)
                            }
                        } else {
                            bicubicPixel8(sp + off, cn, stride, w, dp + o)
                        }
                    } else if constant && (sx >= sw || sx &+ 4 <= 0 || sy >= sh || sy &+ 4 <= 0) {
                        dp[o] = fill0
                        if cn > 1 { dp[o &+ 1] = fill1 }
                        if cn > 2 { dp[o &+ 2] = fill2 }
                        if cn > 3 { dp[o &+ 3] = fill3 }
                    } else {
                        bicubicBorder8(s, dp + o, g, sx, sy, w, fill)
                    }
                    o &+= cn
                }
            }
        }
        }
        }
        }
    }

    /// Zero-extends 16 bytes to Int32 lanes, spelled out lane by lane: the
    /// generic `init(truncatingIfNeeded:)` is sometimes left as a call.
    @inline(__always)
    static func bicubicWiden(_ b: SIMD16<UInt8>) -> SIMD16<Int32> {
        SIMD16(Int32(b[0]), Int32(b[1]), Int32(b[2]), Int32(b[3]), Int32(b[4]), Int32(b[5]), Int32(b[6]), Int32(b[7]),
               Int32(b[8]), Int32(b[9]), Int32(b[10]), Int32(b[11]), Int32(b[12]), Int32(b[13]), Int32(b[14]), Int32(b[15]))
    }
}
