import MedAugImage

/// Per-segment colours of an image under a segmentation: the means that
/// Superpixels paints, and the error of painting every segment.
extension SegmentationResult {
    /// The mean of every channel over every segment: `count * channels`
    /// values, segment-major. Sums are exact integers, so the mean is the
    /// correctly rounded quotient, as numpy's mean of integer samples.
    public func means(of image: Image) -> [Double] {
        precondition(image.width == width && image.height == height, "segmentation and image sizes differ")
        let c = image.channels
        var sums = [UInt64](repeating: 0, count: count * c)
        var sizes = [Int](repeating: 0, count: count)
        func accumulate<T: FixedWidthInteger>(_ a: [T]) {
            a.withUnsafeBufferPointer { px in
                labels.withUnsafeBufferPointer { lab in
                    sums.withUnsafeMutableBufferPointer { s in
                        sizes.withUnsafeMutableBufferPointer { z in
                            // The channel count as a constant, so that the inner loop unrolls.
                            switch c {
                            case 1: SegmentationResult.sum(px, lab, s, z, Channels1.self)
                            case 2: SegmentationResult.sum(px, lab, s, z, Channels2.self)
                            case 3: SegmentationResult.sum(px, lab, s, z, Channels3.self)
                            case 4: SegmentationResult.sum(px, lab, s, z, Channels4.self)
                            default:
                                for p in 0..<lab.count {
                                    let k = Int(lab[p])
                                    z[k] += 1
                                    for ch in 0..<c { s[k * c + ch] &+= UInt64(px[p * c + ch]) }
                                }
                            }
                        }
                    }
                }
            }
        }
        switch image.pixels {
        case .u8(let a): accumulate(a)
        case .u16(let a): accumulate(a)
        }
        var out = [Double](repeating: 0, count: count * c)
        for k in 0..<count where sizes[k] > 0 {
            for ch in 0..<c { out[k * c + ch] = Double(sums[k * c + ch]) / Double(sizes[k]) }
        }
        return out
    }

    /// Per-segment sample sums and sizes for `C.count` interleaved channels.
    @inline(__always)
    private static func sum<T: FixedWidthInteger, C: ChannelCount>(
        _ px: UnsafeBufferPointer<T>, _ lab: UnsafeBufferPointer<Int32>, _ s: UnsafeMutableBufferPointer<UInt64>,
        _ z: UnsafeMutableBufferPointer<Int>, _: C.Type
    ) {
        let c = C.count, n = lab.count
        guard n > 0 else { return }
        let pp = px.baseAddress!, lp = lab.baseAddress!, sp = s.baseAddress!, zp = z.baseAddress!
        for p in 0..<n {
            let k = Int(lp[p])
            precondition(k >= 0 && k < z.count)
            zp[k] &+= 1
            let o = k &* c, q = p &* c
            for ch in 0..<c { sp[o &+ ch] &+= UInt64(pp[q &+ ch]) }
        }
    }

    /// Mean-colour reconstruction error: the mean over all pixels and
    /// channels of the squared difference between the image and the image
    /// with every segment painted in its exact (unrounded) mean colour, in
    /// the image's sample units (0...255 or 0...65535). This is the sum of
    /// the segments' within-segment variances weighted by size, so it
    /// compares segmentations of one image fairly (lower is tighter).
    public func reconstructionError(of image: Image) -> Double {
        let m = means(of: image)
        let c = image.channels
        guard count > 0, labels.count > 0 else { return 0 }
        var total = 0.0
        func add<T: FixedWidthInteger>(_ a: [T]) {
            for p in 0..<labels.count {
                let k = Int(labels[p])
                for ch in 0..<c {
                    let d = Double(a[p * c + ch]) - m[k * c + ch]
                    total += d * d
                }
            }
        }
        switch image.pixels {
        case .u8(let a): add(a)
        case .u16(let a): add(a)
        }
        return total / Double(labels.count * c)
    }

    /// Segment k painted, in every channel, with its mean rounded half to
    /// even and clipped when `replace[k % replace.count]` holds; other pixels
    /// are kept. (imgaug 0.4.0 with skimage >= 0.19 paints segment k with the
    /// mean of segment k + 1; each segment gets its own mean here.)
    public func replacingSegments(of image: Image, replace: [Bool]) -> Image {
        precondition(!replace.isEmpty, "replace needs at least one entry")
        let c = image.channels
        let chosen = (0..<count).map { replace[$0 % replace.count] }
        guard chosen.contains(true) else { return image }
        let m = means(of: image)
        func paint<T: FixedWidthInteger & UnsignedInteger>(_ a: [T]) -> [T] {
            let top = Double(T.max)
            let values = m.map { T(min(max($0.rounded(.toNearestOrEven), 0), top)) }
            var out = a
            // Per segment: whether it is painted, then its values, as one row of a table.
            let row = c + 1
            var table = [T](repeating: 0, count: count * row)
            for k in 0..<count where chosen[k] {
                table[k * row] = 1
                for ch in 0..<c { table[k * row + 1 + ch] = values[k * c + ch] }
            }
            out.withUnsafeMutableBufferPointer { px in
                labels.withUnsafeBufferPointer { lab in
                    table.withUnsafeBufferPointer { tb in
                        switch c {
                        case 1: SegmentationResult.paint(px, lab, tb, Channels1.self)
                        case 2: SegmentationResult.paint(px, lab, tb, Channels2.self)
                        case 3: SegmentationResult.paint(px, lab, tb, Channels3.self)
                        case 4: SegmentationResult.paint(px, lab, tb, Channels4.self)
                        default:
                            for p in 0..<lab.count {
                                let k = Int(lab[p])
                                guard chosen[k] else { continue }
                                for ch in 0..<c { px[p * c + ch] = values[k * c + ch] }
                            }
                        }
                    }
                }
            }
            return out
        }
        var out = image
        switch image.pixels {
        case .u8(let a): out.pixels = .u8(paint(a))
        case .u16(let a): out.pixels = .u16(paint(a))
        }
        return out
    }

    /// Pixels of the segments marked in `table` (per segment: a flag, then
    /// `C.count` values) set to those values.
    @inline(__always)
    private static func paint<T: FixedWidthInteger, C: ChannelCount>(
        _ px: UnsafeMutableBufferPointer<T>, _ lab: UnsafeBufferPointer<Int32>, _ table: UnsafeBufferPointer<T>,
        _: C.Type
    ) {
        let c = C.count, row = c + 1, n = lab.count, segments = table.count / row
        guard n > 0 else { return }
        let pp = px.baseAddress!, lp = lab.baseAddress!, tp = table.baseAddress!
        for p in 0..<n {
            let k = Int(lp[p])
            precondition(k >= 0 && k < segments)
            let t = tp + k &* row
            guard t[0] != 0 else { continue }
            let q = p &* c
            for ch in 0..<c { pp[q &+ ch] = t[1 &+ ch] }
        }
    }
}
