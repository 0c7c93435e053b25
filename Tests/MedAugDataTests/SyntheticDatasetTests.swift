import Foundation
import MedAugData
import MedAugImage
import XCTest

final class SyntheticDatasetTests: XCTestCase {
    func files(_ root: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: root)!
        while let rel = e.nextObject() as? String {
            let p = root + "/" + rel
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue {
                out[rel] = try Data(contentsOf: URL(fileURLWithPath: p))
            }
        }
        return out
    }

    func testCountsAtSmallScale() {
        XCTAssertEqual(SyntheticKind.skinLesion.counts(.train, scale: 1), [1440, 1197])
        XCTAssertEqual(SyntheticKind.skinLesion.counts(.test, scale: 1), [360, 300])
        XCTAssertEqual(SyntheticKind.chestXRay.counts(.train, scale: 1), [111, 70, 70])
        XCTAssertEqual(SyntheticKind.chestXRay.counts(.test, scale: 1), [26, 20, 20])
        XCTAssertEqual(SyntheticKind.chestXRay.counts(.train, scale: 0.02), [2, 1, 1])
        XCTAssertEqual(SyntheticKind.chestXRay.counts(.test, scale: 0.02), [1, 1, 1])
        XCTAssertEqual(SyntheticKind.skinLesion.counts(.train, scale: 0.01), [14, 12])
        XCTAssertEqual(SyntheticKind.skinLesion.counts(.test, scale: 0.001), [1, 1])
    }

    func testDicomChestSetIsByteIdenticalForOneSeed() throws {
        let t = try TempFolder(self)
        try SyntheticDataset.generate(kind: .chestXRay, out: t.at("a"), seed: 0, scale: 0.02, format: SyntheticFormat.dicom)
        Thread.sleep(forTimeInterval: 0.01)
        try SyntheticDataset.generate(kind: .chestXRay, out: t.at("b"), seed: 0, scale: 0.02, format: SyntheticFormat.dicom)
        let fa = try files(t.at("a")), fb = try files(t.at("b"))
        XCTAssertEqual(fa.keys.filter { $0.hasSuffix(".dcm") }.count, 7)
        XCTAssertEqual(fa, fb)
    }

    func testChestSetIsDeterministicGrayscaleAndInRange() throws {
        let t = try TempFolder(self)
        let a = t.at("a"), b = t.at("b"), c = t.at("c")
        let report = try SyntheticDataset.generate(kind: .chestXRay, out: a, seed: 0, scale: 0.02)
        XCTAssertEqual(report.written, 7)
        try SyntheticDataset.generate(kind: .chestXRay, out: b, seed: 0, scale: 0.02)
        try SyntheticDataset.generate(kind: .chestXRay, out: c, seed: 1, scale: 0.02)

        let fa = try files(a), fb = try files(b), fc = try files(c)
        XCTAssertEqual(fa, fb)
        XCTAssertEqual(fa.count, 8)  // 7 images and README.txt
        let images = fa.keys.filter { $0.hasSuffix(".png") }
        XCTAssertTrue(images.allSatisfy { fa[$0] != fc[$0] }, "another seed must change every image")

        let d = try Dataset.load(root: a)
        XCTAssertEqual(d.layout, .split)
        XCTAssertEqual(d.classes, ["Covid", "Normal", "Viral Pneumonia"])
        XCTAssertEqual(d.counts(in: .train), [2, 1, 1])
        XCTAssertEqual(d.counts(in: .test), [1, 1, 1])
        XCTAssertTrue(d.samples(in: .train)[0].path.hasSuffix("train/Covid/synth_00001.png"))
        var sizes = Set<[Int]>()
        for s in try ImageScanner.scan(d.samples).images {
            XCTAssertEqual(s.header.channels, 1)
            XCTAssertEqual(s.header.bitDepth, 8)
            XCTAssertTrue(ChestXRaySynth.sizeRange.contains(s.header.width), "\(s.header.width)")
            XCTAssertTrue(ChestXRaySynth.sizeRange.contains(s.header.height), "\(s.header.height)")
            sizes.insert([s.header.width, s.header.height])
        }
        XCTAssertGreaterThan(sizes.count, 1, "sizes should vary")
    }

    func testSkinSetIs224RGBAndDeterministic() throws {
        let t = try TempFolder(self)
        try SyntheticDataset.generate(kind: .skinLesion, out: t.at("a"), seed: 3, scale: 0.005)
        try SyntheticDataset.generate(kind: .skinLesion, out: t.at("b"), seed: 3, scale: 0.005)
        XCTAssertEqual(try files(t.at("a")), try files(t.at("b")))
        let d = try Dataset.load(root: t.at("a"))
        XCTAssertEqual(d.classes, ["benign", "malignant"])
        XCTAssertEqual(d.counts(in: .train), [7, 6])
        XCTAssertEqual(d.counts(in: .test), [2, 2])
        for s in try ImageScanner.scan(d.samples).images {
            XCTAssertEqual([s.header.width, s.header.height, s.header.channels], [224, 224, 3])
        }
    }

    func testAnImageDependsOnlyOnItsIdentity() throws {
        // The file written during a multi-threaded run equals the image made alone,
        // and a larger scale keeps the first images unchanged.
        let t = try TempFolder(self)
        try SyntheticDataset.generate(kind: .chestXRay, out: t.at("small"), seed: 5, scale: 0.02)
        try SyntheticDataset.generate(kind: .chestXRay, out: t.at("big"), seed: 5, scale: 0.05)
        let alone = SyntheticDataset.image(kind: .chestXRay, seed: 5, split: .train, classIndex: 0, index: 2)
        XCTAssertEqual(try ImageFile.read(t.at("small/train/Covid/synth_00002.png")), alone)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: t.at("small/train/Covid/synth_00002.png"))),
                       try Data(contentsOf: URL(fileURLWithPath: t.at("big/train/Covid/synth_00002.png"))))
        XCTAssertNotEqual(alone, SyntheticDataset.image(kind: .chestXRay, seed: 5, split: .test, classIndex: 0, index: 2))
    }

    func testReadmeSaysSynthetic() throws {
        let t = try TempFolder(self)
        try SyntheticDataset.generate(kind: .chestXRay, out: t.path + "/x", seed: 11, scale: 0.02, format: .jpeg)
        let text = try String(contentsOfFile: t.at("x/README.txt"), encoding: .utf8)
        XCTAssertTrue(text.hasPrefix(SyntheticDataset.readmeMarker))
        XCTAssertTrue(text.contains("SYNTHETIC"))
        XCTAssertTrue(text.contains("kind:      chest-xray"))
        XCTAssertTrue(text.contains("seed:      11"))
        XCTAssertTrue(text.contains("scale:     0.02"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: t.at("x/test/Viral Pneumonia/synth_00001.jpg")))
        let d = try Dataset.load(root: t.at("x"))
        XCTAssertEqual(try ImageScanner.scan(d.samples).images.map(\.header.format), Array(repeating: .jpeg, count: 7))
    }

    func testRerunReplacesAnEarlierSetAndRefusesForeignFolders() throws {
        let t = try TempFolder(self)
        let out = t.at("set")
        try SyntheticDataset.generate(kind: .chestXRay, out: out, seed: 0, scale: 0.05)
        let report = try SyntheticDataset.generate(kind: .chestXRay, out: out, seed: 0, scale: 0.02)
        XCTAssertEqual(report.removedStale.count, 17 - 7)  // 6+4+4 + 1+1+1 at 0.05
        XCTAssertEqual(Dataset.counts(try Dataset.load(root: out).samples, classCount: 3), [3, 2, 2])

        XCTAssertThrowsError(try SyntheticDataset.generate(kind: .skinLesion, out: out, scale: 0.001))
        try t.image("foreign/mine.png")
        XCTAssertThrowsError(try SyntheticDataset.generate(kind: .chestXRay, out: t.at("foreign"), scale: 0.02)) { e in
            XCTAssertTrue("\(e)".contains("not empty"), "\(e)")
        }
        XCTAssertThrowsError(try SyntheticDataset.generate(kind: .chestXRay, out: t.at("x"), scale: 0))
    }

    func testFileNames() {
        XCTAssertEqual(SyntheticDataset.fileName(index: 1, count: 1440, format: ImageFormat.png), "synth_00001.png")
        XCTAssertEqual(SyntheticDataset.fileName(index: 7, count: 123_456, format: .jpeg), "synth_000007.jpg")
        XCTAssertEqual(SyntheticDataset.fileName(index: 3, count: 9, format: SyntheticFormat.dicom), "synth_00003.dcm")
    }
}
