import MedAugCore
import MedAugImage

/// Why a file of a detection or segmentation dataset cannot be used: the
/// file (image, mask, label file or annotations JSON) and what is wrong with
/// it, naming the key, line or value at fault.
///
/// The same value serves as a problem in ``TargetDataset/problems`` when
/// bad files are skipped (`--skip-bad`) instead of stopping the command.
public struct TargetDataError: MedAugError, Equatable, Codable {
    /// What went wrong, for callers (and tests) that tell failures apart.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The root does not have a layout MedAug reads.
        case layout
        /// A mask or label file whose image is missing.
        case missingImage = "missing-image"
        /// An image without its mask (segmentation); YOLO images without labels are normal.
        case missingMask = "missing-mask"
        /// Two files claim the same stem (`a.png` and `a.jpg`).
        case ambiguousStem = "ambiguous-stem"
        /// Image and mask, or image and its annotation, disagree on the size.
        case sizeMismatch = "size-mismatch"
        /// A mask that is not a gray label map (colour, alpha, unreadable).
        case badMask = "bad-mask"
        /// An image that cannot be read.
        case badImage = "bad-image"
        /// A JSON, YAML or text file that cannot be parsed, or a key of the wrong kind.
        case badSyntax = "bad-syntax"
        /// An annotation naming an image id that `images` does not have.
        case unknownImage = "unknown-image"
        /// A class id (COCO category, YOLO class) outside the known classes.
        case unknownClass = "unknown-class"
        /// A box with a negative size or outside its image.
        case badBox = "bad-box"
        /// A keypoint list of the wrong length or with bad values.
        case badKeypoints = "bad-keypoints"
    }

    /// The category of the failure.
    public let kind: Kind
    /// The file to look at.
    public let path: String
    /// What is wrong, without the path, naming the key, line or value.
    public let reason: String

    /// An error about `path`.
    public init(_ kind: Kind, path: String, reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    /// An image or mask that failed to decode, kept with the decoder's words.
    init(_ kind: Kind, _ error: ImageError) {
        self.init(kind, path: error.path, reason: error.reason)
    }

    /// `"path: reason"`, the form MedAug prints.
    public var description: String { "\(path): \(reason)" }
}

/// Collects problems while a dataset is read: without skip-bad the first
/// one stops the read, so a user sees the first bad file at once; with it
/// every bad file is listed and left out.
struct ProblemLog {
    let skipBad: Bool
    private(set) var problems: [TargetDataError] = []

    init(skipBad: Bool) { self.skipBad = skipBad }

    mutating func report(_ e: TargetDataError) throws(TargetDataError) {
        guard skipBad else { throw e }
        problems.append(e)
    }

    mutating func report(_ kind: TargetDataError.Kind, path: String, _ reason: String) throws(TargetDataError) {
        try report(TargetDataError(kind, path: path, reason: reason))
    }
}
