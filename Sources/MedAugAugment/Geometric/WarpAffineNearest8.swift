import MedAugImage

extension WarpAffine {
    /// `nearest` for 8-bit images: the same positions (`(x0 + adelta) >> 10`,
    /// clamped to 16 bits) computed 8 output pixels at a time in SIMD8<Int32>,
    /// and for 1...4 channels a copy of each pixel as one load and one store.
    /// Groups wholly inside are copied without further checks, groups wholly
    /// outside in constant mode are filled at once, the rest go pixel by pixel
    /// through the border mode, exactly as the generic path does.
    static func nearest8(_ s: UnsafeBufferPointer<UInt8>, _ d: UnsafeMutableBufferPointer<UInt8>,
                         _ g: AffineWarpGeometry, _ grid: AffineSampleGrid, _ fill: [UInt8]) {
        switch g.cn {
        case 1: nearest8Copies(s, d, g, grid, fill, Channels1.self)
        case 2: nearest8Copies(s, d, g, grid, fill, Channels2.self)
        case 3: nearest8Copies(s, d, g, grid, fill, Channels3.self)
        case 4: nearest8Copies(s, d, g, grid, fill, Channels4.self)
        default: nearest(s, d, g, grid, fill)
        }
    }

    /// One compiled copy per channel count, with the count a constant in it.
    @inline(never)
    static func nearest8Copies<C: ChannelCount>(_ s: UnsafeBufferPointer<UInt8>, _ d: UnsafeMutableBufferPointer<UInt8>,
                                                _ g: AffineWarpGeometry, _ grid: AffineSampleGrid, _ fill: [UInt8],
                                                _: C.Type) {
        let cn = C.count
        let sw = g.sw, sh = g.sh, stride = sw &* cn, dw = g.dw
        let constant = g.mode == .constant
        let sp = s.baseAddress!, dp = d.baseAddress!
        let dcount = d.count
        // 3 channels are copied as 4-byte words: the load must end inside the
        // source (off + 4 ≤ count), the store inside the output.
        let vector = s.count <= Int(Int32.max) - 64 && s.count >= 4
        let limit = Int32(truncatingIfNeeded: vector ? s.count &- 4 : 0)
        let sw32 = Int32(truncatingIfNeeded: min(sw, 1 << 20)), sh32 = Int32(truncatingIfNeeded: min(sh, 1 << 20))
        let stride32 = Int32(truncatingIfNeeded: stride), cn32 = Int32(truncatingIfNeeded: cn)
        let fill0 = fill[0], fill1 = cn > 1 ? fill[1] : 0, fill2 = cn > 2 ? fill[2] : 0, fill3 = cn > 3 ? fill[3] : 0
        var fillBytes = SIMD32<UInt8>()
        if constant {
            for i in 0..<32 { fillBytes[i] = fill[i % cn] }
        }
        let fillLo = fillBytes.lowHalf, fillHi = fillBytes.highHalf
        let shift = SIMD8<Int32>(repeating: AffineSampleGrid.abBits)

        /// Copies one pixel; `roomy`: 4 bytes may be read at `off` and written at `o`.
        @inline(__always)
        func copy(_ o: Int, _ off: Int, _ roomy: Bool) {
            let from = UnsafeRawPointer(sp + off), to = UnsafeMutableRawPointer(dp + o)
            switch cn {
            case 1: to.storeBytes(of: from.load(as: UInt8.self), as: UInt8.self)
            case 2: to.storeBytes(of: from.loadUnaligned(as: UInt16.self), as: UInt16.self)
            case 3:
                if roomy {
                    to.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
                } else {
                    to.storeBytes(of: from.loadUnaligned(as: UInt16.self), as: UInt16.self)
                    to.storeBytes(of: from.load(fromByteOffset: 2, as: UInt8.self), toByteOffset: 2, as: UInt8.self)
                }
            default: to.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
            }
        }

        @inline(__always)
        func pixel(_ o: Int, _ X: Int32, _ Y: Int32) {
            let sx = affineClampShort(X), sy = affineClampShort(Y)
            if UInt(bitPattern: sx) < UInt(sw) && UInt(bitPattern: sy) < UInt(sh) {
                let off = sy &* stride &+ sx &* cn
                copy(o, off, o &+ 4 <= dcount && off &+ 4 <= s.count)
            } else if let ix = g.mode.index(sx, sw), let iy = g.mode.index(sy, sh) {
                let off = iy &* stride &+ ix &* cn
                copy(o, off, o &+ 4 <= dcount && off &+ 4 <= s.count)
            } else {
                dp[o] = fill0
                if cn > 1 { dp[o &+ 1] = fill1 }
                if cn > 2 { dp[o &+ 2] = fill2 }
                if cn > 3 { dp[o &+ 3] = fill3 }
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
                            let X = (x0v &+ UnsafeRawPointer(ad + x).loadUnaligned(as: SIMD8<Int32>.self)) &>> shift
                            let Y = (y0v &+ UnsafeRawPointer(bd + x).loadUnaligned(as: SIMD8<Int32>.self)) &>> shift
                            let sx = X.clamped(lowerBound: SIMD8(repeating: -32768), upperBound: SIMD8(repeating: 32767))
                            let sy = Y.clamped(lowerBound: SIMD8(repeating: -32768), upperBound: SIMD8(repeating: 32767))
                            let off = sy &* stride32 &+ sx &* cn32
                            // A lane is inside when all of these are non-negative.
                            let bad = sx | (sw32 &- 1 &- sx) | sy | (sh32 &- 1 &- sy) | (limit &- off)
                            let bad4 = bad.lowHalf | bad.highHalf, bad2 = bad4.lowHalf | bad4.highHalf
                            if bad2[0] | bad2[1] >= 0 {
                                let roomy = o &+ 8 &* cn &+ 1 <= dcount
                                @inline(__always) func lane(_ i: Int) { copy(o &+ i &* cn, Int(off[i]), i < 7 || roomy) }
                                lane(0); lane(1); lane(2); lane(3); lane(4); lane(5); lane(6); lane(7)
                            } else if constant && bilinearAllNegative((sw32 &- 1 &- sx) | sx | (sh32 &- 1 &- sy) | sy) {
                                // Every lane is outside (sx ≥ sw, sx < 0, sy ≥ sh or sy < 0).
                                storeFill8(UnsafeMutableRawPointer(dp + o), cn, fillLo, fillHi)
                            } else {
                                for i in 0..<8 { pixel(o &+ i &* cn, X[i], Y[i]) }
                            }
                            o &+= 8 &* cn
                            x &+= 8
                        }
                    }
                    while x < dw {
                        pixel(o, (x0 &+ ad[x]) >> AffineSampleGrid.abBits, (y0 &+ bd[x]) >> AffineSampleGrid.abBits)
                        o &+= cn
                        x &+= 1
                    }
                }
            }
        }
    }
}
