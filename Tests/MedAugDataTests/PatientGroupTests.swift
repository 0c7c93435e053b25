import Foundation
import MedAugCore
import MedAugData
import MedAugFormats
import MedAugImage
import XCTest

/// Patient keys: where they come from, that they are hashed, and that no
/// split puts one patient on both sides.
final class PatientGroupTests: XCTestCase {
    override class func setUp() {
        super.setUp()
        setenv("MEDAUG_ID_SALT", "medaug-tests", 1)
    }

    func testGroupColumnIsHashedUnlessKeepIDs() throws {
        let t = try TempFolder(self)
        for i in 0..<4 { try t.image("data/\(i).png") }
        let file = try t.text("labels.csv", "path,label,patient_id\n0.png,a,PAT-7\n1.png,b,PAT-7\n2.png,a,PAT-9\n3.png,b,\n")
        let d = try Dataset.load(root: t.at("data"), options: DatasetOptions(labels: file))
        let keys = d.samples.map(\.group)
        XCTAssertEqual(keys[0], PatientKey.key("PAT-7", salt: Array("medaug-tests".utf8)))
        XCTAssertEqual(keys[0], keys[2], "one patient, one key (samples are in label order: 0.png, 2.png, 1.png, 3.png)")
        XCTAssertNotEqual(keys[0], keys[1])
        XCTAssertNil(keys[3], "an empty cell gives no key")
        XCTAssertTrue(keys.compactMap { $0 }.allSatisfy { $0.hasPrefix("p-") && $0.count == 18 && !$0.contains("PAT") })
        XCTAssertTrue(d.problems.contains { $0.kind == .missingGroup && $0.message.contains("'patient_id'") }, "\(d.problems)")

        let clear = try Dataset.load(root: t.at("data"), options: DatasetOptions(labels: file, keepIDs: true))
        XCTAssertEqual(clear.samples.map(\.group), ["PAT-7", "PAT-9", "PAT-7", nil])
    }

    func testGroupPatternTakesTheFirstCaptureOrTheWholeMatch() throws {
        let t = try TempFolder(self)
        try t.image("data/a/P001_scan1.png")
        try t.image("data/a/P001_scan2.png")
        try t.image("data/b/P002_scan1.png")
        try t.image("data/b/other.png")
        let d = try Dataset.load(root: t.at("data"), options: DatasetOptions(groupPattern: "(P[0-9]+)_", keepIDs: true))
        XCTAssertEqual(d.samples.map(\.group), ["P001", "P001", "P002", nil], "b/P002_scan1.png sorts before b/other.png")
        XCTAssertTrue(d.problems.contains { $0.kind == .missingGroup && $0.message.contains("'b/other.png'") }, "\(d.problems)")
        // Over the path relative to the root, class folder included; no capture group: the whole match.
        let whole = try Dataset.load(root: t.at("data"), options: DatasetOptions(groupPattern: "^[ab]/P[0-9]+", keepIDs: true))
        XCTAssertEqual(whole.samples.map(\.group), ["a/P001", "a/P001", "b/P002", nil])
        let hashed = try Dataset.load(root: t.at("data"), options: DatasetOptions(groupPattern: "(P[0-9]+)_"))
        XCTAssertEqual(hashed.samples[0].group, PatientKey.key("P001", salt: Array("medaug-tests".utf8)))
    }

    func testColumnWinsOverPatternAndPatternOverDicom() throws {
        let t = try TempFolder(self)
        try t.image("data/P1_x.png")
        try t.image("data/P2_y.png")
        try DicomWriter.write(path: t.at("data/P3_z.dcm"), width: 4, height: 4, bitsAllocated: 16, bitsStored: 12,
                              photometric: "MONOCHROME2", samples: [UInt16](repeating: 9, count: 16), syntax: .explicitLittle,
                              attributes: [.init(0x0010, 0x0020, "LO", "DICOM-PAT")])
        let file = try t.text("labels.csv", "path,label,group\nP1_x.png,a,COL\nP2_y.png,a,\nP3_z,b,\n")
        let both = DatasetOptions(labels: file, groupPattern: "(P[0-9])_", keepIDs: true)
        XCTAssertEqual(try Dataset.load(root: t.at("data"), options: both).samples.map(\.group), ["COL", "P2", "P3"])
        let dicom = DatasetOptions(labels: file, keepIDs: true)
        XCTAssertEqual(try Dataset.load(root: t.at("data"), options: dicom).samples.map(\.group), ["COL", nil, "DICOM-PAT"])
        // A class-folder set of DICOM files is grouped by PatientID with no option at all.
        let folders = try TempFolder(self)
        try folders.folder("c")
        try FileManager.default.copyItem(atPath: t.at("data/P3_z.dcm"), toPath: folders.at("c/IM0001"))
        let d = try Dataset.load(root: folders.path, options: DatasetOptions())
        XCTAssertEqual(d.samples.map(\.group), [PatientKey.key("DICOM-PAT", salt: Array("medaug-tests".utf8))],
                       "an extensionless DICOM file is an image, keyed by its PatientID")
    }

    func testOneKeyCoveringMostImagesIsReportedWithTheWayOut() throws {
        let t = try TempFolder(self)
        var csv = "image,label,patient\n"
        for i in 0..<12 {
            try t.image("img/s\(i).png")
            csv += "img/s\(i),\(i % 2 == 0 ? "a" : "b"),\(i < 10 ? "ANONYMOUS" : "P\(i)")\n"
        }
        try t.text("labels.csv", csv)
        let d = try Dataset.load(root: t.path, options: DatasetOptions(labels: t.path + "/labels.csv"))
        let warning = d.problems.first { $0.message.contains("covers 10 of 12 images") }
        XCTAssertNotNil(warning, d.problems.map(\.message).joined(separator: "\n"))
        XCTAssertFalse(warning?.message.contains("ANONYMOUS") ?? true, "the key is hashed in the message")
        XCTAssertTrue(warning?.message.contains("--group-column none") ?? false)
        let off = try Dataset.load(root: t.path, options: DatasetOptions(labels: t.path + "/labels.csv", groupColumn: "none"))
        XCTAssertTrue(off.samples.allSatisfy { $0.group == nil })
    }

    func testManifestGroupColumnKeysAreReadVerbatimAndClearIDsHashed() throws {
        let t = try TempFolder(self)
        try t.image("a/x.png")
        try t.image("a/x_aug1.png")
        try t.image("b/y.png")
        try t.image("b/z.png")
        // A key MedAug made, and a clear ID left by a run with --keep-ids.
        try t.text("manifest.csv", "output,source,copy,augmenters,group\na/x.png,a/x.png,0,,p-00aa00aa00aa00aa\n"
                   + "a/x_aug1.png,a/x.png,1,Fliplr,p-00aa00aa00aa00aa\nb/y.png,b/y.png,0,,\nb/z.png,b/z.png,0,,MRN-1234\n")
        let d = try Dataset.load(root: t.path, options: DatasetOptions())
        XCTAssertEqual(d.samples.prefix(3).map(\.group), ["p-00aa00aa00aa00aa", "p-00aa00aa00aa00aa", nil])
        let z = try XCTUnwrap(d.samples.last?.group)
        XCTAssertTrue(PatientKey.isKey(z) && z != "MRN-1234", z)
        var keep = DatasetOptions()
        keep.keepIDs = true
        XCTAssertEqual(try Dataset.load(root: t.path, options: keep).samples.last?.group, "MRN-1234")
    }

    /// Patients whose images span classes and counts, split at many seeds:
    /// never one patient on both sides, and every image on exactly one.
    func testStratifiedSplitNeverPutsAPatientOnBothSides() throws {
        for seed in UInt64(0)..<25 {
            var rng = Xoshiro256(seed: seed)
            var samples: [Sample] = []
            for p in 0..<(20 + rng.nextInt(below: 30)) {
                for k in 0..<(1 + rng.nextInt(below: 5)) {
                    let c = rng.nextInt(below: 3)
                    samples.append(Sample(path: "p\(p)_\(k).png", classIndex: c, className: "c\(c)", split: .unsplit, group: "p-\(p)"))
                }
            }
            for fraction in [0.15, 0.2, 0.5] {
                let r = try StratifiedSplit.split(samples, testFraction: fraction, seed: seed)
                let train = Set(r.train.compactMap(\.group)), test = Set(r.test.compactMap(\.group))
                XCTAssertTrue(train.isDisjoint(with: test), "seed \(seed), fraction \(fraction): \(train.intersection(test))")
                XCTAssertEqual(r.train.count + r.test.count, samples.count)
                XCTAssertFalse(r.test.isEmpty, "seed \(seed)")
            }
        }
    }
}
