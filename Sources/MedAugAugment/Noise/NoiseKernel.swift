import Foundation
import MedAugImage

/// The pixel work of the noise family (imgaug 0.4.0's `add_elementwise`,
/// `multiply_elementwise` and `replace_elementwise_`), on values that the
/// caller has already drawn: one per pixel (shared by every channel, imgaug's
/// `(H, W, 1)` samples) or one per sample (`per_channel`, `(H, W, C)`).
public enum NoiseKernel {
    /// Adds `values` elementwise, as imgaug's `add_elementwise`.
    ///
    /// 8-bit: each value is rounded half to even, limited to -255...255 and
    /// added with saturation at 0 and 255. 16-bit: `x + v` in float32,
    /// rounded half to even and clipped to 0...65535. `values` holds one value
    /// per pixel or one per sample (interleaved like the image).
    public static func add(_ image: Image, values: [Float]) -> Image {
        let perSample = checkCount(image, values.count)
        var out = image
        switch image.pixels {
        case .u8(var a):
            apply(&a, values, perSample: perSample, channels: image.channels) { x, v in
                let r = v.rounded(.toNearestOrEven)
                let d = r.isNaN ? 0 : Int(min(max(r, -255), 255))
                return UInt8(min(max(Int(x) + d, 0), 255))
            }
            out.pixels = .u8(a)
        case .u16(var a):
            apply(&a, values, perSample: perSample, channels: image.channels) { x, v in
                clip16((Float(x) + v).rounded(.toNearestOrEven))
            }
            out.pixels = .u16(a)
        }
        return out
    }

    /// Multiplies by `factors` elementwise, as imgaug's `multiply_elementwise`.
    ///
    /// 8-bit: `x * m` in float32, clipped to 0...255 and truncated (imgaug
    /// restores uint8 without rounding, like Multiply). 16-bit: `x * m` in
    /// float32, rounded half to even and clipped to 0...65535.
    public static func multiply(_ image: Image, factors: [Float]) -> Image {
        let perSample = checkCount(image, factors.count)
        var out = image
        switch image.pixels {
        case .u8(var a):
            apply(&a, factors, perSample: perSample, channels: image.channels) { x, m in
                let v = Float(x) * m
                if !(v > 0) { return 0 }
                return v >= 255 ? 255 : UInt8(v)
            }
            out.pixels = .u8(a)
        case .u16(var a):
            apply(&a, factors, perSample: perSample, channels: image.channels) { x, m in
                clip16((Float(x) * m).rounded(.toNearestOrEven))
            }
            out.pixels = .u16(a)
        }
        return out
    }

    /// Replaces the samples whose `mask` entry is 1 with the next value of
    /// `replacements`, as imgaug's `replace_elementwise_`: `mask` has one entry
    /// per pixel (a replaced pixel gets the same value in every channel) or one
    /// per sample; `replacements` has one value per 1 in `mask`, in order.
    /// Values are rounded half to even and clipped to the bit depth's range.
    public static func replace(_ image: Image, mask: [UInt8], replacements: [Float]) -> Image {
        let perSample = checkCount(image, mask.count)
        precondition(replacements.count == mask.reduce(0) { $0 + Int($1 != 0 ? 1 : 0) }, "one replacement per masked entry")
        let c = perSample ? 1 : image.channels
        var out = image
        switch image.pixels {
        case .u8(var a):
            replace(&a, mask, replacements, span: c) { v in
                let r = v.rounded(.toNearestOrEven)
                if !(r > 0) { return 0 }
                return r >= 255 ? 255 : UInt8(r)
            }
            out.pixels = .u8(a)
        case .u16(var a):
            replace(&a, mask, replacements, span: c) { clip16($0.rounded(.toNearestOrEven)) }
            out.pixels = .u16(a)
        }
        return out
    }

    // MARK: helpers

    /// True for one value per sample, false for one per pixel.
    static func checkCount(_ image: Image, _ count: Int) -> Bool {
        let pixels = image.width * image.height
        let perSample = count == pixels * image.channels && image.channels > 1
        precondition(perSample || count == pixels, "one value per pixel or one per sample")
        return perSample
    }

    @inline(__always)
    static func clip16(_ v: Float) -> UInt16 {
        if !(v > 0) { return 0 }
        return v >= 65535 ? 65535 : UInt16(v)
    }

    @inline(__always)
    static func apply<T>(_ a: inout [T], _ values: [Float], perSample: Bool, channels c: Int,
                         _ f: (T, Float) -> T) {
        values.withUnsafeBufferPointer { v in
            a.withUnsafeMutableBufferPointer { p in
                if perSample || c == 1 {
                    for i in p.indices { p[i] = f(p[i], v[i]) }
                } else {
                    for i in v.indices {
                        let s = i * c, x = v[i]
                        for ch in 0..<c { p[s + ch] = f(p[s + ch], x) }
                    }
                }
            }
        }
    }

    @inline(__always)
    static func replace<T>(_ a: inout [T], _ mask: [UInt8], _ values: [Float], span c: Int, _ f: (Float) -> T) {
        mask.withUnsafeBufferPointer { m in
            a.withUnsafeMutableBufferPointer { p in
                var k = 0
                for i in m.indices where m[i] != 0 {
                    let v = f(values[k])
                    k += 1
                    let s = i * c
                    for ch in 0..<c { p[s + ch] = v }
                }
            }
        }
    }
}

/// The distributions the noise augmenters draw from, on the image's stream.
/// numpy's algorithms where they are simple (Laplace by inversion, Poisson by
/// multiplication below λ = 10 and Hörmann's PTRS from 10 on); the streams are
/// not numpy's, so only the distributions match imgaug, not the values.
public enum NoiseSampler {
    /// `count` draws of Normal(loc, scale), as float32 (Box–Muller, both values of each pair used).
    public static func normal(count: Int, loc: Double, scale: Double, _ rng: inout AugmentRandom) -> [Float] {
        if scale == 0 { return [Float](repeating: Float(loc), count: count) }
        var out = [Float](repeating: 0, count: count)
        var i = 0
        while i < count {
            // u1 in (0, 1] so that log never sees 0.
            let u1 = 1 - rng.nextDouble(), u2 = rng.nextDouble()
            let r = (-2 * log(u1)).squareRoot(), t = 2 * Double.pi * u2
            out[i] = Float(loc + scale * r * cos(t))
            if i + 1 < count { out[i + 1] = Float(loc + scale * r * sin(t)) }
            i += 2
        }
        return out
    }

    /// `count` draws of Laplace(loc, scale) (variance 2·scale²), as float32, by
    /// numpy's inversion: U ≥ 0.5 gives loc - scale·log(2 - 2U), else loc + scale·log(2U).
    public static func laplace(count: Int, loc: Double, scale: Double, _ rng: inout AugmentRandom) -> [Float] {
        if scale == 0 { return [Float](repeating: Float(loc), count: count) }
        var out = [Float](repeating: 0, count: count)
        for i in 0..<count {
            var u = rng.nextDouble()
            while u == 0 { u = rng.nextDouble() }
            out[i] = Float(u >= 0.5 ? loc - scale * log(2 - u - u) : loc + scale * log(u + u))
        }
        return out
    }

    /// imgaug's `RandomSign(Poisson(lam))`: `count` Poisson(λ) draws, each with a
    /// random sign (even odds), as float32 (exact integers). λ ≤ 0 gives zeros.
    public static func signedPoisson(count: Int, lam: Double, _ rng: inout AugmentRandom) -> [Float] {
        guard lam > 0 else { return [Float](repeating: 0, count: count) }
        var out = [Float](repeating: 0, count: count)
        let p = PoissonSampler(lam)
        var bits: UInt64 = 0, left = 0
        for i in 0..<count {
            let k = Float(p.sample(&rng))
            if left == 0 { bits = rng.next(); left = 64 }
            out[i] = bits & 1 == 1 ? k : -k
            bits >>= 1
            left -= 1
        }
        return out
    }

    /// Beta(0.5, 0.5) (the arcsine law, imgaug's salt-and-pepper replacement)
    /// scaled to `0...maximum`: `maximum · sin²(π U / 2)`, the inverse of its CDF.
    public static func arcsine(count: Int, maximum: Double, _ rng: inout AugmentRandom) -> [Float] {
        (0..<count).map { _ in
            let s = sin(Double.pi / 2 * rng.nextDouble())
            return Float(maximum * s * s)
        }
    }
}

/// numpy's Poisson sampler for one λ: multiplication of uniforms below 10,
/// Hörmann's transformed rejection (PTRS) from 10 on.
struct PoissonSampler {
    let lam: Double
    let enlam: Double
    let slam: Double, loglam: Double, a: Double, b: Double, invalpha: Double, vr: Double

    init(_ lam: Double) {
        self.lam = lam
        enlam = exp(-lam)
        slam = lam.squareRoot()
        loglam = log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
    }

    func sample(_ rng: inout AugmentRandom) -> Int {
        if lam < 10 {
            var x = 0
            var prod = 1.0
            while true {
                prod *= rng.nextDouble()
                if prod > enlam { x += 1 } else { return x }
            }
        }
        while true {
            let u = rng.nextDouble() - 0.5
            let v = rng.nextDouble()
            let us = 0.5 - abs(u)
            let kd = ((2 * a / us + b) * u + lam + 0.43).rounded(.down)
            if us >= 0.07 && v <= vr { return Int(kd) }
            if kd < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(invalpha) - log(a / (us * us) + b) <= -lam + kd * loglam - lgamma(kd + 1) {
                return Int(kd)
            }
        }
    }
}
