import Foundation
import MedAugData
import MedAugImage
import XCTest

/// Datasets labelled by a CSV: columns found or named, ids with or without
/// extensions, one-hot labels, split columns, and every bad row named.
final class LabelsCSVTests: XCTestCase {
    override class func setUp() {
        super.setUp()
        // Keys hash under a test salt, never the machine's own.
        setenv("MEDAUG_ID_SALT", "medaug-tests", 1)
    }

    /// `rows` under the header as a CSV beside (not inside) the image root `data/`.
    func csv(_ t: TempFolder, _ text: String, name: String = "labels.csv") throws -> String {
        try t.text(name, text)
    }

    func load(_ t: TempFolder, _ options: DatasetOptions) throws -> Dataset {
        try Dataset.load(root: t.at("data"), options: options)
    }

    /// The `LabelsError` a load throws, or a failure.
    func labelsError(_ t: TempFolder, _ options: DatasetOptions, file: StaticString = #filePath, line: UInt = #line) -> LabelsError? {
        do {
            _ = try load(t, options)
            XCTFail("expected a labels error", file: file, line: line)
        } catch {
            guard case .labels(let e)? = error as? DatasetError else { XCTFail("not a labels error: \(error)", file: file, line: line); return nil }
            XCTAssertTrue("\(DatasetError.labels(e))".contains(e.file), "the message names the CSV", file: file, line: line)
            return e
        }
        return nil
    }

    func testPathColumnLabelsClassOrderAndSampleOrder() throws {
        let t = try TempFolder(self)
        try t.image("data/imgs/c.png")
        try t.image("data/imgs/a.png")
        try t.image("data/imgs/b.png", channels: 3)
        let file = try csv(t, "image,label\nimgs/c.png,alpha\nimgs/a.png,Zeta\n imgs/b.png , alpha \n")
        let d = try load(t, DatasetOptions(labels: file))
        XCTAssertEqual(d.layout, .flat)
        XCTAssertEqual(d.splits, [.unsplit])
        XCTAssertEqual(d.classes, ["Zeta", "alpha"], "scalar order: capitals first, as for folders")
        XCTAssertEqual(d.samples.map(\.path), [t.at("data/imgs/a.png"), t.at("data/imgs/b.png"), t.at("data/imgs/c.png")])
        XCTAssertEqual(d.samples.map(\.classIndex), [0, 1, 1])
        XCTAssertEqual(d.labels?.columns, LabelColumns(path: "image", labels: ["label"], oneHot: false, group: nil, split: nil))
        XCTAssertNil(d.samples[0].group)
    }

    func testIdWithoutExtensionBareNamesAndAmbiguity() throws {
        let t = try TempFolder(self)
        try t.image("data/x/ISIC_1.jpg")
        try t.image("data/x/ISIC_2.PNG")
        try t.image("data/part2/images/scan_7.png")
        let file = try csv(t, "isic_id,diagnosis\nx/ISIC_1,nevus\nx/ISIC_2,melanoma\nscan_7,nevus\n")
        let d = try load(t, DatasetOptions(labels: file))
        XCTAssertEqual(Set(d.samples.map(\.path)), [t.at("data/x/ISIC_1.jpg"), t.at("data/x/ISIC_2.PNG"),
                                                    t.at("data/part2/images/scan_7.png")])

        try t.image("data/x/ISIC_1.png")
        try t.text("labels.csv", "isic_id,diagnosis\nx/ISIC_1,nevus\nx/ISIC_2,melanoma\nscan_7,nevus\n")
        let e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: file)))
        XCTAssertEqual(e.kind, .ambiguousImage)
        XCTAssertEqual(e.row, 2)
        XCTAssertTrue(e.message.contains("x/ISIC_1.jpg") && e.message.contains("x/ISIC_1.png"), e.message)
        // The extension settles it.
        try t.text("labels.csv", "isic_id,diagnosis\nx/ISIC_1.jpg,nevus\nx/ISIC_1.png,nevus\nx/ISIC_2,melanoma\nscan_7,nevus\n")
        XCTAssertEqual(try load(t, DatasetOptions(labels: file)).samples.count, 4)
    }

    func testNamesMatchAcrossUnicodeNormalisationForms() throws {
        let t = try TempFolder(self)
        // On disk in NFD (as macOS writes it), in the CSV in NFC, and the reverse.
        try t.image("data/" + "cafe\u{301}.png")
        try t.image("data/" + "na\u{EF}ve.png")
        let file = try csv(t, "image,label\n" + "caf\u{E9}" + ",a\n" + "nai\u{308}ve" + ",b\n")
        let d = try load(t, DatasetOptions(labels: file))
        XCTAssertEqual(d.samples.count, 2, d.problems.map(\.message).joined(separator: "; "))
    }

    func testDuplicateOneHotColumnsAreRefused() throws {
        let t = try TempFolder(self)
        for i in 0..<2 { try t.image("data/ISIC_\(i).jpg") }
        let file = try csv(t, "image,MEL,NV,MEL\nISIC_0,1,0,0\nISIC_1,0,1,0\n")
        let e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: file, oneHot: true)))
        XCTAssertTrue(e.message.contains("'MEL' appears twice"), e.message)
    }

    func testOneHotColumnsAreDetectedAndChecked() throws {
        let t = try TempFolder(self)
        for i in 0..<3 { try t.image("data/ISIC_\(i).jpg") }
        let file = try csv(t, "image,MEL,NV,BCC\nISIC_0,1.0,0.0,0.0\nISIC_1,0.0,0.0,1.0\nISIC_2,0,1,0\n")
        let d = try load(t, DatasetOptions(labels: file))
        XCTAssertEqual(d.classes, ["BCC", "MEL", "NV"])
        XCTAssertEqual(d.samples.map(\.className), ["BCC", "MEL", "NV"])
        XCTAssertEqual(d.labels?.columns.oneHot, true)

        try t.text("labels.csv", "image,MEL,NV,BCC\nISIC_0,1.0,0.0,0.0\nISIC_1,0.0,0.0,0.0\nISIC_2,0,1,0\n")
        var e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: file)))
        XCTAssertEqual(e.kind, .oneHotCount)
        XCTAssertEqual(e.row, 3)
        XCTAssertTrue(e.message.contains("no class column is 1"), e.message)

        try t.text("labels.csv", "image,MEL,NV,BCC\nISIC_0,1.0,1.0,0.0\nISIC_1,0.0,0.0,1.0\nISIC_2,0,1,0\n")
        e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: file)))
        XCTAssertEqual(e.kind, .oneHotCount)
        XCTAssertTrue(e.message.contains("'MEL', 'NV'"), e.message)

        // Named columns: a value other than 0/1 in them is an unknown label.
        try t.text("labels.csv", "image,age,MEL,NV\nISIC_0,50,1,0\nISIC_1,40,0.5,0\nISIC_2,30,0,1\n")
        e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: file, labelColumns: ["MEL", "NV"])))
        XCTAssertEqual(e.kind, .unknownLabel)
        XCTAssertTrue(e.message.contains("'MEL'") && e.message.contains("0.5"), e.message)
        // Without names, a non-0/1 column means these are not one-hot labels.
        e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: file)))
        XCTAssertEqual(e.kind, .column)
        XCTAssertTrue(e.message.contains("--label-column") && e.message.contains("'age'"), e.message)
    }

    func testSplitColumnGivesASplitLayoutWithValidation() throws {
        let t = try TempFolder(self)
        for i in 0..<6 { try t.image("data/\(i).png") }
        let file = try csv(t, "file,class,split\n0.png,a,Train\n1.png,b,train\n2.png,a,VAL\n3.png,b,validation\n4.png,a,test\n5.png,b,TEST\n")
        let d = try load(t, DatasetOptions(labels: file))
        XCTAssertEqual(d.layout, .split)
        XCTAssertEqual(d.splits, [.train, .validation, .test])
        XCTAssertEqual(d.samples.map(\.split), [.train, .train, .validation, .validation, .test, .test])
        XCTAssertEqual(d.counts(in: .validation), [1, 1])

        // "none" turns a detected split column off: the layout is flat.
        XCTAssertEqual(try load(t, DatasetOptions(labels: file, splitColumn: "none")).layout, .flat)

        try t.text("labels.csv", "file,class,split\n0.png,a,train\n1.png,b,holdout\n2.png,a,train\n3.png,b,train\n4.png,a,test\n5.png,b,test\n")
        let e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: file)))
        XCTAssertEqual(e.kind, .badSplit)
        XCTAssertEqual(e.row, 3)
        XCTAssertTrue(e.message.contains("'holdout'") && e.message.contains("val, valid, validation, dev, test"), e.message)
    }

    func testColumnsNamedByOptionsOrRefusedWhenAmbiguous() throws {
        let t = try TempFolder(self)
        try t.image("data/a.png")
        try t.image("data/b.png")
        let file = try csv(t, "Image Index,diagnosis,target,Patient ID\na.png,x,0,P1\nb.png,y,1,P2\n")
        var e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: file)))
        XCTAssertEqual(e.kind, .column)
        XCTAssertTrue(e.message.contains("'diagnosis', 'target'") && e.message.contains("--label-column"), e.message)

        let d = try load(t, DatasetOptions(labels: file, labelColumns: ["target"], groupColumn: "patient_id", keepIDs: true))
        XCTAssertEqual(d.classes, ["0", "1"])
        XCTAssertEqual(d.samples.map(\.group), ["P1", "P2"], "'patient_id' finds 'Patient ID' (case, spaces and _ aside)")

        e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: file, labelColumns: ["dx"])))
        XCTAssertEqual(e.kind, .column)
        XCTAssertTrue(e.message.contains("no column 'dx'") && e.message.contains("'Image Index', 'diagnosis', 'target', 'Patient ID'"), e.message)

        try t.text("labels.csv", "name,diagnosis\na.png,x\n")
        e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: file)))
        XCTAssertTrue(e.message.contains("no image path or id column") && e.message.contains("--path-column"), e.message)
    }

    func testEveryBadRowIsNamedWithItsRow() throws {
        let t = try TempFolder(self)
        try t.image("data/a.png")
        try t.image("data/b.png")
        try t.text("data/notes.txt", "x")
        let cases: [(String, LabelsError.Kind, String)] = [
            ("a.png,x\nmissing.png,y\n", .missingImage, "'missing.png' names no image"),
            ("a.png,x\na,x\nb.png,y\n", .duplicateRow, "same image as row 2"),
            ("a.png,x\nb.png,\n", .emptyLabel, "is empty"),
            ("a.png,x\nb.png,NaN\n", .emptyLabel, "missing-value marker"),
            ("a.png,x\n/etc/b.png,y\n", .badPath, "absolute path"),
            ("a.png,x\n../data/b.png,y\n", .badPath, "climbs out"),
            ("a.png,x\nnotes.txt,y\n", .missingImage, "not an image"),
            ("a.png,x\nb.png\n", .shortRow, "1 field(s)"),
        ]
        for (rows, kind, words) in cases {
            let file = try csv(t, "path,label\n" + rows)
            let e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: file)), rows)
            XCTAssertEqual(e.kind, kind, rows)
            XCTAssertEqual(e.row, 3, rows)
            XCTAssertTrue(e.message.contains(words), "\(rows): \(e.message)")
            XCTAssertTrue(e.description.hasPrefix("\(file) row 3: "), e.description)
        }
    }

    func testMissingFileEmptyFileAndUnlistedImages() throws {
        let t = try TempFolder(self)
        try t.image("data/a.png")
        try t.image("data/sub/b.png")
        XCTAssertThrowsError(try load(t, DatasetOptions(labels: t.at("nope.csv")))) { e in
            guard case .labels(let l)? = e as? DatasetError else { return XCTFail("\(e)") }
            XCTAssertEqual(l.kind, .missingFile)
            XCTAssertTrue("\(e)".contains(t.at("nope.csv")))
        }
        var e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: try csv(t, ""))))
        XCTAssertEqual(e.kind, .empty)
        e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: try csv(t, "path,label\n\n"))))
        XCTAssertEqual(e.kind, .empty)
        e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: try csv(t, "path,label\na.png,x\n"))))
        XCTAssertEqual(e.kind, .unlistedImages)
        XCTAssertTrue(e.message.contains("1 image(s)") && e.message.contains("'sub/b.png'") && e.message.contains("--skip-bad"), e.message)
    }

    func testSkipBadListsBadRowsAndUnlistedImagesAndKeepsTheRest() throws {
        let t = try TempFolder(self)
        for n in ["a", "b", "c", "d"] { try t.image("data/\(n).png") }
        let file = try csv(t, "path,label\na.png,x\nmissing.png,y\nb.png,\nc.png,y\na.png,y\n")
        let d = try load(t, DatasetOptions(labels: file, skipBadRows: true))
        XCTAssertEqual(d.samples.map(\.path), [t.at("data/a.png"), t.at("data/c.png")])
        let bad = d.problems.filter { $0.kind == .badRow }
        XCTAssertEqual(bad.map(\.message).map { String($0.prefix(file.count + 6)) }, ["\(file) row 3", "\(file) row 4", "\(file) row 6"])
        XCTAssertEqual(d.ignored.filter { $0.reason == .unlisted }.map(\.path), [t.at("data/b.png"), t.at("data/d.png")])
        let summary = DatasetSummary(dataset: d, scan: try ImageScanner.scan(d.samples), depth: .decode)
        XCTAssertTrue(summary.text().contains("[bad-row] \(file) row 3: 'missing.png' names no image"), summary.text())
        XCTAssertTrue(summary.text().contains("no-label-row: 2"), summary.text())
    }

    func testLabelsFileInsideTheRootIsNeitherAnImageNorIgnored() throws {
        let t = try TempFolder(self)
        try t.image("data/a.png")
        let file = try t.text("data/labels.csv", "path,label\na.png,x\n")
        let d = try Dataset.load(root: t.at("data"), options: DatasetOptions(labels: file))
        XCTAssertEqual(d.samples.count, 1)
        XCTAssertTrue(d.ignored.isEmpty, "\(d.ignored)")
    }

    func testHostileLabelsFileAndRootNeitherHangNorLoop() throws {
        let t = try TempFolder(self)
        try t.image("data/a.png")
        XCTAssertEqual(mkfifo(t.at("fifo.csv"), 0o600), 0)
        var e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: t.at("fifo.csv"))))
        XCTAssertEqual(e.kind, .unreadable)
        XCTAssertTrue(e.message.contains("FIFO"), e.message)
        // A link back to the root is walked once, not forever.
        try t.symlink("data/loop", to: t.at("data"))
        let file = try csv(t, "path,label\na.png,x\n")
        XCTAssertEqual(try load(t, DatasetOptions(labels: file, skipBadRows: true)).samples.map(\.path), [t.at("data/a.png")])
        try t.text("labels.csv", "path,label\nx/../../secret.png,x\n")
        e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: file)))
        XCTAssertEqual(e.kind, .badPath)
        try t.text("labels.csv", "path;label\na.png;x\n")
        e = try XCTUnwrap(labelsError(t, DatasetOptions(labels: file)))
        XCTAssertTrue(e.message.contains("comma-separated"), e.message)
    }

    func testOptionsNeedingACSVAreRefusedWithout() throws {
        let t = try TempFolder(self)
        try t.image("data/a/x.png")
        XCTAssertThrowsError(try load(t, DatasetOptions(labelColumns: ["dx"]))) { e in
            XCTAssertTrue("\(e)".contains("--label-column") && "\(e)".contains("--labels"), "\(e)")
        }
        XCTAssertThrowsError(try load(t, DatasetOptions(groupPattern: "(unclosed"))) { e in
            XCTAssertTrue("\(e)".contains("--group-pattern '(unclosed'"), "\(e)")
        }
    }
}
