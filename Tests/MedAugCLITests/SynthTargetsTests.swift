import Foundation
import MedAugData
import MedAugImage
import MedAugTestSupport
import XCTest

/// `medaug synth --targets`: each layout reads back as a dataset with
/// targets, the targets lie on the drawn lesion, the same seed gives the same
/// bytes, and class-folder output is what it was before targets existed.
final class SynthTargetsTests: IsolatedCLITestCase {
    /// 9 benign and 8 malignant images: the smallest scale with several of each.
    let scale = "0.005"

    func synth(_ layout: String, _ rel: String, seed: String = "0", kind: String = "skin-lesion") throws {
        try medaug(["synth", "--kind", kind, "--targets", layout, "--scale", scale, "--seed", seed, "--out", at(rel)])
    }

    /// The pixel bounds (x0, y0, x1, y1 exclusive) of a mask's nonzero pixels.
    func bounds(_ mask: Image) -> (Double, Double, Double, Double)? {
        let b = mask.bytes!
        var x0 = Int.max, y0 = Int.max, x1 = -1, y1 = -1
        for y in 0..<mask.height {
            for x in 0..<mask.width where b[y * mask.width + x] != 0 {
                x0 = min(x0, x); y0 = min(y0, y); x1 = max(x1, x + 1); y1 = max(y1, y + 1)
            }
        }
        return x1 < 0 ? nil : (Double(x0), Double(y0), Double(x1), Double(y1))
    }

    /// Every mask of the segmentation set at `rel`, by stem.
    func masks(_ rel: String) throws -> [String: Image] {
        let d = try TargetDataset.open(root: at(rel))
        var out: [String: Image] = [:]
        for item in d.items { out[item.stem] = try XCTUnwrap(d.load(item).targets.masks.first) }
        return out
    }

    func testSegmentationMasksAreBinaryNonEmptyAndOnTheDarkLesion() throws {
        try synth("segmentation", "seg")
        let d = try TargetDataset.open(root: at("seg"))
        XCTAssertEqual(d.layout, .segmentation)
        XCTAssertEqual(d.items.map(\.stem), (1...17).map { String(format: "synth_%05d", $0) })
        for item in d.items {
            let sample = try d.load(item)
            let mask = try XCTUnwrap(sample.targets.masks.first)
            XCTAssertEqual([mask.width, mask.height, mask.channels], [224, 224, 1])
            let m = mask.bytes!, px = sample.image.bytes!
            XCTAssertEqual(Set(m), [0, 255], "\(item.stem): a mask holds 0 and 255 only, both present")
            // The lesion is darker than the skin around it: the mask is where the lesion is drawn.
            var inside = (sum: 0.0, n: 0.0), outside = (sum: 0.0, n: 0.0)
            for i in 0..<m.count {
                let lum = Double(px[3 * i]) + Double(px[3 * i + 1]) + Double(px[3 * i + 2])
                if m[i] == 255 { inside.sum += lum; inside.n += 1 } else { outside.sum += lum; outside.n += 1 }
            }
            XCTAssertLessThan(inside.sum / inside.n, outside.sum / outside.n - 30, "\(item.stem): lesion not darker than skin")
        }
        let readme = try String(contentsOfFile: at("seg/README.txt"), encoding: .utf8)
        XCTAssertTrue(readme.contains("targets:   segmentation"), readme)
        XCTAssertTrue(readme.contains("seed:      0"), readme)
        XCTAssertFalse(FileManager.default.fileExists(atPath: at("seg/train")), "no class folders beside the targets")
    }

    func testYOLOBoxesAreTheMasksBoundsWithTheImagesClass() throws {
        try synth("segmentation", "seg")
        try synth("yolo", "yolo")
        let masks = try masks("seg")
        let d = try TargetDataset.open(root: at("yolo"))
        XCTAssertEqual(d.layout, .yolo)
        XCTAssertEqual(try String(contentsOfFile: at("yolo/classes.txt"), encoding: .utf8), "benign\nmalignant\n")
        var classes: [Int: Int] = [:]
        for item in d.items {
            let sample = try d.load(item)
            XCTAssertEqual(sample.targets.boxes.count, 1, item.stem)
            let box = try XCTUnwrap(sample.targets.boxes.first)
            let m = try XCTUnwrap(bounds(XCTUnwrap(masks[item.stem])), "\(item.stem): the same stem's mask")
            for (a, b) in [(box.x1, m.0), (box.y1, m.1), (box.x2, m.2), (box.y2, m.3)] {
                XCTAssertEqual(a, b, accuracy: 1, "\(item.stem): box \(box) around the mask \(m)")
            }
            classes[box.label, default: 0] += 1
        }
        XCTAssertEqual(classes, [0: 9, 1: 8])
    }

    func testCOCOBoxesAndKeypointsLieOnTheMask() throws {
        try synth("segmentation", "seg")
        try synth("coco", "coco")
        let masks = try masks("seg")
        guard case .coco(let c) = try TargetDataset.open(root: at("coco")) else { return XCTFail("not read as COCO") }
        XCTAssertEqual(c.categories.map(\.name), ["benign", "malignant"])
        XCTAssertEqual(c.categories.map(\.keypointNames), [["centre", "top"], ["centre", "top"]])
        XCTAssertEqual(c.images.count, 17)
        for (i, entry) in c.images.enumerated() {
            let (sample, slots) = try c.load(imageAt: i)
            let stem = String(entry.fileName.dropLast(4))
            let mask = try XCTUnwrap(masks[stem])
            let m = try XCTUnwrap(bounds(mask))
            XCTAssertEqual(sample.targets.boxes.count, 1)
            let box = sample.targets.boxes[0]
            for (a, b) in [(box.x1, m.0), (box.y1, m.1), (box.x2, m.2), (box.y2, m.3)] {
                XCTAssertEqual(a, b, accuracy: 1, "\(stem): box \(box) around the mask \(m)")
            }
            XCTAssertEqual(slots.map(\.slot), [0, 1])
            XCTAssertEqual(slots.map(\.visibility), [2, 2])
            for p in sample.targets.keypoints {
                XCTAssertEqual(mask.bytes![Int(p.y) * mask.width + Int(p.x)], 255, "\(stem): keypoint \(p) off the lesion")
            }
            XCTAssertEqual(sample.targets.keypoints[1].y, m.1 + 0.5, "\(stem): 'top' is on the mask's top row")
        }
    }

    func testTheSameSeedGivesTheSameBytes() throws {
        for layout in ["segmentation", "yolo", "coco"] {
            try synth(layout, "\(layout)-a", seed: "4")
            try synth(layout, "\(layout)-b", seed: "4")
            try synth(layout, "\(layout)-c", seed: "5")
            let a = try FolderSnapshot.take(tmp.appendingPathComponent("\(layout)-a"))
            XCTAssertEqual(a, try FolderSnapshot.take(tmp.appendingPathComponent("\(layout)-b")), layout)
            XCTAssertNotEqual(a["images/synth_00001.png"], try FolderSnapshot.take(tmp.appendingPathComponent("\(layout)-c"))["images/synth_00001.png"])
        }
        // A rerun into the same folder at a smaller scale leaves no stale files behind.
        try medaug(["synth", "--kind", "skin-lesion", "--targets", "segmentation", "--scale", "0.001", "--seed", "4", "--out", at("segmentation-a")])
        let small = try FolderSnapshot.take(tmp.appendingPathComponent("segmentation-a"))
        XCTAssertEqual(small.keys.filter { $0.hasPrefix("images/") }.count, 4)
        XCTAssertEqual(small.keys.filter { $0.hasPrefix("masks/") }.count, 4)
    }

    func testChestLungFieldsGiveTwoBoxesPerImage() throws {
        try synth("coco", "chest", kind: "chest-xray")
        guard case .coco(let c) = try TargetDataset.open(root: at("chest")) else { return XCTFail("not read as COCO") }
        XCTAssertEqual(c.categories.map(\.name), ["Covid", "Normal", "Viral Pneumonia"])
        for i in c.images.indices {
            let boxes = try c.load(imageAt: i).sample.targets.boxes
            XCTAssertEqual(boxes.count, 2)
            XCTAssertLessThan(boxes[0].x2, boxes[1].x2, "left lung first")
        }
    }

    func testDicomAndMixedLayoutsAreRefused() throws {
        let r = try medaug(["synth", "--kind", "skin-lesion", "--targets", "yolo", "--format", "dicom", "--out", at("d")], expect: 64)
        XCTAssertTrue(r.err.contains("--format dicom"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: at("d")))
        try synth("coco", "coco")
        let e = try medaug(["synth", "--kind", "skin-lesion", "--targets", "yolo", "--scale", scale, "--out", at("coco")], expect: 1)
        XCTAssertTrue(e.err.contains("coco targets"), e.err)
        try medaug(["synth", "--kind", "skin-lesion", "--scale", scale, "--out", at("coco")], expect: 1)
    }

    /// FNV-1a of an image's pixels: a pin that does not depend on the PNG encoder.
    func fnv(_ image: Image) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in image.bytes! { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    func testClassFolderImagesAreUnchanged() throws {
        // Values of the class-folder images before the renderers also returned their weights.
        let skin = SyntheticDataset.image(kind: .skinLesion, seed: 3, split: .train, classIndex: 1, index: 2)
        let chest = SyntheticDataset.image(kind: .chestXRay, seed: 3, split: .test, classIndex: 2, index: 1)
        XCTAssertEqual(fnv(skin), Self.skinPin, String(fnv(skin), radix: 16))
        XCTAssertEqual(fnv(chest), Self.chestPin, String(fnv(chest), radix: 16))
        try medaug(["synth", "--kind", "skin-lesion", "--scale", "0.002", "--seed", "3", "--out", at("skin")])
        XCTAssertEqual(try ImageFile.read(at("skin/train/malignant/synth_00002.png")), skin)
        XCTAssertFalse(try String(contentsOfFile: at("skin/README.txt"), encoding: .utf8).contains("targets:"))
    }

    static let skinPin: UInt64 = 0xda9a_c22b_ac3a_db38
    static let chestPin: UInt64 = 0x4027_4818_2c6b_06db
}

/// The README's "Masks, boxes and keypoints" examples run as written and draw their previews.
extension SynthTargetsTests {
    func testReadmeTargetExamplesRunAsWritten() throws {
        let readme = try String(contentsOf: MedaugBinary.root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "#### Masks, boxes and keypoints") else { return XCTFail("README has no targets section") }
        let section = readme[start.upperBound...]
        let text = String(section[..<(section.range(of: "\n### ")?.lowerBound ?? section.endIndex)])
        let blocks = text.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        let commands = blocks.filter { $0.hasPrefix("sh\n") }.flatMap { $0.split(separator: "\n").dropFirst() }.map(String.init)
        XCTAssertEqual(commands.count, 12)
        try FileManager.default.createDirectory(at: tmp.appendingPathComponent("pipelines"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: tmp.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: MedaugBinary.root.appendingPathComponent("pipelines/lesion-geometry.yaml"),
                                         to: tmp.appendingPathComponent("pipelines/lesion-geometry.yaml"))
        for line in commands {
            XCTAssertTrue(line.hasPrefix("medaug "), line)
            let r = try MedaugBinary.run(line.split(separator: " ").dropFirst().map(String.init), in: tmp,
                                         environment: ["MEDAUG_HOME": at("home"), "MEDAUG_ID_SALT": ""], bounded: true)
            XCTAssertEqual(r.status, 0, "\(line): \(r.err.suffix(500))")
        }
        for layout in ["segmentation", "yolo", "coco"] {
            let png = try ImageFile.read(at("docs/targets-\(layout).png"))
            XCTAssertEqual([png.width, png.height], [532, 400], layout)
            XCTAssertTrue(FileManager.default.fileExists(atPath: MedaugBinary.root.appendingPathComponent("docs/targets-\(layout).png").path),
                          "the README shows docs/targets-\(layout).png")
        }
    }
}
