import XCTest
import MedAugImage
@testable import MedAugAugment

/// The 8-bit noise fast paths: the alias tables must encode exactly the
/// distributions of imgaug's rounded, limited noise (checked from the tables
/// themselves, without sampling error), and the fused passes must handle
/// every shape.
final class NoiseTablesTests: XCTestCase {
    /// The probability of each value that the table's buckets add up to.
    static func implied(_ t: NoiseAliasTable) -> [Int: Double] {
        var p: [Int: Double] = [:]
        let n = Double(t.entries.count)
        for e in t.entries {
            let own = Double(e.threshold) * 0x1p-32
            p[Int(e.value), default: 0] += own / n
            p[Int(e.alias), default: 0] += (1 - own) / n
        }
        return p
    }

    static func moments(_ p: [Int: Double]) -> (mean: Double, variance: Double, absMean: Double) {
        let m = p.reduce(0) { $0 + Double($1.key) * $1.value }
        let v = p.reduce(0) { $0 + (Double($1.key) - m) * (Double($1.key) - m) * $1.value }
        return (m, v, p.reduce(0) { $0 + abs(Double($1.key)) * $1.value })
    }

    func testAliasTableReproducesItsWeights() {
        let weights = [0.1, 0, 3, 0.5, 1e-3, 2]
        let p = Self.implied(NoiseAliasTable(values: [-3, -1, 0, 4, 7, 255], weights: weights))
        let total = weights.reduce(0, +)
        for (v, w) in zip([-3, -1, 0, 4, 7, 255], weights) {
            XCTAssertEqual(p[v] ?? 0, w / total, accuracy: 1e-8, "value \(v)")
        }
        XCTAssertEqual(Self.implied(NoiseAliasTable(constant: -9)), [-9: 1])
    }

    func testGaussianAndLaplaceTables() {
        for (loc, sd) in [(0.0, 25.5), (-5.0, 3.0), (7.25, 1.5)] {
            let g = Self.moments(Self.implied(NoiseAliasTable.gaussian8(loc: loc, scale: sd)))
            XCTAssertEqual(g.mean, loc, accuracy: 1e-3)
            // Rounding adds about 1/12 to the variance once sd is not tiny.
            XCTAssertEqual(g.variance, sd * sd + 1.0 / 12, accuracy: 1e-3 * sd * sd)
        }
        // A narrow one: round(N(0.3, 0.2)) is 1 exactly when X >= 0.5, P(Z >= 1).
        let narrow = Self.implied(NoiseAliasTable.gaussian8(loc: 0.3, scale: 0.2))
        XCTAssertEqual(narrow[1] ?? 0, 0.5 * erfc(1 / 2.0.squareRoot()), accuracy: 1e-8)
        XCTAssertEqual(narrow[-1] ?? 0, 0.5 * erfc(4 / 2.0.squareRoot()), accuracy: 1e-8)
        XCTAssertEqual(narrow.values.reduce(0, +), 1, accuracy: 1e-12)
        let l = Self.moments(Self.implied(NoiseAliasTable.laplace8(loc: 0, scale: 12.75)))
        XCTAssertEqual(l.variance, 2 * 12.75 * 12.75 + 1.0 / 12, accuracy: 0.5)
        // Limits and constants: rounded half to even, limited to ±255.
        XCTAssertEqual(Self.implied(NoiseAliasTable.gaussian8(loc: 300, scale: 2)), [255: 1])
        XCTAssertEqual(Self.implied(NoiseAliasTable.gaussian8(loc: -400, scale: 0)), [-255: 1])
        XCTAssertEqual(Self.implied(NoiseAliasTable.gaussian8(loc: 2.5, scale: 0)), [2: 1])
        XCTAssertEqual(Self.implied(NoiseAliasTable.laplace8(loc: -7.5, scale: 0)), [-8: 1])
        // Saturating heavy noise: the clipped tails land on ±255.
        let wide = Self.implied(NoiseAliasTable.gaussian8(loc: 0, scale: 200))
        XCTAssertEqual(wide[255] ?? 0, 0.5 * erfc(254.5 / 200 / 2.0.squareRoot()), accuracy: 1e-6)
    }

    func testPoissonAndArcsineTables() {
        for lam in [0.5, 4.0, 16.0, 100.0] {
            let m = Self.moments(Self.implied(NoiseAliasTable.signedPoisson8(lam: lam)))
            XCTAssertEqual(m.mean, 0, accuracy: 1e-6)
            XCTAssertEqual(m.absMean, lam, accuracy: 1e-5 * lam)
            XCTAssertEqual(m.variance, lam + lam * lam, accuracy: 1e-5 * (lam + lam * lam))
        }
        XCTAssertEqual(Self.implied(NoiseAliasTable.signedPoisson8(lam: 5000)), [255: 0.5, -255: 0.5])
        let a = Self.implied(NoiseAliasTable.arcsine8)
        XCTAssertEqual(Self.moments(a).mean, 127.5, accuracy: 1e-6)
        XCTAssertEqual(Set(a.keys).subtracting(0...255).count, 0)
        let extremes = a.filter { $0.key < 16 || $0.key > 239 }.values.reduce(0, +)
        XCTAssertEqual(extremes, 4 / Double.pi * asin((15.5 / 255).squareRoot()), accuracy: 1e-6)
    }

    func testFusedPassesOnOddShapes() throws {
        let augs: [any Augmenter] = [
            AdditiveGaussianNoise(scale: .constant(30)), AdditiveGaussianNoise(scale: .constant(30), perChannel: .constant(1)),
            AdditiveLaplaceNoise(scale: .constant(9), perChannel: .constant(1)), AdditivePoissonNoise(lam: .constant(20)),
            MultiplyElementwise(), MultiplyElementwise(mul: .range(0, 3), perChannel: .constant(1)),
            SaltAndPepper(p: .constant(1)), SaltAndPepper(p: .constant(0.4), perChannel: .constant(1)), ImpulseNoise(p: .constant(1)),
            CoarseSaltAndPepper(p: .constant(1), size: .pixels(.constant(7))),
            CoarseSaltAndPepper(p: .constant(0.5), size: .pixels(.constant(5)), perChannel: .constant(1)),
        ]
        for aug in augs {
            for (w, h, c) in [(1, 1, 1), (3, 1, 3), (1, 5, 4), (7, 3, 2), (5, 5, 3)] {
                let img = DAC.pattern(width: w, height: h, channels: c)
                let out = try DAC.run(aug, img, seed: 5)
                XCTAssertEqual(out.width, w)
                XCTAssertEqual(out.height, h)
                XCTAssertEqual(out.channels, c)
                XCTAssertEqual(out, try DAC.run(aug, img, seed: 5), aug.name)
            }
        }
        // A grid finer than the image: every pixel still belongs to a cell, so p = 1 replaces them all.
        let tiny = try DAC.run(CoarseSaltAndPepper(p: .constant(1), size: .pixels(.constant(9))),
                               Image(width: 2, height: 3, channels: 1, fill: 128), seed: 2).bytes!
        XCTAssertTrue(tiny.allSatisfy { $0 != 128 }, "\(tiny)")
        // Uniform factors stay within the range (8-bit truncation).
        // E[trunc(100 U)] = 99.5 for U ~ Uniform(0.5, 1.5); sd 28.9 over 65536 factors.
        let mul = try DAC.run(MultiplyElementwise(mul: .range(0.5, 1.5)), Image(width: 256, height: 256, channels: 1, fill: 100)).bytes!
        XCTAssertTrue(mul.allSatisfy { $0 >= 50 && $0 <= 150 })
        XCTAssertEqual(Double(mul.reduce(0) { $0 + Int($1) }) / Double(mul.count), 99.5, accuracy: 0.5)
    }
}
