/// Ordering and equality of names by Unicode scalar values.
///
/// Swift's `String` comparison treats canonically equivalent strings as equal
/// (NFC "Ö" == NFD "O\u{308}"), and localized comparison differs between
/// machines. Label indices must not move between machines, and two folders the
/// file system keeps apart must stay apart, so names are compared scalar by
/// scalar, exactly as stored. For valid UTF-8 this is also byte order.
public enum UnicodeOrder {
    /// True when `a` sorts before `b`, scalar by scalar.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
    }

    /// True when `a` and `b` hold the same scalars.
    public static func equal(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.elementsEqual(b.unicodeScalars)
    }

    /// `names` in scalar order.
    public static func sorted(_ names: [String]) -> [String] {
        names.sorted(by: precedes)
    }
}

/// A dictionary key that keeps canonically equivalent but differently encoded
/// names apart, as the file system does (a `String` key would merge them).
public struct ScalarKey: Hashable, Sendable {
    /// The name's UTF-8 bytes: one encoding per scalar sequence, so equal
    /// bytes mean equal scalars (and a quarter of the memory of the scalars).
    public let utf8: [UInt8]
    /// The key of `s`.
    public init(_ s: String) { utf8 = Array(s.utf8) }
}
