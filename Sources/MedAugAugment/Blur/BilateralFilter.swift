import Foundation
import MedAugImage

// MARK: - Bilateral filter kernel (blocks of 8 pixels, taps innermost)

private protocol BFChannels { static var n: Int { get } }
private enum BFC1: BFChannels { static var n: Int { 1 } }
private enum BFC2: BFChannels { static var n: Int { 2 } }
private enum BFC3: BFChannels { static var n: Int { 3 } }
private enum BFC4: BFChannels { static var n: Int { 4 } }

@inline(__always)
private func bfLoad8(_ p: UnsafePointer<UInt8>) -> SIMD8<UInt8> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<UInt8>.self)
}
@inline(__always)
private func bfLoad8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}
@inline(__always)
private func bfStore8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}
// Widening and narrowing lane by lane with constant indices: the package
// build left the generic `init(truncatingIfNeeded:)` of SIMD vectors as calls.
@inline(__always)
private func bfWiden(_ v: SIMD8<UInt8>) -> SIMD8<UInt16> {
    SIMD8<UInt16>(UInt16(v[0]), UInt16(v[1]), UInt16(v[2]), UInt16(v[3]),
                  UInt16(v[4]), UInt16(v[5]), UInt16(v[6]), UInt16(v[7]))
}
@inline(__always)
private func bfFloats(_ v: SIMD8<UInt8>) -> SIMD8<Float> {
    SIMD8<Float>(Float(v[0]), Float(v[1]), Float(v[2]), Float(v[3]),
                 Float(v[4]), Float(v[5]), Float(v[6]), Float(v[7]))
}
@inline(__always)
private func bfNarrow(_ v: SIMD8<UInt32>) -> SIMD8<UInt8> {
    SIMD8<UInt8>(UInt8(truncatingIfNeeded: v[0]), UInt8(truncatingIfNeeded: v[1]), UInt8(truncatingIfNeeded: v[2]),
                 UInt8(truncatingIfNeeded: v[3]), UInt8(truncatingIfNeeded: v[4]), UInt8(truncatingIfNeeded: v[5]),
                 UInt8(truncatingIfNeeded: v[6]), UInt8(truncatingIfNeeded: v[7]))
}
@inline(__always)
private func bfAbsDiff16(_ a: SIMD8<UInt8>, _ b: SIMD8<UInt8>) -> SIMD8<UInt16> {
    let lt = a .< b
    return bfWiden(a.replacing(with: b, where: lt) &- b.replacing(with: a, where: lt))
}
@inline(__always)
private func bfGather16(_ t: UnsafePointer<Float>, _ i: SIMD8<UInt16>) -> SIMD8<Float> {
    let v = unsafeBitCast(i, to: SIMD2<UInt64>.self)
    let lo = v[0], hi = v[1]
    return SIMD8<Float>(t[Int(truncatingIfNeeded: lo & 0xffff)], t[Int(truncatingIfNeeded: (lo >> 16) & 0xffff)],
                        t[Int(truncatingIfNeeded: (lo >> 32) & 0xffff)], t[Int(truncatingIfNeeded: lo >> 48)],
                        t[Int(truncatingIfNeeded: hi & 0xffff)], t[Int(truncatingIfNeeded: (hi >> 16) & 0xffff)],
                        t[Int(truncatingIfNeeded: (hi >> 32) & 0xffff)], t[Int(truncatingIfNeeded: hi >> 48)])
}
@inline(__always)
private func bfLoad16(_ p: UnsafePointer<UInt8>) -> SIMD16<UInt8> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<UInt8>.self)
}
@inline(__always)
private func bfAbsDiff16x(_ a: SIMD16<UInt8>, _ b: SIMD16<UInt8>) -> (SIMD8<UInt16>, SIMD8<UInt16>) {
    let lt = a .< b
    let d = a.replacing(with: b, where: lt) &- b.replacing(with: a, where: lt)
    return (bfWiden(d.lowHalf), bfWiden(d.highHalf))
}
@inline(__always)
private func bfGather4(_ t: UnsafePointer<Float>, _ v: UInt64) -> SIMD4<Float> {
    SIMD4<Float>(t[Int(truncatingIfNeeded: v & 0xffff)], t[Int(truncatingIfNeeded: (v >> 16) & 0xffff)],
                 t[Int(truncatingIfNeeded: (v >> 32) & 0xffff)], t[Int(truncatingIfNeeded: v >> 48)])
}
/// The sample values as floats (exact for bytes).
@inline(__always)
private func bfValue(_ bytes: UnsafePointer<UInt8>, _ q: Int) -> SIMD8<Float> {
    return bfFloats(bfLoad8(bytes + q))
}
/// roundToByte on 8 lanes: min(max(v, 0), 255) with Swift's max/min
/// semantics (NaN passes through), then round half to even.
@inline(__always)
private func bfRound(_ v: SIMD8<Float>) -> SIMD8<UInt8> {
    let lo = v.replacing(with: 0, where: v .<= 0)
    let hi = lo.replacing(with: 255, where: lo .> 255)
    return bfNarrow(unsafeBitCast(hi + 8_388_608, to: SIMD8<UInt32>.self))
}

/// Weight of one tap for 8 pixels: space weight times the colour weight of
/// the summed absolute channel differences (the same float product as before).
@inline(__always)
private func bfWeight<C: BFChannels>(_ type: C.Type, _ bytes: UnsafePointer<UInt8>, _ planeSize: Int, _ q: Int,
                                     _ c0: SIMD8<UInt8>, _ c1: SIMD8<UInt8>, _ c2: SIMD8<UInt8>, _ c3: SIMD8<UInt8>,
                                     _ sw: Float, _ cw: UnsafePointer<Float>) -> SIMD8<Float> {
    let c = C.n
    var d = bfAbsDiff16(bfLoad8(bytes + q), c0)
    if c > 1 { d &+= bfAbsDiff16(bfLoad8(bytes + planeSize + q), c1) }
    if c > 2 { d &+= bfAbsDiff16(bfLoad8(bytes + 2 * planeSize + q), c2) }
    if c > 3 { d &+= bfAbsDiff16(bfLoad8(bytes + 3 * planeSize + q), c3) }
    return sw * bfGather16(cw, d)
}

private struct BFRowArgs {
    var w: Int, c: Int, planeSize: Int, blocks: Int, nTaps: Int
    var bytes: UnsafePointer<UInt8>
    var tapOff: UnsafePointer<Int>, tapDy: UnsafePointer<Int>, tapDx: UnsafePointer<Int>
    var tapW: UnsafePointer<Float>, cw: UnsafePointer<Float>
    var tapRing: UnsafePointer<Int>          // first-half tap t: offset of its mirror's weights in a ring row, plus dx
    var ringRows: UnsafePointer<UnsafeMutablePointer<Float>>  // ring row of image row y + dy, index dy + radius
    var radius: Int, ringLen: Int
    var rowOut: UnsafeMutablePointer<UInt8>  // c rows of blocks*8 bytes
    var pair: Bool                           // false: every weight is looked up (huge radius, no ring)
    var tapSrc: UnsafeMutablePointer<UnsafePointer<Float>>  // this row: first-half tap t's mirror weights (+ x0)
}

/// One output row. Each pixel sums its taps in the original order with the
/// original float operations; only where a weight comes from changes. Tap o
/// of pixel p and tap -o of pixel p+o compare the same two pixels, so when
/// both lie inside the image their weights are equal: the taps after the
/// centre are looked up (and kept in a ring of the last radius+1 rows), the
/// taps before it reuse them.
@inline(never)
private func bfRow<C: BFChannels>(_ type: C.Type, _ a: BFRowArgs, y: Int, centre: Int) {
    let c = C.n, w = a.w, m = a.nTaps / 2, n = a.nTaps, planeSize = a.planeSize
    let bytes = a.bytes, cw = a.cw, tapW = a.tapW, tapOff = a.tapOff
    let ringLen = a.ringLen, r = a.radius
    let mine = a.ringRows[r]
    let centreW = SIMD8<Float>(repeating: tapW[m] * cw[0])
    let rowsOK = y >= r
    for b2 in 0..<(a.blocks / 2) {
      let o16 = centre + b2 * 16
      let p0 = bfLoad16(bytes + o16)
      let p1 = c > 1 ? bfLoad16(bytes + planeSize + o16) : .zero
      let p2 = c > 2 ? bfLoad16(bytes + 2 * planeSize + o16) : .zero
      let p3 = c > 3 ? bfLoad16(bytes + 3 * planeSize + o16) : .zero
      for s in 0..<(a.pair ? m : 0) {
          let t = m + 1 + s
          let q = o16 &+ tapOff[t]
          var (dl, dh) = bfAbsDiff16x(bfLoad16(bytes + q), p0)
          if c > 1 { let (l, h) = bfAbsDiff16x(bfLoad16(bytes + planeSize + q), p1); dl &+= l; dh &+= h }
          if c > 2 { let (l, h) = bfAbsDiff16x(bfLoad16(bytes + 2 * planeSize + q), p2); dl &+= l; dh &+= h }
          if c > 3 { let (l, h) = bfAbsDiff16x(bfLoad16(bytes + 3 * planeSize + q), p3); dl &+= l; dh &+= h }
          let sw = tapW[t]
          let dst = mine + (s &* ringLen &+ b2 &* 16)
          let vl = unsafeBitCast(dl, to: SIMD2<UInt64>.self), vh = unsafeBitCast(dh, to: SIMD2<UInt64>.self)
          let v = SIMD4<UInt64>(vl[0], vl[1], vh[0], vh[1])
          bfStore8(sw * SIMD8<Float>(lowHalf: bfGather4(cw, v[0]), highHalf: bfGather4(cw, v[1])), dst)
          bfStore8(sw * SIMD8<Float>(lowHalf: bfGather4(cw, v[2]), highHalf: bfGather4(cw, v[3])), dst + 8)
      }
      for b in (2 * b2)..<(2 * b2 + 2) {
        let x0 = b * 8
        let xlast = min(x0 + 7, w - 1)
        let o = centre + x0
        let c0 = bfLoad8(bytes + o)
        let c1 = c > 1 ? bfLoad8(bytes + planeSize + o) : .zero
        let c2 = c > 2 ? bfLoad8(bytes + 2 * planeSize + o) : .zero
        let c3 = c > 3 ? bfLoad8(bytes + 3 * planeSize + o) : .zero
        var ws = SIMD8<Float>(), a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        @inline(__always) func add(_ wt: SIMD8<Float>, _ q: Int) {
            ws += wt
            a0 += bfValue(bytes, q) * wt
            if c > 1 { a1 += bfValue(bytes + planeSize, q) * wt }
            if c > 2 { a2 += bfValue(bytes + 2 * planeSize, q) * wt }
            if c > 3 { a3 += bfValue(bytes + 3 * planeSize, q) * wt }
        }
        if a.pair && rowsOK && x0 >= r && xlast + r < w {
            let src = a.tapSrc
            for t in 0..<m {
                add(bfLoad8(src[t] + x0), o &+ tapOff[t])
            }
        } else {
            for t in 0..<m {
                let dy = a.tapDy[t], dx = a.tapDx[t], q = o + tapOff[t]
                if a.pair && y + dy >= 0 && x0 + dx >= 0 && xlast + dx < w {
                    add(bfLoad8(UnsafePointer(a.ringRows[dy + r] + a.tapRing[t] + x0)), q)
                } else {
                    add(bfWeight(C.self, bytes, planeSize, q, c0, c1, c2, c3, tapW[t], cw), q)
                }
            }
        }
        add(centreW, o)
        if a.pair {
            var mp = UnsafePointer(mine + x0)
            for t in (m + 1)..<n {
                add(bfLoad8(mp), o &+ tapOff[t])
                mp += ringLen
            }
        } else {
            for t in (m + 1)..<n {
                add(bfWeight(C.self, bytes, planeSize, o &+ tapOff[t], c0, c1, c2, c3, tapW[t], cw), o &+ tapOff[t])
            }
        }
        let ro = a.rowOut + x0, stride = a.blocks * 8
        if c == 1 {
            UnsafeMutableRawPointer(ro).storeBytes(of: bfRound(a0 / ws), as: SIMD8<UInt8>.self)
        } else {
            let inv = 1 / ws
            UnsafeMutableRawPointer(ro).storeBytes(of: bfRound(a0 * inv), as: SIMD8<UInt8>.self)
            UnsafeMutableRawPointer(ro + stride).storeBytes(of: bfRound(a1 * inv), as: SIMD8<UInt8>.self)
            if c > 2 { UnsafeMutableRawPointer(ro + 2 * stride).storeBytes(of: bfRound(a2 * inv), as: SIMD8<UInt8>.self) }
            if c > 3 { UnsafeMutableRawPointer(ro + 3 * stride).storeBytes(of: bfRound(a3 * inv), as: SIMD8<UInt8>.self) }
        }
      }
    }
}

/// OpenCV's `bilateralFilter_8u` for any channel count, BORDER_REFLECT_101.
public enum BilateralFilter {
    /// The filtered image: `cv2.bilateralFilter(image, diameter, sigmaColor,
    /// sigmaSpace)`; throws ``AugmentError`` for a 16-bit image.
    ///
    /// - diameter: the window is the disk of radius diameter/2 (at least 1);
    ///   diameter <= 0 takes the radius from sigmaSpace as OpenCV does.
    public static func apply(_ image: Image, diameter: Int, sigmaColor: Double, sigmaSpace: Double) throws -> Image {
        guard case .u8(let src) = image.pixels else {
            throw AugmentError("BilateralBlur", "needs an 8-bit image")
        }
        let w = image.width, h = image.height, c = image.channels
        if w == 0 || h == 0 { return image }
        let sc = sigmaColor <= 0 ? 1 : sigmaColor
        let ss = sigmaSpace <= 0 ? 1 : sigmaSpace
        let colorCoeff = -0.5 / (sc * sc), spaceCoeff = -0.5 / (ss * ss)
        let radius = max(diameter <= 0 ? Int((ss * 1.5).rounded(.toNearestOrEven)) : diameter / 2, 1)

        let colorWeight = (0..<(256 * c)).map { Float(exp(Double($0 * $0) * colorCoeff)) }
        var spaceWeight: [Float] = [], tapDy: [Int] = [], tapDx: [Int] = []
        for i in -radius...radius {
            for j in -radius...radius {
                let r = (Double(i * i) + Double(j * j)).squareRoot()
                if r > Double(radius) { continue }
                spaceWeight.append(Float(exp(r * r * spaceCoeff)))
                tapDy.append(i)
                tapDx.append(j)
            }
        }
        let nTaps = spaceWeight.count, m = nTaps / 2   // taps are symmetric: tap n-1-t is -tap t

        // Each channel as its own plane with a reflected border; columns past
        // the border (up to a multiple of 8 pixels) only feed discarded lanes.
        let blocks = (w + 15) / 16 * 2, wpad = blocks * 8
        let pw = wpad + 2 * radius, ph = h + 2 * radius, planeSize = pw * ph
        let ringLen = wpad + radius, ringRowSize = max(m, 1) * ringLen
        let tapOff = (0..<nTaps).map { tapDy[$0] * pw + tapDx[$0] }
        let tapRing = (0..<nTaps).map { $0 < m ? (m - 1 - $0) * ringLen + tapDx[$0] : 0 }
        let xs = (0..<(w + 2 * radius)).map { BorderMode.reflect.index($0 - radius, w)! * c }

        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: c * planeSize)
        bytes.initialize(repeating: 0, count: c * planeSize)
        defer { bytes.deallocate() }
        // The ring holds (radius + 1) rows of m weight rows; for very large
        // radii (diameter <= 0 with a large sigmaSpace) it is skipped and
        // every weight is looked up directly (same values, same order).
        let pair = (radius + 1) * ringRowSize <= 1 << 23
        let ringCount = pair ? (radius + 1) * ringRowSize : 1
        let ring = UnsafeMutablePointer<Float>.allocate(capacity: ringCount)
        ring.initialize(repeating: 0, count: ringCount)
        defer { ring.deallocate() }
        let ringRows = UnsafeMutablePointer<UnsafeMutablePointer<Float>>.allocate(capacity: radius + 1)
        defer { ringRows.deallocate() }
        let rowOut = UnsafeMutablePointer<UInt8>.allocate(capacity: c * wpad)
        defer { rowOut.deallocate() }
        let tapSrc = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: max(m, 1))
        defer { tapSrc.deallocate() }

        var out = [UInt8](repeating: 0, count: h * w * c)
        src.withUnsafeBufferPointer { sb in
        xs.withUnsafeBufferPointer { xsb in
            let s = sb.baseAddress!, xp = xsb.baseAddress!, pwide = w + 2 * radius
            for py in 0..<ph {
                let srow = s + BorderMode.reflect.index(py - radius, h)! * (w * c)
                for ch in 0..<c {
                    let prow = bytes + (ch * planeSize + py * pw)
                    let sc = srow + ch
                    for px in 0..<pwide { prow[px] = sc[xp[px]] }
                }
            }
        }
        }
        colorWeight.withUnsafeBufferPointer { cwb in
        spaceWeight.withUnsafeBufferPointer { swb in
        tapOff.withUnsafeBufferPointer { tob in
        tapDy.withUnsafeBufferPointer { dyb in
        tapDx.withUnsafeBufferPointer { dxb in
        tapRing.withUnsafeBufferPointer { trb in
        out.withUnsafeMutableBufferPointer { ob in
            let args = BFRowArgs(w: w, c: c, planeSize: planeSize, blocks: blocks, nTaps: nTaps,
                                 bytes: bytes, tapOff: tob.baseAddress!, tapDy: dyb.baseAddress!,
                                 tapDx: dxb.baseAddress!, tapW: swb.baseAddress!, cw: cwb.baseAddress!,
                                 tapRing: trb.baseAddress!, ringRows: ringRows, radius: radius, ringLen: ringLen,
                                 rowOut: rowOut, pair: pair, tapSrc: tapSrc)
            for y in 0..<h {
                // ringRows[k] holds the weights of image row y - radius + k.
                if pair {
                    for k in 0...radius { ringRows[k] = ring + ((y - radius + k + (radius + 1) * h) % (radius + 1)) * ringRowSize }
                    for t in 0..<m { tapSrc[t] = UnsafePointer(ringRows[tapDy[t] + radius] + tapRing[t]) }
                } else {
                    for k in 0...radius { ringRows[k] = ring }
                    for t in 0..<m { tapSrc[t] = UnsafePointer(ring) }
                }
                let centre = (y + radius) * pw + radius
                switch c {
                case 1: bfRow(BFC1.self, args, y: y, centre: centre)
                case 2: bfRow(BFC2.self, args, y: y, centre: centre)
                case 3: bfRow(BFC3.self, args, y: y, centre: centre)
                default: bfRow(BFC4.self, args, y: y, centre: centre)
                }
                let o = ob.baseAddress! + y * (w * c)
                switch c {
                case 1:
                    o.update(from: rowOut, count: w)
                case 3:
                    let r0 = rowOut, r1 = rowOut + wpad, r2 = rowOut + 2 * wpad
                    for x in 0..<w { o[3 &* x] = r0[x]; o[3 &* x &+ 1] = r1[x]; o[3 &* x &+ 2] = r2[x] }
                default:
                    for ch in 0..<c {
                        let rr = rowOut + ch * wpad
                        for x in 0..<w { o[x &* c &+ ch] = rr[x] }
                    }
                }
            }
        }
        }
        }
        }
        }
        }
        }
        return Image(width: w, height: h, channels: c, pixels: .u8(out))
    }
}
