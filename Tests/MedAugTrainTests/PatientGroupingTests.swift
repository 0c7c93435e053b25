import Foundation
import MedAugAugment
import MedAugCore
import MedAugData
import MedAugImage
@testable import MedAugTrain
import XCTest

/// Training keeps patients together: a val/ folder is the validation set,
/// a drawn validation set never splits a patient (nor a patient's augmented
/// copies), and `augment` carries patient keys to its output.
final class PatientGroupingTests: XCTestCase {
    var tmp: URL!

    override class func setUp() {
        super.setUp()
        setenv("MEDAUG_ID_SALT", "medaug-tests", 1)
    }

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-groups-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    func at(_ rel: String) -> String { tmp.appendingPathComponent(rel).path }

    func image(_ rel: String, fill: UInt8 = 90) throws {
        try FileManager.default.createDirectory(atPath: (at(rel) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try ImageFile.write(Image(width: 8, height: 6, channels: 3, fill: fill), to: at(rel))
    }

    func testValFolderIsTheValidationSet() throws {
        for split in ["train", "val", "test"] {
            for c in ["a", "b"] { for i in 0..<3 { try image("d/\(split)/\(c)/\(i).png") } }
        }
        let set = try LabeledSamples.load(at("d"), part: .train, options: DatasetOptions())
        XCTAssertEqual(set.validation.count, 6)
        let (train, val) = try set.split(fraction: 0.5, seed: 3)
        XCTAssertEqual(train.count, 6, "nothing is carved from train/ when val/ is there")
        XCTAssertEqual(Set(val.map(\.path)), Set((try Dataset.load(root: at("d"), options: DatasetOptions())).samples(in: .validation).map(\.path)))
        XCTAssertTrue(val.allSatisfy { $0.split == .validation })
        XCTAssertEqual(try LabeledSamples.load(at("d"), part: .test, options: DatasetOptions()).samples.count, 6)

        // Without val/ a share is drawn as before.
        try FileManager.default.removeItem(atPath: at("d/val"))
        let (t2, v2) = try LabeledSamples.load(at("d"), part: .train, options: DatasetOptions()).split(fraction: 0.5, seed: 3)
        XCTAssertEqual(t2.count + v2.count, 6)
        XCTAssertFalse(v2.isEmpty)
    }

    /// For many seeds: a patient's images and their augmented copies are on one side.
    func testDrawnValidationNeverSplitsAPatient() throws {
        var rng = Xoshiro256(seed: 5)
        for p in 0..<14 {
            for k in 0..<(1 + rng.nextInt(below: 3)) {
                let c = ["a", "b"][rng.nextInt(below: 2)]
                try image("d/\(c)/P\(p)_\(k).png")
                try image("d/\(c)/P\(p)_\(k)_aug1.png")
            }
        }
        try image("d/a/gan_00001.png")
        let options = DatasetOptions(groupPattern: "(P[0-9]+)_")
        let set = try LabeledSamples.load(at("d"), part: .train, options: options)
        for seed in UInt64(0)..<20 {
            let (train, val) = try set.split(fraction: 0.3, seed: seed)
            func patients(_ s: [Sample]) -> Set<String> { Set(s.filter { !SourceGroup.isSynthetic($0.path) }.compactMap(\.group)) }
            XCTAssertTrue(patients(train).isDisjoint(with: patients(val)), "seed \(seed)")
            XCTAssertFalse(val.isEmpty)
            XCTAssertFalse(val.contains { SourceGroup.isSynthetic($0.path) }, "GAN images only train")
            XCTAssertEqual(Set(train.map(\.path) + val.map(\.path)).count, set.samples.count)
        }
    }

    func testACopyWithoutAKeyFollowsItsSourcesPatient() throws {
        try image("d/a/x.png")
        try image("d/a/x_aug1.png")
        try image("d/a/x_aug7.png")
        try image("d/a/y.png")
        try "output,source,copy,augmenters,group\na/x.png,a/x.png,0,,p-0000000000000001\na/x_aug1.png,a/x.png,1,,p-0000000000000001\na/y.png,a/y.png,0,,p-0000000000000002\n"
            .write(toFile: at("d/manifest.csv"), atomically: true, encoding: .utf8)
        let set = try LabeledSamples.load(at("d"), part: .train, options: DatasetOptions())
        XCTAssertEqual(set.samples.map(\.group), ["p-0000000000000001", "p-0000000000000001", "p-0000000000000001", "p-0000000000000002"], "x_aug7 (not in the manifest) goes with x")
    }

    func testAugmentOfACSVDatasetWritesClassFoldersAndHashedGroups() throws {
        for i in 0..<4 { try image("in/imgs/im\(i).png", fill: UInt8(40 * i)) }
        let labels = at("labels.csv")
        try "image_id,dx,patient_id,split\nimgs/im0,mel,SECRET-A,train\nimgs/im1,nv,SECRET-A,train\nimgs/im2,nv,SECRET-B,test\nimgs/im3,mel,SECRET-C,val\n"
            .write(toFile: labels, atomically: true, encoding: .utf8)
        var a = DatasetAugmenter(pipeline: try PipelineReader.parse("- Fliplr: {p: 0.5}\n", format: .yaml))
        a.copies = 1
        a.log = { _ in }
        a.showProgress = false
        a.datasetOptions = DatasetOptions(labels: labels)
        _ = try a.run(input: at("in"), output: at("out"))
        let manifest = try String(contentsOfFile: at("out/manifest.csv"), encoding: .utf8)
        XCTAssertTrue(manifest.hasPrefix("output,source,copy,augmenters,group\n"), manifest)
        XCTAssertFalse(manifest.contains("SECRET"), manifest)
        let keyA = PatientKey.key("SECRET-A", salt: Array("medaug-tests".utf8))
        XCTAssertTrue(manifest.contains("train/mel/im0_aug1.png,imgs/im0.png,1,"), manifest)
        XCTAssertTrue(manifest.contains(",\(keyA)\n"), manifest)
        for f in ["train/mel/im0.png", "train/nv/im1_aug1.png", "validation/mel/im3.png", "test/nv/im2.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: at("out/\(f)")), f)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: at("out/validation/mel/im3_aug1.png")), "validation is never augmented")
        // The output loads as class folders, with the patient keys of the manifest.
        let set = try LabeledSamples.load(at("out"), part: .train, options: DatasetOptions())
        XCTAssertEqual(Set(set.samples.map(\.group)), [keyA])
        XCTAssertEqual(set.validation.map(\.path), [at("out/validation/mel/im3.png")])

        // Without patient keys the manifest is as it always was.
        var plain = a
        plain.datasetOptions = DatasetOptions(labels: labels, groupColumn: "none")
        _ = try plain.run(input: at("in"), output: at("out2"))
        XCTAssertTrue(try String(contentsOfFile: at("out2/manifest.csv"), encoding: .utf8).hasPrefix("output,source,copy,augmenters\n"))
    }
}
