import MedAugCore
import XCTest
import Foundation
@testable import MedAugExperiment

/// What `--resume` may change: the number of repeats (cells are added or
/// left out), nothing else; the config's mistakes are found when it is read.
extension ExperimentTests {
    func testResumeRefusesAnotherConfigurationBeforeTraining() throws {
        let c = try config()
        let out = tmp.appendingPathComponent("out")
        var saved = c
        saved.seed = 99
        try RunFolder(out.path, settings: "experiment.json", holds: "an experiment").record(saved)
        let r = ExperimentRunner(config: c, out: out.path)
        r.resume = true
        r.log = { _ in }
        XCTAssertThrowsError(try r.run()) { e in
            XCTAssertTrue(e is RunFolderError && "\(e)".contains("only the number of repeats"), "\(e)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("runs").path), "nothing trained")
        let fresh = ExperimentRunner(config: c, out: out.path)
        fresh.log = { _ in }
        XCTAssertThrowsError(try fresh.run()) { e in XCTAssertTrue("\(e)".contains("--resume"), "\(e)") }
    }

    func testVariantFoldersAndOverridesAreCheckedWhenTheConfigIsRead() {
        func parse(_ yaml: String) throws -> ExperimentConfig {
            try ExperimentConfig.parse(try ConfigCoding.parse(yaml, format: .yaml, source: "e.yaml"), source: "e.yaml")
        }
        let head = "name: x\ndata: d\nrecipe: study-cnn\nepochs: 1\nrepeats: 1\n"
        XCTAssertThrowsError(try parse(head + "variants: [{name: Aug 1}, {name: AUG-1}]\n")) { e in
            XCTAssertTrue("\(e)".contains("runs/aug-1/"), "\(e)")
        }
        XCTAssertThrowsError(try parse(head + "overrides: {model: vgg}\nvariants: [{name: a}]\n")) { e in
            XCTAssertTrue("\(e)".contains("vgg") && "\(e)".contains("resnet50"), "\(e)")
        }
        XCTAssertThrowsError(try parse(head + "overrides: {batch_size: 1e300}\nvariants: [{name: a}]\n")) { e in
            XCTAssertTrue("\(e)".contains("batch_size"), "\(e)")
        }
        XCTAssertThrowsError(try parse(head + "gan: {image_size: 48}\nvariants: [{name: a}]\n")) { e in
            XCTAssertTrue("\(e)".contains("gan.image_size") && "\(e)".contains("128"), "\(e)")
        }
    }
}
