import Foundation
import MedAugData
import MedAugImage
import XCTest

final class DatasetLayoutTests: XCTestCase {
    func testSplitLayoutIsDetectedWithLabelsAndOrder() throws {
        let t = try TempFolder(self)
        for split in ["train", "test"] {
            try t.image("\(split)/Viral Pneumonia/b.png")
            try t.image("\(split)/Viral Pneumonia/a.jpg")
            try t.image("\(split)/Covid/x.png")
            try t.image("\(split)/Normal/n1.png")
        }
        let d = try Dataset.load(root: t.path)
        XCTAssertEqual(d.layout, .split)
        XCTAssertEqual(d.classes, ["Covid", "Normal", "Viral Pneumonia"])
        XCTAssertEqual(d.counts(in: .train), [1, 1, 2])
        XCTAssertEqual(d.counts(in: .test), [1, 1, 2])
        XCTAssertEqual(d.samples.map(\.split), [.train, .train, .train, .train, .test, .test, .test, .test])
        let vp = d.samples(in: .train).filter { $0.classIndex == 2 }
        XCTAssertEqual(vp.map(\.path), [t.at("train/Viral Pneumonia/a.jpg"), t.at("train/Viral Pneumonia/b.png")])
        XCTAssertEqual(vp.map(\.className), ["Viral Pneumonia", "Viral Pneumonia"])
        XCTAssertTrue(d.problems.isEmpty)
    }

    func testFlatLayoutIsDetected() throws {
        let t = try TempFolder(self)
        try t.image("benign/1.png")
        try t.image("malignant/1.png")
        try t.image("malignant/2.png")
        let d = try Dataset.load(root: t.path)
        XCTAssertEqual(d.layout, .flat)
        XCTAssertEqual(d.classes, ["benign", "malignant"])
        XCTAssertEqual(d.counts(in: .unsplit), [1, 2])
        XCTAssertTrue(d.samples.allSatisfy { $0.split == .unsplit })
    }

    func testNonASCIIClassNamesSortByScalarValue() throws {
        let t = try TempFolder(self)
        // Scalar order: "Viral Pneumonia" (V=0x56) < "a" (0x61) < "Ödem" (0xD6) < "肺炎" (0x80BA).
        // A localized sort would put "Ödem" before "Viral Pneumonia" and "a" first.
        for name in ["肺炎", "Ödem", "Viral Pneumonia", "a"] {
            try t.image("\(name)/img 1.png")
        }
        let d = try Dataset.load(root: t.path)
        XCTAssertEqual(d.classes, ["Viral Pneumonia", "a", "Ödem", "肺炎"])
        XCTAssertEqual(d.samples.map(\.classIndex), [0, 1, 2, 3])
        XCTAssertEqual(d.samples[3].path, t.at("肺炎/img 1.png"))
    }

    func testNamesAreNotNormalised() throws {
        // NFC and NFD spellings of "Ödem" are different folders on Linux and stay different classes.
        let t = try TempFolder(self)
        try t.image("\u{D6}dem/1.png")
        try t.image("O\u{308}dem/1.png")
        let d = try Dataset.load(root: t.path)
        XCTAssertEqual(d.classes.count, 2)
        XCTAssertEqual(d.classes.map { Array($0.unicodeScalars.map(\.value)) },
                       [[0x4F, 0x308, 0x64, 0x65, 0x6D], [0xD6, 0x64, 0x65, 0x6D]])
    }

    func testOrderIsStableAndByScalar() throws {
        let t = try TempFolder(self)
        let names = ["b10.png", "B2.png", "a.png", "é.png", "Z.png", "b9.png", "_x.png"]
        for n in names { try t.image("c/\(n)") }
        let first = try Dataset.load(root: t.path).samples.map(\.path)
        let second = try Dataset.load(root: t.path).samples.map(\.path)
        XCTAssertEqual(first, second)
        XCTAssertEqual(first.map { ($0 as NSString).lastPathComponent },
                       ["B2.png", "Z.png", "_x.png", "a.png", "b10.png", "b9.png", "é.png"])
    }

    func testHiddenNonImageAndSubfoldersAreIgnoredAndCounted() throws {
        let t = try TempFolder(self)
        try t.image("train/cat/ok.png")
        try t.image("train/cat/.hidden.png")
        try t.text("train/cat/.DS_Store", "x")
        try t.text("train/cat/notes.txt", "x")
        try t.text("train/cat/scan.bmp", "x")
        try t.image("train/cat/deeper/nested.png")
        try t.image("test/cat/ok.png")
        try t.folder(".git")
        try t.text("README.txt", "x")
        try t.image("loose.png")
        let d = try Dataset.load(root: t.path)
        XCTAssertEqual(d.samples.count, 2)
        func paths(_ r: IgnoredEntry.Reason) -> [String] { d.ignored.filter { $0.reason == r }.map(\.path) }
        XCTAssertEqual(Set(paths(.hidden)), [t.at(".git"), t.at("train/cat/.hidden.png"), t.at("train/cat/.DS_Store")])
        XCTAssertEqual(Set(paths(.nonImage)), [t.at("README.txt"), t.at("train/cat/notes.txt"), t.at("train/cat/scan.bmp")])
        XCTAssertEqual(paths(.subfolder), [t.at("train/cat/deeper")])
        XCTAssertEqual(paths(.outsideClassFolder), [t.at("loose.png")])

        let summary = DatasetSummary(dataset: d, scan: try ImageScanner.scan(d.samples), depth: .decode)
        XCTAssertEqual(summary.ignored.map(\.count), [3, 3, 1, 1])
        XCTAssertTrue(summary.text().contains("train/cat/notes.txt"))
    }

    func testMissingRootIsAnError() {
        XCTAssertThrowsError(try Dataset.load(root: "/nonexistent/medaug/data")) { e in
            XCTAssertEqual(e as? DatasetError, .rootMissing(path: "/nonexistent/medaug/data"))
            XCTAssertTrue("\(e)".contains("/nonexistent/medaug/data"))
        }
    }

    func testRootThatIsAFileIsAnError() throws {
        let t = try TempFolder(self)
        let f = try t.text("file.txt", "x")
        XCTAssertThrowsError(try Dataset.load(root: f)) { e in
            XCTAssertEqual(e as? DatasetError, .rootNotAFolder(path: f))
        }
    }

    func testNoClassFoldersIsAnError() throws {
        let t = try TempFolder(self)
        try t.image("loose.png")
        try t.folder(".hidden")
        XCTAssertThrowsError(try Dataset.load(root: t.path)) { e in
            XCTAssertEqual(e as? DatasetError, .noClassFolders(path: t.path))
            XCTAssertTrue("\(e)".contains(t.path))
        }
    }

    func testTrainWithoutTestIsAnError() throws {
        let t = try TempFolder(self)
        try t.image("train/a/1.png")
        XCTAssertThrowsError(try Dataset.load(root: t.path)) { e in
            XCTAssertEqual(e as? DatasetError, .incompleteSplitLayout(root: t.path, found: "train", missing: "test"))
        }
    }

    func testDifferentClassSetsNameTheClasses() throws {
        let t = try TempFolder(self)
        try t.image("train/Covid/1.png")
        try t.image("train/Normal/1.png")
        try t.image("test/Covid/1.png")
        try t.image("test/Viral Pneumonia/1.png")
        XCTAssertThrowsError(try Dataset.load(root: t.path)) { e in
            XCTAssertEqual(e as? DatasetError,
                           .classMismatch(root: t.path, onlyInTrain: ["Normal"], onlyInTest: ["Viral Pneumonia"]))
            let m = "\(e)"
            XCTAssertTrue(m.contains("only in train/: 'Normal'") && m.contains("only in test/: 'Viral Pneumonia'"), m)
        }
    }

    func testEmptyClassIsAProblemNotACrash() throws {
        let t = try TempFolder(self)
        try t.image("train/a/1.png")
        try t.folder("train/b")
        try t.text("train/b/readme.md", "x")
        try t.image("test/a/1.png")
        try t.image("test/b/1.png")
        let d = try Dataset.load(root: t.path)
        XCTAssertEqual(d.classes, ["a", "b"])
        XCTAssertEqual(d.counts(in: .train), [1, 0])
        XCTAssertEqual(d.problems.map(\.kind), [.emptyClass])
        XCTAssertEqual(d.problems.first?.path, t.at("train/b"))
        XCTAssertTrue(d.problems[0].message.contains("'b' has no images in train/"), d.problems[0].message)
    }

    func testNestedKaggleFolderGetsAHint() throws {
        let t = try TempFolder(self)
        try t.image("Covid19-dataset/train/Covid/1.png")
        try t.image("Covid19-dataset/test/Covid/1.png")
        let d = try Dataset.load(root: t.path)
        XCTAssertEqual(d.layout, .flat)
        XCTAssertTrue(d.problems.first?.message.contains("did you mean to point at") ?? false)
    }

    func testSymlinkedClassFolderIsFollowed() throws {
        let t = try TempFolder(self)
        try t.image("elsewhere/1.png")
        try t.folder("data")
        try t.symlink("data/linked", to: t.at("elsewhere"))
        let d = try Dataset.load(root: t.at("data"))
        XCTAssertEqual(d.classes, ["linked"])
        XCTAssertEqual(d.samples.count, 1)
    }
}
