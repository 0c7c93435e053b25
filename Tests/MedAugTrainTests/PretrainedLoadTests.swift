import XCTest
import Foundation
import MedAugModels
import MedAugTorch
import MedAugTrain

/// Pretrained weights that do not fit are the checkpoint's fault: the error
/// names the file and the keys, and never reads as a libtorch failure.
final class PretrainedLoadTests: XCTestCase {
    func testWeightsThatDoNotFitNameTheFileAndKeys() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pre-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("wrong.safetensors").path
        let model = try ModelArchitecture.simpleCNN.build(classes: 2, dropout: 0.5)
        var weights = model.stateDict().filter { !model.isHeadKey($0.0) }
        weights = weights.map { $0.0 == "conv1.weight" ? ($0.0, try! Tensor.zeros([1])) : $0 }
        try SafeTensors.write(weights, to: path)
        XCTAssertThrowsError(try ClassifierFactory.loadPretrained(path, into: model)) { e in
            guard let e = e as? CheckpointError else { return XCTFail("not a CheckpointError: \(e)") }
            XCTAssertEqual(e.file, path)
            XCTAssertTrue(e.description.hasPrefix("\(path): state dict does not fit the model: "), e.description)
            XCTAssertTrue(e.description.contains("shape mismatch for conv1.weight"), e.description)
            XCTAssertFalse(e.description.hasPrefix("libtorch:"), e.description)
        }
    }
}
