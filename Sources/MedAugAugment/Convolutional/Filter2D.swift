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

    func run<T: BinaryInteger>(_ src: UnsafeBufferPointer<T>, _ store: (Int, UnsafePointer<Float>) -> Void) {
        ring.withUnsafeMutableBufferPointer { rb in
        acc.withUnsafeMutableBufferPointer { accBuf in
            let a = accBuf.baseAddress!
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
                }
                for (t, tap) in taps.enumerated() {
                    let s = row(BorderMode.reflect.index(y + tap.dy - ay, h)!) + tap.dx * c
                    let wt = tap.w
                    if t == 0 {
                        for i in 0..<rowLen { a[i] = wt * s[i] }
                    } else {
                        for i in 0..<rowLen { a[i] = FilterMath.fusedMultiplyAdd(wt, s[i], a[i]) }
                    }
                }
                store(y, UnsafePointer(a))
            }
        }
        }
    }

    switch image.pixels {
    case .u8(let src):
        var out = [UInt8](repeating: 0, count: h * rowLen)
        src.withUnsafeBufferPointer { sb in
            out.withUnsafeMutableBufferPointer { o in
                run(sb) { y, a in FilterMath.storeRounded(a, o.baseAddress! + y * rowLen, rowLen) }
            }
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
