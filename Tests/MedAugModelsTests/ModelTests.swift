import XCTest
import MedAugTorch
@testable import MedAugModels

final class ModelTests: XCTestCase {
    func testDCGANAt64IsTheTutorialsNetwork() throws {
        let g = try DCGANGenerator()
        let d = try DCGANDiscriminator()
        let gShapes = g.namedParameters().map { "\($0.0) \($0.1.shape)" }
        XCTAssertEqual(gShapes, [
            "main.0.weight [100, 512, 4, 4]", "main.1.weight [512]", "main.1.bias [512]",
            "main.3.weight [512, 256, 4, 4]", "main.4.weight [256]", "main.4.bias [256]",
            "main.6.weight [256, 128, 4, 4]", "main.7.weight [128]", "main.7.bias [128]",
            "main.9.weight [128, 64, 4, 4]", "main.10.weight [64]", "main.10.bias [64]",
            "main.12.weight [64, 3, 4, 4]",
        ])
        let dShapes = d.namedParameters().map { "\($0.0) \($0.1.shape)" }
        XCTAssertEqual(dShapes, [
            "main.0.weight [64, 3, 4, 4]",
            "main.2.weight [128, 64, 4, 4]", "main.3.weight [128]", "main.3.bias [128]",
            "main.5.weight [256, 128, 4, 4]", "main.6.weight [256]", "main.6.bias [256]",
            "main.8.weight [512, 256, 4, 4]", "main.9.weight [512]", "main.9.bias [512]",
            "main.11.weight [1, 512, 4, 4]",
        ])
        XCTAssertTrue(g.stateDict().contains { $0.0 == "main.1.running_mean" })
        let z = try Tensor.randn([2, 100, 1, 1])
        let img = try g(z)
        XCTAssertEqual(img.shape, [2, 3, 64, 64])
        let v = try img.values(as: Float.self)
        XCTAssertTrue(v.allSatisfy { $0 >= -1 && $0 <= 1 })
        XCTAssertEqual(try d(img).shape, [2])
    }

    func testDCGANInitialisationFollowsTheTutorial() throws {
        try Torch.manualSeed(0)
        let g = try DCGANGenerator()
        let w = try g.namedParameters().first { $0.0 == "main.3.weight" }!.1.values(as: Float.self)
        let mean = w.reduce(0, +) / Float(w.count)
        let sd = (w.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(w.count)).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 0.001)
        XCTAssertEqual(sd, 0.02, accuracy: 0.001)
        let bn = try g.namedParameters().first { $0.0 == "main.1.weight" }!.1.values(as: Float.self)
        XCTAssertEqual(bn.reduce(0, +) / Float(bn.count), 1, accuracy: 0.01)
    }

    func testDCGANOtherSizes() throws {
        for (size, nc) in [(32, 1), (128, 3)] {
            let cfg = DCGANConfig(imageSize: size, nz: 16, ngf: 8, ndf: 8, nc: nc)
            let g = try DCGANGenerator(cfg)
            let d = try DCGANDiscriminator(cfg)
            g.eval(); d.eval()
            let img = try g(Tensor.randn([1, 16, 1, 1]))
            XCTAssertEqual(img.shape, [1, nc, size, size])
            XCTAssertEqual(try d(img).shape, [1])
        }
        XCTAssertThrowsError(try DCGANGenerator(DCGANConfig(imageSize: 48))) { e in
            XCTAssertEqual(e as? ModelError, ModelError("DCGAN image size must be 32, 64, 128 or 256, got 48"))
        }
    }

    func testSmallCNNHasCS230Names() throws {
        let m = try SmallCNN(classes: 2)
        XCTAssertEqual(m.namedParameters().map(\.0), [
            "conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias",
            "conv2.weight", "conv2.bias", "bn2.weight", "bn2.bias",
            "conv3.weight", "conv3.bias", "bn3.weight", "bn3.bias",
            "fc1.weight", "fc1.bias", "fcbn1.weight", "fcbn1.bias", "fc2.weight", "fc2.bias",
        ])
        XCTAssertEqual(m.stateDict().map(\.0).filter { $0.hasPrefix("fcbn1.") || $0.hasPrefix("fc2.") }, [
            "fcbn1.weight", "fcbn1.bias", "fcbn1.running_mean", "fcbn1.running_var", "fcbn1.num_batches_tracked",
            "fc2.weight", "fc2.bias",
        ])
        XCTAssertEqual(m.fc1.weight.shape, [128, 8 * 8 * 128])
        let out = try m(Tensor.randn([3, 3, 64, 64]))
        XCTAssertEqual(out.shape, [3, 2])
    }

    /// torchvision's state_dict order: a block's conv1, bn1, conv2, bn2(, conv3, bn3), then downsample.
    private func torchvisionKeys(_ depth: ResNetDepth) -> [String] {
        func bn(_ p: String) -> [String] { ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"].map { "\(p).\($0)" } }
        var keys = ["conv1.weight"] + bn("bn1")
        let convs = depth == .resnet50 ? 3 : 2
        for (stage, count) in [(1, depth == .resnet18 ? 2 : 3), (2, depth == .resnet18 ? 2 : 4),
                               (3, depth == .resnet18 ? 2 : 6), (4, depth == .resnet18 ? 2 : 3)] {
            for block in 0..<count {
                let p = "layer\(stage).\(block)"
                for c in 1...convs { keys += ["\(p).conv\(c).weight"] + bn("\(p).bn\(c)") }
                if block == 0 && (stage > 1 || depth == .resnet50) { keys += ["\(p).downsample.0.weight"] + bn("\(p).downsample.1") }
            }
        }
        return keys + ["fc.weight", "fc.bias"]
    }

    func testResNetKeysMatchTorchvision() throws {
        let r18 = try ResNet(.resnet18, classes: 3)
        let keys = r18.stateDict().map(\.0)
        XCTAssertEqual(keys, torchvisionKeys(.resnet18))
        XCTAssertEqual(try ResNet(.resnet34, classes: 2).stateDict().map(\.0), torchvisionKeys(.resnet34))
        XCTAssertEqual(r18.namedParameters().count, 62)
        XCTAssertEqual(keys.count, 122)
        for k in ["conv1.weight", "bn1.running_var", "layer1.0.conv1.weight", "layer1.1.bn2.bias",
                  "layer2.0.downsample.0.weight", "layer2.0.downsample.1.running_mean", "layer4.1.conv2.weight",
                  "fc.weight", "fc.bias"] {
            XCTAssertTrue(keys.contains(k), k)
        }
        XCTAssertEqual(r18.fc.weight.shape, [3, 512])
        let r50 = try ResNet(.resnet50, classes: 2)
        let k50 = r50.stateDict().map(\.0)
        XCTAssertEqual(k50, torchvisionKeys(.resnet50))
        XCTAssertEqual(r50.namedParameters().count, 161)
        XCTAssertEqual(k50.count, 320)
        XCTAssertTrue(k50.contains("layer3.5.conv3.weight"))
        XCTAssertEqual(r50.fc.weight.shape, [2, 2048])
        r18.eval()
        XCTAssertEqual(try r18(Tensor.randn([1, 3, 64, 64])).shape, [1, 3])
    }
}
