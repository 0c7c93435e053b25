import Foundation
import MedAugData
import MedAugFormats
import MedAugImage
import XCTest

/// What `info` reports about patients: counts per class and split, and a
/// warning naming the patients the dataset's own split puts on two sides.
final class PatientSummaryTests: XCTestCase {
    override class func setUp() {
        super.setUp()
        setenv("MEDAUG_ID_SALT", "medaug-tests", 1)
    }

    func summary(_ d: Dataset) throws -> DatasetSummary {
        DatasetSummary(dataset: d, scan: try ImageScanner.scan(d.samples), depth: .header)
    }

    func testPatientsPerClassAndSplitAndTheLeakWarning() throws {
        let t = try TempFolder(self)
        // P1..P7 in train; P1..P6 also in test (6 leaks, 5 named); P8 only in test.
        for p in 1...7 { try t.image("train/\(p % 2 == 0 ? "a" : "b")/P\(p)_1.png") }
        try t.image("train/a/P2_2.png")
        for p in [1, 2, 3, 4, 5, 6, 8] { try t.image("test/a/P\(p)_9.png") }
        try t.image("test/b/P8_8.png")
        let d = try Dataset.load(root: t.path, options: DatasetOptions(groupPattern: "(P[0-9]+)_"))
        let s = try summary(d)
        XCTAssertEqual(s.splits[0].patients, [3, 4])
        XCTAssertEqual(s.splits[0].patientTotal, 7)
        XCTAssertEqual(s.splits[1].patients, [7, 1])
        XCTAssertEqual(s.splits[1].patientTotal, 7)
        let p = try XCTUnwrap(s.patients)
        XCTAssertEqual(p.total, 8)
        XCTAssertEqual(p.leaked, 6)
        XCTAssertEqual(p.examples.count, 5)
        XCTAssertEqual(p.examples[0].splits, [.train, .test])
        XCTAssertEqual(p.examples[0].files, ["train/a/P2_1.png", "test/a/P2_9.png"])
        XCTAssertTrue(p.examples.allSatisfy { $0.key.hasPrefix("p-") })
        let warning = try XCTUnwrap(s.problems.first { $0.kind == .patientLeak })
        XCTAssertTrue(warning.message.hasPrefix("6 patient(s) have images on more than one side"), warning.message)
        XCTAssertTrue(warning.message.contains("\(p.examples[4].key) (train: "), warning.message)
        let text = s.text()
        XCTAssertTrue(text.contains("Patients (distinct group keys) per class; 8 in all"), text)
        XCTAssertTrue(text.contains("[patient-leak]"), text)

        let json = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
        XCTAssertTrue(json.contains("\"leaked\":6") && json.contains("\"patientTotal\":7"), json)
        XCTAssertFalse(json.contains("\"P1\"") || json.contains("\"P2\""), "no clear ID in the JSON")
    }

    func testFlatDatasetsAndUngroupedDataHaveNoLeaksOrPatientFields() throws {
        let t = try TempFolder(self)
        try t.image("a/P1_1.png")
        try t.image("b/P1_2.png")
        let flat = try summary(try Dataset.load(root: t.path, options: DatasetOptions(groupPattern: "(P[0-9]+)_")))
        XCTAssertEqual(flat.patients?.total, 1)
        XCTAssertEqual(flat.patients?.leaked, 0, "a flat set has no sides yet")
        let plain = try summary(try Dataset.load(root: t.path, options: DatasetOptions()))
        XCTAssertNil(plain.patients)
        XCTAssertNil(plain.splits[0].patients)
        XCTAssertFalse(plain.text().contains("Patients"))
    }

    func testDicomWithoutPixelDataIsANonImageNotABadFile() throws {
        let t = try TempFolder(self)
        try t.image("a/ok.png")
        try t.bytes("a/report.dcm", Self.dicomWithoutPixels())
        let d = try Dataset.load(root: t.path, options: DatasetOptions())
        let scan = try ImageScanner.scan(d.samples)
        XCTAssertEqual(scan.samples.map(\.path), [t.at("a/ok.png")])
        XCTAssertEqual(scan.nonImages, [IgnoredEntry(path: t.at("a/report.dcm"), reason: .nonImage)])
        XCTAssertTrue(scan.skipped.isEmpty)
        let s = DatasetSummary(dataset: d, scan: scan, depth: .decode)
        XCTAssertEqual(s.ignored.first { $0.reason == .nonImage }?.paths, ["a/report.dcm"])
        XCTAssertFalse(s.problems.contains { $0.kind == .badFile })
    }

    /// A structured-report-like DICOM file: preamble, meta group, a patient and a modality, no Pixel Data.
    static func dicomWithoutPixels() -> [UInt8] {
        func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
        func el(_ g: UInt16, _ e: UInt16, _ vr: String, _ value: String) -> [UInt8] {
            var v = Array(value.utf8)
            if v.count % 2 == 1 { v.append(vr == "UI" || vr == "OB" ? 0 : 0x20) }
            if vr == "OB" { return le16(g) + le16(e) + Array(vr.utf8) + [0, 0] + [UInt8(v.count), 0, 0, 0] + v }
            return le16(g) + le16(e) + Array(vr.utf8) + le16(UInt16(v.count)) + v
        }
        var meta = le16(2) + le16(1) + Array("OB".utf8) + [0, 0, 2, 0, 0, 0, 0, 1]
        meta += el(2, 2, "UI", "1.2.840.10008.5.1.4.1.1.88.11") + el(2, 3, "UI", "2.25.1") + el(2, 0x10, "UI", "1.2.840.10008.1.2.1")
        let length = le16(2) + le16(0) + Array("UL".utf8) + le16(4) + [UInt8(meta.count), 0, 0, 0]
        let body = el(8, 0x16, "UI", "1.2.840.10008.5.1.4.1.1.88.11") + el(8, 0x60, "CS", "SR") + el(0x10, 0x20, "LO", "PAT-1")
        return [UInt8](repeating: 0, count: 128) + Array("DICM".utf8) + length + meta + body
    }
}
