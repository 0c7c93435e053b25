import MedAugCore
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
        let w = image.width, h = image.height, cn = image.channels
        guard w > 1, h > 0, cn > 0, !a.isEmpty else { return a }
        return [T](unsafeUninitializedCapacity: a.count) { d, initialized in
            a.withUnsafeBufferPointer { s in
                let e = cn &* MemoryLayout<T>.stride
                FlipRows.horizontal(UnsafeRawPointer(s.baseAddress!), UnsafeMutableRawPointer(d.baseAddress!),
                                    width: w, height: h, pixelBytes: e)
            }
            initialized = a.count
        }
    }

    static func vertical<T: FixedWidthInteger>(_ a: [T], _ image: Image) -> [T] {
        let rowLen = image.width * image.channels, h = image.height
        guard !a.isEmpty else { return a }
        return [T](unsafeUninitializedCapacity: a.count) { d, initialized in
            a.withUnsafeBufferPointer { s in
                for y in 0..<h {
                    (d.baseAddress! + (h - 1 - y) * rowLen).initialize(from: s.baseAddress! + y * rowLen, count: rowLen)
                }
            }
            initialized = a.count
        }
    }
}

/// Row mirroring on raw bytes. Pixels of 1, 2, 4 and 8 bytes are reversed 16
/// bytes at a time (one vector load, a lane reversal, one aligned store); 8-bit RGB
/// five pixels per store (`rgbRows`); 16-bit RGB 48 bytes at a time;
/// whatever is left of a row, and other pixel sizes, one pixel at a time.
enum FlipRows {
    static func horizontal(_ s: UnsafeRawPointer, _ d: UnsafeMutableRawPointer, width w: Int, height h: Int, pixelBytes e: Int) {
        switch e {
        case 1: lanes(s, d, w, h, SIMD16<UInt8>.self) { v in
            SIMD16(v[15], v[14], v[13], v[12], v[11], v[10], v[9], v[8], v[7], v[6], v[5], v[4], v[3], v[2], v[1], v[0])
        }
        case 2: lanes(s, d, w, h, SIMD8<UInt16>.self) { v in SIMD8(v[7], v[6], v[5], v[4], v[3], v[2], v[1], v[0]) }
        case 4: lanes(s, d, w, h, SIMD4<UInt32>.self) { v in SIMD4(v[3], v[2], v[1], v[0]) }
        case 8: lanes(s, d, w, h, SIMD2<UInt64>.self) { v in SIMD2(v[1], v[0]) }
        case 3: rgbRows(s, d, width: w, height: h)
        case 6: triples(s, d, w, h, SIMD8<UInt16>.self) { v in SIMD8(v[7], v[6], v[5], v[4], v[3], v[2], v[1], v[0]) }
        default:
            for y in 0..<h {
                let row = y &* w &* e
                pixels(s + row, d + row, w, e, from: 0, to: w)
            }
        }
    }

    /// Copies source pixels `from..<to` of one row to their mirrored places.
    @inline(__always)
    static func pixels(_ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer, _ w: Int, _ e: Int, from: Int, to: Int) {
        var x = from
        while x < to {
            let si = x &* e, di = (w &- 1 &- x) &* e
            for k in 0..<e { dst.storeBytes(of: src.load(fromByteOffset: si &+ k, as: UInt8.self), toByteOffset: di &+ k, as: UInt8.self) }
            x &+= 1
        }
    }

    /// One pixel per lane: `V.scalarCount` pixels per vector. The stores go to
    /// addresses that are multiples of the vector size: with the rows' own
    /// alignment about a quarter of them would straddle two cache lines, which
    /// doubled the time of a 1-byte row (a label map's); the loads stay unaligned.
    @inline(__always)
    static func lanes<V: SIMD>(_ s: UnsafeRawPointer, _ d: UnsafeMutableRawPointer, _ w: Int, _ h: Int, _: V.Type,
                               _ reverse: (V) -> V) {
        let n = V.scalarCount, size = MemoryLayout<V>.size, e = size / n
        let rowBytes = w &* e
        for y in 0..<h {
            let src = s + y &* rowBytes, dst = d + y &* rowBytes
            guard w >= n else {
                pixels(src, dst, w, e, from: 0, to: w)
                continue
            }
            // Output pixels o..<o+n come from source pixels w-n-o..<w-o.
            @inline(__always) func block(_ o: Int) {
                let v = src.loadUnaligned(fromByteOffset: (w &- n &- o) &* e, as: V.self)
                dst.storeBytes(of: reverse(v), toByteOffset: o &* e, as: V.self)
            }
            // The row's first and last blocks may overlap the aligned ones
            // (the same bytes written twice).
            block(0)
            var o = (size &- (Int(bitPattern: dst) & (size &- 1))) / e
            while o &+ n <= w {
                block(o)
                o &+= n
            }
            block(w &- n)
        }
    }

    /// 8-bit RGB. Any 16 output bytes come from 18 source bytes, so instead
    /// of filling whole vectors each store writes five whole pixels (15
    /// bytes) from one load and one byte shuffle (pshufb where available);
    /// its 16th byte is garbage that the next store, further along the row,
    /// overwrites. The first store of a row takes its pixels from a load one
    /// byte earlier and the last from two loads, so no access leaves the row.
    static func rgbRows(_ s: UnsafeRawPointer, _ d: UnsafeMutableRawPointer, width w: Int, height h: Int) {
        typealias V = SIMD16<UInt8>
        let rb = w &* 3
        if w < 6 {
            for y in 0..<h { pixels(s + y &* rb, d + y &* rb, w, 3, from: 0, to: w) }
            return
        }
        // Five pixels loaded at their first byte, in reverse order in bytes 0..<15.
        @inline(__always) func rev5(_ v: V) -> V {
            V(v[12], v[13], v[14], v[9], v[10], v[11], v[6], v[7], v[8], v[3], v[4], v[5], v[0], v[1], v[2], v[15])
        }
        // The same from a load one byte before the first pixel.
        @inline(__always) func rev5s(_ v: V) -> V {
            V(v[13], v[14], v[15], v[10], v[11], v[12], v[7], v[8], v[9], v[4], v[5], v[6], v[1], v[2], v[3], v[0])
        }
        // A row's last 16 output bytes from source bytes 0..<18 (a: 0..<16, b: 2..<18).
        @inline(__always) func tail16(_ a: V, _ b: V) -> V {
            V(b[15], a[12], a[13], a[14], a[9], a[10], a[11], a[6], a[7], a[8], a[3], a[4], a[5], a[0], a[1], a[2])
        }
        let end = rb &- 16
        for y in 0..<h {
            let src = s + y &* rb, dst = d + y &* rb
            dst.storeBytes(of: rev5s(src.loadUnaligned(fromByteOffset: end, as: V.self)), as: V.self)
            // o: the next output byte; i: where its five source pixels start.
            var o = 15, i = rb &- 30
            while o &+ 45 <= end {
                let v0 = src.loadUnaligned(fromByteOffset: i, as: V.self)
                let v1 = src.loadUnaligned(fromByteOffset: i &- 15, as: V.self)
                let v2 = src.loadUnaligned(fromByteOffset: i &- 30, as: V.self)
                let v3 = src.loadUnaligned(fromByteOffset: i &- 45, as: V.self)
                dst.storeBytes(of: rev5(v0), toByteOffset: o, as: V.self)
                dst.storeBytes(of: rev5(v1), toByteOffset: o &+ 15, as: V.self)
                dst.storeBytes(of: rev5(v2), toByteOffset: o &+ 30, as: V.self)
                dst.storeBytes(of: rev5(v3), toByteOffset: o &+ 45, as: V.self)
                o &+= 60; i &-= 60
            }
            while o <= end {
                dst.storeBytes(of: rev5(src.loadUnaligned(fromByteOffset: i, as: V.self)), toByteOffset: o, as: V.self)
                o &+= 15; i &-= 15
            }
            dst.storeBytes(of: tail16(src.loadUnaligned(as: V.self), src.loadUnaligned(fromByteOffset: 2, as: V.self)),
                           toByteOffset: end, as: V.self)
        }
    }

    /// Three lanes per pixel (RGB): `V.scalarCount` pixels per block of three
    /// vectors. Output lane j of a block (j = 3q + c) takes input lane
    /// 3n - 3 - j + 2c, so each output vector is one reversal of three
    /// unaligned loads, each masked to the lanes of one channel. The loads
    /// reach two lanes either side of the block, so blocks keep one pixel
    /// away from both ends of the row.
    @inline(__always)
    static func triples<V: SIMD>(_ s: UnsafeRawPointer, _ d: UnsafeMutableRawPointer, _ w: Int, _ h: Int, _: V.Type,
                                 _ reverse: (V) -> V) where V.Scalar: FixedWidthInteger {
        let n = V.scalarCount, lane = MemoryLayout<V.Scalar>.stride, e = 3 &* lane
        let rowBytes = w &* e
        // masks[3i + k]: lanes m of load k (offset 3n - 3 + 2k - n*i - (n-1)) that feed output lane
        // n - 1 - m of vector i, i.e. those with (n*i + n - 1 - m) % 3 == k.
        var masks = [V](repeating: V(), count: 9)
        for i in 0..<3 {
            for k in 0..<3 {
                var m = V()
                for l in 0..<n where (n * i + n - 1 - l) % 3 == k { m[l] = ~V.Scalar.zero }
                masks[3 * i + k] = m
            }
        }
        masks.withUnsafeBufferPointer { mb in
            let mk = mb.baseAddress!
            for y in 0..<h {
                let src = s + y &* rowBytes, dst = d + y &* rowBytes
                @inline(__always) func block(_ x: Int) {
                    let blockSrc = src + x &* 3 &* lane
                    let blockDst = dst + (w &- n &- x) &* e
                    for i in 0..<3 {
                        let base = (3 &* n &- 3 &- n &* i &- (n &- 1)) &* lane
                        let v0 = blockSrc.loadUnaligned(fromByteOffset: base, as: V.self) & mk[3 &* i]
                        let v1 = blockSrc.loadUnaligned(fromByteOffset: base &+ 2 &* lane, as: V.self) & mk[3 &* i &+ 1]
                        let v2 = blockSrc.loadUnaligned(fromByteOffset: base &+ 4 &* lane, as: V.self) & mk[3 &* i &+ 2]
                        blockDst.storeBytes(of: reverse(v0 | v1 | v2), toByteOffset: i &* MemoryLayout<V>.size, as: V.self)
                    }
                }
                var x = 1
                while x &+ n < w {
                    block(x)
                    x &+= n
                }
                // The rest as one more block overlapping the last (same bytes written twice).
                if x < w &- 1 && w &- 1 &- n >= 1 { block(w &- 1 &- n); x = w &- 1 }
                pixels(src, dst, w, e, from: 0, to: 1)
                pixels(src, dst, w, e, from: x, to: w)
            }
        }
    }
}

/// imgaug's Fliplr: mirror left-right with probability p. The default p is 1
/// (imgaug 0.4.0's docstring still says 0): `Fliplr()` always flips.
public struct Fliplr: Augmenter {
    /// The chance that an image is mirrored, in 0...1 (imgaug's `p`).
    public var p: Probability

    /// Creates the augmenter; the default p = 1 flips every image.
    public init(p: Probability = .constant(1)) { self.p = p }
    /// Flips each image with probability `p`.
    public init(_ p: Double) { self.p = .constant(p) }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Fliplr" }
    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { Fliplr.table.arguments(self) }

    /// Draws whether to flip and mirrors the columns if so.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        drawn(&context) ? FlipKernel.horizontal(image) : image
    }

    /// Draws once and mirrors the image, its maps and its points (imgaug:
    /// x becomes x minus width; boxes are re-fitted around the mirrored corners).
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        guard drawn(&context) else { return sample }
        let size = Double(sample.image.width)
        let targets = sample.targets.moved(maps: { map, _ in FlipKernel.horizontal(map) },
                                           points: { $0.map { Keypoint(x: size - $0.x, y: $0.y) } })
        return AnnotatedImage(FlipKernel.horizontal(sample.image), targets: targets)
    }

    /// Masks, heatmaps, keypoints and boxes are mirrored with the image.
    public var targetRule: TargetRule { .moved }

    func drawn(_ context: inout AugmentContext) -> Bool {
        let flip = p.sample(&context.rng)
        context.record(name, [("flipped", flip ? "yes" : "no")])
        return flip
    }
}

/// imgaug's Flipud: mirror top-bottom with probability p (default 1).
public struct Flipud: Augmenter {
    /// The chance that an image is mirrored, in 0...1 (imgaug's `p`).
    public var p: Probability

    /// Creates the augmenter; the default p = 1 flips every image.
    public init(p: Probability = .constant(1)) { self.p = p }
    /// Flips each image with probability `p`.
    public init(_ p: Double) { self.p = .constant(p) }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Flipud" }
    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { Flipud.table.arguments(self) }

    /// Draws whether to flip and mirrors the rows if so.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        drawn(&context) ? FlipKernel.vertical(image) : image
    }

    /// Draws once and mirrors the image, its maps and its points (imgaug:
    /// y becomes y minus height; boxes are re-fitted around the mirrored corners).
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        guard drawn(&context) else { return sample }
        let size = Double(sample.image.height)
        let targets = sample.targets.moved(maps: { map, _ in FlipKernel.vertical(map) },
                                           points: { $0.map { Keypoint(x: $0.x, y: size - $0.y) } })
        return AnnotatedImage(FlipKernel.vertical(sample.image), targets: targets)
    }

    /// Masks, heatmaps, keypoints and boxes are mirrored with the image.
    public var targetRule: TargetRule { .moved }

    func drawn(_ context: inout AugmentContext) -> Bool {
        let flip = p.sample(&context.rng)
        context.record(name, [("flipped", flip ? "yes" : "no")])
        return flip
    }
}
