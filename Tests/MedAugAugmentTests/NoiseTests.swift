import XCTest
import MedAugImage
@testable import MedAugAugment

/// The noise family (imgaug 0.4.0 arithmetic.py): statistics of the added
/// noise against the distributions' theory with fixed seeds, saturation,
/// per_channel, channel counts and bit depths.
final class NoiseTests: XCTestCase {
    static func flat(_ v: UInt8, _ w: Int = 256, _ h: Int = 256, _ c: Int = 1) -> Image {
        Image(width: w, height: h, channels: c, fill: v)
    }

    static func flat16(_ v: UInt16, _ w: Int = 128, _ h: Int = 128, _ c: Int = 1) -> Image {
        Image(width: w, height: h, channels: c, samples16: [UInt16](repeating: v, count: w * h * c))
    }

    /// (mean, sd, mean |d|) of output - input over every sample.
    static func stats(_ out: Image, _ input: Image) -> (mean: Double, sd: Double, absMean: Double) {
        let d: [Double]
        if let a = out.bytes, let b = input.bytes {
            d = zip(a, b).map { Double(Int($0) - Int($1)) }
        } else {
            d = zip(out.samples16!, input.samples16!).map { Double(Int($0) - Int($1)) }
        }
        let n = Double(d.count)
        let m = d.reduce(0, +) / n
        let v = d.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n
        return (m, v.squareRoot(), d.reduce(0) { $0 + abs($1) } / n)
    }

    static func run(_ aug: any Augmenter, _ img: Image, seed: UInt64 = 7) throws -> Image {
        try DAC.run(aug, img, seed: seed)
    }

    /// Fraction of pixels whose channels are not all equal.
    static func unequalChannelShare(_ img: Image) -> Double {
        let a = img.bytes!, c = img.channels
        var n = 0
        for i in stride(from: 0, to: a.count, by: c) where (1..<c).contains(where: { a[i + $0] != a[i] }) { n += 1 }
        return Double(n) / Double(a.count / c)
    }

    // MARK: samplers

    func testSamplersFollowTheirDistributions() {
        var rng = AugmentRandom(seed: 11)
        let n = 200_000
        func meanVar(_ x: [Float]) -> (Double, Double) {
            let m = x.reduce(0.0) { $0 + Double($1) } / Double(x.count)
            return (m, x.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(x.count))
        }
        let g = meanVar(NoiseSampler.normal(count: n, loc: 3, scale: 7, &rng))
        XCTAssertEqual(g.0, 3, accuracy: 0.08)
        XCTAssertEqual(g.1.squareRoot(), 7, accuracy: 0.07)
        let l = meanVar(NoiseSampler.laplace(count: n, loc: -2, scale: 5, &rng))
        XCTAssertEqual(l.0, -2, accuracy: 0.08)
        XCTAssertEqual(l.1, 2 * 25, accuracy: 1.5, "Laplace variance 2b²")
        // Poisson: mean = variance = λ, on both algorithms (multiplication below 10, PTRS above).
        for lam in [0.5, 3.0, 9.9, 10.0, 15.0, 100.0, 5000.0] {
            let p = PoissonSampler(lam)
            let x = (0..<n).map { _ in Float(p.sample(&rng)) }
            let (m, v) = meanVar(x)
            XCTAssertEqual(m, lam, accuracy: 0.02 * lam + 0.01, "Poisson mean, λ \(lam)")
            XCTAssertEqual(v, lam, accuracy: 0.03 * lam + 0.02, "Poisson variance, λ \(lam)")
            XCTAssertTrue(x.allSatisfy { $0 >= 0 })
        }
        // RandomSign(Poisson): symmetric, |x| has mean λ.
        let s = NoiseSampler.signedPoisson(count: n, lam: 4, &rng)
        XCTAssertEqual(meanVar(s).0, 0, accuracy: 0.05)
        XCTAssertEqual(s.reduce(0.0) { $0 + abs(Double($1)) } / Double(n), 4, accuracy: 0.05)
        XCTAssertEqual(NoiseSampler.signedPoisson(count: 10, lam: 0, &rng), [Float](repeating: 0, count: 10))
        // Beta(0.5, 0.5): mean 1/2, variance 1/8, symmetric about 1/2.
        let b = NoiseSampler.arcsine(count: n, maximum: 1, &rng)
        let (bm, bv) = meanVar(b)
        XCTAssertEqual(bm, 0.5, accuracy: 0.005)
        XCTAssertEqual(bv, 0.125, accuracy: 0.003)
        XCTAssertTrue(b.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    // MARK: kernels

    func testKernelRoundsClipsAndSpreadsOverChannels() {
        // 8-bit: values rounded half to even, limited to ±255, saturated.
        let img = DAC.image(4, 1, 1, [10, 10, 250, 5])
        XCTAssertEqual(NoiseKernel.add(img, values: [0.5, 1.5, 10, -300]).bytes!, [10, 12, 255, 0])
        // One value per pixel goes to every channel; one per sample to its own.
        let rgb = DAC.image(2, 1, 3, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(NoiseKernel.add(rgb, values: [10, -1]).bytes!, [11, 12, 13, 3, 4, 5])
        XCTAssertEqual(NoiseKernel.add(rgb, values: [1, 2, 3, 4, 5, 6]).bytes!, [2, 4, 6, 8, 10, 12])
        // 16-bit: float32 add, rounded half to even, clipped at 65535.
        let img16 = Image(width: 3, height: 1, channels: 1, samples16: [65500, 100, 7])
        XCTAssertEqual(NoiseKernel.add(img16, values: [100, -200, 0.5]).samples16!, [65535, 0, 8 - 0 /* 7.5 -> 8 */])
        // Multiply: 8-bit truncates (3 x 0.5 -> 1, 3 x 1.5 -> 4), 16-bit rounds half to even.
        XCTAssertEqual(NoiseKernel.multiply(DAC.image(3, 1, 1, [3, 3, 200]), factors: [0.5, 1.5, 2]).bytes!, [1, 4, 255])
        XCTAssertEqual(NoiseKernel.multiply(DAC.image(1, 1, 1, [9]), factors: [-1]).bytes!, [0])
        XCTAssertEqual(NoiseKernel.multiply(Image(width: 2, height: 1, channels: 1, samples16: [3, 60000]),
                                            factors: [0.5, 2]).samples16!, [2, 65535])
        // Replace: per pixel every channel, per sample its own; values rounded and clipped.
        XCTAssertEqual(NoiseKernel.replace(rgb, mask: [0, 1], replacements: [254.6]).bytes!, [1, 2, 3, 255, 255, 255])
        XCTAssertEqual(NoiseKernel.replace(rgb, mask: [1, 0, 0, 0, 0, 1], replacements: [0.4, 300]).bytes!, [0, 2, 3, 4, 5, 255])
    }

    // MARK: AdditiveGaussianNoise

    func testGaussianNoiseHasTheRequestedSpread() throws {
        let img = Self.flat(128)
        for sd in [3.0, 10.0, 20.0] {
            let s = Self.stats(try Self.run(AdditiveGaussianNoise(scale: .constant(sd)), img), img)
            XCTAssertEqual(s.mean, 0, accuracy: 0.15, "sd \(sd)")
            // Rounding to integers adds 1/12 to the variance.
            XCTAssertEqual(s.sd, (sd * sd + 1.0 / 12).squareRoot(), accuracy: 0.02 * sd, "sd \(sd)")
        }
        let shifted = Self.stats(try Self.run(AdditiveGaussianNoise(loc: .constant(-6), scale: .constant(4)), img), img)
        XCTAssertEqual(shifted.mean, -6, accuracy: 0.1)
    }

    func testGaussianScaleZeroAddsOnlyLocWithSaturation() throws {
        let img = DAC.pattern(width: 9, height: 7, channels: 3)
        XCTAssertEqual(try Self.run(AdditiveGaussianNoise(scale: .constant(0)), img), img)
        XCTAssertEqual(Set(try Self.run(AdditiveGaussianNoise(loc: .constant(300), scale: .constant(0)), img).bytes!), [255])
        XCTAssertEqual(Set(try Self.run(AdditiveGaussianNoise(loc: .constant(-300), scale: .constant(0)), img).bytes!), [0])
        let img16 = Self.flat16(65500, 4, 4)
        XCTAssertEqual(Set(try Self.run(AdditiveGaussianNoise(loc: .constant(100), scale: .constant(0)), img16).samples16!), [65535])
        XCTAssertEqual(Set(try Self.run(AdditiveGaussianNoise(loc: .constant(-70000), scale: .constant(0)), img16).samples16!), [0])
        // Heavy noise saturates at both ends.
        let loud = try Self.run(AdditiveGaussianNoise(scale: .constant(200)), Self.flat(128, 64, 64)).bytes!
        XCTAssertTrue(loud.contains(0) && loud.contains(255))
    }

    func testGaussianPerChannelAndAlpha() throws {
        let rgb = Self.flat(128, 64, 64, 3)
        // Without per_channel each pixel's channels get the same noise.
        XCTAssertEqual(Self.unequalChannelShare(try Self.run(AdditiveGaussianNoise(scale: .constant(10)), rgb)), 0)
        let pc = try Self.run(AdditiveGaussianNoise(scale: .constant(10), perChannel: .constant(1)), rgb)
        XCTAssertGreaterThan(Self.unequalChannelShare(pc), 0.8)
        // RGBA: the alpha channel gets noise too, as in imgaug.
        let rgba = try Self.run(AdditiveGaussianNoise(scale: .constant(10), perChannel: .constant(1)), Self.flat(128, 64, 64, 4)).bytes!
        XCTAssertTrue(stride(from: 3, to: rgba.count, by: 4).contains { rgba[$0] != 128 })
        // 16-bit keeps its depth; noise is in sample units.
        let img16 = Self.flat16(30000)
        let s = Self.stats(try Self.run(AdditiveGaussianNoise(scale: .constant(50)), img16), img16)
        XCTAssertEqual(s.sd, 50, accuracy: 1.5)
        XCTAssertEqual(s.mean, 0, accuracy: 1)
    }

    // MARK: AdditiveLaplaceNoise

    func testLaplaceNoiseVarianceIsTwoBSquared() throws {
        let img = Self.flat(128)
        for b in [4.0, 10.0] {
            let s = Self.stats(try Self.run(AdditiveLaplaceNoise(scale: .constant(b)), img), img)
            XCTAssertEqual(s.mean, 0, accuracy: 0.15, "b \(b)")
            XCTAssertEqual(s.sd * s.sd, 2 * b * b + 1.0 / 12, accuracy: 0.05 * 2 * b * b, "b \(b)")
            XCTAssertEqual(s.absMean, b, accuracy: 0.04 * b, "E|x| = b, b \(b)")
        }
        let img3 = DAC.pattern(width: 5, height: 6, channels: 3)
        XCTAssertEqual(try Self.run(AdditiveLaplaceNoise(scale: .constant(0)), img3), img3)
        XCTAssertEqual(Self.unequalChannelShare(try Self.run(AdditiveLaplaceNoise(scale: .constant(10)), Self.flat(128, 32, 32, 3))), 0)
        XCTAssertGreaterThan(Self.unequalChannelShare(try Self.run(AdditiveLaplaceNoise(scale: .constant(10), perChannel: .constant(1)),
                                                                   Self.flat(128, 32, 32, 3))), 0.8)
        XCTAssertEqual(Set(try Self.run(AdditiveLaplaceNoise(loc: .constant(100), scale: .constant(0)), Self.flat16(65500, 3, 3)).samples16!), [65535])
    }

    // MARK: AdditivePoissonNoise

    func testPoissonNoiseIsSignedPoisson() throws {
        let img = Self.flat(128)
        for lam in [2.0, 8.0, 14.0] {
            let s = Self.stats(try Self.run(AdditivePoissonNoise(lam: .constant(lam)), img), img)
            XCTAssertEqual(s.mean, 0, accuracy: 0.1, "λ \(lam)")
            XCTAssertEqual(s.absMean, lam, accuracy: 0.03 * lam, "E|x| = λ, λ \(lam)")
            XCTAssertEqual(s.sd * s.sd, lam + lam * lam, accuracy: 0.04 * (lam + lam * lam), "Var = λ + λ², λ \(lam)")
        }
        let img3 = DAC.pattern(width: 5, height: 6, channels: 3)
        XCTAssertEqual(try Self.run(AdditivePoissonNoise(lam: .constant(0)), img3), img3)
        XCTAssertEqual(Self.unequalChannelShare(try Self.run(AdditivePoissonNoise(lam: .constant(10)), Self.flat(128, 32, 32, 3))), 0)
        XCTAssertGreaterThan(Self.unequalChannelShare(try Self.run(AdditivePoissonNoise(lam: .constant(10), perChannel: .constant(1)),
                                                                   Self.flat(128, 32, 32, 3))), 0.8)
        // Saturation at both ends.
        let out = try Self.run(AdditivePoissonNoise(lam: .constant(300)), Self.flat(128, 32, 32)).bytes!
        XCTAssertEqual(Set(out), [0, 255])
        let out16 = try Self.run(AdditivePoissonNoise(lam: .constant(300)), Self.flat16(65500, 32, 32)).samples16!
        XCTAssertTrue(out16.contains(65535) && out16.allSatisfy { $0 >= 65500 - 500 })
    }

    // MARK: MultiplyElementwise

    func testMultiplyElementwise() throws {
        let img = Self.flat(100)
        let s = Self.stats(try Self.run(MultiplyElementwise(), img), img)
        // Uniform(0.8, 1.2) x 100: sd 40/√12; truncation lowers the mean by about 1/2.
        XCTAssertEqual(s.mean, -0.5, accuracy: 0.15)
        XCTAssertEqual(s.sd, 40 / 12.0.squareRoot(), accuracy: 0.25)
        let pattern = DAC.pattern(width: 7, height: 5, channels: 4)
        XCTAssertEqual(try Self.run(MultiplyElementwise(mul: .constant(1)), pattern), pattern)
        XCTAssertEqual(try Self.run(MultiplyElementwise(mul: .constant(0.5)), DAC.image(3, 1, 1, [3, 5, 255])).bytes!, [1, 2, 127])
        XCTAssertEqual(Set(try Self.run(MultiplyElementwise(mul: .constant(3)), Self.flat(100, 4, 4)).bytes!), [255])
        XCTAssertEqual(Self.unequalChannelShare(try Self.run(MultiplyElementwise(), Self.flat(100, 32, 32, 3))), 0)
        XCTAssertGreaterThan(Self.unequalChannelShare(try Self.run(MultiplyElementwise(perChannel: .constant(1)), Self.flat(100, 32, 32, 3))), 0.8)
        let img16 = Self.flat16(40000)
        let out16 = try Self.run(MultiplyElementwise(), img16).samples16!
        XCTAssertTrue(out16.allSatisfy { $0 >= 32000 && $0 <= 48000 })
        XCTAssertEqual(Set(try Self.run(MultiplyElementwise(mul: .constant(2)), img16).samples16!), [65535])
    }

    // MARK: SaltAndPepper, ImpulseNoise

    func testSaltAndPepperReplacesAShareP() throws {
        let img = Self.flat(128)
        for p in [0.05, 0.2] {
            let out = try Self.run(SaltAndPepper(p: .constant(p)), img).bytes!
            let n = Double(out.count)
            let changed = Double(out.filter { $0 != 128 }.count) / n
            let salt = Double(out.filter { $0 > 128 }.count) / n
            XCTAssertEqual(changed, p, accuracy: 0.1 * p, "p \(p)")
            XCTAssertEqual(salt, p / 2, accuracy: 0.1 * p, "salt share p/2, p \(p)")
        }
        // p = 1: every pixel replaced by round(Beta(0.5, 0.5) x 255): mean 127.5, sd 255/√8.
        let all = try Self.run(SaltAndPepper(p: .constant(1)), img)
        let s = Self.stats(all, img)
        XCTAssertEqual(s.mean + 128, 127.5, accuracy: 0.8)
        XCTAssertEqual(s.sd, 255 / 8.0.squareRoot(), accuracy: 1)
        let extremes = Double(all.bytes!.filter { $0 < 16 || $0 > 239 }.count) / Double(all.bytes!.count)
        // P(Beta(0.5, 0.5) < 15.5/255) x 2 = (4/π) asin(√(15.5/255)) ≈ 0.316.
        XCTAssertEqual(extremes, 0.316, accuracy: 0.01)
        XCTAssertEqual(try Self.run(SaltAndPepper(p: .constant(0)), DAC.pattern(width: 5, height: 5, channels: 3)),
                       DAC.pattern(width: 5, height: 5, channels: 3))
    }

    func testSaltAndPepperPerChannelDepthsAndImpulseNoise() throws {
        let rgb = Self.flat(128, 64, 64, 3)
        // Without per_channel a replaced pixel is gray: same value in every channel.
        XCTAssertEqual(Self.unequalChannelShare(try Self.run(SaltAndPepper(p: .constant(0.5)), rgb)), 0)
        XCTAssertGreaterThan(Self.unequalChannelShare(try Self.run(SaltAndPepper(p: .constant(0.5), perChannel: .constant(1)), rgb)), 0.5)
        // ImpulseNoise is per channel always: a share p of the samples, each on its own.
        let imp = try Self.run(ImpulseNoise(p: .constant(0.3)), rgb)
        XCTAssertGreaterThan(Self.unequalChannelShare(imp), 0.5)
        let changed = Double(imp.bytes!.filter { $0 != 128 }.count) / Double(imp.bytes!.count)
        XCTAssertEqual(changed, 0.3, accuracy: 0.02)
        // RGBA: alpha is replaced too, as in imgaug.
        let rgba = try Self.run(SaltAndPepper(p: .constant(1)), Self.flat(128, 16, 16, 4)).bytes!
        XCTAssertTrue(stride(from: 3, to: rgba.count, by: 4).contains { rgba[$0] != 128 })
        // 16-bit: replacements span 0...65535 (MedAug's deviation), half of them salt.
        let out16 = try Self.run(SaltAndPepper(p: .constant(1)), Self.flat16(30000)).samples16!
        let salt16 = Double(out16.filter { $0 > 32767 }.count) / Double(out16.count)
        XCTAssertEqual(salt16, 0.5, accuracy: 0.02)
        XCTAssertGreaterThan(out16.max()!, 65000)
        // A range of p is drawn once per image, within its bounds.
        for seed in UInt64(1)...5 {
            let o = try Self.run(SaltAndPepper(p: Probability(.range(0.1, 0.2))), Self.flat(128), seed: seed).bytes!
            let share = Double(o.filter { $0 != 128 }.count) / Double(o.count)
            XCTAssertTrue(share > 0.09 && share < 0.21, "\(share)")
        }
    }

    // MARK: CoarseSaltAndPepper

    func testCoarseSaltAndPepperReplacesRectangles() throws {
        let img = Self.flat(128, 64, 64)
        XCTAssertEqual(try Self.run(CoarseSaltAndPepper(p: .constant(0)), img), img)
        // p = 1: every pixel replaced, each by its own arcsine value.
        let all = try Self.run(CoarseSaltAndPepper(p: .constant(1), size: .pixels(.constant(4))), Self.flat(128))
        let s = Self.stats(all, Self.flat(128))
        XCTAssertEqual(s.sd, 255 / 8.0.squareRoot(), accuracy: 1)
        XCTAssertGreaterThan(Double(all.bytes!.filter { $0 != 128 }.count) / 65536, 0.99)
        // A 4x4 grid on 64x64: each 16x16 block is replaced entirely or not at all.
        for seed in UInt64(1)...4 {
            let out = try Self.run(CoarseSaltAndPepper(p: .constant(0.5), size: .pixels(.constant(4))), img, seed: seed).bytes!
            for by in 0..<4 {
                for bx in 0..<4 {
                    var changed = 0
                    for y in by * 16..<(by + 1) * 16 { for x in bx * 16..<(bx + 1) * 16 where out[y * 64 + x] != 128 { changed += 1 } }
                    XCTAssertTrue(changed < 13 || changed > 243, "block \(bx),\(by): \(changed)")
                }
            }
        }
        // The replaced share follows p over many cells; min_size lifts a tiny grid.
        let fine = try Self.run(CoarseSaltAndPepper(p: .constant(0.3), size: .pixels(.constant(128))), Self.flat(128))
        XCTAssertEqual(Double(fine.bytes!.filter { $0 != 128 }.count) / 65536, 0.3, accuracy: 0.02)
        var ctx = DAC.context()
        _ = try CoarseSaltAndPepper(p: .constant(0.5), size: .pixels(.constant(1)), minSize: 5).augment(img, &ctx)
        XCTAssertEqual(ctx.trace?.last?.values.first { $0.0 == "size" }?.1, "5x5")
        // Without per_channel a replaced pixel is gray; with it, channels differ.
        let rgb = Self.flat(128, 64, 64, 3)
        XCTAssertEqual(Self.unequalChannelShare(try Self.run(CoarseSaltAndPepper(p: .constant(0.5), size: .pixels(.constant(16))), rgb)), 0)
        XCTAssertGreaterThan(Self.unequalChannelShare(try Self.run(
            CoarseSaltAndPepper(p: .constant(0.5), size: .pixels(.constant(16)), perChannel: .constant(1)), rgb)), 0.5)
        let pipe = try DAC.only("- CoarseSaltAndPepper: {p: 0.05, size_percent: [0.01, 0.1], per_channel: true}", as: CoarseSaltAndPepper.self)
        XCTAssertEqual(pipe.size, .percent(.range(0.01, 0.1)))
        XCTAssertEqual(try DAC.only("- CoarseSaltAndPepper: {}", as: CoarseSaltAndPepper.self).size, .pixels(.range(3, 8)))
        try DAC.assertRoundTrip("- CoarseSaltAndPepper: {p: [0.1, 0.2], size_px: [4, 16], min_size: 4}")
        DAC.assertEdgeShapes(CoarseSaltAndPepper(), sixteen: true)
        DAC.assertEdgeShapes(CoarseSaltAndPepper(p: .constant(0.5), size: .percent(.constant(0.5)), perChannel: .constant(1)), sixteen: true)
    }

    // MARK: shapes, determinism, files

    func testEveryShapeAndDepth() {
        let augs: [any Augmenter] = [
            AdditiveGaussianNoise(), AdditiveGaussianNoise(scale: .constant(20), perChannel: .constant(1)),
            AdditiveLaplaceNoise(), AdditiveLaplaceNoise(perChannel: .constant(0.5)),
            AdditivePoissonNoise(), AdditivePoissonNoise(lam: .constant(40), perChannel: .constant(1)),
            MultiplyElementwise(), MultiplyElementwise(perChannel: .constant(1)),
            SaltAndPepper(), SaltAndPepper(p: .constant(0.5), perChannel: .constant(1)), ImpulseNoise(p: .constant(0.5)),
        ]
        for aug in augs { DAC.assertEdgeShapes(aug, sixteen: true) }
    }

    func testSameSeedSameResult() throws {
        let img = DAC.pattern(width: 31, height: 17, channels: 3)
        for aug: any Augmenter in [AdditiveGaussianNoise(), AdditiveLaplaceNoise(), AdditivePoissonNoise(),
                                   MultiplyElementwise(), SaltAndPepper(p: .constant(0.3)), ImpulseNoise(p: .constant(0.3))] {
            XCTAssertEqual(try Self.run(aug, img, seed: 3), try Self.run(aug, img, seed: 3), aug.name)
            XCTAssertNotEqual(try Self.run(aug, img, seed: 3), try Self.run(aug, img, seed: 4), aug.name)
        }
    }

    func testPipelineFiles() throws {
        let g = try DAC.only("- AdditiveGaussianNoise: {loc: 2, scale: [0, 25.5], per_channel: 0.5}", as: AdditiveGaussianNoise.self)
        XCTAssertEqual(g.loc, .constant(2))
        XCTAssertEqual(g.scale, .range(0, 25.5))
        XCTAssertEqual(g.perChannel, .constant(0.5))
        let sp = try DAC.only("- SaltAndPepper: {p: [0.01, 0.1], per_channel: true}", as: SaltAndPepper.self)
        XCTAssertEqual(sp.p, Probability(.range(0.01, 0.1)))
        XCTAssertEqual(sp.perChannel, .constant(1))
        XCTAssertEqual(try DAC.only("- ImpulseNoise: {}", as: ImpulseNoise.self).p, Probability(.range(0, 0.03)))
        XCTAssertEqual(try DAC.only("- AdditivePoissonNoise: {lam: 4}", as: AdditivePoissonNoise.self).lam, .constant(4))
        XCTAssertEqual(try DAC.only("- MultiplyElementwise: {}", as: MultiplyElementwise.self).mul, .range(0.8, 1.2))
        try DAC.assertRoundTrip("- AdditiveLaplaceNoise: {loc: {choice: [-1, 1]}, scale: 3}\n- SaltAndPepper: {p: 0.2}")
        DAC.assertPipelineError("- AdditiveGaussianNoise: {scale: -1}", key: "scale")
        DAC.assertPipelineError("- AdditivePoissonNoise: {lam: -0.5}", key: "lam")
        DAC.assertPipelineError("- SaltAndPepper: {p: 1.5}", key: "p")
        DAC.assertPipelineError("- ImpulseNoise: {per_channel: true}", key: "per_channel")
    }
}
