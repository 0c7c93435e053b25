import Foundation
import Synchronization

/// How a dataset is labelled and grouped: by folders (the default) or by a
/// labels CSV, and where each image's patient (group) key comes from.
///
/// Column names left nil are detected from the CSV's header (see
/// ``LabelColumns``); `"none"` for the group or split column means "this CSV
/// has none" when detection would pick a column that is something else.
public struct DatasetOptions: Sendable, Equatable, Codable {
    /// The labels CSV (`--labels`); nil: labels come from class folders.
    public var labels: String?
    /// The column naming each image, relative to the root, extension optional (`--path-column`).
    public var pathColumn: String?
    /// One label column, or several 0/1 columns (one per class) for one-hot labels (`--label-column`).
    public var labelColumns: [String]
    /// One-hot labels: one 0/1 column per class, exactly one set per row (`--one-hot`).
    /// With no `labelColumns`, every column but path, group and split is a class.
    public var oneHot: Bool
    /// The patient (group) column (`--group-column`).
    public var groupColumn: String?
    /// The split column, holding train, val, validation or test (`--split-column`).
    public var splitColumn: String?
    /// A regular expression over each image's path relative to the root; its
    /// first capture group (or the whole match) is the patient key (`--group-pattern`).
    public var groupPattern: String?
    /// Write patient IDs as they are instead of salted hashes (`--keep-ids`).
    public var keepIDs: Bool
    /// List bad CSV rows and unlisted images and go on, instead of stopping (`--skip-bad`).
    public var skipBadRows: Bool

    /// Options; the defaults read labels from class folders.
    public init(labels: String? = nil, pathColumn: String? = nil, labelColumns: [String] = [], oneHot: Bool = false,
                groupColumn: String? = nil, splitColumn: String? = nil, groupPattern: String? = nil,
                keepIDs: Bool = false, skipBadRows: Bool = false) {
        self.labels = labels
        self.pathColumn = pathColumn
        self.labelColumns = labelColumns
        self.oneHot = oneHot
        self.groupColumn = groupColumn
        self.splitColumn = splitColumn
        self.groupPattern = groupPattern
        self.keepIDs = keepIDs
        self.skipBadRows = skipBadRows
    }

    /// The value of `groupColumn` or `splitColumn` that turns detection off.
    public static let noColumn = "none"

    /// The largest labels CSV (or manifest) read: 256 MiB, far above the
    /// largest public label files (ChestX-ray14's is 8 MB for 112 120 images).
    public static let maxLabelsBytes = 256 << 20

    private static let shared = Mutex(DatasetOptions())

    /// The options `Dataset.load` uses unless given others. Process-wide,
    /// like `RegularFile.maxBytes`: the command line sets it once before any
    /// dataset is read, and every loader below then labels and groups alike.
    public static var current: DatasetOptions {
        get { shared.withLock { $0 } }
        set { shared.withLock { $0 = newValue } }
    }

    /// Refuses options that cannot work together, naming the option and value.
    public func validate() throws(DatasetError) {
        if labels == nil {
            let needLabels: [(String, Bool)] = [("--path-column", pathColumn != nil), ("--label-column", !labelColumns.isEmpty),
                                                ("--one-hot", oneHot), ("--group-column", groupColumn != nil),
                                                ("--split-column", splitColumn != nil)]
            if let (name, _) = needLabels.first(where: \.1) {
                throw .invalidArgument("\(name) names a column of a labels CSV, so it needs --labels FILE.csv")
            }
        }
        if let labels {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: labels, isDirectory: &isDir) else {
                throw .labels(LabelsError(.missingFile, file: labels, "the labels file does not exist (--labels)"))
            }
            if isDir.boolValue { throw .labels(LabelsError(.unreadable, file: labels, "it is a folder, not a CSV file (--labels)")) }
        }
        if let p = groupPattern { _ = try Self.compile(p) }
    }

    /// The group pattern compiled, or an error naming it and the reason.
    static func compile(_ pattern: String) throws(DatasetError) -> NSRegularExpression {
        guard !pattern.isEmpty else { throw .invalidArgument("--group-pattern '': the pattern is empty") }
        do { return try NSRegularExpression(pattern: pattern) } catch {
            throw .invalidArgument("--group-pattern '\(pattern)' is not a valid regular expression (ICU syntax): \(error.localizedDescription)")
        }
    }
}
