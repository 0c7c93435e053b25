import MedAugImage

/// Pillow's built-in `ImageFilter` kernels, as imgaug's pillike Filter*
/// augmenters apply them through `Image.filter`.
public enum PillikeKernel: String, CaseIterable, Equatable, Sendable {
    /// `ImageFilter.BLUR`: a 5x5 ring of ones over 16.
    case blur = "Blur"
    /// `ImageFilter.SMOOTH`: 3x3, centre 5, over 13.
    case smooth = "Smooth"
    /// `ImageFilter.SMOOTH_MORE`: 5x5, centre 44, over 100.
    case smoothMore = "SmoothMore"
    /// `ImageFilter.EDGE_ENHANCE`: 3x3, centre 10 and -1 around, over 2.
    case edgeEnhance = "EdgeEnhance"
    /// `ImageFilter.EDGE_ENHANCE_MORE`: 3x3, centre 9 and -1 around.
    case edgeEnhanceMore = "EdgeEnhanceMore"
    /// `ImageFilter.FIND_EDGES`: 3x3 Laplacian, centre 8.
    case findEdges = "FindEdges"
    /// `ImageFilter.CONTOUR`: FIND_EDGES plus an offset of 255.
    case contour = "Contour"
    /// `ImageFilter.EMBOSS`: 3x3 diagonal difference plus 128.
    case emboss = "Emboss"
    /// `ImageFilter.SHARPEN`: 3x3, centre 32 and -2 around, over 16.
    case sharpen = "Sharpen"
    /// `ImageFilter.DETAIL`: 3x3 cross, centre 10, over 6.
    case detail = "Detail"

    /// Pillow's `filterargs`: side, divisor, offset and the weights row by row.
    public var definition: (size: Int, divisor: Float, offset: Float, weights: [Float]) {
        switch self {
        case .blur: return (5, 16, 0, [1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1])
        case .smooth: return (3, 13, 0, [1, 1, 1, 1, 5, 1, 1, 1, 1])
        case .smoothMore: return (5, 100, 0, [1, 1, 1, 1, 1, 1, 5, 5, 5, 1, 1, 5, 44, 5, 1, 1, 5, 5, 5, 1, 1, 1, 1, 1, 1])
        case .edgeEnhance: return (3, 2, 0, [-1, -1, -1, -1, 10, -1, -1, -1, -1])
        case .edgeEnhanceMore: return (3, 1, 0, [-1, -1, -1, -1, 9, -1, -1, -1, -1])
        case .findEdges: return (3, 1, 0, [-1, -1, -1, -1, 8, -1, -1, -1, -1])
        case .contour: return (3, 1, 255, [-1, -1, -1, -1, 8, -1, -1, -1, -1])
        case .emboss: return (3, 1, 128, [-1, 0, 0, 0, 1, 0, 0, 0, 0])
        case .sharpen: return (3, 16, 0, [-2, -2, -2, -2, 32, -2, -2, -2, -2])
        case .detail: return (3, 6, 0, [0, -1, 0, -1, 10, -1, 0, -1, 0])
        }
    }
}

/// Pillow's `ImagingFilter` (3x3 and 5x5) with its float32 arithmetic, so
/// that 8-bit results are Pillow's to the last value: weights are divided by
/// the divisor in float32, each kernel row is summed left to right and the
/// rows are added to `offset + 0.5` starting with the row *below* the pixel
/// (Pillow convolves, so an asymmetric kernel such as EMBOSS is flipped), the
/// sum is truncated and clipped. Border pixels the kernel does not fit around
/// (1 wide for 3x3, 2 for 5x5) are copied; an image smaller than the kernel
/// comes back unchanged. Every channel, alpha included, is filtered, as
/// Pillow does for RGBA.
///
/// 16-bit images (which imgaug refuses) get the same arithmetic clipped to
/// 0...65535, with the offset scaled by 257 so that CONTOUR and EMBOSS keep
/// their meaning.
public enum PillikeFilterKernel {
    /// Filters every channel of `image` with `kernel`.
    public static func apply(_ image: Image, _ kernel: PillikeKernel) -> Image {
        let d = kernel.definition
        let weights = d.weights.map { $0 / d.divisor }
        switch image.pixels {
        case .u8(let a):
            return Image(width: image.width, height: image.height, channels: image.channels,
                         bytes: PillikeBytes.filter(a, image.width, image.height, image.channels, d.size, weights, d.offset))
        case .u16(let a):
            return Image(width: image.width, height: image.height, channels: image.channels,
                         samples16: filter(a, image.width, image.height, image.channels, d.size, weights,
                                           d.offset * 257, 65535))
        }
    }

    /// The filtered copy of interleaved samples; `top` is the largest sample value.
    static func filter<T: FixedWidthInteger & UnsignedInteger>(_ src: [T], _ w: Int, _ h: Int, _ c: Int, _ size: Int,
                                                                _ k: [Float], _ offset: Float, _ top: Float) -> [T] {
        let r = size / 2
        guard w >= size, h >= size else { return src }
        var out = src
        let start = offset + 0.5
        let stride = w * c
        src.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                for y in r..<(h - r) {
                    for x in r..<(w - r) {
                        for ch in 0..<c {
                            var ss = start
                            // Pillow's kernel row 0 meets the image row y + r.
                            for kr in 0..<size {
                                let row = (y + r - kr) * stride
                                var sum: Float = 0
                                for kc in 0..<size {
                                    let v = Float(s[row + (x - r + kc) * c + ch]) * k[kr * size + kc]
                                    sum = kc == 0 ? v : sum + v
                                }
                                ss += sum
                            }
                            o[y * stride + x * c + ch] = ss <= 0 ? 0 : (ss >= top ? T(top) : T(ss))
                        }
                    }
                }
            }
        }
        return out
    }
}
