import MedAugCore
import XCTest
import Foundation
import MedAugData
import MedAugImage
import MedAugTorch
@testable import MedAugTrain

final class TrainingTests: XCTestCase {
    var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        Interrupt.set(false)
    }

    override func tearDownWithError() throws {
        Interrupt.set(false)
        try? FileManager.default.removeItem(at: tmp)
    }

    /// Two classes a CNN can tell apart: bright and dark noisy squares.
    func makeDataset(_ root: URL, perClass: Int, extraClass: String? = nil, augmentedCopies: Int = 0) throws {
        var rng = Xoshiro256(seed: 9)
        for (split, n) in [("train", perClass), ("test", max(2, perClass / 2))] {
            for (ci, cls) in (["bright", "dark"] + (extraClass.map { [$0] } ?? [])).enumerated() {
                let dir = root.appendingPathComponent("\(split)/\(cls)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                for i in 0..<n {
                    let base = ci == 0 ? 200 : 50
                    let px = (0..<(40 * 40 * 3)).map { _ in UInt8(max(0, min(255, base + rng.nextInt(below: 60) - 30))) }
                    let img = Image(width: 40, height: 40, channels: 3, bytes: px)
                    try ImageFile.write(img, to: dir.appendingPathComponent("img\(i).png").path)
                    if split == "train" {
                        for k in 0..<augmentedCopies {
                            try ImageFile.write(img, to: dir.appendingPathComponent("img\(i)_aug\(k + 1).png").path)
                        }
                    }
                }
            }
        }
    }

    func quickOptions(epochs: Int) -> TrainOptions {
        var o = TrainOptions(recipe: .studyCNN)
        o.epochs = epochs
        o.batchSize = 8
        o.valSplit = 0.25
        o.seed = 5
        o.device = .cpu
        o.dropout = 0.5
        return o
    }

    func testValidationNeverSharesASourceImage() throws {
        let root = tmp.appendingPathComponent("data")
        try makeDataset(root, perClass: 12, augmentedCopies: 3)
        let gan = root.appendingPathComponent("train/dark/gan_1_0.png")
        try ImageFile.write(Image(width: 4, height: 4, channels: 3), to: gan.path)
        let all = try LabeledSamples.load(root.path, part: .train)
        XCTAssertEqual(all.samples.count, 2 * 12 * 4 + 1)
        for seed in 0..<5 as Range<UInt64> {
            let (train, val) = try ValidationSplit.split(all.samples, fraction: 0.25, seed: seed)
            let tg = Set(train.map { $0.group! }), vg = Set(val.map { $0.group! })
            XCTAssertTrue(tg.isDisjoint(with: vg), "a source image is on both sides")
            XCTAssertEqual(train.count + val.count, all.samples.count)
            XCTAssertEqual(val.count % 4, 0, "an original travels with its 3 copies")
            XCTAssertTrue(train.contains { $0.path == gan.path }, "GAN images only train")
            XCTAssertFalse(val.contains { SourceGroup.isSynthetic($0.path) })
        }
        XCTAssertEqual(SourceGroup.key(for: "/r/train/a b/x_aug12.png", base: "/r/train", manifest: [:]), "a b/x")
    }

    func testResumedRunEndsWithTheSameWeights() throws {
        let root = tmp.appendingPathComponent("data")
        try makeDataset(root, perClass: 12)
        let straight = ClassifierTrainer(options: quickOptions(epochs: 3))
        straight.log = { _ in }
        let a = try straight.run(data: root.path, out: tmp.appendingPathComponent("a").path, resume: false)
        XCTAssertFalse(a.interrupted)
        XCTAssertEqual(a.history.count, 3)

        let first = ClassifierTrainer(options: quickOptions(epochs: 3))
        first.log = { line in if line.hasPrefix("epoch 1/") { Interrupt.set(true) } }
        let b1 = try first.run(data: root.path, out: tmp.appendingPathComponent("b").path, resume: false)
        XCTAssertTrue(b1.interrupted)
        XCTAssertEqual(b1.history.count, 1)
        Interrupt.set(false)
        let second = ClassifierTrainer(options: quickOptions(epochs: 3))
        second.log = { _ in }
        let b2 = try second.run(data: root.path, out: tmp.appendingPathComponent("b").path, resume: true)
        XCTAssertEqual(b2.history.count, 3)

        let wa = try SafeTensors.read(RunFiles(tmp.appendingPathComponent("a").path).last)
        let wb = try SafeTensors.read(RunFiles(tmp.appendingPathComponent("b").path).last)
        XCTAssertEqual(wa.names, wb.names)
        for name in wa.names {
            let x = try wa.tensors[name]!.values(as: Double.self), y = try wb.tensors[name]!.values(as: Double.self)
            let d = zip(x, y).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(d, 1e-5, name)
        }
        for (x, y) in zip(a.history, b2.history) { XCTAssertEqual(x.trainLoss, y.trainLoss, accuracy: 1e-6) }
        // The run folder has what a researcher looks for.
        for f in ["best.safetensors", "last.safetensors", "history.csv", "config.json", "curves.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: tmp.appendingPathComponent("a/\(f)").path), f)
        }
        let hist = try String(contentsOfFile: tmp.appendingPathComponent("a/history.csv").path, encoding: .utf8)
        XCTAssertTrue(hist.hasPrefix("epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds\n"))
        // A second start without --resume does not overwrite the run.
        XCTAssertThrowsError(try straight.run(data: root.path, out: tmp.appendingPathComponent("a").path, resume: false))
    }

    func testEvaluateWritesScikitLearnStyleOutputsAndRefusesUnknownClasses() throws {
        let root = tmp.appendingPathComponent("data")
        try makeDataset(root, perClass: 16)
        // BatchNorm's running statistics lag the weights for the first epochs, so eval mode
        // separates the classes only after about 10 epochs of 3 batches (8 were enough on
        // the processor this test was written on, not on every one).
        let t = ClassifierTrainer(options: quickOptions(epochs: 20))
        t.log = { _ in }
        let run = tmp.appendingPathComponent("run").path
        _ = try t.run(data: root.path, out: run, resume: false)
        let r = try Evaluator.run(run: run, data: root.path, device: .cpu, log: { _ in })
        XCTAssertEqual(r.metrics.classes, ["bright", "dark"])
        XCTAssertEqual(r.positive, 1, "two classes: the second name in sorted order is positive")
        XCTAssertGreaterThan(r.metrics.accuracy, 0.7, "bright vs dark is easy")
        let pred = try String(contentsOfFile: (r.out as NSString).appendingPathComponent("predictions.csv"), encoding: .utf8)
        XCTAssertTrue(pred.hasPrefix("path,true,pred,prob_bright,prob_dark\n"))
        XCTAssertEqual(pred.split(separator: "\n").count, 1 + 16)
        let report = try String(contentsOfFile: (r.out as NSString).appendingPathComponent("classification_report.txt"), encoding: .utf8)
        XCTAssertEqual(report, r.metrics.report())
        for f in ["metrics.json", "confusion_matrix.csv", "confusion_matrix.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: (r.out as NSString).appendingPathComponent(f)), f)
        }

        let other = tmp.appendingPathComponent("other")
        try makeDataset(other, perClass: 2, extraClass: "grey")
        XCTAssertThrowsError(try Evaluator.run(run: run, data: other.path, device: .cpu, log: { _ in })) { e in
            XCTAssertTrue("\(e)".contains("'grey'") && "\(e)".contains("unknown to the model"), "\(e)")
        }
    }
}

extension TrainingTests {
    /// 22 training images and batch 7 leave one image for the last batch, whose
    /// BatchNorm variance would be 0/0: the run must stay finite.
    func testALastBatchOfOneDoesNotPoisonBatchNorm() throws {
        let root = tmp.appendingPathComponent("data")
        try makeDataset(root, perClass: 11)
        var o = quickOptions(epochs: 2)
        o.valSplit = 0
        o.batchSize = 7
        let t = ClassifierTrainer(options: o)
        t.log = { _ in }
        let r = try t.run(data: root.path, out: tmp.appendingPathComponent("run").path, resume: false)
        XCTAssertEqual(r.history.count, 2)
        for h in r.history { XCTAssertTrue(h.trainLoss.isFinite && (h.valLoss ?? 0).isFinite) }
        let w = try SafeTensors.read(RunFiles(tmp.appendingPathComponent("run").path).last)
        XCTAssertTrue(try w.tensors["fcbn1.running_var"]!.values(as: Float.self).allSatisfy(\.isFinite))
    }
}
