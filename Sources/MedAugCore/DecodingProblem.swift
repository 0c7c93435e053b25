import Foundation

/// One line for a failed `Decodable` read of a record file: which key and
/// what was wrong, instead of Foundation's multi-line dump of the coding path
/// and underlying errors.
public enum DecodingProblem {
    /// "key 'a.b': message" for a `DecodingError`, else the error's description.
    public static func describe(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return String(describing: error) }
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch e {
        case .keyNotFound(let key, let ctx):
            return "key '\(path(ctx.codingPath + [key]))' is missing"
        case .typeMismatch(let type, let ctx):
            return "key '\(path(ctx.codingPath))' has the wrong type (expected \(type))"
        case .valueNotFound(let type, let ctx):
            return "key '\(path(ctx.codingPath))' is null (expected \(type))"
        case .dataCorrupted(let ctx):
            let at = ctx.codingPath.isEmpty ? "" : "key '\(path(ctx.codingPath))': "
            if let u = ctx.underlyingError as NSError?, ctx.codingPath.isEmpty {
                return "not valid JSON (\(u.userInfo[NSDebugDescriptionErrorKey] as? String ?? ctx.debugDescription))"
            }
            return at + ctx.debugDescription
        @unknown default:
            return String(describing: e)
        }
    }
}
