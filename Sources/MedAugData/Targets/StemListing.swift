import Foundation
import MedAugFormats

/// A file found under one of a dataset's folders, keyed by its path
/// relative to that folder without the extension (`train/case01`), the key
/// that pairs an image with its mask or label file.
struct StemFile: Sendable, Equatable {
    /// The relative path without the extension.
    let stem: String
    /// The full path.
    let path: String
    /// The extension as written, without the dot (may be empty).
    let ext: String
}

/// Lists a dataset folder by stem.
enum StemListing {
    /// Subfolders deeper than this are not read: YOLO exports nest a split
    /// folder or two, and a symlink loop must not recurse for ever.
    static let maxDepth = 6

    /// The files under `folder` (and its subfolders) that `accept` takes by
    /// name, in scalar order of their stems; hidden entries are left out, as
    /// the class-folder loader leaves them out (`.DS_Store`, `._x.png`).
    /// Two files with one stem (`a.png`, `a.jpg`) are reported, and neither
    /// is used; their stem is added to `ambiguous`, so that the files paired
    /// with them are not reported a second time as orphans.
    static func files(in folder: String, log: inout ProblemLog, ambiguous: inout Set<ScalarKey>,
                      accept: (String) -> Bool) throws(TargetDataError) -> [StemFile] {
        var found: [StemFile] = []
        try collect(folder, prefix: "", depth: 0, into: &found, log: &log, accept: accept)
        var byStem: [ScalarKey: [StemFile]] = [:]
        for f in found { byStem[ScalarKey(f.stem), default: []].append(f) }
        var out: [StemFile] = []
        for f in found {
            let same = byStem[ScalarKey(f.stem)]!
            if same.count == 1 { out.append(f); continue }
            guard same[0].path == f.path else { continue }
            ambiguous.insert(ScalarKey(f.stem))
            let names = same.map { "'\(($0.path as NSString).lastPathComponent)'" }.joined(separator: ", ")
            try log.report(.ambiguousStem, path: f.path,
                           "\(names) share the stem '\(f.stem)'; keep one file per stem so that pairs are unambiguous")
        }
        return out.sorted { UnicodeOrder.precedes($0.stem, $1.stem) }
    }

    private static func collect(_ folder: String, prefix: String, depth: Int, into found: inout [StemFile],
                                log: inout ProblemLog, accept: (String) -> Bool) throws(TargetDataError) {
        let entries: [Dataset.Entry]
        do { entries = try Dataset.list(folder) } catch {
            throw TargetDataError(.layout, path: folder, reason: error.description)
        }
        for e in entries where !e.isHidden {
            if e.undecodable {
                try log.report(.badImage, path: e.path, "the name is not valid UTF-8 and cannot be opened; rename it to UTF-8")
                continue
            }
            if e.isDirectory {
                if depth < maxDepth {
                    try collect(e.path, prefix: prefix + e.name + "/", depth: depth + 1, into: &found, log: &log, accept: accept)
                }
                continue
            }
            guard accept(e.name) else { continue }
            let ext = (e.name as NSString).pathExtension
            let base = ext.isEmpty ? e.name : String(e.name.dropLast(ext.count + 1))
            found.append(StemFile(stem: prefix + base, path: e.path, ext: ext))
        }
    }

    /// True for a name with an extension MedAug reads as an image.
    static func isImageName(_ name: String) -> Bool { MedicalImageFile.isImageFileName(name) }

    /// True when `path` names an existing folder.
    static func isFolder(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// `folder/name`.
    static func join(_ folder: String, _ name: String) -> String {
        (folder as NSString).appendingPathComponent(name)
    }
}
