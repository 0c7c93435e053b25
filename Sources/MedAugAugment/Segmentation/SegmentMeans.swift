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
                        for p in 0..<lab.count {
                            let k = Int(lab[p])
                            sizes[k] += 1
                            for ch in 0..<c { s[k * c + ch] &+= UInt64(px[p * c + ch]) }
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
            out.withUnsafeMutableBufferPointer { px in
                labels.withUnsafeBufferPointer { lab in
                    for p in 0..<lab.count {
                        let k = Int(lab[p])
                        guard chosen[k] else { continue }
                        for ch in 0..<c { px[p * c + ch] = values[k * c + ch] }
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
}
