import XCTest
import MedAugTorch
import MedAugTrain

/// `--device` is read by DeviceSetting and resolved against what libtorch
/// sees; a GPU that is not there is a setting error, not a libtorch one.
final class DeviceSettingTests: XCTestCase {
    func testParsesTheDocumentedForms() {
        XCTAssertEqual(DeviceSetting("cpu"), .cpu)
        XCTAssertEqual(DeviceSetting("AUTO"), .auto)
        XCTAssertEqual(DeviceSetting("cuda"), .cuda(nil))
        XCTAssertEqual(DeviceSetting("cuda:1"), .cuda(1))
        XCTAssertNil(DeviceSetting("tpu"))
        XCTAssertNil(DeviceSetting("cuda:-1"))
    }

    func testResolvesOrNamesTheFix() throws {
        XCTAssertEqual(try DeviceSetting.cpu.resolve(), .cpu)
        let gpus = Torch.cudaAvailable ? Torch.cudaDeviceCount : 0
        XCTAssertEqual(try DeviceSetting.auto.resolve(), gpus > 0 ? .cuda(0) : .cpu)
        if gpus == 0 {
            XCTAssertThrowsError(try DeviceSetting.cuda(nil).resolve()) { e in
                guard let e = e as? TrainError else { return XCTFail("not a TrainError: \(e)") }
                XCTAssertEqual(e.kind, .setting)
                XCTAssertTrue(e.description.contains("--device cuda"), e.description)
                XCTAssertTrue(e.description.contains("no CUDA GPU") && e.description.contains("--device cpu or auto"), e.description)
                XCTAssertFalse(e.description.lowercased().contains("libtorch"), e.description)
            }
        } else {
            XCTAssertEqual(try DeviceSetting.cuda(nil).resolve(), .cuda(0))
        }
        // One past the last GPU (cuda:0 when there is none) is never there.
        XCTAssertThrowsError(try DeviceSetting.cuda(gpus).resolve()) { e in
            guard let e = e as? TrainError else { return XCTFail("not a TrainError: \(e)") }
            XCTAssertEqual(e.kind, .setting)
            XCTAssertTrue(e.description.contains("--device cuda:\(gpus)"), e.description)
            XCTAssertFalse(e.description.lowercased().contains("libtorch"), e.description)
        }
    }
}
