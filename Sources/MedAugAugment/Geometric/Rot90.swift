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
        Rot90Kernel.apply(image, k: drawn(&context), keepSize: keepSize)
    }

    /// Draws k once and turns the image and its targets (imgaug: a point
    /// (x, y) goes to (h - y, x) per clockwise turn; with `keepSize` masks are
    /// resized back by nearest neighbour, heatmaps by cubic interpolation and
    /// points scaled).
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        let turns = drawn(&context)
        let image = Rot90Kernel.apply(sample.image, k: turns, keepSize: keepSize)
        guard !sample.targets.isEmpty else { return AnnotatedImage(image, targets: sample.targets) }
        let q = ((turns % 4) + 4) % 4
        let w = sample.image.width, h = sample.image.height
        var targets = sample.targets.moved(maps: { map, _ in Rot90Kernel.rotate(map, k: q) }, points: { points in
            points.map { p in
                var (x, y, hr, wr) = (p.x, p.y, Double(h), Double(w))
                for _ in 0..<q { (x, y, hr, wr) = (hr - y, x, wr, hr) }
                return Keypoint(x: x, y: y)
            }
        })
        if keepSize && q % 2 == 1 {
            targets = targets.resized(fromWidth: h, fromHeight: w, toWidth: w, toHeight: h)
        }
        return AnnotatedImage(image, targets: targets)
    }

    /// Masks, heatmaps, keypoints and boxes turn with the image.
    public var targetRule: TargetRule { .moved }

    func drawn(_ context: inout AugmentContext) -> Int {
        let turns = k.sample(&context.rng)
        context.record(name, [("k", String(turns))])
        return turns
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
        func turn<T: FixedWidthInteger>(_ a: [T]) -> [T] {
            guard !a.isEmpty else { return a }
            return [T](unsafeUninitializedCapacity: a.count) { d, initialized in
                a.withUnsafeBufferPointer { s in
                    let src = UnsafeRawPointer(s.baseAddress!), dst = UnsafeMutableRawPointer(d.baseAddress!)
                    let e = c * MemoryLayout<T>.stride
                    if turns == 2 {
                        // A half turn is the rows in reverse order, each mirrored.
                        for y in 0..<h {
                            FlipRows.horizontal(src + (h - 1 - y) * w * e, dst + y * w * e, width: w, height: 1, pixelBytes: e)
                        }
                    } else {
                        QuarterTurn.run(src, dst, width: w, height: h, pixelBytes: e, clockwise: turns == 1)
                    }
                }
                initialized = a.count
            }
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

/// Quarter turns on raw pixels: output rows are source columns, so the work
/// goes in square tiles whose source rows stay in the L1 cache while every
/// output row of the tile is written front to back. Pixels of 2, 4, 6 and
/// 8 bytes move as one value each; 8-bit RGB as 4-byte loads and stores
/// whose spare byte the next pixel overwrites (exact 3-byte copies at the
/// end of each output row and on the last one, where that byte would land
/// on finished output or read past the source); 1-byte pixels as 16x16
/// vector transposes (`oneByte`, Rot90Bytes.swift).
enum QuarterTurn {
    static let tile = 32

    /// `dst` (height x width, i.e. `h` pixels wide) becomes `src` (w x h) turned
    /// a quarter clockwise (`out[y][x] = in[h-1-x][y]`) or counter-clockwise
    /// (`out[y][x] = in[x][w-1-y]`).
    static func run(_ s: UnsafeRawPointer, _ d: UnsafeMutableRawPointer, width w: Int, height h: Int,
                    pixelBytes e: Int, clockwise: Bool) {
        switch e {
        case 1: oneByte(s, d, w, h, clockwise)
        case 2: tiles(s, d, w, h, clockwise, UInt16.self)
        case 3: rgb(s, d, w, h, clockwise)
        case 4: tiles(s, d, w, h, clockwise, UInt32.self)
        case 6: tiles(s, d, w, h, clockwise, (UInt16, UInt16, UInt16).self)
        case 8: tiles(s, d, w, h, clockwise, UInt64.self)
        default: bytes(s, d, w, h, e, clockwise)
        }
    }

    /// Where output pixel (ox, oy) comes from, in source pixels, and the step
    /// between the sources of neighbouring output pixels of a row.
    @inline(__always)
    static func source(_ ox: Int, _ oy: Int, _ w: Int, _ h: Int, _ clockwise: Bool) -> (Int, Int) {
        clockwise ? ((h &- 1 &- ox) &* w &+ oy, -w) : (ox &* w &+ (w &- 1 &- oy), w)
    }

    @inline(__always)
    static func tiles<P: BitwiseCopyable>(_ s: UnsafeRawPointer, _ d: UnsafeMutableRawPointer, _ w: Int, _ h: Int, _ clockwise: Bool,
                         _: P.Type) {
        let e = MemoryLayout<P>.size, ow = h, oh = w
        var oy0 = 0
        while oy0 < oh {
            let oy1 = Swift.min(oy0 &+ tile, oh)
            var ox0 = 0
            while ox0 < ow {
                let ox1 = Swift.min(ox0 &+ tile, ow)
                for oy in oy0..<oy1 {
                    let (first, step) = source(ox0, oy, w, h, clockwise)
                    var si = first &* e
                    let se = step &* e
                    var di = (oy &* ow &+ ox0) &* e
                    for _ in ox0..<ox1 {
                        d.storeBytes(of: s.loadUnaligned(fromByteOffset: si, as: P.self), toByteOffset: di, as: P.self)
                        si &+= se
                        di &+= e
                    }
                }
                ox0 = ox1
            }
            oy0 = oy1
        }
    }

    static func rgb(_ s: UnsafeRawPointer, _ d: UnsafeMutableRawPointer, _ w: Int, _ h: Int, _ clockwise: Bool) {
        let ow = h, oh = w
        @inline(__always) func exact(_ si: Int, _ di: Int) {
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: si, as: UInt16.self), toByteOffset: di, as: UInt16.self)
            d.storeBytes(of: s.load(fromByteOffset: si &+ 2, as: UInt8.self), toByteOffset: di &+ 2, as: UInt8.self)
        }
        var oy0 = 0
        while oy0 < oh {
            let oy1 = Swift.min(oy0 &+ tile, oh)
            var ox0 = 0
            while ox0 < ow {
                let ox1 = Swift.min(ox0 &+ tile, ow)
                for oy in oy0..<oy1 {
                    let (first, step) = source(ox0, oy, w, h, clockwise)
                    var si = first &* 3
                    let se = step &* 3
                    var di = (oy &* ow &+ ox0) &* 3
                    // The row's last pixel, and all of the last row, copy exactly 3 bytes.
                    let wide = oy == oh &- 1 ? ox0 : (ox1 == ow ? ox1 &- 1 : ox1)
                    var ox = ox0
                    while ox < wide {
                        d.storeBytes(of: s.loadUnaligned(fromByteOffset: si, as: UInt32.self), toByteOffset: di, as: UInt32.self)
                        si &+= se
                        di &+= 3
                        ox &+= 1
                    }
                    while ox < ox1 {
                        exact(si, di)
                        si &+= se
                        di &+= 3
                        ox &+= 1
                    }
                }
                ox0 = ox1
            }
            oy0 = oy1
        }
    }

    /// Any other pixel size, byte by byte.
    static func bytes(_ s: UnsafeRawPointer, _ d: UnsafeMutableRawPointer, _ w: Int, _ h: Int, _ e: Int, _ clockwise: Bool) {
        let ow = h, oh = w
        for oy in 0..<oh {
            for ox in 0..<ow {
                let si = source(ox, oy, w, h, clockwise).0 &* e, di = (oy &* ow &+ ox) &* e
                for k in 0..<e {
                    d.storeBytes(of: s.load(fromByteOffset: si &+ k, as: UInt8.self), toByteOffset: di &+ k, as: UInt8.self)
                }
            }
        }
    }
}
