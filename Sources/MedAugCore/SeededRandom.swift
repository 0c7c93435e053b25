import Foundation

/// Random number generators with a fixed, documented algorithm.
///
/// The system generator and `Hasher` are seeded per process, and the standard
/// library's `shuffle`/`random(in:)` algorithms may change between Swift
/// releases; splits and synthetic images must come out the same on every
/// machine and every run, so everything here is spelled out.

/// SplitMix64 (Steele, Lea, Flood 2014). Mainly used to expand one seed into
/// the state of a larger generator, and as a mixing function for derivation.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 output function: a bijective avalanche of 64 bits.
    @inlinable
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** 1.0 (Blackman, Vigna 2018): the generator MedAug uses for
/// anything that must be reproducible.
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// The state comes from SplitMix64(seed), as the xoshiro authors recommend,
    /// so that neighbouring seeds give unrelated streams.
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
        // All-zero state is the one fixed point; SplitMix64 cannot produce four
        // zeros in a row, but keep the guard for states built by hand.
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// A generator for one item in a larger job, e.g. (seed, split, class, index):
    /// the stream depends only on the values, not on the order in which items run,
    /// so work can be spread over threads without changing any result.
    public init(seed: UInt64, path: [UInt64]) {
        self.init(seed: SeedDerivation.derive(seed, path))
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inlinable
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

extension RandomNumberGenerator {
    /// Uniform in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [lo, hi).
    @inlinable
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * nextDouble()
    }

    /// Uniform in [0, 1) as Float, 24 random bits: cheap enough for per-pixel noise.
    @inlinable
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// Uniform in 0..<bound, unbiased (Lemire's multiply-and-reject).
    /// Written out rather than using `next(upperBound:)` so the draw sequence
    /// cannot change with the standard library.
    @inlinable
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Uniform in the closed range.
    @inlinable
    public mutating func nextInt(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + nextInt(below: range.upperBound - range.lowerBound + 1)
    }

    /// Standard normal by Box–Muller (one value per call; the twin is dropped
    /// so that the stream position never depends on hidden state).
    public mutating func nextGaussian() -> Double {
        var u = nextDouble()
        if u < 1e-300 { u = 1e-300 }
        let v = nextDouble()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// Normal with the given mean and standard deviation.
    @inlinable
    public mutating func gaussian(mean: Double, sd: Double) -> Double {
        mean + sd * nextGaussian()
    }

    /// True with probability p.
    @inlinable
    public mutating func chance(_ p: Double) -> Bool { nextDouble() < p }

    /// Fisher–Yates, drawing from the end as Knuth describes.
    @inlinable
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        var i = a.count - 1
        while i > 0 {
            let j = nextInt(below: i + 1)
            if i != j { a.swapAt(i, j) }
            i -= 1
        }
    }
}

/// Stable seeds for derived streams: never Swift's `Hasher`, which is seeded per process.
public enum SeedDerivation {
    /// Folds the path into the seed with SplitMix64 mixing; order matters.
    public static func derive(_ seed: UInt64, _ path: [UInt64]) -> UInt64 {
        var h = SplitMix64.mix(seed ^ 0x6A09_E667_F3BC_C908)
        for (i, v) in path.enumerated() {
            h = SplitMix64.mix(h ^ SplitMix64.mix(v &+ UInt64(i + 1) &* 0x9E37_79B9_7F4A_7C15))
        }
        return h
    }

    /// FNV-1a over the UTF-8 bytes: a fixed hash for names used as path parts.
    public static func hash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }
}
