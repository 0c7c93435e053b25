import Foundation
import MedAugImage
@testable import MedAugData
import XCTest

/// Datasets whose targets follow the image: each test writes a small
/// dataset, reads it, writes an augmented-looking copy (flipped or shifted
/// by hand), reads that back and checks the values; and each bad case names
/// its file and value, or is listed when skipping.
final class TargetDatasetTests: XCTestCase {
    // MARK: Helpers

    /// Every file under `root` with its size: what "the input is unchanged" compares.
    private func listing(_ root: String) -> [String: Int] {
        var out: [String: Int] = [:]
        let e = FileManager.default.enumerator(atPath: root)
        while let rel = e?.nextObject() as? String {
            let attrs = try? FileManager.default.attributesOfItem(atPath: root + "/" + rel)
            out[rel] = (attrs?[.size] as? Int) ?? -1
        }
        return out
    }

    private func gray8(_ w: Int, _ h: Int, _ f: (Int, Int) -> UInt8) -> Image {
        var px = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h { for x in 0..<w { px[y * w + x] = f(x, y) } }
        return Image(width: w, height: h, channels: 1, bytes: px)
    }

    private func rgb8(_ w: Int, _ h: Int) -> Image {
        var px = [UInt8](repeating: 0, count: w * h * 3)
        for i in 0..<px.count { px[i] = UInt8(truncatingIfNeeded: i &* 29) }
        return Image(width: w, height: h, channels: 3, bytes: px)
    }

    /// The image mirrored left to right.
    private func flipped(_ m: Image) -> Image {
        let w = m.width, h = m.height, c = m.channels
        func flip<T>(_ a: [T]) -> [T] {
            var out = a
            for y in 0..<h { for x in 0..<w { for k in 0..<c { out[(y * w + x) * c + k] = a[(y * w + (w - 1 - x)) * c + k] } } }
            return out
        }
        switch m.pixels {
        case .u8(let a): return Image(width: w, height: h, channels: c, bytes: flip(a))
        case .u16(let a): return Image(width: w, height: h, channels: c, samples16: flip(a))
        }
    }

    /// The sample mirrored left to right, targets and all (imgaug's Fliplr: x -> width - x).
    private func flipped(_ s: AnnotatedImage) -> AnnotatedImage {
        let w = Double(s.image.width)
        let t = s.targets.moved(maps: { m, _ in flipped(m) }, points: { $0.map { Keypoint(x: w - $0.x, y: $0.y) } })
        return AnnotatedImage(flipped(s.image), targets: t)
    }

    /// The sample's points and boxes moved right by `dx` pixels (the image is left as it is: only its size matters).
    private func shifted(_ s: AnnotatedImage, by dx: Double) -> AnnotatedImage {
        AnnotatedImage(s.image, targets: s.targets.moved(maps: { m, _ in m }, points: { $0.map { Keypoint(x: $0.x + dx, y: $0.y) } }))
    }

    private func assertError(_ body: @autoclosure () throws -> Any, kind: TargetDataError.Kind, mentions words: [String],
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { e in
            guard let t = e as? TargetDataError else { return XCTFail("not a TargetDataError: \(e)", file: file, line: line) }
            XCTAssertEqual(t.kind, kind, "\(t)", file: file, line: line)
            for w in words { XCTAssertTrue(t.description.contains(w), "'\(t)' does not mention '\(w)'", file: file, line: line) }
        }
    }

    private func problem(_ problems: [TargetDataError], _ kind: TargetDataError.Kind, mentioning words: [String],
                         file: StaticString = #filePath, line: UInt = #line) {
        let found = problems.contains { p in p.kind == kind && words.allSatisfy { p.description.contains($0) } }
        XCTAssertTrue(found, "no \(kind) problem mentioning \(words) in \(problems.map(\.description))", file: file, line: line)
    }

    // MARK: Segmentation

    func testSegmentationFolderRoundTripsFlippedMasks() throws {
        let t = try TempFolder(self)
        let root = t.at("seg")
        let maskA = gray8(6, 4) { x, y in UInt8((x + y) % 3) }            // multi-class 0, 1, 2
        var s16 = [UInt16](repeating: 0, count: 5 * 3)
        for i in s16.indices { s16[i] = i % 2 == 0 ? 1000 : 0 }
        let maskB = Image(width: 5, height: 3, channels: 1, samples16: s16) // 16-bit labels
        let grayC = gray8(4, 4) { x, _ in x < 2 ? 0 : 255 }
        var rgbC = [UInt8]()
        for v in grayC.bytes! { rgbC += [v, v, v] }                          // RGB with equal channels
        try ImageFile.write(rgb8(6, 4), to: root + "/images/a.png")
        try ImageFile.write(maskA, to: root + "/masks/a.png")
        try ImageFile.write(rgb8(5, 3), to: root + "/images/b.jpg")
        try ImageFile.write(maskB, to: root + "/masks/b_mask.png")
        try ImageFile.write(gray8(4, 4) { x, y in UInt8(x * 10 + y) }, to: root + "/images/c.png")
        try ImageFile.write(Image(width: 4, height: 4, channels: 3, bytes: rgbC), to: root + "/masks/c_segmentation.png")
        let before = listing(root)

        XCTAssertEqual(try TargetLayout.detect(root: root), .segmentation)
        let ds = try TargetDataset.open(root: root)
        XCTAssertEqual(ds.items.map(\.stem), ["a", "b", "c"])
        XCTAssertEqual(ds.problems, [])
        let loaded = try ds.items.map { try ds.load($0) }
        XCTAssertEqual(loaded[0].targets.masks, [maskA])
        XCTAssertEqual(loaded[1].targets.masks, [maskB])
        XCTAssertEqual(loaded[2].targets.masks, [grayC])

        let out = t.at("out")
        let writer = try TargetWriter(for: ds, output: out)
        for (item, sample) in zip(ds.items, loaded) { try writer.write(flipped(sample), item: item, index: 1) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/images/a_aug1.png"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/images/b_aug1.jpg"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/masks/b_aug1.png"))

        let back = try TargetDataset.open(root: out)
        XCTAssertEqual(back.layout, .segmentation)
        XCTAssertEqual(back.items.map(\.stem), ["a_aug1", "b_aug1", "c_aug1"])
        let again = try back.items.map { try back.load($0) }
        XCTAssertEqual(again[0].targets.masks, [flipped(maskA)])
        XCTAssertEqual(again[1].targets.masks, [flipped(maskB)])
        XCTAssertEqual(again[1].targets.masks[0].bitDepth, 16)
        XCTAssertEqual(again[2].targets.masks, [flipped(grayC)])
        XCTAssertEqual(again[0].image, flipped(loaded[0].image))

        let summary = try TargetSummary(ds)
        XCTAssertEqual(summary.masks, 3)
        XCTAssertEqual(summary.maskPixels[1000], 8)
        XCTAssertEqual(summary.maskPixels[255], 8)
        XCTAssertEqual(summary.maskPixels.values.reduce(0, +), 24 + 15 + 16)
        XCTAssertTrue(summary.text.contains("3 images"), summary.text)
        XCTAssertTrue(summary.text.contains("1000 (8 pixels"), summary.text)
        XCTAssertEqual(listing(root), before, "the input folder changed")
    }

    func testSegmentationMismatchesNameTheirFiles() throws {
        let t = try TempFolder(self)
        let root = t.at("seg")
        try ImageFile.write(rgb8(6, 4), to: root + "/images/a.png")
        try ImageFile.write(gray8(5, 4) { _, _ in 0 }, to: root + "/masks/a.png")
        try ImageFile.write(rgb8(6, 4), to: root + "/images/b.png")
        try ImageFile.write(gray8(6, 4) { _, _ in 1 }, to: root + "/masks/c.png")
        try ImageFile.write(rgb8(6, 4), to: root + "/images/d.jpg")
        try ImageFile.write(gray8(6, 4) { _, _ in 1 }, to: root + "/masks/d.png")
        let before = listing(root)

        assertError(try SegmentationFolder.read(root: root), kind: .sizeMismatch,
                    mentions: [root + "/masks/a.png", root + "/images/a.png", "5x4", "6x4"])
        let ds = try SegmentationFolder.read(root: root, skipBad: true)
        XCTAssertEqual(ds.pairs.map(\.stem), ["d"])
        XCTAssertEqual(ds.problems.count, 3)
        problem(ds.problems, .sizeMismatch, mentioning: ["masks/a.png", "images/a.png", "5x4", "6x4"])
        problem(ds.problems, .missingMask, mentioning: [root + "/images/b.png", "no mask"])
        problem(ds.problems, .missingImage, mentioning: [root + "/masks/c.png", "no images/c."])
        XCTAssertEqual(listing(root), before)
    }

    func testColourMaskIsAnErrorOrAProblem() throws {
        let t = try TempFolder(self)
        let root = t.at("seg")
        var px = [UInt8](repeating: 0, count: 4 * 3 * 3)
        px[3] = 10; px[4] = 20; px[5] = 30
        try ImageFile.write(rgb8(4, 3), to: root + "/images/e.png")
        try ImageFile.write(Image(width: 4, height: 3, channels: 3, bytes: px), to: root + "/masks/e.png")
        try ImageFile.write(rgb8(4, 3), to: root + "/images/f.png")
        try ImageFile.write(gray8(4, 3) { _, _ in 255 }, to: root + "/masks/f.png")

        let ds = try TargetDataset.open(root: root)
        assertError(try ds.load(ds.items[0]), kind: .badMask, mentions: [root + "/masks/e.png", "colour", "(1, 0)", "(10, 20, 30)"])
        assertError(try TargetSummary(ds), kind: .badMask, mentions: [root + "/masks/e.png", "(10, 20, 30)"])
        let summary = try TargetSummary(ds, skipBad: true)
        XCTAssertEqual(summary.masks, 1)
        XCTAssertEqual(summary.maskPixels, [255: 12])
        problem(summary.problems, .badMask, mentioning: ["masks/e.png", "(10, 20, 30)"])
        XCTAssertTrue(summary.text.contains("1 problem"), summary.text)
    }

    func testWritersRefuseAnOutputInsideTheInput() throws {
        let t = try TempFolder(self)
        let root = t.at("seg")
        try ImageFile.write(rgb8(4, 3), to: root + "/images/a.png")
        try ImageFile.write(gray8(4, 3) { _, _ in 1 }, to: root + "/masks/a.png")
        let ds = try TargetDataset.open(root: root)
        XCTAssertThrowsError(try TargetWriter(for: ds, output: root + "/augmented"))
        XCTAssertThrowsError(try TargetWriter(for: ds, output: root))
        XCTAssertThrowsError(try TargetWriter(for: ds, output: t.path))
    }

    // MARK: YOLO

    func testYOLORoundTripsFlippedBoxesToSixDecimals() throws {
        let t = try TempFolder(self)
        let root = t.at("yolo")
        try ImageFile.write(rgb8(10, 8), to: root + "/images/train/x.png")
        try t.text("yolo/labels/train/x.txt", "0 0.5 0.5 0.4 0.5\n2 0.25 0.375 0.3 0.25\n\n1 0.333333333 0.6 0.2 0.2\n")
        try ImageFile.write(rgb8(12, 6), to: root + "/images/train/y.jpg")
        try t.text("yolo/classes.txt", "a\nb\nc\n")
        let before = listing(root)

        XCTAssertEqual(try TargetLayout.detect(root: root), .yolo)
        let ds = try TargetDataset.open(root: root)
        guard case .yolo(let y) = ds else { return XCTFail("not YOLO") }
        XCTAssertEqual(y.classNames, ["a", "b", "c"])
        XCTAssertEqual(ds.items.map(\.stem), ["train/x", "train/y"])
        let x = try ds.load(ds.items[0])
        XCTAssertEqual(x.targets.boxes[0], BoundingBox(x1: 3, y1: 2, x2: 7, y2: 6, label: 0, id: 0))
        XCTAssertEqual(x.targets.boxes[1].x1, 1, accuracy: 1e-9)
        XCTAssertEqual(x.targets.boxes[1].x2, 4, accuracy: 1e-9)
        XCTAssertEqual(x.targets.boxes[1].label, 2)
        XCTAssertEqual(try ds.load(ds.items[1]).targets.boxes, [])

        let out = t.at("out")
        let writer = try TargetWriter(for: ds, output: out)
        for item in ds.items { try writer.write(flipped(try ds.load(item)), item: item, index: 3) }
        XCTAssertEqual(try String(contentsOfFile: out + "/labels/train/x_aug3.txt", encoding: .utf8).split(separator: "\n")[0],
                       "0 0.500000 0.500000 0.400000 0.500000")
        XCTAssertEqual(try String(contentsOfFile: out + "/classes.txt", encoding: .utf8), "a\nb\nc\n")

        let back = try TargetDataset.open(root: out)
        guard case .yolo(let yb) = back else { return XCTFail("not YOLO") }
        XCTAssertEqual(back.items.map(\.stem), ["train/x_aug3", "train/y_aug3"])
        XCTAssertEqual(yb.classNames, ["a", "b", "c"])
        XCTAssertNotNil(yb.items[1].labelPath, "an image without boxes gets an empty label file")
        XCTAssertEqual(yb.items[1].boxes, [])
        let expected = y.items[0].boxes.map { YOLOBox(classID: $0.classID, cx: 1 - $0.cx, cy: $0.cy, w: $0.w, h: $0.h) }
        XCTAssertEqual(yb.items[0].boxes.count, expected.count)
        for (got, want) in zip(yb.items[0].boxes, expected) {
            XCTAssertEqual(got.classID, want.classID)
            XCTAssertEqual(got.cx, want.cx, accuracy: 1e-6)
            XCTAssertEqual(got.cy, want.cy, accuracy: 1e-6)
            XCTAssertEqual(got.w, want.w, accuracy: 1e-6)
            XCTAssertEqual(got.h, want.h, accuracy: 1e-6)
        }

        let summary = try TargetSummary(ds)
        XCTAssertEqual(summary.boxesPerClass, [0: 1, 1: 1, 2: 1])
        XCTAssertEqual(summary.imagesWithoutBoxes, 1)
        XCTAssertTrue(summary.text.contains("3 boxes in 3 classes"), summary.text)
        XCTAssertTrue(summary.text.contains("2 'c' 1"), summary.text)
        XCTAssertEqual(listing(root), before, "the input folder changed")
    }

    func testYOLOBadLinesAndOrphanLabelsNameFileAndLine() throws {
        let t = try TempFolder(self)
        let root = t.at("yolo")
        for s in ["w", "x", "v"] { try ImageFile.write(rgb8(10, 8), to: root + "/images/\(s).png") }
        try t.text("yolo/labels/w.txt", "0 0.9 0.5 0.4 0.2\n")
        try t.text("yolo/labels/x.txt", "0 0.5 0.5 0.1 0.1\n5 0.5 0.5 0.1 0.1\n")
        try t.text("yolo/labels/v.txt", "1 0.5 0.5 0.1\n")
        try t.text("yolo/labels/z.txt", "0 0.5 0.5 0.1 0.1\n")
        try t.text("yolo/data.yaml", "path: .\nnames:\n  0: benign\n  1: malignant\n")
        let before = listing(root)

        assertError(try YOLODataset.read(root: root), kind: .badSyntax, mentions: [root + "/labels/v.txt", "line 1", "found 4"])
        let ds = try YOLODataset.read(root: root, skipBad: true)
        XCTAssertEqual(ds.classNames, ["benign", "malignant"])
        XCTAssertEqual(ds.items.map(\.stem), [])
        XCTAssertEqual(ds.problems.count, 4)
        problem(ds.problems, .badBox, mentioning: [root + "/labels/w.txt", "line 1", "outside the image", "1.100000"])
        problem(ds.problems, .unknownClass, mentioning: [root + "/labels/x.txt", "line 2", "class id 5", "0...1"])
        problem(ds.problems, .missingImage, mentioning: [root + "/labels/z.txt", "no images/z."])

        // The class check alone, without skipping.
        try FileManager.default.removeItem(atPath: root + "/labels/v.txt")
        try FileManager.default.removeItem(atPath: root + "/labels/w.txt")
        assertError(try TargetDataset.open(root: root), kind: .unknownClass, mentions: [root + "/labels/x.txt", "line 2", "class id 5"])

        let tolerant = try YOLOLabelFile.parse("0 0.5 0.5 1.0000004 1\n", path: "l.txt", classCount: 1)
        XCTAssertEqual(tolerant.count, 1, "exporters' rounding past the edge is accepted")
        XCTAssertEqual(listing(root).count, before.count - 2)
    }

    // MARK: COCO

    private let cocoCategories = """
        [{"id": 1, "name": "lesion", "supercategory": "finding"},
         {"id": 2, "name": "person", "keypoints": ["head", "foot"], "skeleton": [[1, 2]]}]
        """

    private func writeCOCO(_ t: TempFolder, images: String, annotations: String) throws -> String {
        try t.text("coco/annotations/instances.json", """
            {"info": {"description": "test"}, "images": \(images), "annotations": \(annotations), "categories": \(cocoCategories)}
            """)
        return t.at("coco/annotations/instances.json")
    }

    func testCOCORoundTripsBoxesAndKeypoints() throws {
        let t = try TempFolder(self)
        try ImageFile.write(rgb8(20, 10), to: t.at("coco/images/a.png"))
        try ImageFile.write(rgb8(20, 10), to: t.at("coco/images/sub/b.png"))
        let json = try writeCOCO(t, images: """
            [{"id": 10, "file_name": "a.png", "width": 20, "height": 10},
             {"id": 11, "file_name": "sub/b.png", "width": 20, "height": 10}]
            """, annotations: """
            [{"id": 100, "image_id": 10, "category_id": 1, "bbox": [2, 3, 4, 5], "area": 20, "iscrowd": 0,
              "segmentation": [[2, 3, 6, 3, 6, 8]]},
             {"id": 101, "image_id": 10, "category_id": 2, "bbox": [12, 1, 6, 8], "area": 48, "iscrowd": 0,
              "keypoints": [14, 2, 2, 16, 8, 1], "num_keypoints": 2},
             {"id": 102, "image_id": 11, "category_id": 1, "bbox": [0, 0, 20, 10], "area": 200, "iscrowd": 1}]
            """)
        let root = t.at("coco")
        let before = listing(root)

        XCTAssertEqual(try TargetLayout.detect(root: root), .coco)
        let ds = try TargetDataset.open(root: root)
        guard case .coco(let c) = ds else { return XCTFail("not COCO") }
        XCTAssertEqual(c.annotationsPath, json)
        XCTAssertEqual(c.imagesRoot, root + "/images")
        XCTAssertEqual(ds.items.map(\.stem), ["a", "sub/b"])
        XCTAssertEqual(ds.notes.count, 1)
        XCTAssertTrue(ds.notes[0].contains("segmentation"), ds.notes[0])
        let ta = c.targets(forImage: 0)
        XCTAssertEqual(ta.targets.boxes, [BoundingBox(x1: 2, y1: 3, x2: 6, y2: 8, label: 1, id: 0),
                                          BoundingBox(x1: 12, y1: 1, x2: 18, y2: 9, label: 2, id: 1)])
        XCTAssertEqual(ta.targets.keypoints, [Keypoint(x: 14, y: 2), Keypoint(x: 16, y: 8)])
        XCTAssertEqual(ta.keypointSlots, [COCOKeypointSlot(annotation: 1, slot: 0, visibility: 2),
                                          COCOKeypointSlot(annotation: 1, slot: 1, visibility: 1)])

        let out = t.at("out")
        let writer = try TargetWriter(for: ds, output: out)
        let a = try ds.load(ds.items[0])
        try writer.write(flipped(a), item: ds.items[0], index: 0)           // both boxes and points stay
        try writer.write(shifted(a, by: 5), item: ds.items[0], index: 1)    // a box clipped, a point leaves
        try writer.write(shifted(a, by: 9), item: ds.items[0], index: 2)    // the person box leaves
        try writer.write(try ds.load(ds.items[1]), item: ds.items[1], index: 0)
        let written = try XCTUnwrap(try writer.finish())
        XCTAssertEqual(written, out + "/instances.json")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/images/sub/b.png"))
        let text = try String(contentsOfFile: written, encoding: .utf8)
        XCTAssertFalse(text.contains("segmentation"), "polygons cannot follow the transform, so they are dropped")

        let back = try COCODataset.read(annotations: written, imagesRoot: out + "/images")
        XCTAssertEqual(back.images.map(\.fileName), ["a.png", "a_aug1.png", "a_aug2.png", "sub/b.png"])
        XCTAssertEqual(back.images.map(\.id), [1, 2, 3, 4])
        XCTAssertEqual(back.annotations.map(\.id), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(back.annotations.map(\.imageID), [1, 1, 2, 2, 3, 4])
        XCTAssertEqual(back.annotations.map(\.bbox), [[14, 3, 4, 5], [2, 1, 6, 8], [7, 3, 4, 5], [17, 1, 3, 8], [11, 3, 4, 5], [0, 0, 20, 10]])
        XCTAssertEqual(back.annotations.map(\.categoryID), [1, 2, 1, 2, 1, 1])
        XCTAssertEqual(back.annotations.map(\.isCrowd), [0, 0, 0, 0, 0, 1])
        XCTAssertEqual(back.annotations[1].keypoints, [6, 2, 2, 4, 8, 1])
        XCTAssertEqual(back.annotations[3].keypoints, [19, 2, 2, 0, 0, 0])
        XCTAssertNil(back.annotations[0].keypoints)
        XCTAssertEqual(back.categoriesJSON, c.categoriesJSON)
        XCTAssertEqual(back.otherJSON.map(\.0), ["info"])

        let raw = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let anns = raw["annotations"] as! [[String: Any]]
        XCTAssertEqual(anns.map { ($0["area"] as! NSNumber).doubleValue }, [20, 48, 20, 24, 20, 200])
        XCTAssertEqual((anns[1]["num_keypoints"] as? NSNumber)?.intValue, 2)
        XCTAssertEqual((anns[3]["num_keypoints"] as? NSNumber)?.intValue, 1)

        let summary = try TargetSummary(ds)
        XCTAssertEqual(summary.boxesPerClass, [1: 2, 2: 1])
        XCTAssertEqual(summary.keypoints, 2)
        XCTAssertTrue(summary.text.contains("1 'lesion' 2"), summary.text)
        XCTAssertEqual(listing(root), before, "the input folder changed")
    }

    func testCOCOProblemsNameTheFileAndKey() throws {
        let t = try TempFolder(self)
        try ImageFile.write(rgb8(20, 10), to: t.at("coco/images/a.png"))
        let images = """
            [{"id": 10, "file_name": "a.png", "width": 20, "height": 10},
             {"id": 12, "file_name": "nothere.png", "width": 20, "height": 10}]
            """
        func one(_ annotation: String) -> String {
            "[{\"id\": 1, \"image_id\": 10, \"category_id\": 1, \"bbox\": [1, 1, 2, 2]}, \(annotation)]"
        }
        let root = t.at("coco/images")
        let unknownImage = "{\"id\": 7, \"image_id\": 99, \"category_id\": 1, \"bbox\": [1, 1, 2, 2]}"
        let unknownCategory = "{\"id\": 8, \"image_id\": 10, \"category_id\": 7, \"bbox\": [1, 1, 2, 2]}"
        let negative = "{\"id\": 9, \"image_id\": 10, \"category_id\": 1, \"bbox\": [1, 1, -2, 3]}"
        let outside = "{\"id\": 10, \"image_id\": 10, \"category_id\": 1, \"bbox\": [15, 2, 8, 3]}"
        let justInside = "{\"id\": 11, \"image_id\": 10, \"category_id\": 1, \"bbox\": [15, 2, 5.5, 3]}"
        let goodImages = "[{\"id\": 10, \"file_name\": \"a.png\", \"width\": 20, \"height\": 10}]"

        var json = try writeCOCO(t, images: goodImages, annotations: one(unknownImage))
        assertError(try COCODataset.read(annotations: json, imagesRoot: root), kind: .unknownImage,
                    mentions: [json, "annotations[1].image_id 99"])
        json = try writeCOCO(t, images: goodImages, annotations: one(unknownCategory))
        assertError(try COCODataset.read(annotations: json, imagesRoot: root), kind: .unknownClass,
                    mentions: [json, "annotations[1].category_id 7", "1...2"])
        json = try writeCOCO(t, images: goodImages, annotations: one(negative))
        assertError(try COCODataset.read(annotations: json, imagesRoot: root), kind: .badBox,
                    mentions: [json, "annotations[1].bbox [1, 1, -2, 3]", "negative width"])
        json = try writeCOCO(t, images: goodImages, annotations: one(outside))
        assertError(try COCODataset.read(annotations: json, imagesRoot: root), kind: .badBox,
                    mentions: [json, "annotations[1].bbox [15, 2, 8, 3]", "outside", "20x10"])
        json = try writeCOCO(t, images: goodImages, annotations: one(justInside))
        XCTAssertEqual(try COCODataset.read(annotations: json, imagesRoot: root).annotations.count, 2)
        json = try writeCOCO(t, images: images, annotations: one(justInside))
        assertError(try COCODataset.read(annotations: json, imagesRoot: root), kind: .missingImage,
                    mentions: [json, "images[1].file_name 'nothere.png'", root])

        let all = "[" + [unknownImage, unknownCategory, negative, outside, justInside,
                         "{\"id\": 12, \"image_id\": 12, \"category_id\": 1, \"bbox\": [1, 1, 2, 2]}"].joined(separator: ", ") + "]"
        json = try writeCOCO(t, images: images, annotations: all)
        let before = listing(t.at("coco"))
        let ds = try TargetDataset.open(root: t.at("coco"), annotations: json, skipBad: true)
        guard case .coco(let c) = ds else { return XCTFail("not COCO") }
        XCTAssertEqual(c.images.map(\.fileName), ["a.png"])
        XCTAssertEqual(c.annotations.map(\.id), [11], "only the good annotation of an image that exists is kept")
        XCTAssertEqual(ds.problems.count, 5, "\(ds.problems)")
        problem(ds.problems, .missingImage, mentioning: [json, "nothere.png"])
        problem(ds.problems, .unknownImage, mentioning: [json, "image_id 99"])
        problem(ds.problems, .unknownClass, mentioning: [json, "category_id 7"])
        problem(ds.problems, .badBox, mentioning: [json, "negative width"])
        problem(ds.problems, .badBox, mentioning: [json, "reaches outside"])
        XCTAssertEqual(listing(t.at("coco")), before)
    }

    func testCOCOImageOfAnotherSizeThanItsEntryIsRefusedOnLoad() throws {
        let t = try TempFolder(self)
        try ImageFile.write(rgb8(16, 10), to: t.at("coco/a.png"))
        let json = try writeCOCO(t, images: "[{\"id\": 1, \"file_name\": \"a.png\", \"width\": 20, \"height\": 10}]",
                                 annotations: "[]")
        let ds = try TargetDataset.open(root: t.at("coco"), annotations: json)
        assertError(try ds.load(ds.items[0]), kind: .sizeMismatch, mentions: [t.at("coco/a.png"), "16x10", "20x10", json])
    }

    // MARK: Layout

    func testLayoutDetectionSaysWhatItExpected() throws {
        let t = try TempFolder(self)
        try t.folder("none/images")
        assertError(try TargetLayout.detect(root: t.at("none")), kind: .layout, mentions: [t.at("none"), "masks/", "labels/"])
        try t.folder("both/images")
        try t.folder("both/masks")
        try t.folder("both/labels")
        assertError(try TargetLayout.detect(root: t.at("both")), kind: .layout, mentions: ["both masks/ and labels/"])
        XCTAssertEqual(try TargetLayout.detect(root: t.at("none"), annotations: "x.json"), .coco)
    }
}

extension TargetDatasetTests {
    func testJPEGMaskIsReadAsBinaryAndTwoImagesOfOneStemAreReportedOnce() throws {
        let t = try TempFolder(self)
        let root = t.at("seg")
        // Kvasir-SEG ships RGB JPEG masks: edges and channels drift a few levels.
        var px = [UInt8]()
        for y in 0..<16 { for x in 0..<16 { let v: UInt8 = x < 8 ? 0 : 255; _ = y; px += [v, v, v] } }
        try ImageFile.write(Image(width: 16, height: 16, channels: 3, bytes: px), to: root + "/masks/k.jpg")
        try ImageFile.write(rgb8(16, 16), to: root + "/images/k.jpg")
        let mask = try MaskFile.read(root + "/masks/k.jpg")
        XCTAssertEqual(mask.channels, 1)
        XCTAssertEqual(Set(mask.bytes!), [0, 255])
        XCTAssertEqual(mask.bytes![0], 0)
        XCTAssertEqual(mask.bytes![15], 255)

        try ImageFile.write(rgb8(4, 3), to: root + "/images/d.png")
        try ImageFile.write(rgb8(4, 3), to: root + "/images/d.jpg")
        try ImageFile.write(gray8(4, 3) { _, _ in 1 }, to: root + "/masks/d.png")
        assertError(try SegmentationFolder.read(root: root), kind: .ambiguousStem, mentions: ["'d.jpg'", "'d.png'", "stem 'd'"])
        let ds = try SegmentationFolder.read(root: root, skipBad: true)
        XCTAssertEqual(ds.pairs.map(\.stem), ["k"])
        XCTAssertEqual(ds.problems.map(\.kind), [.ambiguousStem], "\(ds.problems)")
    }

    func testYOLONamesFromADataYAMLListAndFromNC() throws {
        let t = try TempFolder(self)
        try ImageFile.write(rgb8(10, 8), to: t.at("a/images/x.png"))
        try t.text("a/labels/x.txt", "2 0.5 0.5 0.2 0.2\n")
        try t.text("a/data.yaml", "names: [lesion, polyp, cyst]\n")
        XCTAssertEqual(try YOLODataset.read(root: t.at("a")).classNames, ["lesion", "polyp", "cyst"])
        try t.text("a/data.yaml", "nc: 2\n")
        assertError(try YOLODataset.read(root: t.at("a")), kind: .unknownClass, mentions: ["x.txt", "line 1", "class id 2"])
        try t.text("a/data.yaml", "names: 3\n")
        assertError(try YOLODataset.read(root: t.at("a")), kind: .badSyntax, mentions: ["data.yaml", "names"])
    }
}

extension TargetDatasetTests {
    func testCOCOFileNameThatClimbsOutOfItsRootIsRefused() throws {
        let t = try TempFolder(self)
        try ImageFile.write(rgb8(4, 3), to: t.at("x.png"))
        try t.folder("coco/images")
        let json = try writeCOCO(t, images: "[{\"id\": 1, \"file_name\": \"../../x.png\", \"width\": 4, \"height\": 3}]",
                                 annotations: "[]")
        assertError(try COCODataset.read(annotations: json, imagesRoot: t.at("coco/images")), kind: .badSyntax,
                    mentions: [json, "images[0].file_name '../../x.png'", "without '..'"])
    }
}
