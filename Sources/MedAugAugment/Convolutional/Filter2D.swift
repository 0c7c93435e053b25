import MedAugImage

/// A correlation kernel, row-major: `weights[row * width + col]`.
public struct Kernel2D: Equatable, Sendable, CustomStringConvertible {
    /// Columns (1 or more).
    public let width: Int
    /// Rows (1 or more).
    public let height: Int
    /// The `width * height` weights, row by row.
    public var weights: [Float]

    /// A kernel from row-major weights; traps when a size is not positive or
    /// the weight count is not `width * height`.
    public init(width: Int, height: Int, weights: [Float]) {
        precondition(width > 0 && height > 0, "kernel size must be positive")
        precondition(weights.count == width * height, "kernel needs \(width * height) weights, got \(weights.count)")
        self.width = width
        self.height = height
        self.weights = weights
    }

    /// From rows of equal length, top row first.
    public init(rows: [[Float]]) {
        self.init(width: rows.first?.count ?? 0, height: rows.count, weights: rows.flatMap { $0 })
    }

    /// The weight at a row and column, both counted from 0 at the top left.
    public subscript(row: Int, col: Int) -> Float { weights[row * width + col] }

    /// The weights as rows, top row first.
    public var rows: [[Float]] { (0..<height).map { Array(weights[($0 * width)..<($0 * width + width)]) } }

    /// 1 at the centre, 0 elsewhere: filtering with it changes nothing.
    public var isIdentity: Bool {
        let c = (height / 2) * width + width / 2
        return weights.indices.allSatisfy { weights[$0] == ($0 == c ? 1 : 0) }
    }

    /// The sum of the weights: 1 keeps mean brightness, 0 gives an edge map.
    public var sum: Float { weights.reduce(0, +) }

    /// The rows, one per line, as `[a, b, c]`.
    public var description: String {
        rows.map { "[" + $0.map { String($0) }.joined(separator: ", ") + "]" }.joined(separator: "\n")
    }
}

/// `cv2.filter2D(channel, -1, kernel)` on every channel: a correlation (the
/// kernel is not flipped) with the anchor at (width/2, height/2),
/// BORDER_REFLECT_101 at any distance (kernels larger than the image
/// reflect again), float accumulation, and OpenCV's saturate_cast on the way
/// back (round half to even, clip to the sample range).
///
/// Taps are summed in row-major order, skipping zeros, with fused
/// multiply-adds, as OpenCV's vectorised filter does, so results match it
/// bit for bit (checked against OpenCV 4.7 on 8- and 16-bit images).
public func filter2D(_ image: Image, _ kernel: Kernel2D) -> Image {
    let w = image.width, h = image.height, c = image.channels
    if w == 0 || h == 0 || kernel.isIdentity { return image }

    let kw = kernel.width, kh = kernel.height
    let ax = kw / 2, ay = kh / 2
    var taps: [(dy: Int, dx: Int, w: Float)] = []
    for r in 0..<kh { for q in 0..<kw where kernel[r, q] != 0 { taps.append((r, q, kernel[r, q])) } }

    let rowLen = w * c
    // Source rows as floats with the horizontal border already laid out, so
    // the tap loops below run over plain contiguous memory. A ring of kh
    // rows suffices: the rows one output row needs (reflections included)
    // never share a slot, and each source row is converted once per visit.
    let paddedLen = (w + kw - 1) * c
    let xs = (0..<(w + kw - 1)).map { BorderMode.reflect.index($0 - ax, w)! }
    var ring = [Float](repeating: 0, count: kh * paddedLen)
    var slotRow = [Int](repeating: -1, count: kh)
    var acc = [Float](repeating: 0, count: rowLen)
    let weights = taps.map { $0.w }
    var tapRows = [UnsafePointer<Float>](repeating: UnsafePointer(bitPattern: 8)!, count: max(taps.count, 1))

    func run<T: BinaryInteger>(_ src: UnsafeBufferPointer<T>, _ store: (Int, UnsafePointer<Float>) -> Void) {
        ring.withUnsafeMutableBufferPointer { rb in
        acc.withUnsafeMutableBufferPointer { accBuf in
        weights.withUnsafeBufferPointer { wb in
        tapRows.withUnsafeMutableBufferPointer { tb in
            let a = accBuf.baseAddress!, tp = tb.baseAddress!
            func row(_ sy: Int) -> UnsafePointer<Float> {
                let slot = sy % kh
                let d = rb.baseAddress! + slot * paddedLen
                if slotRow[slot] != sy {
                    slotRow[slot] = sy
                    let s = src.baseAddress! + sy * rowLen
                    for px in 0..<ax { for ch in 0..<c { d[px * c + ch] = Float(s[xs[px] * c + ch]) } }
                    let mid = d + ax * c
                    for i in 0..<rowLen { mid[i] = Float(s[i]) }
                    for px in (ax + w)..<(w + kw - 1) { for ch in 0..<c { d[px * c + ch] = Float(s[xs[px] * c + ch]) } }
                }
                return UnsafePointer(d)
            }
            for y in 0..<h {
                if taps.isEmpty {
                    for i in 0..<rowLen { a[i] = 0 }
                } else {
                    for (t, tap) in taps.enumerated() {
                        tp[t] = row(BorderMode.reflect.index(y + tap.dy - ay, h)!) + tap.dx * c
                    }
                    FilterMath.sumTaps(UnsafePointer(tp), wb.baseAddress!, taps.count, a, rowLen)
                }
                store(y, UnsafePointer(a))
            }
        }
        }
        }
        }
    }

    switch image.pixels {
    case .u8(let src):
        // Every row is stored whole, so the output starts uninitialised.
        let out = [UInt8](unsafeUninitializedCapacity: h * rowLen) { o, initialized in
            src.withUnsafeBufferPointer { sb in
                run(sb) { y, a in FilterMath.storeRounded(a, o.baseAddress! + y * rowLen, rowLen) }
            }
            initialized = h * rowLen
        }
        return Image(width: w, height: h, channels: c, pixels: .u8(out))
    case .u16(let src):
        var out = [UInt16](repeating: 0, count: h * rowLen)
        src.withUnsafeBufferPointer { sb in
            out.withUnsafeMutableBufferPointer { o in
                run(sb) { y, a in FilterMath.storeRounded(a, o.baseAddress! + y * rowLen, rowLen) }
            }
        }
        return Image(width: w, height: h, channels: c, pixels: .u16(out))
    }
}

/// Float helpers shared by the filters of the Convolutional and Blur families.
enum FilterMath {
    /// `a·b + c` rounded once, as OpenCV's filter2D sums (see `fusedMultiplyAdd`).
    @inline(__always)
    static func fusedMultiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
        MedAugAugment.fusedMultiplyAdd(a, b, c)
    }

    /// `a[i] = w0·r0[i]`, then `a[i] = fma(wt, rt[i], a[i])` for t = 1..<n, for
    /// every i < len: the taps in order, each sample's sum kept in registers
    /// across all taps (64 samples at a time in eight independent chains, so
    /// that the FMA latency overlaps; then 8 at a time, the last 8 ending at
    /// `len` — samples done twice get the same value) instead of stored after each.
    @inline(__always)
    static func sumTaps(_ rows: UnsafePointer<UnsafePointer<Float>>, _ w: UnsafePointer<Float>, _ n: Int,
                        _ a: UnsafeMutablePointer<Float>, _ len: Int) {
        typealias V = SIMD8<Float>
        var i = 0
        while i &+ 64 <= len {
            let r0 = UnsafeRawPointer(rows[0] + i), w0 = V(repeating: w[0])
            var a0 = w0 * r0.loadUnaligned(as: V.self)
            var a1 = w0 * r0.loadUnaligned(fromByteOffset: 32, as: V.self)
            var a2 = w0 * r0.loadUnaligned(fromByteOffset: 64, as: V.self)
            var a3 = w0 * r0.loadUnaligned(fromByteOffset: 96, as: V.self)
            var a4 = w0 * r0.loadUnaligned(fromByteOffset: 128, as: V.self)
            var a5 = w0 * r0.loadUnaligned(fromByteOffset: 160, as: V.self)
            var a6 = w0 * r0.loadUnaligned(fromByteOffset: 192, as: V.self)
            var a7 = w0 * r0.loadUnaligned(fromByteOffset: 224, as: V.self)
            var t = 1
            while t < n {
                let r = UnsafeRawPointer(rows[t] + i), wt = V(repeating: w[t])
                a0 = fusedMultiplyAdd8(wt, r.loadUnaligned(as: V.self), a0)
                a1 = fusedMultiplyAdd8(wt, r.loadUnaligned(fromByteOffset: 32, as: V.self), a1)
                a2 = fusedMultiplyAdd8(wt, r.loadUnaligned(fromByteOffset: 64, as: V.self), a2)
                a3 = fusedMultiplyAdd8(wt, r.loadUnaligned(fromByteOffset: 96, as: V.self), a3)
                a4 = fusedMultiplyAdd8(wt, r.loadUnaligned(fromByteOffset: 128, as: V.self), a4)
                a5 = fusedMultiplyAdd8(wt, r.loadUnaligned(fromByteOffset: 160, as: V.self), a5)
                a6 = fusedMultiplyAdd8(wt, r.loadUnaligned(fromByteOffset: 192, as: V.self), a6)
                a7 = fusedMultiplyAdd8(wt, r.loadUnaligned(fromByteOffset: 224, as: V.self), a7)
                t &+= 1
            }
            let o = UnsafeMutableRawPointer(a + i)
            o.storeBytes(of: a0, as: V.self)
            o.storeBytes(of: a1, toByteOffset: 32, as: V.self)
            o.storeBytes(of: a2, toByteOffset: 64, as: V.self)
            o.storeBytes(of: a3, toByteOffset: 96, as: V.self)
            o.storeBytes(of: a4, toByteOffset: 128, as: V.self)
            o.storeBytes(of: a5, toByteOffset: 160, as: V.self)
            o.storeBytes(of: a6, toByteOffset: 192, as: V.self)
            o.storeBytes(of: a7, toByteOffset: 224, as: V.self)
            i &+= 64
        }
        if len >= 8 {
            while i < len {
                if i &+ 8 > len { i = len &- 8 }
                var a0 = V(repeating: w[0]) * UnsafeRawPointer(rows[0] + i).loadUnaligned(as: V.self)
                var t = 1
                while t < n {
                    a0 = fusedMultiplyAdd8(V(repeating: w[t]), UnsafeRawPointer(rows[t] + i).loadUnaligned(as: V.self), a0)
                    t &+= 1
                }
                UnsafeMutableRawPointer(a + i).storeBytes(of: a0, as: V.self)
                i &+= 8
            }
        }
        while i < len {
            var v = w[0] * rows[0][i]
            var t = 1
            while t < n {
                v = fusedMultiplyAdd(w[t], rows[t][i], v)
                t &+= 1
            }
            a[i] = v
            i &+= 1
        }
    }

    /// Lane-wise `fusedMultiplyAdd`.
    @inline(__always)
    static func fusedMultiplyAdd8(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> {
        #if MEDAUG_FMA
        return c.addingProduct(a, b)
        #else
        var r = SIMD8<Float>()
        for k in 0..<8 { r[k] = fusedMultiplyAdd(a[k], b[k], c[k]) }
        return r
        #endif
    }

    /// saturate_cast<uchar>(float): clip, then round half to even. Adding 2^23
    /// makes the float's last mantissa bits the rounded integer, which keeps the
    /// loop free of checked conversions so it vectorises.
    @inline(__always)
    static func storeRounded(_ a: UnsafePointer<Float>, _ o: UnsafeMutablePointer<UInt8>, _ n: Int) {
        for i in 0..<n {
            let v = min(max(a[i], 0), 255) + 8_388_608
            o[i] = UInt8(truncatingIfNeeded: v.bitPattern)
        }
    }

    /// saturate_cast<ushort>(float), as above.
    @inline(__always)
    static func storeRounded(_ a: UnsafePointer<Float>, _ o: UnsafeMutablePointer<UInt16>, _ n: Int) {
        for i in 0..<n {
            let v = min(max(a[i], 0), 65535) + 8_388_608
            o[i] = UInt16(truncatingIfNeeded: v.bitPattern)
        }
    }
}
