import Foundation
import MedAugImage

/// Writes augmented copies of a ``TargetDataset``'s images in the dataset's
/// own layout, so that the output reads back with ``TargetDataset/open(root:annotations:skipBad:)``.
public enum TargetWriter: Sendable {
    /// Into `out/images/` and `out/masks/`.
    case segmentation(SegmentationWriter)
    /// Into `out/images/` and `out/labels/`.
    case yolo(YOLOWriter)
    /// Into `out/images/` and one annotations file, written by ``finish()``.
    case coco(COCOWriter)

    /// A writer for copies of `dataset`'s images into `output`; refuses an
    /// output that is one of the dataset's inputs, lies inside one or holds one.
    public init(for dataset: TargetDataset, output: String) throws {
        switch dataset {
        case .segmentation: self = .segmentation(try SegmentationWriter(output: output, inputs: dataset.inputs))
        case .yolo(let y): self = .yolo(try YOLOWriter(output: output, inputs: dataset.inputs, source: y))
        case .coco(let c): self = .coco(try COCOWriter(output: output, inputs: dataset.inputs, source: c))
        }
    }

    /// Writes the `k`-th augmented copy of `item` (of the dataset the writer
    /// was made for): `sample` is the augmented image with its targets, boxes
    /// and keypoints in the order loading gave them (boxes that left the image
    /// are dropped and the rest clipped here). Returns the files written
    /// (COCO's annotations file is written by ``finish()``).
    @discardableResult
    public func write(_ sample: AnnotatedImage, item: TargetItem, index k: Int, durable: Bool = true) throws -> [String] {
        switch self {
        case .segmentation(let w):
            let p = try w.write(sample, stem: item.stem, index: k, imageExtension: item.imageExtension, durable: durable)
            return [p.image, p.mask]
        case .yolo(let w):
            let p = try w.write(sample, stem: item.stem, index: k, imageExtension: item.imageExtension, durable: durable)
            return [p.image, p.labels]
        case .coco(let w):
            let slots = w.sourceDataset.targets(forImage: item.index).keypointSlots
            return [try w.write(sample, sourceImage: item.index, index: k, keypointSlots: slots, durable: durable)]
        }
    }

    /// Writes what is written once at the end (COCO's annotations file) and
    /// returns its path; nil for layouts that have nothing left to write.
    @discardableResult
    public func finish() throws -> String? {
        if case .coco(let w) = self { return try w.finish() }
        return nil
    }
}
