import Foundation
import MedAugImage

/// The dataset layouts whose targets follow the image.
public enum TargetLayout: String, Sendable, CaseIterable, Codable {
    /// `images/` and `masks/` (``SegmentationFolder``).
    case segmentation
    /// `images/` and `labels/` (``YOLODataset``).
    case yolo
    /// A COCO annotations JSON (``COCODataset``).
    case coco

    /// The names of a root's COCO annotations file that are found without being given.
    public static let cocoFileNames = ["instances.json", "annotations.json"]

    /// The layout of `root`: COCO when `annotations` is given; else
    /// `images/` with `masks/` is segmentation, `images/` with `labels/` is
    /// YOLO, and `instances.json` / `annotations.json` at the root or a single
    /// `.json` in `annotations/` is COCO. Refuses a root that fits none or
    /// more than one, saying what was found.
    public static func detect(root: String, annotations: String? = nil) throws(TargetDataError) -> TargetLayout {
        if annotations != nil { return .coco }
        guard StemListing.isFolder(root) else {
            throw TargetDataError(.layout, path: root, reason: "the dataset folder does not exist or is not a folder")
        }
        let hasImages = StemListing.isFolder(StemListing.join(root, "images"))
        let hasMasks = StemListing.isFolder(StemListing.join(root, SegmentationFolder.masksFolderName))
        let hasLabels = StemListing.isFolder(StemListing.join(root, YOLODataset.labelsFolderName))
        if hasImages && hasMasks && hasLabels {
            throw TargetDataError(.layout, path: root, reason: "the folder has both masks/ and labels/: it is unclear whether it is "
                + "a segmentation or a YOLO dataset; keep one of the two folders")
        }
        if hasImages && hasMasks { return .segmentation }
        if hasImages && hasLabels { return .yolo }
        if findCOCOFile(root: root) != nil { return .coco }
        throw TargetDataError(.layout, path: root, reason: "not a dataset with targets: expected images/ with masks/ (segmentation), "
            + "images/ with labels/ (YOLO), or a COCO file (\(cocoFileNames.joined(separator: " or ")) at the root, one .json in "
            + "annotations/, or one given with its path)")
    }

    /// The COCO annotations file of `root` when one is found without being given.
    static func findCOCOFile(root: String) -> String? {
        for name in cocoFileNames where FileManager.default.fileExists(atPath: StemListing.join(root, name)) {
            return StemListing.join(root, name)
        }
        let dir = StemListing.join(root, "annotations")
        let json = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.lowercased().hasSuffix(".json") && !$0.hasPrefix(".") }
        return json.count == 1 ? StemListing.join(dir, json[0]) : nil
    }
}

/// One image of a dataset with targets, in a form common to the layouts.
public struct TargetItem: Sendable, Equatable {
    /// The image file.
    public let imagePath: String
    /// The image's name without extension (with its folders under the
    /// images root); augmented copies are named `<stem>_aug<k>`.
    public let stem: String
    /// The image's place in its layout's own list (pairs, items, images).
    public let index: Int

    /// An item.
    public init(imagePath: String, stem: String, index: Int) {
        self.imagePath = imagePath
        self.stem = stem
        self.index = index
    }

    /// The image's extension, which outputs keep where they can.
    public var imageExtension: String { (imagePath as NSString).pathExtension }
}

/// A dataset whose targets (masks, boxes, keypoints) follow the image, in
/// any of the layouts of ``TargetLayout``: what `medaug augment`, `preview`
/// and `info` read.
public enum TargetDataset: Sendable {
    /// `images/` and `masks/`.
    case segmentation(SegmentationFolder)
    /// `images/` and `labels/`.
    case yolo(YOLODataset)
    /// A COCO annotations file and its images.
    case coco(COCODataset)

    /// Reads the dataset at `root` in the layout ``TargetLayout/detect(root:annotations:)`` finds.
    ///
    /// For COCO, `annotations` is the JSON file (found under `root` when
    /// nil) and the images are under `root/images/` or `root`, whichever holds
    /// the first `file_name`. Without `skipBad` the first problem is thrown;
    /// with it bad files are left out and listed in ``problems``.
    public static func open(root: String, annotations: String? = nil, skipBad: Bool = false) throws(TargetDataError) -> TargetDataset {
        switch try TargetLayout.detect(root: root, annotations: annotations) {
        case .segmentation:
            return .segmentation(try SegmentationFolder.read(root: root, skipBad: skipBad))
        case .yolo:
            return .yolo(try YOLODataset.read(root: root, skipBad: skipBad))
        case .coco:
            guard let file = annotations ?? TargetLayout.findCOCOFile(root: root) else {
                throw TargetDataError(.layout, path: root, reason: "no COCO annotations file found")
            }
            return .coco(try COCODataset.read(annotations: file, imagesRoots: [StemListing.join(root, "images"), root],
                                              skipBad: skipBad))
        }
    }

    /// The layout.
    public var layout: TargetLayout {
        switch self {
        case .segmentation: return .segmentation
        case .yolo: return .yolo
        case .coco: return .coco
        }
    }

    /// The folders and files the dataset was read from, which no output may be or lie inside.
    public var inputs: [String] {
        switch self {
        case .segmentation(let s): return [s.root]
        case .yolo(let y): return [y.root]
        case .coco(let c): return [c.imagesRoot, (c.annotationsPath as NSString).deletingLastPathComponent]
        }
    }

    /// The usable images, in the layout's order.
    public var items: [TargetItem] {
        switch self {
        case .segmentation(let s):
            return s.pairs.enumerated().map { TargetItem(imagePath: $1.imagePath, stem: $1.stem, index: $0) }
        case .yolo(let y):
            return y.items.enumerated().map { TargetItem(imagePath: $1.imagePath, stem: $1.stem, index: $0) }
        case .coco(let c):
            return c.images.enumerated().map { i, m in
                let ext = (m.fileName as NSString).pathExtension
                return TargetItem(imagePath: m.path, stem: ext.isEmpty ? m.fileName : String(m.fileName.dropLast(ext.count + 1)), index: i)
            }
        }
    }

    /// What was left out under skip-bad, each naming its file.
    public var problems: [TargetDataError] {
        switch self {
        case .segmentation(let s): return s.problems
        case .yolo(let y): return y.problems
        case .coco(let c): return c.problems
        }
    }

    /// Things the user should know that are not problems.
    public var notes: [String] {
        if case .coco(let c) = self { return c.notes }
        return []
    }

    /// The item's image with its targets, read now.
    public func load(_ item: TargetItem) throws(TargetDataError) -> AnnotatedImage {
        switch self {
        case .segmentation(let s): return try s.load(s.pairs[item.index])
        case .yolo(let y): return try y.load(y.items[item.index])
        case .coco(let c): return try c.load(imageAt: item.index).sample
        }
    }
}
