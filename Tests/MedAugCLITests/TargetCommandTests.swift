import Foundation
import MedAugData
import MedAugImage
import MedAugTestSupport
import XCTest

/// `medaug augment`, `preview` and `info` on datasets whose targets follow the
/// image. Each test writes its own small set in which the targets are painted
/// into the image itself (a mask equal to the image, boxes as filled
/// rectangles of their own grey, keypoints as single marker pixels), so that
/// after any order-0 geometric pipeline the written targets can be checked
/// against the written pixels.
final class TargetCommandTests: IsolatedCLITestCase {
    /// A gray image with filled rectangles (x0, y0, x1, y1 exclusive, value) and single pixels.
    func painted(_ w: Int, _ h: Int, rects: [(Int, Int, Int, Int, UInt8)], dots: [(Int, Int, UInt8)] = []) -> Image {
        var b = [UInt8](repeating: 0, count: w * h)
        for (x0, y0, x1, y1, v) in rects {
            for y in y0..<y1 { for x in x0..<x1 { b[y * w + x] = v } }
        }
        for (x, y, v) in dots { b[y * w + x] = v }
        return Image(width: w, height: h, channels: 1, bytes: b)
    }

    /// The pixel bounds (x0, y0, x1, y1 exclusive) of `value`, nil when absent.
    func bounds(of value: UInt8, in image: Image) -> (Double, Double, Double, Double)? {
        let b = image.bytes!
        var x0 = Int.max, y0 = Int.max, x1 = -1, y1 = -1
        for y in 0..<image.height {
            for x in 0..<image.width where b[y * image.width + x] == value {
                x0 = min(x0, x); y0 = min(y0, y); x1 = max(x1, x + 1); y1 = max(y1, y + 1)
            }
        }
        return x1 < 0 ? nil : (Double(x0), Double(y0), Double(x1), Double(y1))
    }

    func write(_ image: Image, _ rel: String) throws {
        try FileManager.default.createDirectory(atPath: (at(rel) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try ImageFile.write(image, to: at(rel))
    }

    func text(_ s: String, _ rel: String) throws {
        try FileManager.default.createDirectory(atPath: (at(rel) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try s.write(toFile: at(rel), atomically: true, encoding: .utf8)
    }

    /// Order 0 everywhere, constant fill 0: the image's pixels move exactly as the mask's.
    let warps = """
    - Fliplr: {p: 0.5}
    - Flipud: {p: 0.5}
    - Affine: {rotate: [-30, 30], scale: [0.8, 1.2], translate_px: [-6, 6], shear: [-8, 8], order: 0}
    - Rot90: {k: [0, 3], keep_size: false}
    - CropAndPad: {px: [-5, 5], keep_size: false}
    - ElasticTransformation: {alpha: [0, 20], sigma: 4, order: 0}
    - PiecewiseAffine: {scale: [0.01, 0.04], order: 0}
    - GaussianBlur: {sigma: 0}
    """

    /// Axis-aligned moves only: a re-fitted box equals its painted rectangle's
    /// pixel bounds. Only the last step loses pixels: as in imgaug, boxes are
    /// not clipped between steps, so a box part that leaves the image and is
    /// padded back in covers fill, not its pixels.
    let axisAligned = """
    - Fliplr: {p: 0.5}
    - Flipud: {p: 0.5}
    - Rot90: {k: [0, 3], keep_size: false}
    - CropAndPad: {px: [0, 8], keep_size: false}
    - Affine: {translate_px: [-12, 12], order: 0}
    """

    func testSegmentationFolderCopiesKeepImageAndMaskEqualAndReload() throws {
        for (i, w) in [40, 33, 48].enumerated() {
            let h = 30 + i
            let img = painted(w, h, rects: [(3, 4, 15, 20, 1), (18, 6, w - 2, h - 3, 2), (5, 22, 12, h - 1, 3)])
            try write(img, "seg/images/case\(i).png")
            try write(img, "seg/masks/case\(i).png")
        }
        try text(warps, "warps.yaml")
        let before = try FolderSnapshot.take(URL(fileURLWithPath: at("seg")))
        let r = try medaug(["augment", "--input", at("seg"), "--output", at("out"), "--pipeline", at("warps.yaml"), "--copies", "4", "--seed", "3"])
        XCTAssertTrue(r.out.contains("wrote 15 segmentation outputs"), r.out)
        XCTAssertEqual(try FolderSnapshot.take(URL(fileURLWithPath: at("seg"))), before, "the input was written to")

        let back = try TargetDataset.open(root: at("out"))
        XCTAssertEqual(back.layout, .segmentation)
        XCTAssertEqual(back.items.count, 15)
        var moved = 0
        for item in back.items {
            let s = try back.load(item)
            XCTAssertEqual(s.image, s.targets.masks[0], item.stem)
            if s.image.width != 40 && s.image.width != 33 && s.image.width != 48 { moved += 1 }
        }
        XCTAssertGreaterThan(moved, 0, "the pipeline changed no sizes: the test proves little")
        let manifest = try String(contentsOfFile: at("out/manifest.csv"), encoding: .utf8)
        XCTAssertTrue(manifest.hasPrefix("output,source,copy,augmenters,boxes,removed_boxes\n"), manifest)
        XCTAssertTrue(manifest.contains("case1_aug4,images/case1.png,4,\"Fliplr("), manifest)
    }

    /// Boxes painted as rectangles (value 40 + 40 * class + k) and keypoints as marker pixels.
    func writeDetectionImages(_ root: String) throws -> [(w: Int, h: Int)] {
        var sizes: [(Int, Int)] = []
        for i in 0..<3 {
            let w = 60 + 7 * i, h = 44 + 3 * i
            let img = painted(w, h, rects: [(4, 5, 20, 21, 40), (30 + i, 10, 52, 40, 81)], dots: [(8, 30, 200), (40, 4, 210)])
            try write(img, "\(root)/images/case\(i).png")
            sizes.append((w, h))
        }
        return sizes
    }

    func checkBoxes(_ dataset: TargetDataset, values: [Int: UInt8], file: StaticString = #filePath, line: UInt = #line) throws {
        var kept = 0
        for item in dataset.items {
            let s = try dataset.load(item)
            for box in s.targets.boxes {
                let v = try XCTUnwrap(values[box.label])
                let painted = try XCTUnwrap(bounds(of: v, in: s.image), "\(item.stem): a kept box of class \(box.label) has no pixels", file: file, line: line)
                XCTAssertEqual(box.x1, painted.0, accuracy: 1e-3, item.stem, file: file, line: line)
                XCTAssertEqual(box.y1, painted.1, accuracy: 1e-3, item.stem, file: file, line: line)
                XCTAssertEqual(box.x2, painted.2, accuracy: 1e-3, item.stem, file: file, line: line)
                XCTAssertEqual(box.y2, painted.3, accuracy: 1e-3, item.stem, file: file, line: line)
                kept += 1
            }
            // A class whose box was removed has no pixels left (it left the image).
            for (label, v) in values where !s.targets.boxes.contains(where: { $0.label == label }) {
                XCTAssertNil(bounds(of: v, in: s.image), "\(item.stem): class \(label) is on the image but its box was removed", file: file, line: line)
            }
        }
        XCTAssertGreaterThan(kept, 0, file: file, line: line)
    }

    func testYOLOCopiesKeepBoxesOnTheirPixelsAndReload() throws {
        let sizes = try writeDetectionImages("yolo")
        for (i, (w, h)) in sizes.enumerated() {
            let b0 = String(format: "0 %.6f %.6f %.6f %.6f", 12 / Double(w), 13 / Double(h), 16 / Double(w), 16 / Double(h))
            let x0 = Double(30 + i)
            let b1 = String(format: "1 %.6f %.6f %.6f %.6f", (x0 + 52) / 2 / Double(w), 25 / Double(h), (52 - x0) / Double(w), 30 / Double(h))
            try text(b0 + "\n" + b1 + "\n", "yolo/labels/case\(i).txt")
        }
        try text("lesion\nlung\n", "yolo/classes.txt")
        try text(axisAligned, "axis.yaml")
        let before = try FolderSnapshot.take(URL(fileURLWithPath: at("yolo")))
        try medaug(["augment", "--input", at("yolo"), "--output", at("out"), "--pipeline", at("axis.yaml"), "--copies", "6", "--seed", "11"])
        XCTAssertEqual(try FolderSnapshot.take(URL(fileURLWithPath: at("yolo"))), before)
        let back = try TargetDataset.open(root: at("out"))
        XCTAssertEqual(back.layout, .yolo)
        XCTAssertEqual(back.items.count, 21)
        XCTAssertEqual(try String(contentsOfFile: at("out/classes.txt"), encoding: .utf8), "lesion\nlung\n")
        try checkBoxes(back, values: [0: 40, 1: 81])
    }

    func testCOCOCopiesKeepBoxesAndKeypointsOnTheirPixelsAndReload() throws {
        let sizes = try writeDetectionImages("coco")
        var images: [String] = [], anns: [String] = []
        for (i, (w, h)) in sizes.enumerated() {
            images.append("{\"id\": \(i + 10), \"file_name\": \"case\(i).png\", \"width\": \(w), \"height\": \(h)}")
            anns.append("{\"id\": \(2 * i + 1), \"image_id\": \(i + 10), \"category_id\": 3, \"bbox\": [4, 5, 16, 16], \"area\": 256, \"iscrowd\": 0, "
                + "\"keypoints\": [8.5, 30.5, 2, 40.5, 4.5, 2], \"num_keypoints\": 2}")
            anns.append("{\"id\": \(2 * i + 2), \"image_id\": \(i + 10), \"category_id\": 5, \"bbox\": [\(30 + i), 10, \(22 - i), 30], \"area\": 1, \"iscrowd\": 0}")
        }
        let json = "{\"images\": [\(images.joined(separator: ", "))], \"annotations\": [\(anns.joined(separator: ", "))], "
            + "\"categories\": [{\"id\": 3, \"name\": \"nodule\", \"keypoints\": [\"a\", \"b\"]}, {\"id\": 5, \"name\": \"lung\"}]}"
        try text(json, "coco/instances.json")
        try text(axisAligned, "axis.yaml")
        let before = try FolderSnapshot.take(URL(fileURLWithPath: at("coco")))
        try medaug(["augment", "--input", at("coco"), "--annotations", at("coco/instances.json"), "--output", at("out"),
                    "--pipeline", at("axis.yaml"), "--copies", "6", "--seed", "5"])
        XCTAssertEqual(try FolderSnapshot.take(URL(fileURLWithPath: at("coco"))), before)
        let back = try TargetDataset.open(root: at("out"), annotations: at("out/instances.json"))
        XCTAssertEqual(back.layout, .coco)
        XCTAssertEqual(back.items.count, 21)
        try checkBoxes(back, values: [3: 40, 5: 81])
        // Keypoints sit on their marker pixels' centres (x + 0.5, y + 0.5).
        var seen = 0
        if case .coco(let c) = back {
            for (i, _) in c.images.enumerated() {
                let (sample, slots) = try c.load(imageAt: i)
                for (k, p) in sample.targets.keypoints.enumerated() {
                    let marker = try XCTUnwrap(bounds(of: slots[k].slot == 0 ? 200 : 210, in: sample.image))
                    XCTAssertEqual(p.x, marker.0 + 0.5, accuracy: 1e-6)
                    XCTAssertEqual(p.y, marker.1 + 0.5, accuracy: 1e-6)
                    seen += 1
                }
            }
        }
        XCTAssertGreaterThan(seen, 10)
    }

    func testPreviewAndInfoShowTheTargets() throws {
        let img = painted(40, 30, rects: [(3, 4, 15, 20, 1), (18, 6, 38, 27, 2)])
        try write(img, "seg/images/a.png")
        try write(img, "seg/masks/a.png")
        let info = try medaug(["info", at("seg")])
        XCTAssertTrue(info.out.contains("Segmentation dataset (images/ + masks/)"), info.out)
        XCTAssertTrue(info.out.contains("1 (192 pixels"), info.out)
        try text(warps, "warps.yaml")
        let r = try medaug(["preview", "--input", at("seg"), "--pipeline", at("warps.yaml"), "--out", at("p.png"), "--rows", "1", "--cols", "3", "--cell", "64"])
        XCTAssertTrue(r.out.contains("wrote"), r.out)
        let grid = try ImageFile.read(at("p.png"))
        XCTAssertEqual(grid.channels, 3)
        // The overlay colours class 1's pixels: not gray any more.
        let b = grid.bytes!
        var coloured = false
        for i in stride(from: 0, to: b.count, by: 3) where b[i] != b[i + 1] || b[i + 1] != b[i + 2] { coloured = true }
        XCTAssertTrue(coloured, "no mask colour in the preview")
        try medaug(["preview", "--input", at("seg"), "--pipeline", at("warps.yaml"), "--out", at("seg/images/p.png")], expect: 1)
    }

    func testBadTargetsAreNamedOrListedAndTheInputIsNeverWritten() throws {
        try text("- Fliplr: {}\n", "flip.yaml")
        // A mask without its image, and a mask of another size.
        try write(painted(20, 10, rects: []), "seg/images/a.png")
        try write(painted(20, 10, rects: []), "seg/masks/a.png")
        try write(painted(20, 10, rects: []), "seg/masks/orphan.png")
        try write(painted(20, 10, rects: []), "seg/images/b.png")
        try write(painted(21, 10, rects: []), "seg/masks/b.png")
        let before = try FolderSnapshot.take(URL(fileURLWithPath: at("seg")))
        let bad = try medaug(["augment", "--input", at("seg"), "--output", at("o1"), "--pipeline", at("flip.yaml")], expect: 1)
        XCTAssertTrue(bad.err.contains("orphan.png") || bad.err.contains("b.png"), bad.err)
        let ok = try medaug(["augment", "--input", at("seg"), "--output", at("o2"), "--pipeline", at("flip.yaml"), "--skip-bad", "--copies", "1"])
        XCTAssertTrue(ok.out.contains("wrote 2 segmentation outputs"), ok.out)
        let listed = try String(contentsOfFile: at("o2/skipped_files.csv"), encoding: .utf8)
        XCTAssertTrue(listed.contains("orphan.png"), listed)
        XCTAssertTrue(listed.contains("b.png") && listed.contains("21x10"), listed)
        XCTAssertEqual(try FolderSnapshot.take(URL(fileURLWithPath: at("seg"))), before)

        // YOLO: a class id beyond classes.txt, and a box outside its image.
        try write(painted(20, 10, rects: []), "yolo/images/a.png")
        try write(painted(20, 10, rects: []), "yolo/images/b.png")
        try text("a\nb\n", "yolo/classes.txt")
        try text("7 0.5 0.5 0.2 0.2\n", "yolo/labels/a.txt")
        try text("1 0.9 0.5 0.6 0.2\n", "yolo/labels/b.txt")
        let y = try medaug(["augment", "--input", at("yolo"), "--output", at("o3"), "--pipeline", at("flip.yaml")], expect: 1)
        XCTAssertTrue(y.err.contains("a.txt") && y.err.contains("7"), y.err)
        try medaug(["augment", "--input", at("yolo"), "--output", at("o4"), "--pipeline", at("flip.yaml"), "--skip-bad"])
        let ylisted = try String(contentsOfFile: at("o4/skipped_files.csv"), encoding: .utf8)
        XCTAssertTrue(ylisted.contains("a.txt") && ylisted.contains("b.txt"), ylisted)

        // COCO: an annotation of an unknown image and an unknown category.
        try write(painted(20, 10, rects: []), "coco/x.png")
        try text("""
        {"images": [{"id": 1, "file_name": "x.png", "width": 20, "height": 10}],
         "annotations": [{"id": 1, "image_id": 9, "category_id": 1, "bbox": [1, 1, 3, 3]},
                         {"id": 2, "image_id": 1, "category_id": 4, "bbox": [1, 1, 3, 3]}],
         "categories": [{"id": 1, "name": "n"}]}
        """, "coco/instances.json")
        let c = try medaug(["augment", "--input", at("coco"), "--output", at("o5"), "--pipeline", at("flip.yaml")], expect: 1)
        XCTAssertTrue(c.err.contains("instances.json") && c.err.contains("9"), c.err)
        try medaug(["augment", "--input", at("coco"), "--output", at("o6"), "--pipeline", at("flip.yaml"), "--skip-bad"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: at("o6/instances.json")))
        // Policies that cannot move targets are refused by name before anything is written.
        try text("- TrivialAugmentWide: {}\n", "twa.yaml")
        let p = try medaug(["augment", "--input", at("seg"), "--output", at("o7"), "--pipeline", at("twa.yaml"), "--skip-bad"], expect: 1)
        XCTAssertTrue(p.err.contains("TrivialAugmentWide"), p.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: at("o7")))
        try medaug(["augment", "--input", at("seg"), "--output", at("o8"), "--pipeline", at("flip.yaml"), "--min-visibility", "1.5"], expect: 64)
    }

    func testAKilledRunContinuesToTheBytesOfAnUninterruptedOne() throws {
        for i in 0..<16 {
            let img = painted(150, 120, rects: [(10 + i, 10, 70, 60, 1), (80, 40 + i, 140, 110, 2)])
            try write(img, "seg/images/s\(i).png")
            try write(img, "seg/masks/s\(i).png")
        }
        try text(warps, "warps.yaml")
        let args = ["augment", "--input", at("seg"), "--pipeline", at("warps.yaml"), "--copies", "3", "--seed", "9"]
        try medaug(args + ["--output", at("a"), "--jobs", "1"])
        // Killed part-way (or not at all, if it was quick), then run again with another worker count.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = ["-s", "KILL", "0.5", try MedaugBinary.url.path] + args + ["--output", at("b"), "--jobs", "2"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try medaug(args + ["--output", at("b"), "--jobs", "2"])
        let a = try FolderSnapshot.take(URL(fileURLWithPath: at("a"))), b = try FolderSnapshot.take(URL(fileURLWithPath: at("b")))
        XCTAssertEqual(a.count, 16 * 4 * 2 + 1)
        XCTAssertEqual(Set(a.keys), Set(b.keys), "leftovers or missing files after the resumed run")
        for (name, bytes) in a { XCTAssertEqual(bytes, b[name], name) }
    }
}
