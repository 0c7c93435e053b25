import MedAugImage

extension WarpAffine {
    /// The rows of `bilinear8` for `cn` channels. Weights are the products
    /// (32−fy or fy)(32−fx or fx), shared by the channels; the arithmetic cannot
    /// overflow (at most 255·1024 per sum), so it wraps.
    ///
    /// Dispatches to a copy specialised for 1...4 channels (per-pixel path only
    /// for more). Positions of 8 output pixels are computed at once in
    /// SIMD8<Int32>, exactly as the scalar code does per pixel. A pixel whose 2x2
    /// neighbourhood lies inside (and whose 8-byte row loads stay inside the
    /// source) is blended in SIMD: vertically t = 32·p + fy·(q − p) = ay·p + fy·q
    /// (≤ 8160) in 16-bit lanes, then ax·t0 + fx·t1 in 32 bits (pmaddwd), which
    /// is the same integer Σ v·w as the four products. Groups wholly outside in
    /// constant mode are filled at once; groups at whole-pixel positions one
    /// pixel apart are copied, or blended from two rows when they share a row
    /// fraction; other pixels take the per-pixel path.
    @inline(__always)
    static func bilinear8Rows(_ s: UnsafeBufferPointer<UInt8>, _ d: UnsafeMutableBufferPointer<UInt8>,
                              _ g: AffineWarpGeometry, _ grid: AffineSampleGrid, _ fill: [UInt8], _ cn: Int) {
        switch cn {
        case 1: bilinear8Pairs(s, d, g, grid, fill, Channels1.self)
        case 2: bilinear8Pairs(s, d, g, grid, fill, Channels2.self)
        case 3: bilinear8Pairs(s, d, g, grid, fill, Channels3.self)
        case 4: bilinear8Pairs(s, d, g, grid, fill, Channels4.self)
        default: bilinear8Pairs(s, d, g, grid, fill, 0)
        }
    }

    /// One compiled copy per channel count, with the count a constant in it.
    @inline(never)
    static func bilinear8Pairs<C: ChannelCount>(_ s: UnsafeBufferPointer<UInt8>, _ d: UnsafeMutableBufferPointer<UInt8>,
                                                _ g: AffineWarpGeometry, _ grid: AffineSampleGrid, _ fill: [UInt8],
                                                _: C.Type) {
        bilinear8Pairs(s, d, g, grid, fill, C.count)
    }

    /// `bilinear8Rows` for `channels` channels (1...4, a constant after inlining),
    /// or, for 0, g.cn channels through the per-pixel path only.
    @inline(__always)
    static func bilinear8Pairs(_ s: UnsafeBufferPointer<UInt8>, _ d: UnsafeMutableBufferPointer<UInt8>,
                               _ g: AffineWarpGeometry, _ grid: AffineSampleGrid, _ fill: [UInt8], _ channels: Int) {
        let cn = channels > 0 ? channels : g.cn
        let sw = g.sw, sh = g.sh, stride = sw &* cn, dw = g.dw
        let constant = g.mode == .constant
        let innerW = UInt(max(sw - 1, 0)), innerH = UInt(max(g.sh - 1, 0))
        let sp = s.baseAddress!, dp = d.baseAddress!
        let dcount = d.count
        let shift = AffineSampleGrid.abBits - AffineSampleGrid.interBits
        // Vector pairs: up to 4 channels, offsets in Int32, an 8-byte load of the
        // lower row at offset off + stride must end inside the source.
        let vector = channels > 0 && s.count <= Int(Int32.max) - 64 && s.count >= stride &+ 8
        let limit = Int32(truncatingIfNeeded: vector ? s.count &- stride &- 8 : 0)
        let innerW32 = Int32(truncatingIfNeeded: min(innerW, 1 << 20))
        let innerH32 = Int32(truncatingIfNeeded: min(innerH, 1 << 20))
        let stride32 = Int32(truncatingIfNeeded: stride), cn32 = Int32(truncatingIfNeeded: cn)
        let sw32 = Int32(truncatingIfNeeded: min(sw, 1 << 20)), sh32 = Int32(truncatingIfNeeded: min(sh, 1 << 20))
        // Constant mode: cn·8 bytes of fill (cn ≤ 4) for groups wholly outside.
        var fillBytes = SIMD32<UInt8>()
        if constant && channels > 0 {
            for i in 0..<32 { fillBytes[i] = fill[i % cn] }
        }
        let fillLo = fillBytes.lowHalf, fillHi = fillBytes.highHalf
        let spRaw = UnsafeRawPointer(sp), sqRaw = UnsafeRawPointer(sp) + stride

        @inline(__always)
        func pixel(_ o: Int, _ X: Int32, _ Y: Int32) {
            let sx = affineClampShort(X >> AffineSampleGrid.interBits)
            let sy = affineClampShort(Y >> AffineSampleGrid.interBits)
            let fx = Int32(X & 31), fy = Int32(Y & 31)
            if UInt(bitPattern: sx) < innerW && UInt(bitPattern: sy) < innerH {
                let p = sp + (sy &* stride &+ sx &* cn)
                let q = p + stride
                let ax = 32 &- fx, ay = 32 &- fy
                let w0 = ay &* ax, w1 = ay &* fx, w2 = fy &* ax, w3 = fy &* fx
                let out = dp + o
                for k in 0..<cn {
                    let v = Int32(p[k]) &* w0 &+ Int32(p[cn &+ k]) &* w1
                        &+ Int32(q[k]) &* w2 &+ Int32(q[cn &+ k]) &* w3
                    out[k] = UInt8(truncatingIfNeeded: (v &+ 512) >> 10)
                }
            } else if constant && (sx >= sw || sx < -1 || sy >= sh || sy < -1) {
                for k in 0..<cn { dp[o &+ k] = fill[k] }
            } else {
                bilinearBorder8(s, dp + o, g, sx, sy, Int(fx), Int(fy), fill)
            }
        }

        /// One pixel whose 2x2 neighbourhood and 8-byte row loads are inside: returns
        /// its channels in the low bytes of the four 32-bit lanes.
        @inline(__always)
        func fast(_ off: Int32, _ fy: Int32, _ ax: Int32, _ fx: Int32) -> SIMD16<UInt8> {
            let p = spRaw.loadUnaligned(fromByteOffset: Int(off), as: SIMD8<UInt8>.self)
            let q = sqRaw.loadUnaligned(fromByteOffset: Int(off), as: SIMD8<UInt8>.self)
            let P = bilinearTapPairs(p, cn), Q = bilinearTapPairs(q, cn)
            // ay·p + fy·q (≤ 8160) in 16-bit lanes 2k (tap x) and 2k+1 (tap x+1), then
            // ax·t0 + fx·t1 per channel in 32 bits (pmaddwd).
            let T = (P &<< 5) &+ (Q &- P) &* SIMD8(repeating: Int16(truncatingIfNeeded: fy))
            let te = SIMD4<Int32>(Int32(T[0]), Int32(T[2]), Int32(T[4]), Int32(T[6]))
            let to = SIMD4<Int32>(Int32(T[1]), Int32(T[3]), Int32(T[5]), Int32(T[7]))
            let ax16 = Int32(Int16(truncatingIfNeeded: ax)), fx16 = Int32(Int16(truncatingIfNeeded: fx))
            let v = te &* SIMD4(repeating: ax16) &+ to &* SIMD4(repeating: fx16)
            let r = unsafeBitCast((v &+ 512) &>> 10, to: SIMD16<UInt8>.self)
            // Channel k's byte to byte k.
            return SIMD16(r[0], r[4], r[8], r[12], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        }

        /// 4 (one channel) or 2 (two channels) pixels in one vector: pixel j's
        /// channels come back in bytes j·cn ..< (j+1)·cn.
        @inline(__always)
        func fastSmall(_ off: SIMD4<Int32>, _ fyw: SIMD4<Int32>, _ wxw: SIMD4<Int32>) -> UInt32 {
            let P: SIMD8<Int16>, Q: SIMD8<Int16>
            if cn == 1 {
                @inline(__always) func row(_ r: UnsafeRawPointer) -> SIMD8<Int16> {
                    let x = SIMD4<UInt32>(UInt32(r.loadUnaligned(fromByteOffset: Int(off[0]), as: UInt16.self)),
                                          UInt32(r.loadUnaligned(fromByteOffset: Int(off[1]), as: UInt16.self)),
                                          UInt32(r.loadUnaligned(fromByteOffset: Int(off[2]), as: UInt16.self)),
                                          UInt32(r.loadUnaligned(fromByteOffset: Int(off[3]), as: UInt16.self)))
                    return unsafeBitCast((x | (x &<< 8)) & 0x00FF_00FF, to: SIMD8<Int16>.self)
                }
                P = row(spRaw); Q = row(sqRaw)
            } else {
                @inline(__always) func row(_ r: UnsafeRawPointer) -> SIMD8<Int16> {
                    let x = SIMD4<UInt32>(r.loadUnaligned(fromByteOffset: Int(off[0]), as: UInt32.self), 0,
                                          r.loadUnaligned(fromByteOffset: Int(off[1]), as: UInt32.self), 0)
                    let b = unsafeBitCast(x, to: SIMD16<UInt8>.self)
                    return unsafeBitCast(SIMD16<UInt8>(b[0], 0, b[2], 0, b[1], 0, b[3], 0, b[8], 0, b[10], 0, b[9], 0, b[11], 0), to: SIMD8<Int16>.self)
                }
                P = row(spRaw); Q = row(sqRaw)
            }
            let T = (P &<< 5) &+ (Q &- P) &* unsafeBitCast(fyw, to: SIMD8<Int16>.self)
            let v = bilinearMulAddPairs(T, unsafeBitCast(wxw, to: SIMD8<Int16>.self))
            let r = unsafeBitCast((v &+ 512) &>> 10, to: SIMD16<UInt8>.self)
            return unsafeBitCast(SIMD16(r[0], r[4], r[8], r[12], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), to: SIMD4<UInt32>.self)[0]
        }

        @inline(__always)
        func store(_ o: Int, _ b: SIMD16<UInt8>, _ roomy: Bool) {
            let raw = UnsafeMutableRawPointer(dp + o)
            let w = unsafeBitCast(b, to: SIMD4<UInt32>.self)[0]
            switch cn {
            case 1: raw.storeBytes(of: UInt8(truncatingIfNeeded: w), as: UInt8.self)
            case 2: raw.storeBytes(of: UInt16(truncatingIfNeeded: w), as: UInt16.self)
            case 3:
                if roomy || o &+ 4 <= dcount {
                    raw.storeBytes(of: w, as: UInt32.self)
                } else {
                    raw.storeBytes(of: UInt16(truncatingIfNeeded: w), as: UInt16.self)
                    raw.storeBytes(of: UInt8(truncatingIfNeeded: w >> 16), toByteOffset: 2, as: UInt8.self)
                }
            default: raw.storeBytes(of: w, as: UInt32.self)
            }
        }

        grid.adelta.withUnsafeBufferPointer { adb in
            grid.bdelta.withUnsafeBufferPointer { bdb in
                let ad = adb.baseAddress!, bd = bdb.baseAddress!
                var o = 0
                for y in 0..<g.dh {
                    let (x0, y0) = grid.rowStart(y)
                    var x = 0
                    if vector {
                        let x0v = SIMD8<Int32>(repeating: x0), y0v = SIMD8<Int32>(repeating: y0)
                        while x &+ 8 <= dw {
                            let X = (x0v &+ UnsafeRawPointer(ad + x).loadUnaligned(as: SIMD8<Int32>.self)) &>> SIMD8(repeating: shift)
                            let Y = (y0v &+ UnsafeRawPointer(bd + x).loadUnaligned(as: SIMD8<Int32>.self)) &>> SIMD8(repeating: shift)
                            let sx = (X &>> 5).clamped(lowerBound: SIMD8(repeating: -32768), upperBound: SIMD8(repeating: 32767))
                            let sy = (Y &>> 5).clamped(lowerBound: SIMD8(repeating: -32768), upperBound: SIMD8(repeating: 32767))
                            let off = sy &* stride32 &+ sx &* cn32
                            // A lane is fine when all of these are non-negative.
                            let bad = sx | (innerW32 &- 1 &- sx) | sy | (innerH32 &- 1 &- sy) | (limit &- off)
                            let fx = X & 31, fy = Y & 31
                            let ax = 32 &- fx
                            let bad4 = bad.lowHalf | bad.highHalf, bad2 = bad4.lowHalf | bad4.highHalf
                            let inside = bad2[0] | bad2[1] >= 0
                            // Rotations and horizontal scales fail this one cheap test.
                            let wholeColumns = inside && bilinearNoneSet(fx)
                            if wholeColumns && bilinearWholeRun(fy, off, cn32) {
                                // Whole-pixel positions on consecutive pixels of one row (an integer
                                // translation): the weights are 1024, 0, 0, 0, so the blend is the source bytes.
                                bilinearCopy8(UnsafeMutableRawPointer(dp + o), spRaw + Int(off[0]), cn)
                            } else if wholeColumns && bilinearWholeRun(fy &- SIMD8(repeating: fy[0]), off, cn32) {
                                // Whole columns, consecutive, one shared row fraction (e.g. a vertical scale):
                                // weights (32−fy)·32, 0, fy·32, 0, a blend of two runs of source bytes.
                                bilinearRowBlend8(UnsafeMutableRawPointer(dp + o), spRaw + Int(off[0]), sqRaw + Int(off[0]), fy[0], cn)
                            } else if inside && cn <= 2 {
                                let fyw = fy &* 0x10001, wxw = fx &* 0xFFFF &+ 32
                                let raw = UnsafeMutableRawPointer(dp + o)
                                if cn == 1 {
                                    raw.storeBytes(of: fastSmall(off.lowHalf, fyw.lowHalf, wxw.lowHalf), as: UInt32.self)
                                    raw.storeBytes(of: fastSmall(off.highHalf, fyw.highHalf, wxw.highHalf), toByteOffset: 4, as: UInt32.self)
                                } else {
                                    @inline(__always) func two(_ i: Int) {
                                        raw.storeBytes(of: fastSmall(SIMD4(off[i], off[i + 1], 0, 0), SIMD4(fyw[i], fyw[i], fyw[i + 1], fyw[i + 1]),
                                                                     SIMD4(wxw[i], wxw[i], wxw[i + 1], wxw[i + 1])), toByteOffset: i &* 2, as: UInt32.self)
                                    }
                                    two(0); two(2); two(4); two(6)
                                }
                            } else if inside {
                                // 4-byte stores for 3 channels spill one byte into the next pixel.
                                let roomy = o &+ 8 &* cn &+ 1 <= dcount
                                @inline(__always) func lane(_ i: Int) { store(o &+ i &* cn, fast(off[i], fy[i], ax[i], fx[i]), i < 7 || roomy) }
                                lane(0); lane(1); lane(2); lane(3); lane(4); lane(5); lane(6); lane(7)
                            } else if constant && bilinearAllNegative((sw32 &- 1 &- sx) | (sx &+ 1) | (sh32 &- 1 &- sy) | (sy &+ 1)) {
                                // Every lane is wholly outside (sx ≥ sw, sx < −1, sy ≥ sh or sy < −1).
                                storeFill8(UnsafeMutableRawPointer(dp + o), cn, fillLo, fillHi)
                            } else {
                                for i in 0..<8 {
                                    if bad[i] >= 0 {
                                        store(o &+ i &* cn, fast(off[i], fy[i], ax[i], fx[i]), false)
                                    } else {
                                        pixel(o &+ i &* cn, X[i], Y[i])
                                    }
                                }
                            }
                            o &+= 8 &* cn
                            x &+= 8
                        }
                    }
                    while x < dw {
                        let X = (x0 &+ ad[x]) >> shift
                        let Y = (y0 &+ bd[x]) >> shift
                        pixel(o, X, Y)
                        o &+= cn
                        x &+= 1
                    }
                }
            }
        }
    }

    /// Bytes (k, k+cn) of `v`, zero-extended into 16-bit lanes 2k, 2k+1
    /// (tap x and tap x+1 of channel k; k < 4).
    @inline(__always)
    static func bilinearTapPairs(_ v: SIMD8<UInt8>, _ cn: Int) -> SIMD8<Int16> {
        let c = min(cn, 4)
        let b = SIMD16<UInt8>(lowHalf: v, highHalf: .zero)
        let s = SIMD16<UInt8>(b[0], 0, b[c], 0, b[1], 0, b[1 &+ c], 0, b[2], 0, b[2 &+ c], 0, b[3], 0, b[3 &+ c], 0)
        return unsafeBitCast(s, to: SIMD8<Int16>.self)
    }

    /// pmaddwd: lane m = a[2m]·b[2m] + a[2m+1]·b[2m+1] in 32 bits.
    @inline(__always)
    static func bilinearMulAddPairs(_ a: SIMD8<Int16>, _ b: SIMD8<Int16>) -> SIMD4<Int32> {
        let ae = SIMD4<Int32>(Int32(a[0]), Int32(a[2]), Int32(a[4]), Int32(a[6]))
        let ao = SIMD4<Int32>(Int32(a[1]), Int32(a[3]), Int32(a[5]), Int32(a[7]))
        let be = SIMD4<Int32>(Int32(b[0]), Int32(b[2]), Int32(b[4]), Int32(b[6]))
        let bo = SIMD4<Int32>(Int32(b[1]), Int32(b[3]), Int32(b[5]), Int32(b[7]))
        return ae &* be &+ ao &* bo
    }

    /// Eight output pixels of the constant fill at `raw`: `lo` and `hi` hold
    /// the fill value repeated (8·cn bytes of them are stored, 1...4 channels).
    @inline(__always)
    static func storeFill8(_ raw: UnsafeMutableRawPointer, _ cn: Int, _ lo: SIMD16<UInt8>, _ hi: SIMD16<UInt8>) {
        switch cn {
        case 1: raw.storeBytes(of: lo.lowHalf, as: SIMD8<UInt8>.self)
        case 2: raw.storeBytes(of: lo, as: SIMD16<UInt8>.self)
        case 3:
            raw.storeBytes(of: lo, as: SIMD16<UInt8>.self)
            raw.storeBytes(of: hi.lowHalf, toByteOffset: 16, as: SIMD8<UInt8>.self)
        default:
            raw.storeBytes(of: lo, as: SIMD16<UInt8>.self)
            raw.storeBytes(of: hi, toByteOffset: 16, as: SIMD16<UInt8>.self)
        }
    }

    /// Whether every lane is zero.
    @inline(__always)
    static func bilinearNoneSet(_ v: SIMD8<Int32>) -> Bool {
        let v4 = v.lowHalf | v.highHalf, v2 = v4.lowHalf | v4.highHalf
        return v2[0] | v2[1] == 0
    }

    /// Whether all eight positions have zero fractions and step one pixel
    /// (`cn` bytes) at a time from the first.
    @inline(__always)
    static func bilinearWholeRun(_ fractions: SIMD8<Int32>, _ off: SIMD8<Int32>, _ cn: Int32) -> Bool {
        let steps = off &- SIMD8(repeating: off[0])
        let v = fractions | (steps ^ (SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) &* cn))
        let v4 = v.lowHalf | v.highHalf, v2 = v4.lowHalf | v4.highHalf
        return v2[0] | v2[1] == 0
    }

    /// Copies eight pixels (8·cn bytes, 1...4 channels) from `src` to `raw`.
    @inline(__always)
    static func bilinearCopy8(_ raw: UnsafeMutableRawPointer, _ src: UnsafeRawPointer, _ cn: Int) {
        switch cn {
        case 1: raw.storeBytes(of: src.loadUnaligned(as: SIMD8<UInt8>.self), as: SIMD8<UInt8>.self)
        case 2: raw.storeBytes(of: src.loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
        case 3:
            raw.storeBytes(of: src.loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
            raw.storeBytes(of: src.loadUnaligned(fromByteOffset: 16, as: SIMD8<UInt8>.self), toByteOffset: 16, as: SIMD8<UInt8>.self)
        default: raw.storeBytes(of: src.loadUnaligned(as: SIMD32<UInt8>.self), as: SIMD32<UInt8>.self)
        }
    }

    /// Eight pixels (8·cn bytes, 1...4 channels) blended from rows `p` and `q`
    /// with weights (32 − fy)·32 and fy·32 out of 1024: ((32 − fy)·p + fy·q + 16) >> 5,
    /// the same integer as the four-tap sum with zero column weights.
    @inline(__always)
    static func bilinearRowBlend8(_ raw: UnsafeMutableRawPointer, _ p: UnsafeRawPointer, _ q: UnsafeRawPointer,
                                  _ fy: Int32, _ cn: Int) {
        let wq = SIMD8<UInt16>(repeating: UInt16(truncatingIfNeeded: fy)), wp = 32 &- wq
        @inline(__always) func piece(_ at: Int) {
            let a = SIMD8<UInt16>(truncatingIfNeeded: p.loadUnaligned(fromByteOffset: at, as: SIMD8<UInt8>.self))
            let b = SIMD8<UInt16>(truncatingIfNeeded: q.loadUnaligned(fromByteOffset: at, as: SIMD8<UInt8>.self))
            let t = a &* wp &+ b &* wq
            raw.storeBytes(of: SIMD8<UInt8>(truncatingIfNeeded: (t &+ 16) &>> 5), toByteOffset: at, as: SIMD8<UInt8>.self)
        }
        for i in 0..<cn { piece(i &* 8) }
    }

    /// Whether every lane is negative.
    @inline(__always)
    static func bilinearAllNegative(_ v: SIMD8<Int32>) -> Bool {
        let v4 = v.lowHalf & v.highHalf, v2 = v4.lowHalf & v4.highHalf
        return v2[0] & v2[1] < 0
    }
}
