import MedAugCore
import MedAugImage

/// imgaug's Rot90: rotates by k quarter turns clockwise on screen
/// (`np.rot90(image, k, axes=(1, 0))`), k drawn per image; with `keepSize`
/// (imgaug's default) a rotation that swaps width and height is resized back
/// to the input size with imgaug's default rule (area when either side
/// grows, else linear), as `ia.imresize_single_image` does.
public struct Rot90: Augmenter {
    /// Quarter turns clockwise, drawn per image (imgaug's `k`; any integer,
    /// taken modulo 4; `ALL` is the choice 0, 1, 2, 3).
    public var k: Discrete
    /// Resize a width/height-swapping rotation back to the input size (imgaug's `keep_size`).
    public var keepSize: Bool

    /// Creates the augmenter; the defaults are imgaug's `k=1, keep_size=True`.
    public init(k: Discrete = .constant(1), keepSize: Bool = true) {
        self.k = k
        self.keepSize = keepSize
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Rot90" }
    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { Rot90.table.arguments(self) }

    /// Draws k and rotates; any channel count and bit depth.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let turns = k.sample(&context.rng)
        context.record(name, [("k", String(turns))])
        return Rot90Kernel.apply(image, k: turns, keepSize: keepSize)
    }
}

/// The pixel work of ``Rot90``.
public enum Rot90Kernel {
    /// The image turned `k` quarter turns clockwise (k taken modulo 4, negative
    /// turns counter-clockwise), as `np.rot90(image, k, axes=(1, 0))`.
    public static func rotate(_ image: Image, k: Int) -> Image {
        let turns = ((k % 4) + 4) % 4
        if turns == 0 { return image }
        let w = image.width, h = image.height, c = image.channels
        let ow = turns == 2 ? w : h, oh = turns == 2 ? h : w
        func turn<T>(_ a: [T]) -> [T] {
            guard !a.isEmpty else { return a }
            var out = a
            a.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    for oy in 0..<oh {
                        for ox in 0..<ow {
                            // Source pixel for output (ox, oy).
                            let sx: Int, sy: Int
                            switch turns {
                            case 1: sx = oy; sy = h - 1 - ox          // clockwise: out[y][x] = in[H-1-x][y]
                            case 2: sx = w - 1 - ox; sy = h - 1 - oy
                            default: sx = w - 1 - oy; sy = ox         // counter-clockwise: out[y][x] = in[x][W-1-y]
                            }
                            let s = (sy * w + sx) * c, d = (oy * ow + ox) * c
                            for ch in 0..<c { dst[d + ch] = src[s + ch] }
                        }
                    }
                }
            }
            return out
        }
        switch image.pixels {
        case .u8(let a): return Image(width: ow, height: oh, channels: c, pixels: .u8(turn(a)))
        case .u16(let a): return Image(width: ow, height: oh, channels: c, pixels: .u16(turn(a)))
        }
    }

    /// Rotates, then with `keepSize` resizes a changed size back to the input's
    /// (imgaug's default interpolation rule: area when a side grows, else linear).
    public static func apply(_ image: Image, k: Int, keepSize: Bool) -> Image {
        let out = rotate(image, k: k)
        guard keepSize, out.width != image.width || out.height != image.height else { return out }
        let interpolation = Interpolation.imgaugDefault(fromWidth: out.width, fromHeight: out.height,
                                                        toWidth: image.width, toHeight: image.height)
        return out.resized(width: image.width, height: image.height, interpolation: interpolation)
    }
}
