import Foundation
import MedAugData
import MedAugImage
import XCTest

/// A val/ (or validation/) folder beside train/ and test/ is the validation set.
final class ValidationFolderTests: XCTestCase {
    func testValFolderIsReadAsValidation() throws {
        for name in ["val", "valid", "validation"] {
            let t = try TempFolder(self)
            for split in ["train", name, "test"] {
                try t.image("\(split)/a/1.png")
                try t.image("\(split)/b/1.png")
            }
            let d = try Dataset.load(root: t.path, options: DatasetOptions())
            XCTAssertEqual(d.splits, [.train, .validation, .test], name)
            XCTAssertEqual(d.samples(in: .validation).map(\.path), [t.at("\(name)/a/1.png"), t.at("\(name)/b/1.png")])
            XCTAssertTrue(d.ignored.isEmpty, "\(name): \(d.ignored)")
            let s = DatasetSummary(dataset: d, scan: try ImageScanner.scan(d.samples), depth: .header)
            XCTAssertEqual(s.splits.map(\.split), [.train, .validation, .test])
            XCTAssertTrue(s.text().contains("split: train/<class>/, val/<class>/ and test/<class>/"), s.text())
        }
    }

    func testWithoutValFolderTheLayoutIsUnchanged() throws {
        let t = try TempFolder(self)
        try t.image("train/a/1.png")
        try t.image("test/a/1.png")
        try t.image("extra/a/1.png")
        let d = try Dataset.load(root: t.path, options: DatasetOptions())
        XCTAssertEqual(d.splits, [.train, .test])
        XCTAssertEqual(d.ignored, [IgnoredEntry(path: t.at("extra"), reason: .subfolder)])
    }

    func testTwoValidationFoldersOrOtherClassesAreRefused() throws {
        let t = try TempFolder(self)
        for split in ["train", "val", "validation", "test"] { try t.image("\(split)/a/1.png") }
        XCTAssertThrowsError(try Dataset.load(root: t.path, options: DatasetOptions())) { e in
            XCTAssertEqual(e as? DatasetError, .twoValidationFolders(root: t.path, names: ["val", "validation"]))
        }
        try FileManager.default.removeItem(atPath: t.at("validation"))
        try t.image("val/c/1.png")
        XCTAssertThrowsError(try Dataset.load(root: t.path, options: DatasetOptions())) { e in
            XCTAssertEqual(e as? DatasetError, .validationClassMismatch(root: t.path, folder: "val", onlyInTrain: [], onlyInValidation: ["c"]))
            XCTAssertTrue("\(e)".contains("only in val/: 'c'"), "\(e)")
        }
    }
}
