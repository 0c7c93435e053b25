import MedAugCore

/// Why a labels CSV cannot be used, or one of its rows: the file, the row
/// (the header is row 1, as a spreadsheet numbers it) and what to do.
public struct LabelsError: MedAugError, Equatable {
    /// What is wrong; row-level kinds can be listed and skipped with `--skip-bad`.
    public enum Kind: String, Sendable, Codable {
        /// The CSV file does not exist.
        case missingFile = "missing-file"
        /// It cannot be read (a folder, a FIFO, too large, not UTF-8).
        case unreadable
        /// No header, or no rows under it.
        case empty
        /// A column the options need is not in the header, or several could be meant.
        case column
        /// A row's path or id is empty, absolute or climbs out of the root.
        case badPath = "bad-path"
        /// A row names no existing image under the root.
        case missingImage = "missing-image"
        /// A row's id without extension fits several files.
        case ambiguousImage = "ambiguous-image"
        /// Two rows name the same image.
        case duplicateRow = "duplicate-row"
        /// A row's label is empty or a missing-value marker (NA, NaN, ...).
        case emptyLabel = "empty-label"
        /// A one-hot value that is not 0 or 1.
        case unknownLabel = "unknown-label"
        /// A one-hot row with no class set, or several.
        case oneHotCount = "one-hot-count"
        /// A split value other than train, val, validation or test.
        case badSplit = "bad-split"
        /// Images under the root that no row names.
        case unlistedImages = "unlisted-images"
        /// A row shorter than the header.
        case shortRow = "short-row"
    }

    /// The kind of mistake.
    public let kind: Kind
    /// The labels CSV.
    public let file: String
    /// The row, counting the header as row 1; nil for the whole file.
    public let row: Int?
    /// What is wrong and what to do, without the file name.
    public let message: String

    /// An error about `file` (and `row`).
    public init(_ kind: Kind, file: String, row: Int? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.row = row
        self.message = message
    }

    /// True for mistakes in single rows, which `--skip-bad` lists and leaves out.
    public var isRowLevel: Bool {
        switch kind {
        case .missingFile, .unreadable, .empty, .column: return false
        default: return true
        }
    }

    /// "labels.csv row 7: ...".
    public var description: String {
        "\(file)\(row.map { " row \($0)" } ?? ""): \(message)"
    }
}
