import MedAugImage

/// Mirror images (exact, any channel count and bit depth).
public enum FlipKernel {
    /// Reverses the column order (imgaug's Fliplr).
    public static func horizontal(_ image: Image) -> Image {
        switch image.pixels {
        case .u8(let a): return Image(width: image.width, height: image.height, channels: image.channels, pixels: .u8(horizontal(a, image)))
        case .u16(let a): return Image(width: image.width, height: image.height, channels: image.channels, pixels: .u16(horizontal(a, image)))
        }
    }

    /// Reverses the row order (imgaug's Flipud).
    public static func vertical(_ image: Image) -> Image {
        switch image.pixels {
        case .u8(let a): return Image(width: image.width, height: image.height, channels: image.channels, pixels: .u8(vertical(a, image)))
        case .u16(let a): return Image(width: image.width, height: image.height, channels: image.channels, pixels: .u16(vertical(a, image)))
        }
    }

    static func horizontal<T: FixedWidthInteger>(_ a: [T], _ image: Image) -> [T] {
        let w = image.width, cn = image.channels
        var out = a
        a.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                for y in 0..<image.height {
                    let row = y * w * cn
                    for x in 0..<w {
                        let si = row + x * cn, di = row + (w - 1 - x) * cn
                        for k in 0..<cn { d[di + k] = s[si + k] }
                    }
                }
            }
        }
        return out
    }

    static func vertical<T: FixedWidthInteger>(_ a: [T], _ image: Image) -> [T] {
        let rowLen = image.width * image.channels, h = image.height
        var out = a
        a.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                for y in 0..<h {
                    let si = y * rowLen, di = (h - 1 - y) * rowLen
                    for i in 0..<rowLen { d[di + i] = s[si + i] }
                }
            }
        }
        return out
    }
}

/// imgaug's Fliplr: mirror left-right with probability p. The default p is 1
/// (imgaug 0.4.0's docstring still says 0): `Fliplr()` always flips.
public struct Fliplr: Augmenter {
    public var p: Probability

    public init(p: Probability = .constant(1)) { self.p = p }
    public init(_ p: Double) { self.p = .constant(p) }

    public var name: String { "Fliplr" }
    public var arguments: [(String, ConfigValue)] { [("p", p.param.config)] }

    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let flip = p.sample(&context.rng)
        context.record(name, [("flipped", flip ? "yes" : "no")])
        return flip ? FlipKernel.horizontal(image) : image
    }
}

/// imgaug's Flipud: mirror top-bottom with probability p (default 1).
public struct Flipud: Augmenter {
    public var p: Probability

    public init(p: Probability = .constant(1)) { self.p = p }
    public init(_ p: Double) { self.p = .constant(p) }

    public var name: String { "Flipud" }
    public var arguments: [(String, ConfigValue)] { [("p", p.param.config)] }

    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let flip = p.sample(&context.rng)
        context.record(name, [("flipped", flip ? "yes" : "no")])
        return flip ? FlipKernel.vertical(image) : image
    }
}
