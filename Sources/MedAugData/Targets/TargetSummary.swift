import Foundation
import MedAugImage

/// What `medaug info` says about a dataset with targets: counts of images,
/// masks and the label values in them, boxes per class and keypoints.
public struct TargetSummary: Sendable, Equatable, Encodable {
    /// The layout read.
    public var layout: TargetLayout
    /// The dataset root (COCO: the annotations file).
    public var source: String
    /// Usable images.
    public var images: Int
    /// Masks read (segmentation).
    public var masks: Int = 0
    /// For each label value seen in the masks, its pixel count.
    public var maskPixels: [Int: Int] = [:]
    /// Boxes per class id (YOLO class, COCO category).
    public var boxesPerClass: [Int: Int] = [:]
    /// Class names by id, where the dataset gives them.
    public var classNames: [Int: String] = [:]
    /// Labelled keypoints (COCO v > 0).
    public var keypoints: Int = 0
    /// Images without any box (YOLO and COCO).
    public var imagesWithoutBoxes: Int = 0
    /// Files left out under skip-bad (while listing and while summarising).
    public var problems: [TargetDataError] = []
    /// The dataset's notes.
    public var notes: [String] = []

    /// Counts `dataset`. Segmentation masks are decoded here (their label
    /// values need every pixel): a bad mask is thrown, or with `skipBad`
    /// listed in ``problems`` and left out of the counts.
    public init(_ dataset: TargetDataset, skipBad: Bool = false) throws(TargetDataError) {
        layout = dataset.layout
        images = dataset.items.count
        notes = dataset.notes
        var log = ProblemLog(skipBad: skipBad)
        switch dataset {
        case .segmentation(let s):
            source = s.root
            for pair in s.pairs {
                let mask: Image
                do { mask = try MaskFile.read(pair.maskPath) } catch {
                    try log.report(error)
                    continue
                }
                masks += 1
                switch mask.pixels {
                case .u8(let a):
                    var counts = [Int](repeating: 0, count: 256)
                    for v in a { counts[Int(v)] += 1 }
                    for (v, n) in counts.enumerated() where n > 0 { maskPixels[v, default: 0] += n }
                case .u16(let a):
                    for v in a { maskPixels[Int(v), default: 0] += 1 }
                }
            }
        case .yolo(let y):
            source = y.root
            for (i, name) in (y.classNames ?? []).enumerated() { classNames[i] = name }
            for item in y.items {
                if item.boxes.isEmpty { imagesWithoutBoxes += 1 }
                for b in item.boxes { boxesPerClass[b.classID, default: 0] += 1 }
            }
        case .coco(let c):
            source = c.annotationsPath
            for cat in c.categories { classNames[cat.id] = cat.name }
            for list in c.annotationsOfImage where list.isEmpty { imagesWithoutBoxes += 1 }
            for a in c.annotations {
                boxesPerClass[a.categoryID, default: 0] += 1
                if let k = a.keypoints { keypoints += stride(from: 2, to: k.count, by: 3).filter { k[$0] > 0 }.count }
            }
        }
        problems = dataset.problems + log.problems
    }

    /// One paragraph for `medaug info`.
    public var text: String {
        let kind: String
        switch layout {
        case .segmentation: kind = "Segmentation dataset (images/ + masks/)"
        case .yolo: kind = "YOLO dataset (images/ + labels/)"
        case .coco: kind = "COCO dataset"
        }
        var parts = ["\(kind) at \(source): \(count(images, "image"))"]
        if layout == .segmentation {
            let total = maskPixels.values.reduce(0, +)
            let values = maskPixels.keys.sorted().map { v -> String in
                let share = total > 0 ? Double(maskPixels[v]!) / Double(total) * 100 : 0
                return "\(v) (\(count(maskPixels[v]!, "pixel")), \(String(format: "%.1f", share))%)"
            }
            parts.append("\(count(masks, "mask")) with \(count(maskPixels.count, "label value")): "
                + (values.isEmpty ? "none" : values.joined(separator: ", ")))
        } else {
            let boxes = boxesPerClass.values.reduce(0, +)
            let perClass = boxesPerClass.keys.sorted().map { id in
                "\(id)\(classNames[id].map { " '\($0)'" } ?? "") \(boxesPerClass[id]!)"
            }
            var line = "\(count(boxes, "box", plural: "boxes")) in \(count(boxesPerClass.count, "class", plural: "classes"))"
            if !perClass.isEmpty { line += " (" + perClass.joined(separator: ", ") + ")" }
            if !classNames.isEmpty { line += " of \(count(classNames.count, "named class", plural: "named classes"))" }
            parts.append(line)
            parts.append("\(count(imagesWithoutBoxes, "image")) without boxes")
            if layout == .coco { parts.append(count(keypoints, "labelled keypoint")) }
        }
        var text = parts.joined(separator: "; ") + "."
        if !problems.isEmpty { text += " \(count(problems.count, "problem")) (files left out under --skip-bad)." }
        for n in notes { text += " Note: \(n)" }
        return text
    }

    private func count(_ n: Int, _ word: String, plural: String? = nil) -> String {
        "\(n) \(n == 1 ? word : plural ?? word + "s")"
    }
}
