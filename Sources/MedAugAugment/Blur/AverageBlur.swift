import MedAugCore
import MedAugImage

/// Blurs with a normalised box filter (`cv2.blur`, BORDER_REFLECT_101) of a
/// size sampled per image. Even sizes lean to the top-left (anchor k/2).
///
/// imgaug passes (height, width) where OpenCV expects (width, height), so its
/// per-axis form blurs along the wrong axes; MedAug applies the height range
/// to the kernel height (a fix listed in PARITY.md).
public struct AverageBlur: Augmenter {
    /// The kernel size argument: one size for both axes or one per axis.
    public enum Size: Equatable, Sendable {
        /// One sample per image used for both axes: imgaug's `k=3`, `k=(1, 7)`.
        case both(Discrete)
        /// imgaug's `k=((a, b), (c, d))`: height first, then width.
        case perAxis(height: Discrete, width: Discrete)
    }

    /// The box size in pixels, drawn per image; a 0 on either axis, or 1 on
    /// both, leaves the image unchanged.
    public var k: Size

    /// A square box whose side is drawn per image; the default is imgaug's
    /// `k=(1, 7)`.
    public init(k: Discrete = .range(1, 7)) {
        self.k = .both(k)
    }

    /// A box whose height and width are drawn separately per image (imgaug's
    /// `k=((a, b), (c, d))`).
    public init(height: Discrete, width: Discrete) {
        self.k = .perAxis(height: height, width: width)
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "AverageBlur" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { AverageBlur.table.arguments(self) }

    /// Draws the box size (height, then width) and blurs; throws for a negative
    /// size.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let kh: Int, kw: Int
        switch k {
        case .both(let d):
            kh = d.sample(&context.rng)
            kw = kh
        case .perAxis(let h, let w):
            kh = h.sample(&context.rng)
            kw = w.sample(&context.rng)
        }
        context.record(name, [("k_height", String(kh)), ("k_width", String(kw))])
        if kh == 0 || kw == 0 || (kh == 1 && kw == 1) { return image }
        guard kh > 0 && kw > 0 else { throw AugmentError(name, "kernel size must not be negative, got \(kh)x\(kw)") }
        return BoxFilter.apply(image, kernelWidth: kw, kernelHeight: kh)
    }
}

/// `cv2.blur(image, (width, height))`: the mean over a kw×kh window anchored
/// at (kw/2, kh/2), BORDER_REFLECT_101 at any distance.
public enum BoxFilter {
    /// The box-filtered image, any channel count and bit depth. Sizes must be
    /// positive (traps otherwise); 1x1 returns the image unchanged.
    public static func apply(_ image: Image, kernelWidth kw: Int, kernelHeight kh: Int) -> Image {
        precondition(kw > 0 && kh > 0, "box size must be positive")
        let w = image.width, h = image.height, c = image.channels
        if w == 0 || h == 0 || (kw == 1 && kh == 1) { return image }
        let rowLen = w * c, area = kw * kh
        switch image.pixels {
        case .u8(let src):
            // Every sample of every row is written by the emit closures below.
            let out = [UInt8](unsafeUninitializedCapacity: h * rowLen) { ob, initialized in
                if area <= 256 {
                    // OpenCV's 16-bit sum path: a fixed-point reciprocal with 23 bits.
                    let scalef = Double(1 << 23) / Double(area)
                    var divScale = UInt32(scalef.rounded(.down))
                    var divDelta = UInt32(area / 2)
                    if scalef - Double(divScale) < 0.5 { divDelta += 1 } else { divScale += 1 }
                    // Sums of at most 256 bytes fit 16 bits, as in OpenCV's ushort path.
                    // ((s + δ)·S) >> 23 (below 2^31, no wrap) in 16-bit lanes: with
                    // S = Sh·2^16 + Sl it is (x·Sh + ⌊x·Sl / 2^16⌋) >> 7 for x = s + δ, where
                    // x < 2^16 (s ≤ 255·256, δ ≤ 129) and x·Sh + ⌊x·Sl / 2^16⌋ = ⌊x·S / 2^16⌋ < 2^16.
                    let sh = UInt16(divScale >> 16), sl = UInt16(divScale & 0xFFFF), delta = UInt16(divDelta)
                    sums(src, w, h, c, kw, kh, UInt16.self) { y, s in
                        let o = ob.baseAddress! + y * rowLen
                        for i in 0..<rowLen {
                            let x = s[i] &+ delta
                            let hi = x.multipliedFullWidth(by: sl).high
                            o[i] = UInt8(truncatingIfNeeded: (x &* sh &+ hi) >> 7)
                        }
                    }
                } else {
                    let scale = Float(1.0 / Double(area))
                    sums(src, w, h, c, kw, kh, UInt32.self) { y, s in
                        let o = ob.baseAddress! + y * rowLen
                        for i in 0..<rowLen {
                            let v = min(Float(Int32(bitPattern: s[i])) * scale, 255) + 8_388_608
                            o[i] = UInt8(truncatingIfNeeded: v.bitPattern)
                        }
                    }
                }
                initialized = h * rowLen
            }
            return Image(width: w, height: h, channels: c, pixels: .u8(out))
        case .u16(let src):
            var out = [UInt16](repeating: 0, count: h * rowLen)
            out.withUnsafeMutableBufferPointer { ob in
                let scale = 1.0 / Double(area)
                sums(src, w, h, c, kw, kh, UInt64.self) { y, s in
                    let o = ob.baseAddress! + y * rowLen
                    for i in 0..<rowLen { o[i] = UInt16(min((Double(s[i]) * scale).rounded(.toNearestOrEven), 65535)) }
                }
            }
            return Image(width: w, height: h, channels: c, pixels: .u16(out))
        }
    }

    /// Window sums, one output row at a time: row sums over a padded copy of
    /// each row, then running column sums (add the row entering the window,
    /// drop the one leaving), so the cost does not grow with the box size.
    /// Row sums are kept for the last kh + 1 source rows only (a ring indexed
    /// by row), which holds every row a window step needs; all sums wrap, so
    /// the order rows are added and dropped in does not change them.
    private static func sums<S: FixedWidthInteger & UnsignedInteger, A: FixedWidthInteger & UnsignedInteger>(
        _ src: [S], _ w: Int, _ h: Int, _ c: Int, _ kw: Int, _ kh: Int, _: A.Type,
        emit: (Int, UnsafePointer<A>) -> Void
    ) {
        let ax = kw / 2, ay = kh / 2
        let rowLen = w * c
        let columns = SeparableFilter.paddedColumns(width: w, before: ax, after: kw - 1 - ax)
        let slots = kh + 1
        var ring = [A](repeating: 0, count: slots * rowLen)
        var slotRow = [Int](repeating: -1, count: slots)
        var padded = [A](repeating: 0, count: columns.count * c)
        var colSum = [A](repeating: 0, count: rowLen)
        src.withUnsafeBufferPointer { s in
        padded.withUnsafeMutableBufferPointer { pb in
        ring.withUnsafeMutableBufferPointer { rb in
        colSum.withUnsafeMutableBufferPointer { cb in
            let p = pb.baseAddress!, acc = cb.baseAddress!
            // The row sums of source row `sy` (reflected index), computed once while in the ring.
            func rowSums(_ sy: Int) -> UnsafePointer<A> {
                let slot = sy % slots
                let o = rb.baseAddress! + slot * rowLen
                if slotRow[slot] == sy { return UnsafePointer(o) }
                slotRow[slot] = sy
                SeparableFilter.padRow(s.baseAddress! + sy * rowLen, p, width: w, channels: c, before: ax, columns: columns) { A($0) }
                // Up to 9 taps: one pass with the width a constant (taps unrolled, loop vectorised).
                @inline(__always) func taps(_ k: Int) {
                    for i in 0..<rowLen {
                        var v = p[i]
                        for t in 1..<k { v &+= p[i &+ t &* c] }
                        o[i] = v
                    }
                }
                switch kw {
                case 1: taps(1)
                case 2: taps(2)
                case 3: taps(3)
                case 4: taps(4)
                case 5: taps(5)
                case 6: taps(6)
                case 7: taps(7)
                case 8: taps(8)
                case 9: taps(9)
                case 10...16:
                    for i in 0..<rowLen { o[i] = p[i] }
                    for t in stride(from: 1, to: kw, by: 1) {
                        let q = p + t * c
                        for i in 0..<rowLen { o[i] &+= q[i] }
                    }
                default:
                    for ch in 0..<c {
                        var sum: A = 0
                        for t in 0..<kw { sum &+= p[t * c + ch] }
                        o[ch] = sum
                    }
                    let span = kw * c
                    for i in stride(from: c, to: rowLen, by: 1) {
                        o[i] = o[i - c] &+ p[i - c + span] &- p[i - c]
                    }
                }
                return UnsafePointer(o)
            }
            func source(_ y: Int) -> Int { BorderMode.reflect.index(y, h)! }
            for t in 0..<kh {
                let r = rowSums(source(t - ay))
                for i in 0..<rowLen { acc[i] &+= r[i] }
            }
            for y in 0..<h {
                emit(y, UnsafePointer(acc))
                if y + 1 < h {
                    let ly = source(y - ay), ey = source(y + 1 - ay + kh - 1)
                    if ly != ey && ly % slots == ey % slots {
                        // The entering row would take the leaving row's slot: one at a time.
                        let leave = rowSums(ly)
                        for i in 0..<rowLen { acc[i] &-= leave[i] }
                        let enter = rowSums(ey)
                        for i in 0..<rowLen { acc[i] &+= enter[i] }
                    } else {
                        let leave = rowSums(ly), enter = rowSums(ey)
                        for i in 0..<rowLen { acc[i] = acc[i] &+ enter[i] &- leave[i] }
                    }
                }
            }
        }
        }
        }
        }
    }
}
