import Foundation

/// Which columns of a labels CSV hold what: named by the options, or found
/// by their header names (the public datasets' spellings: ISIC, HAM10000,
/// ChestX-ray14). A column that cannot be found, or could be any of several,
/// is an error naming the columns there are and the option that decides.
public struct LabelColumns: Sendable, Equatable, Codable {
    /// The image path or id column.
    public var path: String
    /// The label column, or the class columns of one-hot labels.
    public var labels: [String]
    /// True when `labels` are one 0/1 column per class.
    public var oneHot: Bool
    /// The patient (group) column, if any.
    public var group: String?
    /// The split column, if any.
    public var split: String?

    /// Columns by name.
    public init(path: String, labels: [String], oneHot: Bool, group: String?, split: String?) {
        self.path = path
        self.labels = labels
        self.oneHot = oneHot
        self.group = group
        self.split = split
    }

    /// Header names taken as each role when no option names the column;
    /// compared without case, spaces, '_' or '-'.
    public static let pathNames = ["image", "image_id", "image_name", "path", "file", "filename", "file_name", "isic_id", "Image Index", "image_path"]
    /// See ``pathNames``.
    public static let labelNames = ["label", "class", "diagnosis", "dx", "target", "Finding Labels"]
    /// See ``pathNames``.
    public static let groupNames = ["patient", "patient_id", "PatientID", "subject", "subject_id", "group", "lesion_id"]
    /// See ``pathNames``.
    public static let splitNames = ["split", "fold", "set", "partition", "subset"]

    /// Column positions in the header, in the order of the fields above.
    struct Indices {
        var path: Int
        var labels: [Int]
        var group: Int?
        var split: Int?
    }

    /// Decides the columns of `header` (rows are looked at only to recognise
    /// one-hot columns when nothing else names the labels).
    static func resolve(header: [String], rows: ArraySlice<[String]>, options: DatasetOptions,
                        file: String) throws(DatasetError) -> (LabelColumns, Indices) {
        let finder = Finder(header: header, file: file)
        let path = try finder.column(options.pathColumn, option: "--path-column", candidates: pathNames, role: "image path or id")!
        let group = try finder.column(options.groupColumn, option: "--group-column", candidates: groupNames,
                                      role: "patient (group)", optional: true)
        let split = try finder.column(options.splitColumn, option: "--split-column", candidates: splitNames,
                                      role: "split", optional: true)
        let taken = [path, group, split].compactMap { $0 }
        var labels: [Int]
        var oneHot = options.oneHot || options.labelColumns.count > 1
        if !options.labelColumns.isEmpty {
            labels = []
            for name in options.labelColumns { labels.append(try finder.column(name, option: "--label-column", candidates: [], role: "label")!) }
        } else if oneHot {
            labels = header.indices.filter { !taken.contains($0) }
        } else if let l = try finder.column(nil, option: "--label-column", candidates: labelNames, role: "label", optional: true,
                                            canBeNone: false) {
            labels = [l]
        } else {
            // ISIC's ground truth: no label column, one 0/1 column per class.
            labels = header.indices.filter { !taken.contains($0) }
            guard labels.count >= 2, rows.allSatisfy({ row in labels.allSatisfy { $0 >= row.count || OneHot.bit(row[$0]) != nil } }) else {
                throw .labels(LabelsError(.column, file: file, "no label column: none of \(list(labelNames)) is among the columns "
                    + "\(list(header)); name it with --label-column NAME, or give the class columns of one-hot labels with "
                    + "--label-column A,B,C (or --one-hot for every other column)"))
            }
            oneHot = true
        }
        // Two one-hot columns of one name would be two classes of one name, one always empty.
        let names = labels.map { header[$0] }
        if oneHot, let twice = names.first(where: { n in names.filter { $0 == n }.count > 1 }) {
            throw .labels(LabelsError(.column, file: file, "class column '\(twice)' appears twice "
                + (Set(labels).count < labels.count ? "in --label-column" : "in the header; rename one of them")))
        }
        if oneHot && labels.count < 2 {
            throw .labels(LabelsError(.column, file: file, "one-hot labels need two or more class columns, got "
                + "\(list(labels.map { header[$0] })); give them with --label-column A,B,C"))
        }
        for l in labels where taken.contains(l) {
            throw .labels(LabelsError(.column, file: file, "column '\(header[l])' cannot be both a label column and the "
                + "\(l == path ? "path" : l == group ? "group" : "split") column"))
        }
        if let group, group == split || group == path {
            throw .labels(LabelsError(.column, file: file, "column '\(header[group])' cannot be the group column and another role; set --group-column"))
        }
        if let split, split == path {
            throw .labels(LabelsError(.column, file: file, "column '\(header[split])' cannot be the split column and the path column; set --split-column"))
        }
        let columns = LabelColumns(path: header[path], labels: labels.map { header[$0] }, oneHot: oneHot,
                                   group: group.map { header[$0] }, split: split.map { header[$0] })
        return (columns, Indices(path: path, labels: labels, group: group, split: split))
    }

    /// `'a', 'b', 'c'`.
    static func list(_ names: [String]) -> String {
        names.isEmpty ? "(none)" : names.map { "'\($0)'" }.joined(separator: ", ")
    }

    /// Finds columns by name in one header.
    struct Finder {
        let header: [String]
        let file: String

        static func normalised(_ s: String) -> String {
            String(s.lowercased().unicodeScalars.filter { !" _-".unicodeScalars.contains($0) })
        }

        /// The column `name` names (exactly, else ignoring case, spaces, '_' and '-'), or
        /// without a name the one candidate present. `optional` roles give nil
        /// when no candidate is there, and `DatasetOptions.noColumn` turns them off.
        func column(_ name: String?, option: String, candidates: [String], role: String,
                    optional: Bool = false, canBeNone: Bool = true) throws(DatasetError) -> Int? {
            if let name {
                let exact = header.indices.filter { UnicodeOrder.equal(header[$0], name) }
                if exact.count == 1 { return exact[0] }
                if optional && exact.isEmpty && name == DatasetOptions.noColumn { return nil }
                let loose = exact.isEmpty ? header.indices.filter { Self.normalised(header[$0]) == Self.normalised(name) } : exact
                if loose.count == 1 { return loose[0] }
                if loose.isEmpty {
                    throw .labels(LabelsError(.column, file: file, "no column '\(name)' (\(option)); the columns are \(list(header))"))
                }
                throw .labels(LabelsError(.column, file: file, "\(loose.count) columns are called '\(name)' (\(option)); "
                    + "rename all but one in the header"))
            }
            let wanted = Set(candidates.map(Self.normalised))
            let found = header.indices.filter { wanted.contains(Self.normalised(header[$0])) }
            if found.count == 1 { return found[0] }
            if found.isEmpty {
                if optional { return nil }
                throw .labels(LabelsError(.column, file: file, "no \(role) column: none of \(list(candidates)) is among the "
                    + "columns \(list(header)); name it with \(option) NAME"))
            }
            let also = optional && canBeNone ? ", or \(option) \(DatasetOptions.noColumn) if there is none" : ""
            throw .labels(LabelsError(.column, file: file, "several columns could be the \(role) column: "
                + "\(list(found.map { header[$0] })); choose one with \(option) NAME\(also)"))
        }
    }
}

/// One-hot cells: 0 and 1, as integers or decimals (ISIC writes 0.0 and 1.0).
enum OneHot {
    /// 0 or 1 for a cell that says so, else nil.
    static func bit(_ cell: String) -> Int? {
        let t = cell.trimmingCharacters(in: .whitespaces)
        guard let v = Double(t), v == 0 || v == 1 else { return nil }
        return Int(v)
    }
}
