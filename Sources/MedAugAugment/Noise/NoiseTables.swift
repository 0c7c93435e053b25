import Foundation
import MedAugImage

/// A discrete distribution over small integers, sampled by Walker's alias
/// method with one 32-bit uniform per draw.
///
/// On 8-bit images every noise value ends up an integer offset in
/// -255...255 (imgaug rounds it and limits it before the saturating add), and
/// its distribution is fixed per image (loc and scale, or λ, are drawn once),
/// so building that distribution once and drawing from it is exact up to the
/// 2^-32 resolution of the uniforms, and far cheaper than a continuous sampler
/// followed by rounding.
struct NoiseAliasTable: Sendable {
    /// One bucket: its own value is taken when the uniform's low word is below `threshold`, else `alias`.
    struct Entry: Sendable {
        var threshold: UInt32
        var value: Int16
        var alias: Int16
    }

    let entries: [Entry]

    /// `values[i]` with probability proportional to `weights[i]`; weights that
    /// cannot change a 32-bit draw are dropped. At least one weight must be positive.
    init(values: [Int], weights: [Double]) {
        precondition(values.count == weights.count && !values.isEmpty)
        let total = weights.reduce(0, +)
        precondition(total > 0, "a distribution needs positive mass")
        var vs: [Int16] = [], ps: [Double] = []
        for (v, w) in zip(values, weights) where w / total > 0x1p-40 {
            vs.append(Int16(v))
            ps.append(w / total)
        }
        let n = vs.count
        let kept = ps.reduce(0, +)
        // Vose's construction: scaled weights below 1 are topped up from one above 1.
        var q = ps.map { $0 / kept * Double(n) }
        var small: [Int] = [], large: [Int] = []
        for i in 0..<n { if q[i] < 1 { small.append(i) } else { large.append(i) } }
        var entries = vs.map { Entry(threshold: .max, value: $0, alias: $0) }
        while let s = small.last, let l = large.last {
            small.removeLast()
            large.removeLast()
            entries[s].threshold = UInt32(min((q[s] * 0x1p32).rounded(), Double(UInt32.max)))
            entries[s].alias = vs[l]
            q[l] -= 1 - q[s]
            if q[l] < 1 { small.append(l) } else { large.append(l) }
        }
        // Leftovers are full buckets up to rounding; threshold .max with alias == value keeps them exact.
        self.entries = entries
    }

    /// A single value with certainty.
    init(constant v: Int) {
        entries = [Entry(threshold: .max, value: Int16(v), alias: Int16(v))]
    }

    /// The distribution of `X` rounded to an integer and limited to
    /// `bound.lowerBound...bound.upperBound`, for `X` with CDF `cdf`, looking
    /// only at `support` (mass outside it is lumped into its ends, so tails
    /// cut there must be negligible unless the cut is the limit itself).
    static func rounded(_ support: ClosedRange<Double>, limit: ClosedRange<Int>, cdf: (Double) -> Double) -> NoiseAliasTable {
        // Clamped in Double first so that no bound can overflow Int.
        let l = Double(limit.lowerBound), u = Double(limit.upperBound)
        let lo = Int(min(max(support.lowerBound.rounded(.down), l), u))
        let hi = Int(max(min(support.upperBound.rounded(.up), u), l))
        if lo >= hi { return NoiseAliasTable(constant: lo) }
        var values: [Int] = [], weights: [Double] = []
        var below = 0.0
        for k in lo...hi {
            let above = k == hi ? 1 : cdf(Double(k) + 0.5)
            values.append(k)
            weights.append(max(above - below, 0))
            below = above
        }
        return NoiseAliasTable(values: values, weights: weights)
    }

    /// imgaug's 8-bit Gaussian offset: round(Normal(loc, scale)) limited to ±255.
    static func gaussian8(loc: Double, scale: Double) -> NoiseAliasTable {
        if !(scale > 0) { return NoiseAliasTable(constant: clampedOffset(loc)) }
        let r = 12 * scale
        return rounded((loc - r)...(loc + r), limit: -255...255) { x in
            0.5 * erfc((loc - x) / (scale * 2.0.squareRoot()))
        }
    }

    /// imgaug's 8-bit Laplace offset: round(Laplace(loc, scale)) limited to ±255.
    static func laplace8(loc: Double, scale: Double) -> NoiseAliasTable {
        if !(scale > 0) { return NoiseAliasTable(constant: clampedOffset(loc)) }
        let r = 45 * scale
        return rounded((loc - r)...(loc + r), limit: -255...255) { x in
            x < loc ? 0.5 * exp((x - loc) / scale) : 1 - 0.5 * exp((loc - x) / scale)
        }
    }

    /// imgaug's `RandomSign(Poisson(lam))` limited to ±255 (beyond that the
    /// saturating 8-bit add gives the same result): 0 with e^-λ, ±k with pmf(k)/2.
    static func signedPoisson8(lam: Double) -> NoiseAliasTable {
        guard lam > 0 else { return NoiseAliasTable(constant: 0) }
        var values: [Int] = [0], weights: [Double] = [exp(-lam)]
        var total = weights[0]
        let logLam = log(lam)
        for k in 1...254 {
            let pk = exp(Double(k) * logLam - lam - lgamma(Double(k + 1)))
            total += pk
            values += [k, -k]
            weights += [pk / 2, pk / 2]
        }
        let tail = max(1 - total, 0)
        values += [255, -255]
        weights += [tail / 2, tail / 2]
        return NoiseAliasTable(values: values, weights: weights)
    }

    /// imgaug's salt-and-pepper value on 8-bit images: round(255 · Beta(0.5, 0.5)),
    /// whose CDF is (2/π)·asin(√x).
    static let arcsine8: NoiseAliasTable = rounded(0...255, limit: 0...255) { x in
        let t = x / 255
        return t <= 0 ? 0 : t >= 1 ? 1 : 2 / Double.pi * asin(t.squareRoot())
    }

    /// A constant offset as the 8-bit add treats it: rounded half to even, limited to ±255.
    static func clampedOffset(_ v: Double) -> Int {
        let r = Float(v).rounded(.toNearestOrEven)
        return r.isNaN ? 0 : Int(min(max(r, -255), 255))
    }
}

extension NoiseAliasTable.Entry {
    /// The value for one 32-bit uniform: its high part (times the bucket
    /// count) picks the bucket, the low word decides between value and alias.
    @inline(__always)
    static func draw(_ e: UnsafeBufferPointer<NoiseAliasTable.Entry>, _ n: UInt64, _ u: UInt32) -> Int32 {
        let m = UInt64(u) &* n
        let b = e[Int(truncatingIfNeeded: m >> 32)]
        return UInt32(truncatingIfNeeded: m) < b.threshold ? Int32(b.value) : Int32(b.alias)
    }
}

/// The fused 8-bit noise passes: draws straight into the output, no value
/// arrays, no masks.
enum NoiseFast {
    @inline(__always)
    static func saturate(_ v: Int32) -> UInt8 { UInt8(truncatingIfNeeded: min(max(v, 0), 255)) }

    /// `image` plus one offset from `table` per sample (`perSample`) or per
    /// pixel (shared by its channels), saturated at 0 and 255.
    static func add8(_ image: Image, _ table: NoiseAliasTable, perSample: Bool, _ rng: inout AugmentRandom) -> Image {
        guard case .u8(let src) = image.pixels else { preconditionFailure("8-bit images only") }
        let span = perSample ? 1 : image.channels
        let count = src.count
        var g = rng
        defer { rng = g }
        let dst = [UInt8](unsafeUninitializedCapacity: count) { o, initialized in
            src.withUnsafeBufferPointer { s in
                table.entries.withUnsafeBufferPointer { e in
                    let n = UInt64(e.count)
                    if span == 1 {
                        // Two samples per 64-bit word.
                        var i = 0
                        while i + 2 <= count {
                            let r = g.next()
                            let d0 = NoiseAliasTable.Entry.draw(e, n, UInt32(truncatingIfNeeded: r))
                            let d1 = NoiseAliasTable.Entry.draw(e, n, UInt32(truncatingIfNeeded: r >> 32))
                            o[i] = saturate(Int32(s[i]) + d0)
                            o[i + 1] = saturate(Int32(s[i + 1]) + d1)
                            i += 2
                        }
                        if i < count {
                            let d = NoiseAliasTable.Entry.draw(e, n, UInt32(truncatingIfNeeded: g.next()))
                            o[i] = saturate(Int32(s[i]) + d)
                        }
                    } else {
                        var i = 0
                        var word: UInt64 = 0, left = false
                        while i < count {
                            let u: UInt32
                            if left { u = UInt32(truncatingIfNeeded: word >> 32); left = false } else {
                                word = g.next(); u = UInt32(truncatingIfNeeded: word); left = true
                            }
                            let d = NoiseAliasTable.Entry.draw(e, n, u)
                            for ch in 0..<span { o[i + ch] = saturate(Int32(s[i + ch]) + d) }
                            i += span
                        }
                    }
                }
            }
            initialized = count
        }
        var out = image
        out.pixels = .u8(dst)
        return out
    }

    /// `image` times one Uniform(lo, hi) factor per sample (`perSample`) or
    /// per pixel (shared by its channels), in float32, clipped to 0...255 and
    /// truncated as `NoiseKernel.multiply`. Each factor takes half a 64-bit
    /// word of the stream, so it is drawn in place.
    static func multiplyUniform8(_ image: Image, lo: Double, hi: Double, perSample: Bool,
                                 _ rng: inout AugmentRandom) -> Image {
        guard case .u8(let src) = image.pixels else { preconditionFailure("8-bit images only") }
        let span = perSample ? 1 : image.channels
        let count = src.count
        let base = Float(lo), width = Float(hi - lo)
        var g = rng
        defer { rng = g }
        let dst = [UInt8](unsafeUninitializedCapacity: count) { o, initialized in
            src.withUnsafeBufferPointer { s in
                // The channel count as a literal lets the compiler unroll the per-pixel loop.
                switch span {
                case 1: multiplyPass(s, o, span: 1, base, width, &g)
                case 3: multiplyPass(s, o, span: 3, base, width, &g)
                case 4: multiplyPass(s, o, span: 4, base, width, &g)
                default: multiplyPass(s, o, span: span, base, width, &g)
                }
            }
            initialized = count
        }
        var out = image
        out.pixels = .u8(dst)
        return out
    }

    @inline(__always)
    static func multiplyPass(_ s: UnsafeBufferPointer<UInt8>, _ o: UnsafeMutableBufferPointer<UInt8>, span: Int,
                             _ base: Float, _ width: Float, _ g: inout AugmentRandom) {
        // U on a 2^-24 grid, exact in float32.
        @inline(__always) func factor(_ u: UInt32) -> Float { base + width * (Float(u >> 8) * 0x1p-24) }
        @inline(__always) func scaled(_ x: UInt8, _ m: Float) -> UInt8 {
            let v = Float(x) * m
            // NaN and negatives go to 0 as in NoiseKernel.multiply; then truncation.
            return UInt8(truncatingIfNeeded: Int32(v > 0 ? min(v, 255) : 0))
        }
        let units = s.count / span
        var j = 0
        while j + 2 <= units {
            let r = g.next()
            let m0 = factor(UInt32(truncatingIfNeeded: r)), m1 = factor(UInt32(truncatingIfNeeded: r >> 32))
            let k = j * span
            for ch in 0..<span {
                o[k + ch] = scaled(s[k + ch], m0)
                o[k + span + ch] = scaled(s[k + span + ch], m1)
            }
            j += 2
        }
        if j < units {
            let m = factor(UInt32(truncatingIfNeeded: g.next()))
            for ch in 0..<span { o[j * span + ch] = scaled(s[j * span + ch], m) }
        }
    }

    /// Replaces each unit (pixel or sample) with probability `p`, writing the
    /// replacement into all `span` samples of a unit. The gaps between
    /// replaced units are drawn as Geometric(p) (P(gap ≥ g) = (1-p)^g), so
    /// the work follows the number of replacements, not the image size.
    static func sprinkle<T>(_ a: inout [T], p: Double, span: Int, _ rng: inout AugmentRandom,
                            _ value: (inout AugmentRandom) -> T) {
        guard p > 0, span > 0 else { return }
        let units = a.count / span
        var g = rng
        defer { rng = g }
        a.withUnsafeMutableBufferPointer { o in
            if p >= 1 {
                for j in 0..<units {
                    let v = value(&g)
                    for ch in 0..<span { o[j * span + ch] = v }
                }
                return
            }
            let logKeep = log1p(-p)
            var j = 0
            while j < units {
                // U in (0, 1] so that log never sees 0.
                let u = Double((g.next() >> 11) + 1) * 0x1p-53
                let gap = log(u) / logKeep
                if !(gap < Double(units - j)) { break }
                j += Int(gap)
                let v = value(&g)
                for ch in 0..<span { o[j * span + ch] = v }
                j += 1
            }
        }
    }

    /// Salt-and-pepper replacement: each pixel (or, `perSample`, each sample)
    /// with probability p gets round(Beta(0.5, 0.5) · maximum).
    static func saltAndPepper(_ image: Image, p: Double, perSample: Bool, _ rng: inout AugmentRandom) -> Image {
        let span = perSample ? 1 : image.channels
        var out = image
        switch image.pixels {
        case .u8(var a):
            table8 { e, n in
                sprinkle(&a, p: p, span: span, &rng) { g in
                    UInt8(truncatingIfNeeded: NoiseAliasTable.Entry.draw(e, n, UInt32(truncatingIfNeeded: g.next())))
                }
            }
            out.pixels = .u8(a)
        case .u16(var a):
            sprinkle(&a, p: p, span: span, &rng, arcsine16)
            out.pixels = .u16(a)
        }
        return out
    }

    /// CoarseSaltAndPepper's replacement: `cells` (hs x ws x c, c 1 or the
    /// image's channel count) enlarged with cv2's nearest rule (as
    /// `DropoutMask.upscaleNearest`), each flagged cell's rectangle filled
    /// directly, every pixel (c = 1) or sample (c = channels) with its own value.
    static func coarseSaltAndPepper(_ image: Image, cells: [UInt8], width ws: Int, height hs: Int, channels c: Int,
                                    _ rng: inout AugmentRandom) -> Image {
        let w = image.width, h = image.height, cn = image.channels
        precondition(cells.count == ws * hs * c && (c == 1 || c == cn), "mask size does not match the image")
        guard w > 0, h > 0 else { return image }
        let (colStart, colEnd) = spans(cells: ws, size: w)
        let (rowStart, rowEnd) = spans(cells: hs, size: h)
        // One value per pixel: written to every channel. One per sample: to its channel only.
        let span = c == 1 ? cn : 1
        var g = rng
        defer { rng = g }
        func fill<T>(_ a: inout [T], _ value: (inout AugmentRandom) -> T) {
            a.withUnsafeMutableBufferPointer { o in
                for ly in 0..<hs where rowStart[ly] < rowEnd[ly] {
                    for lx in 0..<ws where colStart[lx] < colEnd[lx] {
                        for ch in 0..<c where cells[(ly * ws + lx) * c + ch] != 0 {
                            for y in rowStart[ly]..<rowEnd[ly] {
                                var k = (y * w + colStart[lx]) * cn + ch
                                for _ in colStart[lx]..<colEnd[lx] {
                                    let v = value(&g)
                                    for s in 0..<span { o[k + s] = v }
                                    k += cn
                                }
                            }
                        }
                    }
                }
            }
        }
        var out = image
        switch image.pixels {
        case .u8(var a):
            table8 { e, n in
                fill(&a) { g in UInt8(truncatingIfNeeded: NoiseAliasTable.Entry.draw(e, n, UInt32(truncatingIfNeeded: g.next()))) }
            }
            out.pixels = .u8(a)
        case .u16(var a):
            fill(&a, arcsine16)
            out.pixels = .u16(a)
        }
        return out
    }

    /// For each of `cells` low-resolution cells, the output range it covers
    /// under cv2's nearest rule (`start ..< end`, empty when no output index maps to it).
    static func spans(cells: Int, size: Int) -> ([Int], [Int]) {
        var start = [Int](repeating: 0, count: cells), end = [Int](repeating: 0, count: cells)
        let idx = DropoutMask.nearestIndices(src: cells, dst: size)
        for i in (0..<size).reversed() { start[idx[i]] = i }
        for i in 0..<size { end[idx[i]] = i + 1 }
        return (start, end)
    }

    @inline(__always)
    static func table8<R>(_ body: (UnsafeBufferPointer<NoiseAliasTable.Entry>, UInt64) -> R) -> R {
        NoiseAliasTable.arcsine8.entries.withUnsafeBufferPointer { e in body(e, UInt64(e.count)) }
    }

    /// round(65535 · Beta(0.5, 0.5)), by inversion as `NoiseSampler.arcsine`.
    static func arcsine16(_ g: inout AugmentRandom) -> UInt16 {
        let s = sin(Double.pi / 2 * g.nextDouble())
        return NoiseKernel.clip16(Float(65535 * s * s).rounded(.toNearestOrEven))
    }
}
