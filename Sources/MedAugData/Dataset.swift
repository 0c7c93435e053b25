import Foundation
import MedAugFormats
import MedAugImage

/// A folder of images, one subfolder per class, or images labelled by a CSV.
///
/// Layouts:
/// - split: `<root>/train/<class>/…` and `<root>/test/<class>/…` (Kaggle's
///   layout), with an optional `<root>/val/<class>/…` (or `valid/`, `validation/`)
///   used as the validation set; or a labels CSV with a split column;
/// - flat: `<root>/<class>/…`, or a labels CSV without a split column; split
///   later with `StratifiedSplit`.
///
/// Classes are sorted by Unicode scalar value and labelled 0, 1, …; files in a
/// class are sorted the same way. Scalar order does not depend on locale or
/// machine, so label indices and sample order are the same everywhere.
public struct Dataset: Sendable {
    /// How the samples are divided.
    public enum Layout: String, Sendable, Codable {
        case split
        case flat
    }

    /// The root as the caller gave it; sample paths start with it.
    public let root: String
    public let layout: Layout
    /// Class names in label order.
    public let classes: [String]
    /// Ordered by split, then label, then file name.
    public let samples: [Sample]
    public let ignored: [IgnoredEntry]
    /// Empty classes, bad CSV rows (under skip-bad), images without a patient
    /// key; bad files are found later by `ImageScanner`.
    public let problems: [DatasetProblem]
    /// The splits this dataset has, in report order: train, [validation,] test; or unsplit.
    public let splits: [DataSplit]
    /// The labels CSV and its columns; nil when class folders give the labels.
    public let labels: LabelSource?

    /// A dataset as given; `splits` defaults to the layout's (train and test, or unsplit).
    public init(root: String, layout: Layout, classes: [String], samples: [Sample],
                ignored: [IgnoredEntry] = [], problems: [DatasetProblem] = [],
                splits: [DataSplit]? = nil, labels: LabelSource? = nil) {
        self.root = root
        self.layout = layout
        self.classes = classes
        self.samples = samples
        self.ignored = ignored
        self.problems = problems
        self.splits = splits ?? (layout == .split ? [.train, .test] : [.unsplit])
        self.labels = labels
    }

    public func samples(in split: DataSplit) -> [Sample] {
        samples.filter { $0.split == split }
    }

    /// Images per class in label order.
    public func counts(in split: DataSplit) -> [Int] {
        Self.counts(samples.filter { $0.split == split }, classCount: classes.count)
    }

    public static func counts(_ samples: [Sample], classCount: Int) -> [Int] {
        var c = [Int](repeating: 0, count: classCount)
        for s in samples where s.classIndex >= 0 && s.classIndex < classCount { c[s.classIndex] += 1 }
        return c
    }

    /// True when some sample has a patient (group) key.
    public var hasGroups: Bool { samples.contains { $0.group != nil } }

    public static let trainFolderName = "train"
    public static let testFolderName = "test"
    /// Names of the optional validation folder beside train/ and test/.
    public static let validationFolderNames = ["val", "valid", "validation"]

    /// Loads the dataset at `root`, labelled and grouped as `options` say
    /// (by default the process-wide ``DatasetOptions/current``).
    public static func load(root: String, options: DatasetOptions = .current) throws(DatasetError) -> Dataset {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir) else {
            throw .rootMissing(path: root)
        }
        guard isDir.boolValue else { throw .rootNotAFolder(path: root) }
        try options.validate()
        if options.labels != nil { return try LabelsLoader.load(root: root, options: options) }

        var ignored: [IgnoredEntry] = []
        let top = try list(root)
        let train = top.first { $0.isDirectory && UnicodeOrder.equal($0.name, trainFolderName) }
        let test = top.first { $0.isDirectory && UnicodeOrder.equal($0.name, testFolderName) }

        switch (train, test) {
        case let (train?, test?):
            return try loadSplit(root: root, top: top, train: train, test: test, options: options)

        case (.some, nil):
            throw .incompleteSplitLayout(root: root, found: trainFolderName, missing: testFolderName)
        case (nil, .some):
            throw .incompleteSplitLayout(root: root, found: testFolderName, missing: trainFolderName)

        case (nil, nil):
            let folders = try classFolders(root, entries: top, ignored: &ignored)
            if folders.isEmpty { throw .noClassFolders(path: root) }
            var samples: [Sample] = []
            var problems: [DatasetProblem] = []
            for (label, folder) in folders.enumerated() {
                try readClass(folder, label: label, split: .unsplit,
                              samples: &samples, ignored: &ignored, problems: &problems)
            }
            try GroupKeys.assign(&samples, raw: [], root: root, options: options, splitFolders: [], problems: &problems)
            return Dataset(root: root, layout: .flat, classes: folders.map(\.name), samples: samples,
                           ignored: ignored, problems: problems)
        }
    }

    /// train/ and test/, and val/ (or validation/) when there is one: the same class folders in each.
    static func loadSplit(root: String, top: [Entry], train: Entry, test: Entry,
                          options: DatasetOptions) throws(DatasetError) -> Dataset {
        let vals = top.filter { e in e.isDirectory && validationFolderNames.contains { UnicodeOrder.equal(e.name, $0) } }
        if vals.count > 1 { throw .twoValidationFolders(root: root, names: vals.map(\.name)) }
        let val = vals.first
        var ignored: [IgnoredEntry] = []
        let read = [train.name, test.name] + (val.map { [$0.name] } ?? [])
        for e in top where !read.contains(where: { UnicodeOrder.equal($0, e.name) }) {
            // Other folders ("__MACOSX/", "extra/") are not read: say so.
            ignored.append(IgnoredEntry(path: e.path, reason: e.isHidden ? .hidden
                : e.isDirectory ? .subfolder : e.isImageName ? .outsideClassFolder : .nonImage))
        }
        let trainClasses = try classFolders(train.path, ignored: &ignored)
        let testClasses = try classFolders(test.path, ignored: &ignored)
        let valClasses = try val.map { v throws(DatasetError) in try classFolders(v.path, ignored: &ignored) } ?? []
        let trainNames = trainClasses.map(\.name), testNames = testClasses.map(\.name)
        if trainNames.isEmpty && testNames.isEmpty { throw .noClassFolders(path: train.path) }
        let trainKeys = Set(trainNames.map(ScalarKey.init)), testKeys = Set(testNames.map(ScalarKey.init))
        if trainKeys != testKeys {
            throw .classMismatch(root: root,
                                 onlyInTrain: trainNames.filter { !testKeys.contains(ScalarKey($0)) },
                                 onlyInTest: testNames.filter { !trainKeys.contains(ScalarKey($0)) })
        }
        if let val, Set(valClasses.map { ScalarKey($0.name) }) != trainKeys {
            let valKeys = Set(valClasses.map { ScalarKey($0.name) })
            throw .validationClassMismatch(root: root, folder: val.name,
                                           onlyInTrain: trainNames.filter { !valKeys.contains(ScalarKey($0)) },
                                           onlyInValidation: valClasses.map(\.name).filter { !trainKeys.contains(ScalarKey($0)) })
        }
        var samples: [Sample] = []
        var problems: [DatasetProblem] = []
        for (split, folders) in [(DataSplit.train, trainClasses), (.validation, valClasses), (.test, testClasses)] {
            for (label, folder) in folders.enumerated() {
                try readClass(folder, label: label, split: split,
                              samples: &samples, ignored: &ignored, problems: &problems)
            }
        }
        try GroupKeys.assign(&samples, raw: [], root: root, options: options, splitFolders: read, problems: &problems)
        return Dataset(root: root, layout: .split, classes: trainNames, samples: samples,
                       ignored: ignored, problems: problems,
                       splits: val == nil ? [.train, .test] : [.train, .validation, .test])
    }

    // MARK: - Listing

    struct Entry {
        /// The name as stored; a byte that is not UTF-8 is written `\xFF` (see `undecodable`).
        let name: String
        let path: String
        /// Follows symlinks: a link to a folder counts as a folder.
        let isDirectory: Bool
        /// Follows symlinks: only a regular file is opened to look for DICOM
        /// (a FIFO named like an image would block the loader).
        var isRegularFile = false
        /// The stored name is not valid UTF-8: `name` and `path` are escaped
        /// for messages and cannot be opened, so such an entry is refused
        /// wherever the loader would read it, and only reported elsewhere.
        var undecodable = false

        var isHidden: Bool { name.hasPrefix(".") }
        /// A readable extension (PNG, JPEG, DICOM, TIFF), or an extensionless regular file holding DICOM.
        var isImageName: Bool {
            MedicalImageFile.isImageFileName(name)
                || (isRegularFile && !undecodable && MedicalImageFile.isImageFile(name: name, path: path))
        }

        /// Refuses an entry the loader needs to open but cannot name faithfully.
        func requireDecodable(in folder: String) throws(DatasetError) {
            guard undecodable else { return }
            throw .unreadableFolder(path: folder, reason: "it holds '\(path)', whose name is not valid UTF-8, and MedAug "
                                    + "cannot open such names; rename it to UTF-8 (for example with convmv)")
        }
    }

    /// The folder's entries in scalar order. Names are read as raw bytes
    /// (readdir) because Foundation replaces a byte that is not UTF-8 with
    /// U+FFFD, which names no file: such entries are kept, marked, instead.
    static func list(_ folder: String) throws(DatasetError) -> [Entry] {
        guard let dir = opendir(folder) else {
            throw .unreadableFolder(path: folder, reason: String(cString: strerror(errno)))
        }
        defer { closedir(dir) }
        var entries: [Entry] = []
        while true {
            errno = 0
            guard let ent = readdir(dir) else {
                if errno != 0 { throw .unreadableFolder(path: folder, reason: String(cString: strerror(errno))) }
                break
            }
            let bytes = withUnsafeBytes(of: ent.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
            entries.append(entry(folder: folder, nameBytes: bytes))
        }
        return entries.sorted { UnicodeOrder.precedes($0.name, $1.name) }
    }

    static func entry(folder: String, nameBytes: [UInt8]) -> Entry {
        var st = stat()
        let rawPath = Array(folder.utf8) + [0x2F] + nameBytes + [0]
        let found = rawPath.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { stat($0, &st) == 0 }
        }
        let name = String(validating: nameBytes, as: UTF8.self)
        let shown = name ?? escapedName(nameBytes)
        return Entry(name: shown, path: (folder as NSString).appendingPathComponent(shown),
                     isDirectory: found && (st.st_mode & S_IFMT) == S_IFDIR,
                     isRegularFile: found && (st.st_mode & S_IFMT) == S_IFREG, undecodable: name == nil)
    }

    /// The name with every byte that is not part of valid UTF-8 written `\xHH`.
    public static func escapedName(_ bytes: [UInt8]) -> String {
        var out = ""
        var parser = Unicode.UTF8.ForwardParser()
        var it = bytes.makeIterator()
        var offset = 0
        loop: while true {
            switch parser.parseScalar(from: &it) {
            case .valid(let v):
                out.unicodeScalars.append(Unicode.UTF8.decode(v))
                offset += v.count
            case .error(let length):
                for b in bytes[offset..<(offset + length)] { out += "\\x" + String(b, radix: 16, uppercase: true).leftPadded(2) }
                offset += length
            case .emptyInput:
                break loop
            }
        }
        return out
    }

    /// Visible subfolders are classes; anything else at this level is recorded as ignored.
    static func classFolders(_ folder: String, entries: [Entry]? = nil,
                             ignored: inout [IgnoredEntry]) throws(DatasetError) -> [Entry] {
        let all: [Entry]
        if let entries { all = entries } else { all = try list(folder) }
        var classes: [Entry] = []
        for e in all {
            if e.isHidden {
                ignored.append(IgnoredEntry(path: e.path, reason: .hidden))
            } else if e.isDirectory {
                try e.requireDecodable(in: folder)
                classes.append(e)
            } else {
                ignored.append(IgnoredEntry(path: e.path, reason: e.isImageName ? .outsideClassFolder : .nonImage))
            }
        }
        return classes
    }

    static func readClass(_ folder: Entry, label: Int, split: DataSplit, samples: inout [Sample],
                          ignored: inout [IgnoredEntry], problems: inout [DatasetProblem]) throws(DatasetError) {
        var found = 0
        var subfolders: [String] = []
        for e in try list(folder.path) {
            if e.isHidden {
                ignored.append(IgnoredEntry(path: e.path, reason: .hidden))
            } else if e.isImageName {
                try e.requireDecodable(in: folder.path)
                // Even a folder or a broken link named x.png is kept: the scanner
                // then reports it as unreadable instead of it vanishing quietly.
                samples.append(Sample(path: e.path, classIndex: label, className: folder.name, split: split))
                found += 1
            } else if e.isDirectory {
                ignored.append(IgnoredEntry(path: e.path, reason: .subfolder))
                subfolders.append(e.name)
            } else {
                ignored.append(IgnoredEntry(path: e.path, reason: .nonImage))
            }
        }
        if found == 0 {
            let where_ = split == .unsplit ? "" : " in \(split.rawValue)/"
            var message = "class '\(folder.name)' has no images\(where_) (\(folder.path))"
            if subfolders.contains(where: { UnicodeOrder.equal($0, trainFolderName) })
                && subfolders.contains(where: { UnicodeOrder.equal($0, testFolderName) }) {
                message += "; it holds train/ and test/ folders: did you mean to point at '\(folder.path)'?"
            } else if !subfolders.isEmpty {
                message += "; it holds only subfolders, and classes are read one level deep"
            }
            problems.append(DatasetProblem(kind: .emptyClass, path: folder.path, message: message))
        }
    }
}

private extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
