import Foundation
import MedAugCore

/// Where a CSV-labelled dataset's labels came from, for reports.
public struct LabelSource: Sendable, Codable, Equatable {
    /// The labels CSV as given.
    public let file: String
    /// The columns used.
    public let columns: LabelColumns
}

/// A dataset whose labels are rows of a CSV: one row per image, naming it
/// relative to the root (extension optional) with its label, and optionally
/// its patient and split.
enum LabelsLoader {
    /// Cells that mean "no value" in exported tables; a label reading so is empty, not a class.
    static let missingMarkers: Set<String> = ["na", "n/a", "nan", "null", "?"]

    /// An empty or "unknown" patient cell: the image gets no key (rather
    /// than every such image becoming one huge fake patient).
    static func isMissingGroup(_ value: String) -> Bool {
        value.isEmpty || missingMarkers.contains(value.lowercased()) || ["none", "unknown", "-"].contains(value.lowercased())
    }

    /// One usable row.
    struct Row {
        let rel: String
        let label: String
        let split: DataSplit
        let group: String?
    }

    static func load(root: String, options: DatasetOptions) throws(DatasetError) -> Dataset {
        let file = options.labels ?? ""
        let (header, rows) = try read(file)
        let (columns, at) = try LabelColumns.resolve(header: header, rows: rows.map(\.1)[...], options: options, file: file)
        let index = try ImageIndex(root: root, skip: file)
        var problems: [DatasetProblem] = []
        var used: [ScalarKey: Int] = [:]
        var kept: [Row] = []
        for (number, cells) in rows {
            do throws(LabelsError) {
                let row = try parse(cells, number: number, at: at, columns: columns, index: index, file: file)
                if let first = used[ScalarKey(row.rel)] {
                    throw LabelsError(.duplicateRow, file: file, row: number, "names the same image as row \(first) ('\(row.rel)'); "
                        + "keep one row per image\(options.skipBadRows ? " (row \(first) is used)" : "")")
                }
                used[ScalarKey(row.rel)] = number
                kept.append(row)
            } catch {
                guard options.skipBadRows else { throw .labels(error) }
                problems.append(DatasetProblem(kind: .badRow, path: file, message: error.description))
            }
        }
        guard !kept.isEmpty else {
            throw .labels(LabelsError(.empty, file: file, "no row names a usable image (\(problems.count) bad row(s) left out)"))
        }
        var ignored = index.ignored
        let unlisted = index.images.filter { used[ScalarKey($0)] == nil }
        if !unlisted.isEmpty {
            guard options.skipBadRows else {
                throw .labels(LabelsError(.unlistedImages, file: file, "\(unlisted.count) image(s) under '\(root)' have no row, e.g. "
                    + "\(unlisted.prefix(3).map { "'\($0)'" }.joined(separator: ", ")); add rows for them, move them out of "
                    + "the root, or list and leave them out with --skip-bad"))
            }
            ignored += unlisted.map { IgnoredEntry(path: (root as NSString).appendingPathComponent($0), reason: .unlisted) }
        }
        return try dataset(kept, root: root, columns: columns, file: file, options: options, ignored: ignored, problems: problems)
    }

    /// Samples in the loader's order (split, label, path), classes in scalar order, and patient keys.
    static func dataset(_ rows: [Row], root: String, columns: LabelColumns, file: String, options: DatasetOptions,
                        ignored: [IgnoredEntry], problems: [DatasetProblem]) throws(DatasetError) -> Dataset {
        var problems = problems
        var distinct: [ScalarKey: String] = [:]
        for r in rows { distinct[ScalarKey(r.label)] = r.label }
        let names = columns.oneHot ? columns.labels : Array(distinct.values)
        let classes = UnicodeOrder.sorted(names)
        var label: [ScalarKey: Int] = [:]
        for (i, c) in classes.enumerated() { label[ScalarKey(c)] = i }
        var order = rows.map { r in (r, Sample(path: (root as NSString).appendingPathComponent(r.rel), classIndex: label[ScalarKey(r.label)]!,
                                               className: r.label, split: r.split)) }
        order.sort { a, b in
            if a.1.split != b.1.split { return a.1.split < b.1.split }
            if a.1.classIndex != b.1.classIndex { return a.1.classIndex < b.1.classIndex }
            return UnicodeOrder.precedes(a.0.rel, b.0.rel)
        }
        var samples = order.map(\.1)
        let splits: [DataSplit] = columns.split == nil ? [.unsplit]
            : [.train] + (rows.contains { $0.split == .validation } ? [.validation] : []) + [.test]
        for split in splits {
            let counts = Dataset.counts(samples.filter { $0.split == split }, classCount: classes.count)
            for (c, n) in counts.enumerated() where n == 0 {
                problems.append(DatasetProblem(kind: .emptyClass, path: file,
                    message: "class '\(classes[c])' has no images\(split == .unsplit ? "" : " in \(split.rawValue)") (\(file))"))
            }
        }
        let empty = order.filter { columns.group != nil && $0.0.group == nil }
        if !empty.isEmpty {
            problems.append(DatasetProblem(kind: .missingGroup, path: file, message: "\(empty.count) row(s) of \(file) have an empty "
                + "'\(columns.group!)' cell (e.g. '\(empty[0].0.rel)'): each such image is a group of its own"))
        }
        try GroupKeys.assign(&samples, raw: order.map(\.0.group), root: root, options: options, splitFolders: [], problems: &problems)
        return Dataset(root: root, layout: columns.split == nil ? .flat : .split, classes: classes, samples: samples,
                       ignored: ignored, problems: problems, splits: splits,
                       labels: LabelSource(file: file, columns: columns))
    }

    /// The header (trimmed, without a byte-order mark) and the data rows with their row numbers (header = row 1).
    static func read(_ file: String) throws(DatasetError) -> ([String], [(Int, [String])]) {
        let text: String
        do { text = try RegularFile.readText(file, maxBytes: DatasetOptions.maxLabelsBytes) } catch {
            let kind: LabelsError.Kind = FileManager.default.fileExists(atPath: file) ? .unreadable : .missingFile
            throw .labels(LabelsError(kind, file: file, kind == .missingFile ? "the labels file does not exist (--labels)"
                                      : "cannot read the labels file: \(error.reason)"))
        }
        var all = CSV.parse(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        guard !all.isEmpty else { throw .labels(LabelsError(.empty, file: file, "the file is empty: expected a header row, then one row per image")) }
        let header = all.removeFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        if header.count == 1, let sep = [";", "\t"].first(where: { header[0].contains($0) }) {
            throw .labels(LabelsError(.column, file: file, "the header is one column, '\(header[0])', separated by "
                + "\(sep == ";" ? "';'" : "tabs"): MedAug reads comma-separated values; save the file with commas"))
        }
        let rows = all.enumerated().map { ($0.offset + 2, $0.element) }
            .filter { !$0.1.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard !rows.isEmpty else { throw .labels(LabelsError(.empty, file: file, "no rows under the header \(LabelColumns.list(header))")) }
        return (header, rows)
    }

    /// One row checked: its image exists, its label and split are usable.
    static func parse(_ cells: [String], number: Int, at: LabelColumns.Indices, columns: LabelColumns,
                      index: ImageIndex, file: String) throws(LabelsError) -> Row {
        let needed = ([at.path, at.group, at.split].compactMap { $0 } + at.labels).max()!
        guard cells.count > needed else {
            throw LabelsError(.shortRow, file: file, row: number, "has \(cells.count) field(s), the header \(needed + 1) or more")
        }
        let rel: String
        switch ImageIndex.clean(cells[at.path]) {
        case .bad(let why): throw LabelsError(.badPath, file: file, row: number, "column '\(columns.path)': \(why)")
        case .path(let id):
            switch index.match(id) {
            case .image(let r): rel = r
            case .missing:
                throw LabelsError(.missingImage, file: file, row: number, "'\(id)' names no image under the root "
                    + "(without an extension, any of .png .jpg .jpeg .dcm .tif .tiff or none is tried)")
            case .notAnImage(let r):
                throw LabelsError(.missingImage, file: file, row: number, "'\(r)' is not an image MedAug reads (PNG, JPEG, DICOM, TIFF)")
            case .ambiguous(let found):
                throw LabelsError(.ambiguousImage, file: file, row: number, "'\(id)' could be any of "
                    + "\(found.prefix(5).map { "'\($0)'" }.joined(separator: ", ")); give the file's extension or folder")
            }
        }
        return Row(rel: rel, label: try label(cells, number: number, at: at, columns: columns, file: file),
                   split: try split(cells, number: number, at: at, columns: columns, file: file),
                   group: at.group.map { cells[$0].trimmingCharacters(in: .whitespaces) }.flatMap { Self.isMissingGroup($0) ? nil : $0 })
    }

    static func label(_ cells: [String], number: Int, at: LabelColumns.Indices, columns: LabelColumns,
                      file: String) throws(LabelsError) -> String {
        if !columns.oneHot {
            let value = cells[at.labels[0]].trimmingCharacters(in: .whitespaces)
            if value.isEmpty || missingMarkers.contains(value.lowercased()) {
                throw LabelsError(.emptyLabel, file: file, row: number, "the label ('\(columns.labels[0])') is "
                    + (value.isEmpty ? "empty" : "'\(value)', a missing-value marker") + "; give every image a class")
            }
            return value
        }
        var set: [String] = []
        for (k, c) in at.labels.enumerated() {
            guard let bit = OneHot.bit(cells[c]) else {
                throw LabelsError(.unknownLabel, file: file, row: number, "one-hot column '\(columns.labels[k])' holds "
                    + "'\(cells[c])', not 0 or 1")
            }
            if bit == 1 { set.append(columns.labels[k]) }
        }
        guard set.count == 1 else {
            throw LabelsError(.oneHotCount, file: file, row: number, set.isEmpty
                ? "no class column is 1 (one-hot labels need exactly one of \(LabelColumns.list(columns.labels)))"
                : "several class columns are 1 (\(LabelColumns.list(set))); one-hot labels need exactly one")
        }
        return set[0]
    }

    static func split(_ cells: [String], number: Int, at: LabelColumns.Indices, columns: LabelColumns,
                      file: String) throws(LabelsError) -> DataSplit {
        guard let s = at.split else { return .unsplit }
        switch cells[s].trimmingCharacters(in: .whitespaces).lowercased() {
        case "train", "training": return .train
        case "val", "valid", "validation", "dev": return .validation
        case "test", "testing": return .test
        default:
            throw LabelsError(.badSplit, file: file, row: number, "split column '\(columns.split!)' holds '\(cells[s])'; "
                + "allowed: train, training, val, valid, validation, dev, test, testing (any case), or --split-column \(DatasetOptions.noColumn) to ignore the column")
        }
    }
}
