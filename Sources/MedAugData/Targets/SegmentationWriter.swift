import Foundation
import MedAugCore
import MedAugImage

/// Writes augmented image/mask pairs as a segmentation folder:
/// `out/images/<stem>_aug<k>.<ext>` and `out/masks/<stem>_aug<k>.png`.
public struct SegmentationWriter: Sendable {
    /// The output root.
    public let output: String

    /// A writer into `output`; refuses an output that is one of `inputs`,
    /// lies inside one or holds one (MedAug never writes into its input).
    public init(output: String, inputs: [String]) throws {
        try OutputGuard.checkApart(output: output, inputs: inputs)
        self.output = output
    }

    /// Writes the `k`-th augmented copy of the source named `stem`, each file
    /// atomically. The mask (the first of `sample.targets.masks`) is always
    /// PNG, at the bit depth it has, since JPEG would blur its class values;
    /// the image keeps `imageExtension` where it can (``AugmentedFileName/imageExtension(source:image:)``).
    /// Returns the two paths written.
    @discardableResult
    public func write(_ sample: AnnotatedImage, stem: String, index k: Int, imageExtension: String,
                      durable: Bool = true) throws -> (image: String, mask: String) {
        guard let mask = sample.targets.masks.first else {
            throw TargetDataError(.badMask, path: StemListing.join(output, SegmentationFolder.masksFolderName),
                                  reason: "no mask to write for '\(stem)' copy \(k): the sample has no mask")
        }
        let imagePath = try AugmentedFileName.writeImage(sample.image, folder: StemListing.join(output, SegmentationFolder.imagesFolderName),
                                                         stem: stem, index: k, sourceExtension: imageExtension, durable: durable)
        let maskPath = StemListing.join(StemListing.join(output, SegmentationFolder.masksFolderName),
                                        AugmentedFileName.stem(stem, index: k) + ".png")
        try ImageFile.write(mask, to: maskPath, format: .png, durable: durable)
        return (imagePath, maskPath)
    }
}
