import Foundation
import MedAugTestSupport
import XCTest

/// `medaug` on a machine without the torch wheel: the loader is pointed at a
/// file that does not exist, as it would find nothing beside a copied binary.
final class TorchRuntimeAbsentTests: XCTestCase {
    let absent = ["MEDAUG_TORCH_RUNTIME": "/nonexistent/medaug-test/libMedAugTorchRuntime.so"]
    var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-notorch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    func testDataCommandsRunWithoutTheRuntime() throws {
        let data = tmp.appendingPathComponent("data"), out = tmp.appendingPathComponent("aug")
        try TinyDataset.write(to: data)

        for args in [["--help"], ["augmenters"], ["info", data.path],
                     ["synth", "--kind", "chest-xray", "--out", tmp.appendingPathComponent("synth").path, "--scale", "0.02"],
                     ["augment", "--input", data.path, "--output", out.path, "--preset", "aug1", "--copies", "1"],
                     ["preview", "--input", data.path, "--preset", "aug2", "--out", tmp.appendingPathComponent("grid.png").path]] {
            let r = try MedaugBinary.run(args, in: tmp, environment: absent)
            XCTAssertEqual(r.status, 0, "medaug \(args.joined(separator: " ")) without libtorch: \(r.err)")
            XCTAssertFalse(r.err.contains("torch"), "\(args[0]) mentions torch: \(r.err)")
        }
        // The augmented set is complete: 12 training originals and 12 copies.
        let manifest = try String(contentsOf: out.appendingPathComponent("manifest.csv"), encoding: .utf8)
        XCTAssertEqual(manifest.split(separator: "\n").count, 1 + 24 + 4)
    }

    func testNetworkCommandsNameTheFixAndWriteNothing() throws {
        let data = tmp.appendingPathComponent("data")
        try TinyDataset.write(to: data)
        let before = try FolderSnapshot.take(tmp)
        for args in [["train", "--data", data.path, "--out", tmp.appendingPathComponent("run").path, "--epochs", "1"],
                     ["gan", "train", "--data", data.path, "--out", tmp.appendingPathComponent("gan").path],
                     ["demo", "--out", tmp.appendingPathComponent("demo").path]] {
            let r = try MedaugBinary.run(args, in: tmp, environment: absent)
            XCTAssertNotEqual(r.status, 0, "medaug \(args.joined(separator: " ")) ran without libtorch")
            XCTAssertTrue(r.err.contains("/nonexistent/medaug-test/libMedAugTorchRuntime.so"), r.err)
            XCTAssertTrue(r.err.contains("make setup"), "no fix named: \(r.err)")
            XCTAssertEqual(r.err.split(separator: "\n").count, 1, "one line, no stack: \(r.err)")
        }
        XCTAssertEqual(try FolderSnapshot.take(tmp), before, "a network command wrote something before failing")

        let doctor = try MedaugBinary.run(["doctor"], in: tmp, environment: absent)
        XCTAssertEqual(doctor.status, 1)
        XCTAssertTrue(doctor.out.contains("not loaded"), doctor.out)
        XCTAssertTrue(doctor.out.contains("make setup"), doctor.out)
    }

    /// With the runtime present, doctor loads it from beside the binary.
    func testDoctorNamesTheRuntimeItLoaded() throws {
        let r = try MedaugBinary.run(["doctor"], in: tmp)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("libMedAugTorchRuntime.so"), r.out)
        XCTAssertTrue(r.out.contains("libtorch check: ok"), r.out)
    }
}
