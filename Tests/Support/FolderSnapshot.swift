import Foundation

/// Every file of an output folder, for comparing a killed-and-resumed run
/// with an uninterrupted one byte for byte.
public enum FolderSnapshot {
    /// Every regular file under `dir` by relative path, its bytes passed
    /// through `normalise(relativePath, bytes)` (which blanks what differs by
    /// nature between two runs, such as wall-clock seconds).
    public static func take(_ dir: URL, normalise: (String, Data) throws -> Data = { $1 }) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for rel in try FileManager.default.subpathsOfDirectory(atPath: dir.path) {
            var isDir: ObjCBool = false
            let path = dir.appendingPathComponent(rel).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
            out[rel] = try normalise(rel, try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        return out
    }

    /// `text` line by line through `edit`, for the text files of a snapshot.
    public static func lines(_ data: Data, _ edit: (Substring) -> String) -> Data {
        let text = String(decoding: data, as: UTF8.self)
        return Data(text.split(separator: "\n", omittingEmptySubsequences: false).map(edit).joined(separator: "\n").utf8)
    }
}
