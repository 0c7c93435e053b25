import MedAugAugment
import MedAugCore
import MedAugImage
import XCTest
@testable import MedAugTrain

/// An unfinished `medaug augment` output is continued only with the same
/// settings, so two runs' files never mix; a finished one leaves no record.
extension TrainingTests {
    func testAugmentRefusesToContinueWithOtherSettings() throws {
        let root = tmp.appendingPathComponent("data")
        try makeDataset(root, perClass: 2)
        let out = tmp.appendingPathComponent("aug").path
        var a = DatasetAugmenter(pipeline: try PipelineSource("aug1").load())
        a.copies = 1
        a.seed = 1
        a.log = { _ in }
        a.showProgress = false
        // What a run killed part-way leaves: its settings record.
        let folder = RunFolder(out, settings: DatasetAugmenter.settingsName, holds: "an unfinished augmentation")
        try folder.record(DatasetAugmenter.Settings(pipeline: PipelineWriter.render(a.pipeline, format: .json), copies: 1, seed: 2,
                                                    keepOriginal: true, format: "png"))
        XCTAssertThrowsError(try a.run(input: root.path, output: out)) { e in
            XCTAssertTrue(e is RunFolderError && "\(e)".contains("pipeline, seed"), "\(e)")
        }
        a.seed = 2
        let r = try a.run(input: root.path, output: out)
        XCTAssertEqual(r.written, 2 * 2 * 2 + 2 * 2, "originals and one copy of 4 training images, 4 test images")
        XCTAssertFalse(folder.isStarted, "a finished run removes its record")
        XCTAssertNoThrow(try a.run(input: root.path, output: out), "a finished output may be written again")
    }
}
