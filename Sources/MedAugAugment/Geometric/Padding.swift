import MedAugImage

/// imgaug's pad modes (numpy's names). constant, edge, reflect and symmetric
/// go through cv2.copyMakeBorder in imgaug, the others through np.pad.
public enum PadMode: String, Sendable, CaseIterable {
    /// `constant`: the pad value; `edge`: the nearest edge pixel repeated.
    case constant, edge
    /// A linear ramp from the edge pixel out to the pad value.
    case linearRamp = "linear_ramp"
    /// `maximum`, `mean`, `median`, `minimum`: that statistic of the row or
    /// column being extended; `reflect`: mirrored without repeating the edge;
    /// `symmetric`: mirrored with the edge repeated; `wrap`: the opposite side.
    case maximum, mean, median, minimum, reflect, symmetric, wrap

    /// The modes imgaug pads with cv2.copyMakeBorder: OpenCV's border index
    /// mapping (§1.8), which repeats periodically for pads larger than the image.
    var borderMode: BorderMode? {
        switch self {
        case .constant: return .constant
        case .edge: return .edge
        case .reflect: return .reflect
        case .symmetric: return .symmetric
        default: return nil
        }
    }
}

/// Cropping and numpy-style padding of whole images, as CropAndPad uses
/// them; any channel count and bit depth.
public enum Padding {
    /// Removes `top` rows, `right` columns and so on (amounts >= 0). Callers keep at least one pixel.
    public static func crop(_ image: Image, top: Int, right: Int, bottom: Int, left: Int) -> Image {
        let h = max(image.height - top - bottom, 0), w = max(image.width - left - right, 0)
        if top == 0 && right == 0 && bottom == 0 && left == 0 { return image }
        switch image.pixels {
        case .u8(let a): return Image(width: w, height: h, channels: image.channels, pixels: .u8(cropSamples(a, image, top, left, w, h)))
        case .u16(let a): return Image(width: w, height: h, channels: image.channels, pixels: .u16(cropSamples(a, image, top, left, w, h)))
        }
    }

    /// One copy per row into uninitialised storage: a label map is cropped with
    /// every image, and appending slices costs a retain and release per row.
    static func cropSamples<T>(_ a: [T], _ image: Image, _ top: Int, _ left: Int, _ w: Int, _ h: Int) -> [T] {
        let cn = image.channels, rowLen = image.width * cn, outRow = w * cn, count = outRow * h
        return [T](unsafeUninitializedCapacity: count) { d, initialized in
            a.withUnsafeBufferPointer { s in
                guard count > 0, let src = s.baseAddress, let dst = d.baseAddress else { return }
                for y in 0..<h {
                    (dst + y &* outRow).initialize(from: src + (top + y) &* rowLen + left &* cn, count: outRow)
                }
            }
            initialized = count
        }
    }

    /// imgaug's `pad()`: adds rows and columns (amounts >= 0) filled by `mode`;
    /// `cval` (clipped to the sample range) is the constant and linear_ramp's end value.
    public static func pad(_ image: Image, top: Int, right: Int, bottom: Int, left: Int, mode: PadMode, cval: Int) -> Image {
        if top == 0 && right == 0 && bottom == 0 && left == 0 { return image }
        let ow = image.width + left + right, oh = image.height + top + bottom
        // numpy and OpenCV both refuse to reflect an empty axis; imgaug pads it with the constant.
        let effective = (image.width == 0 || image.height == 0) ? PadMode.constant : mode
        let p = PadSpec(w: image.width, h: image.height, cn: image.channels, top: top, left: left, ow: ow, oh: oh)
        switch image.pixels {
        case .u8(let a):
            return Image(width: ow, height: oh, channels: image.channels,
                         pixels: .u8(pad(a, p, effective, UInt8(clamping: cval))))
        case .u16(let a):
            return Image(width: ow, height: oh, channels: image.channels,
                         pixels: .u16(pad(a, p, effective, UInt16(clamping: cval))))
        }
    }

    struct PadSpec {
        let w, h, cn, top, left, ow, oh: Int
    }

    static func pad<T: FixedWidthInteger & UnsignedInteger>(_ a: [T], _ p: PadSpec, _ mode: PadMode, _ cval: T) -> [T] {
        if let border = mode.borderMode {
            return padByIndex(a, p, xmap: (0..<p.ow).map { border.index($0 - p.left, p.w) },
                              ymap: (0..<p.oh).map { border.index($0 - p.top, p.h) }, cval)
        }
        if mode == .wrap {
            return padByIndex(a, p, xmap: numpyWrapMap(n: p.w, before: p.left, after: p.ow - p.w - p.left),
                              ymap: numpyWrapMap(n: p.h, before: p.top, after: p.oh - p.h - p.top), cval)
        }
        return padNumpy(a, p, mode, cval)
    }

    /// np.pad's wrap (numpy 1.23) for an axis of n values: source index per
    /// output position. numpy fills large pads in rounds, copying chunks of the
    /// area filled so far; when the two sides differ a lot this is not periodic
    /// (np.pad([1,2,3], (8, 2), "wrap") starts 1 2 3 1 2 1 2 3), so the rounds
    /// are replayed on indices.
    static func numpyWrapMap(n: Int, before: Int, after: Int) -> [Int?] {
        let total = before + n + after
        var idx = [Int](repeating: -1, count: total)
        for i in 0..<n { idx[before + i] = i }
        var left = before, right = after
        while left > 0 || right > 0 {
            let period = total - right - left
            var newLeft = 0, newRight = 0
            if left > 0 {
                let m = min(period, left)
                let chunk = Array(idx[(total - right - m)..<(total - right)])
                let start = left > period ? left - period : 0
                if left > period { newLeft = left - period }
                for i in 0..<chunk.count { idx[start + i] = chunk[i] }
            }
            if right > 0 {
                let m = min(period, right)
                let chunk = Array(idx[left..<(left + m)])
                if right > period { newRight = right - period }
                for i in 0..<chunk.count { idx[total - right + i] = chunk[i] }
            }
            left = newLeft
            right = newRight
        }
        return idx.map { $0 >= 0 ? $0 : nil }
    }

    /// Each output pixel reads source (ymap[y], xmap[x]), or cval where a map has
    /// no index; the original columns of a row are one contiguous copy.
    static func padByIndex<T: FixedWidthInteger>(_ a: [T], _ p: PadSpec, xmap: [Int?], ymap: [Int?], _ cval: T) -> [T] {
        let cn = p.cn, rowLen = p.ow * cn, srcLen = p.w * cn
        var out = [T](repeating: cval, count: p.ow * p.oh * cn)
        // (output, source) sample offsets of the side columns that copy a pixel;
        // none for the constant mode, which the masks get.
        let sides = (0..<p.ow).compactMap { x -> (Int, Int)? in
            guard x < p.left || x >= p.left + p.w, let sx = xmap[x] else { return nil }
            return (x * cn, sx * cn)
        }
        a.withUnsafeBufferPointer { sb in
            out.withUnsafeMutableBufferPointer { db in
                guard let s = sb.baseAddress, let d = db.baseAddress else { return }
                for y in 0..<p.oh {
                    guard let sy = ymap[y] else { continue }
                    let srow = s + sy * srcLen, drow = d + y * rowLen
                    (drow + p.left * cn).update(from: srow, count: srcLen)
                    for (dx, sx) in sides { (drow + dx).update(from: srow + sx, count: cn) }
                }
            }
        }
        return out
    }

    /// np.pad's modes that compute new values: axis 0 (rows) first, over the
    /// original columns only; then axis 1 over all rows, so the corners come
    /// from the already padded rows, exactly as numpy fills them.
    static func padNumpy<T: FixedWidthInteger & UnsignedInteger>(_ a: [T], _ p: PadSpec, _ mode: PadMode, _ cval: T) -> [T] {
        let cn = p.cn, rowLen = p.ow * cn, srcLen = p.w * cn
        let bottom = p.oh - p.h - p.top, right = p.ow - p.w - p.left
        var out = [T](repeating: 0, count: p.ow * p.oh * cn)
        a.withUnsafeBufferPointer { sb in
            out.withUnsafeMutableBufferPointer { db in
                guard let s = sb.baseAddress, let d = db.baseAddress else { return }
                for y in 0..<p.h { (d + (p.top + y) * rowLen + p.left * cn).update(from: s + y * srcLen, count: srcLen) }
                // Axis 0: one line per original column and channel, along the rows.
                padAxis(first: d + p.top * rowLen + p.left * cn, lines: srcLen, lineStep: 1, step: rowLen,
                        before: p.top, length: p.h, after: bottom, mode: mode, cval: cval)
                // Axis 1: one line per row (all of them) and channel, along the columns.
                for k in 0..<cn {
                    padAxis(first: d + p.left * cn + k, lines: p.oh, lineStep: rowLen, step: cn,
                            before: p.left, length: p.w, after: right, mode: mode, cval: cval)
                }
            }
        }
        return out
    }

    /// Pads `lines` lines that start `lineStep` apart at `first` (their first
    /// original sample) and run with element step `step`.
    static func padAxis<T: FixedWidthInteger & UnsignedInteger>(first: UnsafeMutablePointer<T>, lines: Int, lineStep: Int, step: Int,
                                                               before: Int, length: Int, after: Int,
                                                               mode: PadMode, cval: T) {
        guard before > 0 || after > 0, length > 0, lines > 0 else { return }
        let lastOffset = (length - 1) * step
        if mode == .linearRamp {
            // numpy's linspace switches formula when any step of the whole edge slice is 0.
            var anyZeroBefore = false, anyZeroAfter = false
            for l in 0..<lines {
                if first[l * lineStep] == cval { anyZeroBefore = true }
                if first[l * lineStep + lastOffset] == cval { anyZeroAfter = true }
            }
            let end = Double(cval)
            for l in 0..<lines {
                let line = first + l * lineStep
                let e0 = Double(line[0]), e1 = Double(line[lastOffset])
                for i in 0..<before {
                    line[(i - before) * step] = T(truncatingIfNeeded: Int(ramp(i, before, end, e0, anyZeroBefore)))
                }
                for i in 0..<after {
                    line[lastOffset + (after - i) * step] = T(truncatingIfNeeded: Int(ramp(i, after, end, e1, anyZeroAfter)))
                }
            }
            return
        }
        var seg = [Int](repeating: 0, count: mode == .median ? length : 0)
        for l in 0..<lines {
            let line = first + l * lineStep
            let v: Int
            switch mode {
            case .maximum, .minimum:
                var m = Int(line[0])
                for i in 1..<length {
                    let x = Int(line[i * step])
                    m = mode == .maximum ? max(m, x) : min(m, x)
                }
                v = m
            case .mean:
                var sum = 0
                for i in 0..<length { sum += Int(line[i * step]) }
                v = Int((Double(sum) / Double(length)).rounded(.toNearestOrEven))
            default:
                for i in 0..<length { seg[i] = Int(line[i * step]) }
                seg.sort()
                let m = length / 2
                v = length % 2 == 1 ? seg[m] : Int((Double(seg[m - 1] + seg[m]) / 2).rounded(.toNearestOrEven))
            }
            let t = T(truncatingIfNeeded: v)
            for i in 1...max(before, 1) where i <= before { line[-i * step] = t }
            for i in 1...max(after, 1) where i <= after { line[lastOffset + i * step] = t }
        }
    }

    /// numpy's `floor(linspace(end, edge, n, endpoint=False))[i]`.
    @inline(__always)
    static func ramp(_ i: Int, _ n: Int, _ start: Double, _ stop: Double, _ anyZeroStep: Bool) -> Double {
        let delta = stop - start
        let y = anyZeroStep ? (Double(i) / Double(n)) * delta : Double(i) * (delta / Double(n))
        return (y + start).rounded(.down)
    }
}
