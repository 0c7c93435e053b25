import Foundation
import MedAugFormats
import MedAugImage

/// One image of a segmentation folder with its mask.
public struct SegmentationPair: Sendable, Equatable {
    /// The image file.
    public let imagePath: String
    /// The mask file (a label map the size of the image).
    public let maskPath: String
    /// The image's path under `images/` without the extension; outputs are named after it.
    public let stem: String

    /// A pair of files.
    public init(imagePath: String, maskPath: String, stem: String) {
        self.imagePath = imagePath
        self.maskPath = maskPath
        self.stem = stem
    }
}

/// A segmentation dataset: `<root>/images/` and `<root>/masks/` holding files
/// of the same stems (Kvasir-SEG, ISIC, Montgomery and Shenzhen as
/// distributed, after moving the files into those two folders).
///
/// A mask may have another extension than its image (image `.jpg`, mask
/// `.png`) and may be named `<stem>_mask` or `<stem>_segmentation` (ISIC)
/// when no mask has the image's exact stem.
public struct SegmentationFolder: Sendable {
    /// The folder of images under the root.
    public static let imagesFolderName = "images"
    /// The folder of masks under the root.
    public static let masksFolderName = "masks"
    /// Suffixes a mask's stem may add to its image's, tried in this order
    /// after the exact stem.
    public static let maskSuffixes = ["_mask", "_segmentation"]

    /// The dataset root.
    public let root: String
    /// The usable pairs, in scalar order of their stems.
    public let pairs: [SegmentationPair]
    /// What was left out under skip-bad (empty otherwise: the first problem is thrown).
    public let problems: [TargetDataError]

    /// Lists and pairs the files of `root`.
    ///
    /// Reports a mask without an image, an image without a mask, two files of
    /// one stem, and (with `checkSizes`, from the headers) an image and mask of
    /// different sizes. Without `skipBad` the first of these is thrown; with it
    /// the pairs concerned are left out and listed in ``problems``.
    public static func read(root: String, skipBad: Bool = false, checkSizes: Bool = true) throws(TargetDataError) -> SegmentationFolder {
        let imagesDir = StemListing.join(root, imagesFolderName), masksDir = StemListing.join(root, masksFolderName)
        for dir in [imagesDir, masksDir] where !StemListing.isFolder(dir) {
            throw TargetDataError(.layout, path: root, reason: "a segmentation dataset needs the folders \(imagesFolderName)/ and "
                + "\(masksFolderName)/, and '\(dir)' is not a folder")
        }
        var log = ProblemLog(skipBad: skipBad)
        var ambiguousImages = Set<ScalarKey>(), ambiguousMasks = Set<ScalarKey>()
        let images = try StemListing.files(in: imagesDir, log: &log, ambiguous: &ambiguousImages, accept: StemListing.isImageName)
        let masks = try StemListing.files(in: masksDir, log: &log, ambiguous: &ambiguousMasks, accept: ImageFormat.isImageFileName)
        var maskByStem: [ScalarKey: StemFile] = [:]
        for m in masks { maskByStem[ScalarKey(m.stem)] = m }
        // The masks of images already reported as ambiguous are not orphans.
        var used = Set<ScalarKey>()
        for key in ambiguousImages {
            let stem = String(decoding: key.utf8, as: UTF8.self)
            for s in [stem] + maskSuffixes.map({ stem + $0 }) { used.insert(ScalarKey(s)) }
        }
        var pairs: [SegmentationPair] = []
        for image in images {
            let candidates = [image.stem] + maskSuffixes.map { image.stem + $0 }
            if candidates.contains(where: { ambiguousMasks.contains(ScalarKey($0)) }) { continue }
            guard let mask = candidates.lazy.compactMap({ maskByStem[ScalarKey($0)] }).first else {
                try log.report(.missingMask, path: image.path, "the image has no mask: expected \(masksFolderName)/\(image.stem).png "
                    + "(any image extension, or \(maskSuffixes.map { image.stem + $0 }.joined(separator: " or ")))")
                continue
            }
            used.insert(ScalarKey(mask.stem))
            if checkSizes, let problem = sizeProblem(image: image.path, mask: mask.path) {
                try log.report(problem)
                continue
            }
            pairs.append(SegmentationPair(imagePath: image.path, maskPath: mask.path, stem: image.stem))
        }
        for m in masks where !used.contains(ScalarKey(m.stem)) {
            try log.report(.missingImage, path: m.path, "the mask has no image: no \(imagesFolderName)/\(m.stem).* "
                + "(nor an image whose stem this mask's stem adds \(maskSuffixes.joined(separator: " or ")) to)")
        }
        return SegmentationFolder(root: root, pairs: pairs, problems: log.problems)
    }

    /// Nil when both headers read and the sizes agree; otherwise the problem.
    static func sizeProblem(image: String, mask: String) -> TargetDataError? {
        let ih: ImageHeader, mh: ImageHeader
        do { ih = try MedicalImageFile.header(image) } catch { return TargetDataError(.badImage, error) }
        do { mh = try ImageFile.header(mask) } catch { return TargetDataError(.badMask, error) }
        return sizeProblem(image: image, imageWidth: ih.width, imageHeight: ih.height,
                           mask: mask, maskWidth: mh.width, maskHeight: mh.height)
    }

    static func sizeProblem(image: String, imageWidth: Int, imageHeight: Int,
                            mask: String, maskWidth: Int, maskHeight: Int) -> TargetDataError? {
        guard imageWidth != maskWidth || imageHeight != maskHeight else { return nil }
        return TargetDataError(.sizeMismatch, path: mask, reason: "the mask is \(maskWidth)x\(maskHeight) but its image "
            + "'\(image)' is \(imageWidth)x\(imageHeight); a mask must have its image's size")
    }

    /// The pair's mask as targets (one label map).
    public func targets(for pair: SegmentationPair) throws(TargetDataError) -> ImageTargets {
        ImageTargets(masks: [try MaskFile.read(pair.maskPath)])
    }

    /// The pair's image (read as ``MedicalImageFile`` reads it) with its mask,
    /// checking their sizes again (the files may have changed since they were listed).
    public func load(_ pair: SegmentationPair) throws(TargetDataError) -> AnnotatedImage {
        let image: Image
        do { image = try MedicalImageFile.read(pair.imagePath) } catch { throw TargetDataError(.badImage, error) }
        let mask = try MaskFile.read(pair.maskPath)
        if let problem = Self.sizeProblem(image: pair.imagePath, imageWidth: image.width, imageHeight: image.height,
                                          mask: pair.maskPath, maskWidth: mask.width, maskHeight: mask.height) {
            throw problem
        }
        return AnnotatedImage(image, targets: ImageTargets(masks: [mask]))
    }
}
