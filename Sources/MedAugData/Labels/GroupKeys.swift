import Foundation
import MedAugCore
import MedAugFormats

/// Gives each sample its patient (group) key, so that every split keeps a
/// patient's images on one side.
///
/// The first source that has a key for a sample wins: the labels CSV's group
/// column, then `--group-pattern` over the path relative to the root, then
/// the `group` column of a `manifest.csv` MedAug wrote beside the images
/// (already hashed), then the PatientID of a DICOM file. Identifiers are
/// hashed (``PatientKey``) as they are read unless `keepIDs`, so no clear ID
/// travels further than the loader.
enum GroupKeys {
    /// Sets `samples[i].group`; `raw[i]` is the CSV's value (nil when absent).
    static func assign(_ samples: inout [Sample], raw: [String?], root: String, options: DatasetOptions,
                       splitFolders: [String], problems: inout [DatasetProblem]) throws(DatasetError) {
        var ids = raw.count == samples.count ? raw : [String?](repeating: nil, count: samples.count)
        var ready = [String?](repeating: nil, count: samples.count)
        if let pattern = options.groupPattern {
            let regex = try DatasetOptions.compile(pattern)
            var missed: [String] = []
            for i in samples.indices where ids[i] == nil {
                let rel = relative(samples[i].path, to: root)
                if let key = match(regex, rel) { ids[i] = key } else { missed.append(rel) }
            }
            if !missed.isEmpty {
                problems.append(DatasetProblem(kind: .missingGroup, path: nil, message: "\(missed.count) image(s) have paths "
                    + "that --group-pattern '\(pattern)' does not match (e.g. \(missed.prefix(3).map { "'\($0)'" }.joined(separator: ", "))); "
                    + "each of them is a group of its own"))
            }
        }
        let manifest = GroupManifest.read(root: root, splitFolders: splitFolders, problems: &problems)
        if !manifest.isEmpty {
            for i in samples.indices where ids[i] == nil {
                ready[i] = manifest[ScalarKey(relative(samples[i].path, to: root))]
            }
        }
        // --group-column none: no keys from the CSV or the files themselves
        // (anonymised exports often give every file one Patient ID).
        if options.groupColumn?.lowercased() != "none" { dicomIDs(samples, into: &ids, skipping: ready) }
        guard ids.contains(where: { $0 != nil }) || ready.contains(where: { $0 != nil }) else { return }
        if !options.keepIDs { try PatientKey.prepare() }
        var hashed: [String: String] = [:]
        for i in samples.indices {
            if let key = ready[i] {
                // A manifest written with --keep-ids holds clear IDs: hash them unless kept.
                samples[i].group = options.keepIDs || PatientKey.isKey(key) ? key : PatientKey.hashed(key)
            } else if let id = ids[i] {
                if options.keepIDs {
                    samples[i].group = id
                } else {
                    if hashed[id] == nil { hashed[id] = PatientKey.hashed(id) }
                    samples[i].group = hashed[id]
                }
            }
        }
        warnIfOneKeyDominates(samples, problems: &problems)
    }

    /// One key over half of ten or more images is more often an anonymised
    /// export (every file "ANONYMOUS") than one patient: splits would then
    /// hold that "patient" out whole or not at all. Said, with the way out.
    static func warnIfOneKeyDominates(_ samples: [Sample], problems: inout [DatasetProblem]) {
        var count: [String: Int] = [:]
        for s in samples { if let g = s.group { count[g, default: 0] += 1 } }
        guard samples.count >= 10, let (key, n) = count.max(by: { $0.value < $1.value }), n * 2 > samples.count else { return }
        problems.append(DatasetProblem(kind: .missingGroup, path: nil,
            message: "one patient key (\(key)) covers \(n) of \(samples.count) images; if the files were anonymised to one "
                + "Patient ID, --group-column none ignores the keys (or give the real ones with --group-column or --group-pattern)"))
    }

    /// The pattern's first capture group that took part in the match, else the whole match; nil when empty.
    static func match(_ regex: NSRegularExpression, _ text: String) -> String? {
        let ns = text as NSString
        guard let m = regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
        var range = m.range
        if m.numberOfRanges > 1 && m.range(at: 1).location != NSNotFound { range = m.range(at: 1) }
        let key = ns.substring(with: range)
        return key.isEmpty ? nil : key
    }

    /// PatientID of each DICOM file that has no key yet. Only names that may
    /// hold DICOM (.dcm, .dicom, .dic, or no extension) are opened; a file
    /// that cannot be read gets no key here and is reported by the scanner.
    static func dicomIDs(_ samples: [Sample], into ids: inout [String?], skipping ready: [String?]) {
        let todo = samples.indices.filter { i in
            guard ids[i] == nil, ready[i] == nil else { return false }
            let ext = (samples[i].path as NSString).pathExtension
            return ext.isEmpty || ScanFormat(fileExtension: ext) == .dicom
        }
        guard !todo.isEmpty else { return }
        let found = Slots<String>(count: todo.count)
        DispatchQueue.concurrentPerform(iterations: todo.count) { k in
            if let id = try? MedicalImageFile.patientID(samples[todo[k]].path), !id.isEmpty { _ = found.set(k, id) }
        }
        for (k, i) in todo.enumerated() { ids[i] = found[k] }
    }

    /// `path` relative to `root` (the sample paths start with the root as given).
    static func relative(_ path: String, to root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}

/// The `group` column of the `manifest.csv` that `medaug augment` (and an
/// experiment's prepared data) writes beside the images: the patient keys of
/// a folder MedAug made, so that they survive into the next command.
enum GroupManifest {
    /// The manifest's name.
    static let fileName = "manifest.csv"

    /// Path relative to the root -> group key, from `root/manifest.csv` and
    /// `root/<split folder>/manifest.csv`; empty when there is none.
    static func read(root: String, splitFolders: [String], problems: inout [DatasetProblem]) -> [ScalarKey: String] {
        var keys: [ScalarKey: String] = [:]
        for folder in [""] + splitFolders {
            let dir = folder.isEmpty ? root : (root as NSString).appendingPathComponent(folder)
            let path = (dir as NSString).appendingPathComponent(fileName)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let text: String
            do { text = try RegularFile.readText(path, maxBytes: DatasetOptions.maxLabelsBytes) } catch {
                problems.append(DatasetProblem(kind: .missingGroup, path: path,
                    message: "cannot read \(path): \(error.reason); the patient keys it may hold are not used"))
                continue
            }
            let rows = CSV.parse(text)
            guard let header = rows.first, let o = header.firstIndex(of: "output"), let g = header.firstIndex(of: "group") else { continue }
            for row in rows.dropFirst() where row.count > max(o, g) && !row[g].isEmpty {
                keys[ScalarKey(folder.isEmpty ? row[o] : folder + "/" + row[o])] = row[g]
            }
        }
        return keys
    }
}
