/// A file or folder the loader skipped, and why. Reported, never silently dropped,
/// so that a missing image is traceable to a misplaced or misnamed file.
public struct IgnoredEntry: Sendable, Codable, Equatable {
    public enum Reason: String, Sendable, Codable, CaseIterable {
        /// Name starts with '.' (.DS_Store, ._x.png from macOS, .ipynb_checkpoints).
        case hidden
        /// Not an image MedAug reads (by extension, or a DICOM file without pixel data).
        case nonImage = "non-image"
        /// A folder inside a class folder: classes are one level deep.
        case subfolder
        /// An image lying next to the class folders instead of inside one.
        case outsideClassFolder = "outside-class-folder"
        /// An image under the root of a labels CSV that no row names (listed under `--skip-bad`).
        case unlisted = "no-label-row"
    }

    public let path: String
    public let reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }
}

/// Something wrong with the data that does not stop the loader: the caller
/// decides whether it is fatal.
public struct DatasetProblem: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        case emptyClass = "empty-class"
        case badFile = "bad-file"
        case imbalance
        /// A labels CSV row left out under `--skip-bad`.
        case badRow = "bad-row"
        /// Images without a patient key where others have one (empty group cells, paths the pattern misses).
        case missingGroup = "missing-group"
        /// One patient's images on both sides of the dataset's own split.
        case patientLeak = "patient-leak"
    }

    public let kind: Kind
    public let path: String?
    public let message: String

    public init(kind: Kind, path: String?, message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String { message }
}
