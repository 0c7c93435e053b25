import Foundation
import MedAugCore
import MedAugFormats
import MedAugImage

/// One line of a YOLO label file: a class and a box normalised to the image
/// (centre, width and height as fractions of the image's width and height).
public struct YOLOBox: Sendable, Equatable {
    /// The class index (a line of `classes.txt`, an entry of `names:`).
    public var classID: Int
    /// Centre x, 0...1.
    public var cx: Double
    /// Centre y, 0...1.
    public var cy: Double
    /// Width, 0...1.
    public var w: Double
    /// Height, 0...1.
    public var h: Double

    /// A box from its normalised centre and size.
    public init(classID: Int, cx: Double, cy: Double, w: Double, h: Double) {
        self.classID = classID
        self.cx = cx
        self.cy = cy
        self.w = w
        self.h = h
    }

    /// The box in pixels of a `width` x `height` image, with `id` to follow it through augmentation.
    public func pixelBox(width: Int, height: Int, id: Int) -> BoundingBox {
        let W = Double(width), H = Double(height)
        return BoundingBox(x1: (cx - w / 2) * W, y1: (cy - h / 2) * H, x2: (cx + w / 2) * W, y2: (cy + h / 2) * H,
                           label: classID, id: id)
    }

    /// `box` (pixels of a `width` x `height` image) normalised.
    public init(_ box: BoundingBox, width: Int, height: Int) {
        let W = Double(max(width, 1)), H = Double(max(height, 1))
        self.init(classID: box.label, cx: (box.x1 + box.x2) / 2 / W, cy: (box.y1 + box.y2) / 2 / H,
                  w: box.width / W, h: box.height / H)
    }
}

/// One image of a YOLO dataset with its boxes.
public struct YOLOItem: Sendable, Equatable {
    /// The image's path under `images/` without the extension.
    public let stem: String
    /// The image file.
    public let imagePath: String
    /// The label file; nil when the image has none (an image without
    /// objects, which YOLO datasets mark by leaving the file out).
    public let labelPath: String?
    /// The boxes of the label file, in line order.
    public let boxes: [YOLOBox]
}

/// A YOLO detection dataset: `<root>/images/<stem>.<ext>` and
/// `<root>/labels/<stem>.txt` (subfolders such as `train/` mirrored in both),
/// one `class cx cy w h` line per box, normalised to 0...1; class names in
/// `classes.txt` (at the root or in `labels/`, as LabelImg writes it) or in
/// `data.yaml`'s `names:`.
public struct YOLODataset: Sendable {
    /// The folder of images under the root.
    public static let imagesFolderName = "images"
    /// The folder of label files under the root.
    public static let labelsFolderName = "labels"
    /// How far (as a fraction of the image) a box may reach past an edge:
    /// exporters round, and a box ending at 1.0000004 is on the image.
    public static let edgeTolerance = 1e-3

    /// The dataset root.
    public let root: String
    /// The usable images, in scalar order of their stems.
    public let items: [YOLOItem]
    /// The class names, when a names file was found.
    public let classNames: [String]?
    /// The names files found (`classes.txt`, `data.yaml`), copied to outputs as they are.
    public let classFiles: [String]
    /// What was left out under skip-bad (empty otherwise: the first problem is thrown).
    public let problems: [TargetDataError]

    /// Lists `root` and reads every label file. Reports a label file without
    /// an image, a line that is not five numbers, a box outside the image and
    /// a class id outside the names (when a names file gives them), naming
    /// the file and line. Without `skipBad` the first problem is thrown; with
    /// it the images concerned are left out and listed in ``problems``.
    public static func read(root: String, skipBad: Bool = false) throws(TargetDataError) -> YOLODataset {
        let imagesDir = StemListing.join(root, imagesFolderName), labelsDir = StemListing.join(root, labelsFolderName)
        for dir in [imagesDir, labelsDir] where !StemListing.isFolder(dir) {
            throw TargetDataError(.layout, path: root, reason: "a YOLO dataset needs the folders \(imagesFolderName)/ and "
                + "\(labelsFolderName)/, and '\(dir)' is not a folder")
        }
        var log = ProblemLog(skipBad: skipBad)
        let (names, files) = try YOLOClassNames.read(root: root)
        var ambiguousImages = Set<ScalarKey>(), ambiguousLabels = Set<ScalarKey>()
        let images = try StemListing.files(in: imagesDir, log: &log, ambiguous: &ambiguousImages, accept: StemListing.isImageName)
        let labels = try StemListing.files(in: labelsDir, log: &log, ambiguous: &ambiguousLabels) { name in
            name.lowercased().hasSuffix(".txt") && name != YOLOClassNames.classesFileName
        }
        var labelByStem: [ScalarKey: StemFile] = [:]
        for l in labels { labelByStem[ScalarKey(l.stem)] = l }
        var items: [YOLOItem] = []
        // The label files of images already reported as ambiguous are not orphans.
        var used = ambiguousImages
        for image in images {
            // Already reported: which of its label files holds its boxes is unclear.
            if ambiguousLabels.contains(ScalarKey(image.stem)) { continue }
            guard let label = labelByStem[ScalarKey(image.stem)] else {
                items.append(YOLOItem(stem: image.stem, imagePath: image.path, labelPath: nil, boxes: []))
                continue
            }
            used.insert(ScalarKey(image.stem))
            do {
                let boxes = try YOLOLabelFile.read(label.path, classCount: names?.count)
                items.append(YOLOItem(stem: image.stem, imagePath: image.path, labelPath: label.path, boxes: boxes))
            } catch {
                try log.report(error)
            }
        }
        for l in labels where !used.contains(ScalarKey(l.stem)) {
            try log.report(.missingImage, path: l.path, "the label file has no image: no \(imagesFolderName)/\(l.stem).*")
        }
        return YOLODataset(root: root, items: items, classNames: names, classFiles: files, problems: log.problems)
    }

    /// The item's boxes in pixels of a `width` x `height` image; a box's id is its line's place among the boxes.
    public func targets(for item: YOLOItem, width: Int, height: Int) -> ImageTargets {
        ImageTargets(boxes: item.boxes.enumerated().map { $1.pixelBox(width: width, height: height, id: $0) })
    }

    /// The item's image (read as ``MedicalImageFile`` reads it) with its boxes.
    public func load(_ item: YOLOItem) throws(TargetDataError) -> AnnotatedImage {
        let image: Image
        do { image = try MedicalImageFile.read(item.imagePath) } catch { throw TargetDataError(.badImage, error) }
        return AnnotatedImage(image, targets: targets(for: item, width: image.width, height: image.height))
    }
}

/// Reading and writing the text of one YOLO label file.
public enum YOLOLabelFile {
    /// The boxes of the label file at `path` (see ``parse(_:path:classCount:)``).
    public static func read(_ path: String, classCount: Int?) throws(TargetDataError) -> [YOLOBox] {
        let text: String
        do { text = try RegularFile.readText(path) } catch {
            throw TargetDataError(.badSyntax, path: path, reason: "cannot read the label file: \(error.reason)")
        }
        return try parse(text, path: path, classCount: classCount)
    }

    /// The boxes of a label file's text, one per non-blank line. With
    /// `classCount`, a class id must be below it. Errors name `path` and the line.
    public static func parse(_ text: String, path: String, classCount: Int?) throws(TargetDataError) -> [YOLOBox] {
        var boxes: [YOLOBox] = []
        let tol = YOLODataset.edgeTolerance
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            let line = n + 1
            func fail(_ kind: TargetDataError.Kind, _ why: String) -> TargetDataError {
                TargetDataError(kind, path: path, reason: "line \(line): \(why)")
            }
            guard fields.count == 5 else {
                let hint = fields.count > 5 ? " (polygon or keypoint lines of YOLO segmentation and pose are not read)" : ""
                throw fail(.badSyntax, "expected 5 values 'class cx cy w h', found \(fields.count)\(hint)")
            }
            guard let classValue = Double(fields[0]), classValue == classValue.rounded(), abs(classValue) < 1e9 else {
                throw fail(.badSyntax, "the class '\(fields[0])' is not a whole number")
            }
            let classID = Int(classValue)
            if classID < 0 || (classCount.map { classID >= $0 } ?? false) {
                let range = classCount.map { "0...\($0 - 1) (\($0) names)" } ?? "0 or more"
                throw fail(.unknownClass, "class id \(classID) is out of range: the class ids are \(range)")
            }
            var v: [Double] = []
            for f in fields[1...] {
                guard let d = Double(f), d.isFinite else { throw fail(.badSyntax, "'\(f)' is not a number") }
                v.append(d)
            }
            let box = YOLOBox(classID: classID, cx: v[0], cy: v[1], w: v[2], h: v[3])
            if box.w < 0 || box.h < 0 {
                throw fail(.badBox, "the box has a negative size (w \(f6(box.w)), h \(f6(box.h)))")
            }
            let x1 = box.cx - box.w / 2, x2 = box.cx + box.w / 2, y1 = box.cy - box.h / 2, y2 = box.cy + box.h / 2
            if x1 < -tol || y1 < -tol || x2 > 1 + tol || y2 > 1 + tol {
                throw fail(.badBox, "the box (cx \(f6(box.cx)), cy \(f6(box.cy)), w \(f6(box.w)), h \(f6(box.h))) spans x "
                    + "\(f6(x1))...\(f6(x2)), y \(f6(y1))...\(f6(y2)): outside the image (0...1)")
            }
            boxes.append(box)
        }
        return boxes
    }

    /// Label file text for `boxes` (pixels of a `width` x `height` image),
    /// one `class cx cy w h` line each with 6 decimals, as YOLO tools write them.
    public static func text(boxes: [BoundingBox], width: Int, height: Int) -> String {
        var out = ""
        for b in boxes {
            let y = YOLOBox(b, width: width, height: height)
            out += "\(y.classID) \(f6(y.cx)) \(f6(y.cy)) \(f6(y.w)) \(f6(y.h))\n"
        }
        return out
    }

    static func f6(_ d: Double) -> String {
        let s = String(format: "%.6f", d)
        // "-0.000000" from a value rounding to zero from below reads as a negative coordinate.
        return s == "-0.000000" ? "0.000000" : s
    }
}
