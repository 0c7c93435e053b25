import Foundation
import MedAugCore

/// The class names of a YOLO dataset: `data.yaml`'s `names:` (a list, or a
/// mapping from index to name as Ultralytics writes it; `nc:` alone gives a
/// count), else `classes.txt` (one name a line).
enum YOLOClassNames {
    static let classesFileName = "classes.txt"
    static let dataFileName = "data.yaml"

    /// The names files a dataset may have, relative to its root, in the order they are trusted.
    static let candidates = [dataFileName, classesFileName, YOLODataset.labelsFolderName + "/" + classesFileName]

    /// The names (nil when no file gives them) and the relative paths of the names files found.
    static func read(root: String) throws(TargetDataError) -> (names: [String]?, files: [String]) {
        var names: [String]? = nil
        var files: [String] = []
        for rel in candidates {
            let path = StemListing.join(root, rel)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            files.append(rel)
            guard names == nil else { continue }
            let text: String
            do { text = try RegularFile.readText(path) } catch {
                throw TargetDataError(.badSyntax, path: path, reason: "cannot read the class names: \(error.reason)")
            }
            names = rel == dataFileName ? try yamlNames(text, path: path)
                : text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return (names, files)
    }

    private static func yamlNames(_ text: String, path: String) throws(TargetDataError) -> [String]? {
        let value: ConfigValue
        do { value = try ConfigCoding.parse(text, format: .yaml, source: path) } catch let e as ConfigError {
            throw TargetDataError(e)
        } catch {
            throw TargetDataError(.badSyntax, path: path, reason: "\(error)")
        }
        switch value["names"] {
        case .list(let l)?:
            return l.map { $0.string ?? ConfigCoding.render($0, format: .json).trimmingCharacters(in: .whitespacesAndNewlines) }
        case .map(let m)?:
            // Ultralytics' `names: {0: a, 1: b}`: the index is the key.
            var out = [String](repeating: "", count: m.count)
            for (k, v) in m {
                guard let i = Int(k), (0..<m.count).contains(i) else {
                    throw TargetDataError(.badSyntax, path: path, reason: "names: key '\(k)' is not a class index 0...\(m.count - 1)")
                }
                out[i] = v.string ?? "\(i)"
            }
            return out
        case nil, .null?:
            if let n = value["nc"]?.int, n >= 0 { return (0..<n).map { String($0) } }
            return nil
        case let other?:
            throw TargetDataError(.badSyntax, path: path, reason: "names: expected a list of class names, found \(other.kindName)")
        }
    }
}
