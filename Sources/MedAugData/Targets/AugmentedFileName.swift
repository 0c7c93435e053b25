import Foundation
import MedAugImage

/// How augmented copies are named: `<stem>_aug<k>` beside the other copies
/// of the same source, so that a listing sorts each source's copies together.
public enum AugmentedFileName {
    /// `<stem>_aug<k>`; a stem with folders (`train/case01`) keeps them. Copy 0
    /// is the original, which keeps its own stem.
    public static func stem(_ stem: String, index k: Int) -> String { k == 0 ? stem : "\(stem)_aug\(k)" }

    /// The extension an augmented image is written with: the source's when
    /// MedAug writes that format and the image fits it, PNG otherwise (DICOM
    /// and TIFF sources, and 16-bit images, which JPEG cannot hold).
    public static func imageExtension(source ext: String, image: Image) -> String {
        switch ImageFormat(fileExtension: ext) {
        case .png?: return ext
        case .jpeg?: return image.bitDepth == 8 ? ext : "png"
        case nil: return "png"
        }
    }

    /// Writes `image` to `folder/<stem>_aug<k>.<ext>` (ext from ``imageExtension(source:image:)``)
    /// atomically, and returns the path.
    public static func writeImage(_ image: Image, folder: String, stem: String, index k: Int, sourceExtension: String,
                           durable: Bool) throws -> String {
        let path = StemListing.join(folder, self.stem(stem, index: k) + "." + imageExtension(source: sourceExtension, image: image))
        try ImageFile.write(image, to: path, durable: durable)
        return path
    }
}
