import Foundation
import MedAugCore
import MedAugData
import MedAugImage
import MedAugTrain
@testable import MedAugExperiment
import XCTest

/// The experiment's own test split of a flat or CSV-labelled dataset: drawn
/// by patient, the same for every repeat, laid out as class folders whose
/// manifests keep the patient keys.
final class ExperimentDataTests: XCTestCase {
    var tmp: URL!

    override class func setUp() {
        super.setUp()
        setenv("MEDAUG_ID_SALT", "medaug-tests", 1)
    }

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-expdata-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    func at(_ rel: String) -> String { tmp.appendingPathComponent(rel).path }

    func config(seed: UInt64) -> ExperimentConfig {
        ExperimentConfig(name: "t", data: at("flat"), recipe: .studyCNN, epochs: [1], repeats: 1, seed: seed, variants: [Variant(name: "original")])
    }

    func testFlatTestSplitWithoutPatientsKeepsCopiesWithTheirOriginalAndGANImagesInTrain() throws {
        for c in ["benign", "malignant"] {
            for i in 0..<12 {
                for name in ["img\(i).png", "img\(i)_aug1.png", "img\(i)_aug2.png"] {
                    let path = at("flat/\(c)/\(name)")
                    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try ImageFile.write(Image(width: 4, height: 4, channels: 1, fill: UInt8(i)), to: path)
                }
            }
            try ImageFile.write(Image(width: 4, height: 4, channels: 1), to: at("flat/\(c)/gan_0001.png"))
        }
        for seed in UInt64(0)..<6 {
            let root = try ExperimentData.prepare(config(seed: seed), cache: at("cache-\(seed)"), options: DatasetOptions(), log: { _ in })
            let ds = try Dataset.load(root: root, options: ExperimentData.folders)
            func stems(_ split: DataSplit) -> Set<String> {
                Set(ds.samples(in: split).map { $0.className + "/" + ($0.path as NSString).lastPathComponent
                        .replacingOccurrences(of: #"(_aug[0-9]+)?\.png$"#, with: "", options: .regularExpression) })
            }
            XCTAssertFalse(stems(.test).isEmpty)
            XCTAssertTrue(stems(.train).isDisjoint(with: stems(.test)), "seed \(seed): \(stems(.train).intersection(stems(.test)))")
            XCTAssertFalse(stems(.test).contains { $0.hasSuffix("/gan_0001") }, "GAN images only train")
        }
    }

    func testFlatTestSplitKeepsEveryPatientOnOneSide() throws {
        var rng = Xoshiro256(seed: 11)
        for p in 0..<30 {
            for k in 0..<(1 + rng.nextInt(below: 4)) {
                let c = ["benign", "malignant"][rng.nextInt(below: 2)]
                let path = at("flat/\(c)/P\(p)_\(k).png")
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try ImageFile.write(Image(width: 4, height: 4, channels: 1, fill: UInt8(p)), to: path)
            }
        }
        let options = DatasetOptions(groupPattern: "(P[0-9]+)_")
        for seed in UInt64(0)..<8 {
            let root = try ExperimentData.prepare(config(seed: seed), cache: at("cache"), options: options, log: { _ in })
            XCTAssertNotEqual(root, at("flat"))
            let ds = try Dataset.load(root: root, options: ExperimentData.folders)
            XCTAssertEqual(ds.layout, .split)
            let train = Set(ds.samples(in: .train).compactMap(\.group)), test = Set(ds.samples(in: .test).compactMap(\.group))
            XCTAssertFalse(test.isEmpty)
            XCTAssertTrue(train.isDisjoint(with: test), "seed \(seed): \(train.intersection(test))")
            XCTAssertEqual(ds.samples.filter { $0.group == nil }.count, 0, "the manifests carry every key")
            XCTAssertEqual(ds.samples.count, try Dataset.load(root: at("flat"), options: options).samples.count)
            // The cells' training sets read train/ alone: the keys are there too.
            let cells = try LabeledSamples.load((root as NSString).appendingPathComponent("train"), part: .train, options: ExperimentData.folders)
            XCTAssertTrue(cells.samples.allSatisfy { $0.group?.hasPrefix("p-") == true })
            XCTAssertEqual(try ExperimentData.prepare(config(seed: seed), cache: at("cache"), options: options, log: { _ in }), root,
                           "prepared once, then reused")
        }
    }

    func testAPlainSplitFolderIsUsedWhereItIs() throws {
        for split in ["train", "test"] {
            for c in ["a", "b"] {
                let path = at("split/\(split)/\(c)/1.png")
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try ImageFile.write(Image(width: 4, height: 4, channels: 1, fill: 1), to: path)
            }
        }
        var c = config(seed: 0)
        c.data = at("split")
        XCTAssertEqual(try ExperimentData.prepare(c, cache: at("cache"), options: DatasetOptions(), log: { _ in }), at("split"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: at("cache")))
    }
}
