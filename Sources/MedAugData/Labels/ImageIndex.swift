import Foundation
import MedAugFormats

/// Every file under a dataset root, by relative path, so that the rows of a
/// labels CSV can be matched to files (with or without their extension) and
/// the images no row names can be found.
struct ImageIndex {
    /// Image files, by path relative to the root, in walk (scalar) order.
    private(set) var images: [String] = []
    /// What the walk left out (hidden entries, files that are not images, loops).
    private(set) var ignored: [IgnoredEntry] = []
    private var imageSet: Set<ScalarKey> = []
    private var others: Set<ScalarKey> = []
    /// Path without a readable extension -> images; an extensionless image is its own stem.
    private var byStem: [ScalarKey: [String]] = [:]
    /// File name -> images, and file name without extension -> images, for ids given without folders.
    private var byName: [ScalarKey: [String]] = [:]
    private var byNameStem: [ScalarKey: [String]] = [:]

    /// Folders deeper than this are not walked (a link loop the inode check misses cannot run away).
    static let maxDepth = 64

    /// Walks `root`, leaving out `skip` (the labels file, when it lies under the root).
    init(root: String, skip: String?) throws(DatasetError) {
        var skipID: (dev_t, ino_t)? = nil
        var st = stat()
        if let skip, stat(skip, &st) == 0 { skipID = (st.st_dev, st.st_ino) }
        var seen = Set<[UInt64]>()
        try walk(root, rel: "", depth: 0, skip: skipID, seen: &seen)
    }

    private mutating func walk(_ folder: String, rel: String, depth: Int, skip: (dev_t, ino_t)?,
                               seen: inout Set<[UInt64]>) throws(DatasetError) {
        var st = stat()
        if stat(folder, &st) == 0 {
            guard seen.insert([UInt64(st.st_dev), UInt64(st.st_ino)]).inserted, depth <= Self.maxDepth else {
                ignored.append(IgnoredEntry(path: folder, reason: .subfolder))
                return
            }
        }
        for e in try Dataset.list(folder) {
            let r = rel.isEmpty ? e.name : rel + "/" + e.name
            if e.isHidden {
                ignored.append(IgnoredEntry(path: e.path, reason: .hidden))
            } else if e.isDirectory {
                try e.requireDecodable(in: folder)
                try walk(e.path, rel: r, depth: depth + 1, skip: skip, seen: &seen)
            } else if let skip, stat(e.path, &st) == 0, st.st_dev == skip.0, st.st_ino == skip.1 {
                continue
            } else if e.isImageName && !e.undecodable {
                add(r)
            } else {
                // A name that is not UTF-8 cannot be written in a CSV: no row can name it.
                if !e.undecodable { others.insert(ScalarKey(r)) }
                ignored.append(IgnoredEntry(path: e.path, reason: e.isImageName ? .unlisted : .nonImage))
            }
        }
    }

    private mutating func add(_ rel: String) {
        images.append(rel)
        imageSet.insert(ScalarKey(rel))
        let name = (rel as NSString).lastPathComponent
        byStem[ScalarKey(Self.stem(rel)), default: []].append(rel)
        byName[ScalarKey(name), default: []].append(rel)
        byNameStem[ScalarKey(Self.stem(name)), default: []].append(rel)
    }

    /// The path without a readable extension (`x.png` -> `x`; `x.txt` and `x` stay).
    static func stem(_ rel: String) -> String {
        MedicalImageFile.isImageFileName((rel as NSString).lastPathComponent) ? (rel as NSString).deletingPathExtension : rel
    }

    /// Where a row's id leads.
    enum Match: Equatable {
        case image(String)
        case notAnImage(String)
        case ambiguous([String])
        case missing
    }

    /// The image a row's id (already checked by ``clean(_:)``) names: the
    /// path itself; without a readable extension, the one image of that stem
    /// (several are ambiguous); and for a bare file name, the same anywhere
    /// under the root (ChestX-ray14 lists names, its images lie in 12 folders).
    func match(_ id: String) -> Match {
        let exact = exactMatch(id)
        guard exact == .missing else { return exact }
        // A CSV written on one system names files another wrote: "café" in NFC
        // in the table, NFD on disk (macOS, zip archives), or the other way round.
        for form in [id.precomposedStringWithCanonicalMapping, id.decomposedStringWithCanonicalMapping]
        where !form.unicodeScalars.elementsEqual(id.unicodeScalars) {
            let m = exactMatch(form)
            if m != .missing { return m }
        }
        return exact
    }

    func exactMatch(_ id: String) -> Match {
        let key = ScalarKey(id)
        let bare = !id.contains("/")
        var found: [String]? = nil
        if MedicalImageFile.isImageFileName((id as NSString).lastPathComponent) {
            if imageSet.contains(key) { return .image(id) }
            if bare { found = byName[key] }
        } else {
            found = byStem[key] ?? (bare ? byNameStem[key] : nil)
        }
        if let found { return found.count == 1 ? .image(found[0]) : .ambiguous(found) }
        return others.contains(key) ? .notAnImage(id) : .missing
    }

    /// The id as a clean relative path, or why it cannot be one.
    static func clean(_ raw: String) -> Cleaned {
        let id = raw.trimmingCharacters(in: .whitespaces)
        if id.isEmpty { return .bad("the path is empty") }
        if id.hasPrefix("/") { return .bad("'\(id)' is an absolute path; give paths relative to the image root") }
        let parts = id.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        if parts.contains("..") { return .bad("'\(id)' climbs out of the image root ('..'); give paths inside it") }
        if parts.isEmpty { return .bad("'\(id)' names no file") }
        return .path(parts.joined(separator: "/"))
    }

    /// A row's id as a relative path, or why not.
    enum Cleaned {
        case path(String)
        case bad(String)
    }
}
