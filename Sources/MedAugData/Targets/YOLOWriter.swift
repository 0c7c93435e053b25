import Foundation
import MedAugCore
import MedAugImage

/// Writes augmented images with their boxes as a YOLO dataset:
/// `out/images/<stem>_aug<k>.<ext>` and `out/labels/<stem>_aug<k>.txt`,
/// with the source's names files (`classes.txt`, `data.yaml`) copied.
public struct YOLOWriter: Sendable {
    /// The output root.
    public let output: String

    /// A writer into `output`; refuses an output that is one of `inputs`,
    /// lies inside one or holds one. Copies `source`'s names files, so that
    /// the output reads as a YOLO dataset with the same classes.
    public init(output: String, inputs: [String], source: YOLODataset? = nil) throws {
        try OutputGuard.checkApart(output: output, inputs: inputs)
        self.output = output
        if let source {
            for rel in source.classFiles {
                let bytes: [UInt8]
                do { bytes = try RegularFile.read(StemListing.join(source.root, rel)) } catch {
                    throw TargetDataError(.badSyntax, path: StemListing.join(source.root, rel), reason: "cannot copy: \(error.reason)")
                }
                try AtomicWrite.write(Data(bytes), to: StemListing.join(output, rel))
            }
        }
    }

    /// Writes the `k`-th augmented copy of the source named `stem`: the image
    /// (keeping `imageExtension` where it can) and its boxes, which should be
    /// ``ImageTargets/finished(width:height:minVisibility:)``'s (boxes that
    /// left the image are dropped and the rest clipped here too). An image
    /// without boxes gets an empty label file.
    /// Returns the two paths written.
    @discardableResult
    public func write(_ sample: AnnotatedImage, stem: String, index k: Int, imageExtension: String,
                      durable: Bool = true) throws -> (image: String, labels: String) {
        let imagePath = try AugmentedFileName.writeImage(sample.image, folder: StemListing.join(output, YOLODataset.imagesFolderName),
                                                         stem: stem, index: k, sourceExtension: imageExtension, durable: durable)
        let labelPath = StemListing.join(StemListing.join(output, YOLODataset.labelsFolderName),
                                         AugmentedFileName.stem(stem, index: k) + ".txt")
        // Finishing again is harmless and keeps a box off the image out of the file, where a reader would refuse it.
        let boxes = sample.targets.finished(width: sample.image.width, height: sample.image.height).targets.boxes
        let text = YOLOLabelFile.text(boxes: boxes, width: sample.image.width, height: sample.image.height)
        try AtomicWrite.write(Data(text.utf8), to: labelPath, durable: durable)
        return (imagePath, labelPath)
    }
}
