import XCTest
import Foundation
import MedAugCore
import MedAugTorch
@testable import MedAugTrain
import MedAugAugment

/// MixUp and CutMix against torchvision.transforms.v2 (parity/make_mix_fixtures.py).
final class BatchMixingTests: XCTestCase {
    struct Fixture: Decodable {
        struct Case: Decodable {
            let name: String, kind: String, labels: [Int], classes: Int, shape: [Int]
            let images: [Float], lambda: Double
            let center: [Int]?, box: [Int]?
            let label_weight: Double?
            let mixed_images: [Float], mixed_labels: [[Double]]
        }
        let torchvision: String
        let cases: [Case]
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/mixing.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    func testMixedImagesAndTargetsEqualTorchvisionsForTheSameLambdaAndBox() throws {
        XCTAssertTrue(Self.fixture.torchvision.hasPrefix("0.29"))
        XCTAssertEqual(Self.fixture.cases.count, 5)
        for c in Self.fixture.cases {
            var x = c.images
            let weight: Double
            if c.kind == "cutmix" {
                let box = BatchMixing.cutmixBox(lambda: c.lambda, centerX: c.center![0], centerY: c.center![1], width: c.shape[3], height: c.shape[2])
                XCTAssertEqual([box.x1, box.y1, box.x2, box.y2], c.box, c.name)
                weight = BatchMixing.cutmix(&x, shape: c.shape, box: box)
                XCTAssertEqual(weight, c.label_weight!, accuracy: 1e-12, c.name)
                XCTAssertEqual(x, c.mixed_images, "\(c.name): CutMix copies pixels exactly")
            } else {
                weight = c.lambda
                BatchMixing.mixup(&x, shape: c.shape, lambda: c.lambda)
                for (a, b) in zip(x, c.mixed_images) { XCTAssertEqual(a, b, accuracy: 1e-6, c.name) }
            }
            let targets = BatchMixing.mixLabels(BatchMixing.oneHot(c.labels, classes: c.classes), lambda: weight)
            XCTAssertEqual(targets.count, c.mixed_labels.count)
            for (row, want) in zip(targets, c.mixed_labels) {
                XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-12, "\(c.name): a mixed target sums to 1")
                for (a, b) in zip(row, want) { XCTAssertEqual(a, b, accuracy: 1e-6, c.name) }
            }
        }
    }

    func testBetaDrawsHaveBetasMeanAndVariance() {
        for alpha in [0.001, 0.2, 1.0, 2.5] {
            var rng = Xoshiro256(seed: 7)
            let draws = (0..<40_000).map { _ in BatchMixing.beta(alpha, &rng) }
            let mean = draws.reduce(0, +) / Double(draws.count)
            let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count - 1)
            XCTAssertEqual(mean, 0.5, accuracy: 0.01, "alpha \(alpha)")
            XCTAssertEqual(variance, 1 / (4 * (2 * alpha + 1)), accuracy: 0.004, "alpha \(alpha)")
            XCTAssertTrue(draws.allSatisfy { (0...1).contains($0) })
            if alpha < 0.01 {
                // Beta(0.001, 0.001) sits at the ends: hardly any draw near the middle.
                XCTAssertLessThan(Double(draws.filter { (0.01...0.99).contains($0) }.count) / Double(draws.count), 0.02)
            }
        }
    }

    func testBothMixesAlternateByTheSwitchProbabilityAndTargetsStaySoft() {
        var rng = Xoshiro256(seed: 1)
        var cut = 0
        let shape = [4, 1, 6, 6]
        for _ in 0..<2000 {
            var x = [Float](repeating: 0, count: 4 * 36)
            var t = BatchMixing.oneHot([0, 1, 2, 0], classes: 3)
            let d = BatchMixing.apply(MixSettings(mixup: 0.4, cutmix: 1, switchProbability: 0.3), &x, shape: shape, targets: &t, rng: &rng)!
            if d.cutmix { cut += 1 }
            XCTAssertTrue(t.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-12 })
        }
        XCTAssertEqual(Double(cut) / 2000, 0.3, accuracy: 0.04)
        var x: [Float] = [1, 2]
        var t = [[1.0, 0.0], [0.0, 1.0]]
        XCTAssertNil(BatchMixing.apply(MixSettings(), &x, shape: [2, 1, 1, 1], targets: &t, rng: &rng), "no alpha, no mixing")
    }
}

extension TrainingTests {
    /// Killed after its first epoch and resumed, a MixUp+CutMix run mixes every
    /// batch as the uninterrupted run did and ends with the same weights.
    func testAResumedMixedRunEndsWithTheSameWeights() throws {
        let root = tmp.appendingPathComponent("data")
        try makeDataset(root, perClass: 12)
        var o = quickOptions(epochs: 3)
        o.mix = MixSettings(mixup: 0.4, cutmix: 1.0)
        let straight = ClassifierTrainer(options: o)
        straight.log = { _ in }
        let a = try straight.run(data: root.path, out: tmp.appendingPathComponent("a").path, resume: false)
        let first = ClassifierTrainer(options: o)
        first.log = { line in if line.hasPrefix("epoch 1/") { Interrupt.set(true) } }
        XCTAssertTrue(try first.run(data: root.path, out: tmp.appendingPathComponent("b").path, resume: false).interrupted)
        Interrupt.set(false)
        let second = ClassifierTrainer(options: o)
        second.log = { _ in }
        let b = try second.run(data: root.path, out: tmp.appendingPathComponent("b").path, resume: true)
        for (x, y) in zip(a.history, b.history) { XCTAssertEqual(x.trainLoss, y.trainLoss, accuracy: 1e-6) }
        let wa = try SafeTensors.read(RunFiles(tmp.appendingPathComponent("a").path).last)
        let wb = try SafeTensors.read(RunFiles(tmp.appendingPathComponent("b").path).last)
        for name in wa.names {
            let x = try wa.tensors[name]!.values(as: Double.self), y = try wb.tensors[name]!.values(as: Double.self)
            XCTAssertLessThanOrEqual(zip(x, y).map { abs($0 - $1) }.max() ?? 0, 1e-5, name)
        }
    }

    /// A short run with MixUp, and one with CutMix, on images a CNN can tell
    /// apart: training on soft targets still learns the classes.
    func testTrainingWithMixUpOrCutMixConverges() throws {
        let root = tmp.appendingPathComponent("data")
        try makeDataset(root, perClass: 16)
        for (name, mix) in [("mixup", MixSettings(mixup: 0.4)), ("cutmix", MixSettings(cutmix: 1.0))] {
            var o = quickOptions(epochs: 20)
            o.mix = mix
            let t = ClassifierTrainer(options: o)
            t.log = { _ in }
            let run = tmp.appendingPathComponent("run-\(name)").path
            let outcome = try t.run(data: root.path, out: run, resume: false)
            XCTAssertTrue(outcome.history.allSatisfy { $0.trainLoss.isFinite }, name)
            XCTAssertEqual(try RunConfig.read(RunFiles(run).config).options.mix, mix, "\(name) is recorded in config.json")
            let r = try Evaluator.run(run: run, data: root.path, device: .cpu, settings: EvaluationSettings(bootstrap: 0), log: { _ in })
            XCTAssertGreaterThan(r.metrics.accuracy, 0.7, "\(name): bright vs dark is still easy")
        }
    }
}
