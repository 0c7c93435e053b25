import XCTest
import MedAugTorch
@testable import MedAugModels

final class RegistryTests: XCTestCase {
    func testNamesAreTheOnesFilesHold() {
        XCTAssertEqual(ModelArchitecture.allCases.map(\.rawValue), ["simple-cnn", "resnet18", "resnet34", "resnet50"])
        XCTAssertEqual(ModelArchitecture.simpleCNN.spec.pytorchName, "CS230 SIGNS net")
        XCTAssertEqual(ModelArchitecture.resnet50.spec.pytorchName, "torchvision.models.resnet50")
    }

    func testEveryArchitectureBuildsWithItsHeadAndPartitionsItsParameters() throws {
        for arch in ModelArchitecture.allCases {
            let spec = arch.spec
            XCTAssertEqual(spec.architecture, arch)
            XCTAssertFalse(spec.summary.isEmpty)
            XCTAssertFalse(spec.summary.contains("\n"), "\(arch): the summary is one --help line")
            XCTAssertEqual(spec.defaultScaling, .unit)
            XCTAssertEqual(spec.defaultInputSize, spec.fixedInputSize ?? 224)
            for classes in [2, 3] {
                let model = try arch.build(classes: classes, dropout: 0.5)
                XCTAssertEqual(model.headKeyPrefix, spec.headKeyPrefix, "\(arch)")
                let shapes = Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.0, $0.1.shape) })
                XCTAssertEqual(shapes["\(spec.headKeyPrefix).bias"], [classes], "\(arch)")
                XCTAssertEqual(shapes["\(spec.headKeyPrefix).weight"]?.first, classes, "\(arch)")

                // Head and backbone partition parameters(), each in its order.
                let all = model.parameters().map(ObjectIdentifier.init)
                let head = model.headParameters().map(ObjectIdentifier.init)
                let backbone = model.backboneParameters().map(ObjectIdentifier.init)
                XCTAssertEqual(head.count, 2, "\(arch): weight and bias")
                XCTAssertEqual(backbone + head, all, "\(arch): the head is the last layer")
                XCTAssertTrue(Set(head).isDisjoint(with: backbone))

                model.eval()
                let side = spec.fixedInputSize ?? 64
                let out = try withNoGrad { () throws(TorchError) in try model(Tensor.randn([1, 3, side, side])) }
                XCTAssertEqual(out.shape, [1, classes], "\(arch)")
            }
        }
    }

    func testHeadPrefixesAreTheRealHeads() throws {
        XCTAssertEqual(ModelArchitecture.simpleCNN.spec.headKeyPrefix, "fc2")
        XCTAssertEqual(ModelArchitecture.resnet18.spec.headKeyPrefix, "fc")
        let cnn = try SmallCNN(classes: 4)
        XCTAssertTrue(cnn.headParameters()[0] === cnn.fc2.weight)
        XCTAssertFalse(cnn.isHeadKey("fcbn1.weight"), "a prefix match must stop at a dot")
        XCTAssertTrue(cnn.isHeadKey("fc2.bias"))
    }

    func testBuildRejectsWhatNoNetworkCanBe() {
        XCTAssertThrowsError(try ModelArchitecture.resnet18.build(classes: 0, dropout: 0)) { e in
            XCTAssertTrue(e is ModelError, "\(e)")
            XCTAssertTrue("\(e)".contains("needs at least one class, got 0"), "\(e)")
        }
        XCTAssertThrowsError(try ModelArchitecture.simpleCNN.build(classes: 2, dropout: 1.5)) { e in
            XCTAssertTrue(e is ModelError, "\(e)")
            XCTAssertTrue("\(e)".contains("dropout must be in [0, 1], got 1.5"), "\(e)")
        }
        XCTAssertThrowsError(try ModelArchitecture.simpleCNN.build(classes: 2, dropout: .nan))
    }

    func testTheSmallCNNTakesTheRegistrysDropout() throws {
        let model = try ModelArchitecture.simpleCNN.build(classes: 2, dropout: 0.25)
        let cnn = try XCTUnwrap(model as? SmallCNN)
        XCTAssertEqual(cnn.dropoutRate, 0.25)
    }
}
