import MedAugCore
import XCTest
import Foundation
import MedAugData
import MedAugImage
import MedAugTorch
@testable import MedAugTrain

final class GANTests: XCTestCase {
    var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-gan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        Interrupt.set(false)
    }

    override func tearDownWithError() throws {
        Interrupt.set(false)
        try? FileManager.default.removeItem(at: tmp)
    }

    func makeClassFolders(_ root: URL, channels: Int, counts: [String: Int]) throws {
        var rng = Xoshiro256(seed: 3)
        for (cls, n) in counts {
            let dir = root.appendingPathComponent(cls)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for i in 0..<n {
                let px = (0..<(48 * 40 * channels)).map { _ in UInt8(rng.nextInt(below: 256)) }
                try ImageFile.write(Image(width: 48, height: 40, channels: channels, bytes: px), to: dir.appendingPathComponent("\(i).png").path)
            }
        }
    }

    func tiny(epochs: Int) -> GANOptions {
        var o = GANOptions()
        o.epochs = epochs
        o.batchSize = 4
        o.imageSize = .px32
        o.nz = 8
        o.ngf = 8
        o.ndf = 8
        o.device = .cpu
        o.sampleEvery = 1
        o.seed = 11
        return o
    }

    func testResumeAfterAKillContinuesTheLossCurve() throws {
        let data = tmp.appendingPathComponent("data")
        try makeClassFolders(data, channels: 3, counts: ["lesion": 10])
        let straight = GANTrainer(options: tiny(epochs: 3))
        straight.log = { _ in }
        _ = try straight.run(data: data.path, out: tmp.appendingPathComponent("a").path, resume: false)

        let first = GANTrainer(options: tiny(epochs: 3))
        first.log = { if $0.contains("epoch 2/3") { Interrupt.set(true) } }
        let r = try first.run(data: data.path, out: tmp.appendingPathComponent("b").path, resume: false)
        XCTAssertTrue(r.interrupted)
        Interrupt.set(false)
        let b = GANFiles(tmp.appendingPathComponent("b/lesion").path)
        XCTAssertEqual(try GANLossFile.read(b.losses).map(\.epoch).max(), 2)
        let second = GANTrainer(options: tiny(epochs: 3))
        second.log = { _ in }
        _ = try second.run(data: data.path, out: tmp.appendingPathComponent("b").path, resume: true)

        let la = try GANLossFile.read(GANFiles(tmp.appendingPathComponent("a/lesion").path).losses)
        let lb = try GANLossFile.read(b.losses)
        XCTAssertEqual(la.count, 3 * 3, "3 epochs of 3 batches (10 images, batch 4: the last one smaller)")
        XCTAssertEqual(lb.map(\.iteration), Array(1...9), "the resumed curve continues, it does not restart")
        for (x, y) in zip(la, lb) {
            XCTAssertEqual(x.lossD, y.lossD, accuracy: 1e-5)
            XCTAssertEqual(x.lossG, y.lossG, accuracy: 1e-5)
        }
        for f in ["generator.safetensors", "discriminator.safetensors", "losses.csv", "curves.svg", "health.json",
                  "samples/epoch_0001.png", "samples/final.png", "optimizer_g.state"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: b.path(f)), f)
        }
    }

    func testGrayAndRGBAndAClassSmallerThanABatch() throws {
        let data = tmp.appendingPathComponent("gray")
        try makeClassFolders(data, channels: 1, counts: ["Normal": 3, "Viral Pneumonia": 5])
        var o = tiny(epochs: 1)
        o.batchSize = 16
        let t = GANTrainer(options: o)
        t.log = { _ in }
        _ = try t.run(data: data.path, out: tmp.appendingPathComponent("g").path, resume: false)
        let state = try JSONDecoder().decode(GANState.self, from: Data(contentsOf: URL(fileURLWithPath: GANFiles(tmp.appendingPathComponent("g/Normal").path).state)))
        XCTAssertEqual(state.nc, 1, "grayscale datasets train with one channel")
        XCTAssertEqual(state.iterations, 1, "3 images and batch 16: one smaller batch")

        let out = tmp.appendingPathComponent("samples")
        let files = try GANSampler.sample(run: tmp.appendingPathComponent("g").path, classes: ["Viral Pneumonia"], count: 5,
                                          out: out.path, size: (50, 60), seed: 4, device: .cpu, log: { _ in })
        XCTAssertEqual(files.count, 5)
        XCTAssertTrue(files[0].hasSuffix("Viral Pneumonia/gan_4_0.png"))
        let img = try ImageFile.read(files[0])
        XCTAssertEqual([img.width, img.height, img.channels], [50, 60, 1])
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("manifest.csv").path))

        let rgb = tmp.appendingPathComponent("rgb")
        try makeClassFolders(rgb, channels: 3, counts: ["benign": 4])
        _ = try t.run(data: rgb.path, out: tmp.appendingPathComponent("c").path, resume: false)
        let s2 = try JSONDecoder().decode(GANState.self, from: Data(contentsOf: URL(fileURLWithPath: GANFiles(tmp.appendingPathComponent("c/benign").path).state)))
        XCTAssertEqual(s2.nc, 3)
    }

    func testKernelDistanceSeparatesDistributions() {
        var rng = Xoshiro256(seed: 1)
        func cloud(_ shift: Float, _ n: Int) -> [[Float]] {
            (0..<n).map { _ in (0..<8).map { _ in Float(rng.nextGaussian()) + shift } }
        }
        let a = cloud(0, 60), b = cloud(0, 60), c = cloud(2, 60)
        let same = GANScorer.kernelDistance(a, b).0, far = GANScorer.kernelDistance(a, c).0
        XCTAssertLessThan(abs(same), 0.5)
        XCTAssertGreaterThan(far, 5 * max(abs(same), 0.01))
    }
}
