import Foundation

/// One JSON record file (settings, state), read whole.
public enum JSONRecord {
    /// The decoded record, or nil when the file is not there; an unreadable one names the file.
    public static func readIfPresent<T: Decodable>(_ path: String, as type: T.Type) throws -> T? {
        guard let d = FileManager.default.contents(atPath: path) else { return nil }
        do { return try JSONDecoder().decode(T.self, from: d) } catch {
            throw RunFolderError("\(path): unreadable: \(DecodingProblem.describe(error))")
        }
    }
}
