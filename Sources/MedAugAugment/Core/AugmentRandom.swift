import MedAugImage

/// The random stream of one image in one augmentation run.
///
/// xoshiro256** seeded through SplitMix64 from (seed, image identity), so an
/// image's result depends on the seed and on which image it is, never on
/// which thread processed it or in what order. MedAug does not reproduce
/// numpy's SFC64 streams: parity with imgaug is checked with fixed parameters.
public struct AugmentRandom: Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            return AugmentRandom.mix(x)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// The stream for one image: `identity` is a stable name such as the
    /// image's path relative to the dataset root plus the copy index.
    public init(seed: UInt64, identity: String) {
        self.init(seed: AugmentRandom.mix(seed ^ 0xA5A5_5A5A_C3C3_3C3C) ^ AugmentRandom.fnv1a(identity))
    }

    /// A child stream, e.g. for one segment or one channel, independent of this one.
    public mutating func fork() -> AugmentRandom {
        AugmentRandom(seed: next())
    }

    @inline(__always)
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

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [0, 1) with 24 bits: cheap per-pixel draws (dropout masks).
    @inline(__always)
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// Uniform in 0..<bound, unbiased (Lemire).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    public mutating func shuffle<T>(_ a: inout [T]) {
        var i = a.count - 1
        while i > 0 {
            let j = nextInt(below: i + 1)
            if i != j { a.swapAt(i, j) }
            i -= 1
        }
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return mix(h)
    }
}
