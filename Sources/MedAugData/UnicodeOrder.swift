/// Ordering and equality of names by Unicode scalar values.
///
/// Swift's `String` comparison treats canonically equivalent strings as equal
/// (NFC "Ö" == NFD "O\u{308}"), and localized comparison differs between
/// machines. Label indices must not move between machines, and two folders the
/// file system keeps apart must stay apart, so names are compared scalar by
/// scalar, exactly as stored. For valid UTF-8 this is also byte order.
public enum UnicodeOrder {
    public static func precedes(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
    }

    public static func equal(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.elementsEqual(b.unicodeScalars)
    }

    public static func sorted(_ names: [String]) -> [String] {
        names.sorted(by: precedes)
    }
}

/// A dictionary key that keeps canonically equivalent but differently encoded names apart.
struct ScalarKey: Hashable {
    let scalars: [UInt32]
    init(_ s: String) { scalars = s.unicodeScalars.map(\.value) }
}
