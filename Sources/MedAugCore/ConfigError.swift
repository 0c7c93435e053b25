/// A configuration text (YAML or JSON) that cannot be read: where and why.
///
/// Core only knows the text's syntax; the layers above wrap what the text
/// *means* (a pipeline entry, an experiment key) in their own errors.
public struct ConfigError: MedAugError, Equatable {
    /// The file (or a description such as `preset aug3`) the text came from.
    public let source: String
    /// Where in the text, when known (an entry, a key); may be empty.
    public let location: String
    /// What is wrong, in words a user can act on.
    public let message: String

    /// Creates an error for `source` at `location`.
    public init(source: String, location: String, message: String) {
        self.source = source
        self.location = location
        self.message = message
    }

    /// `source: location: message`, leaving out empty parts.
    public var description: String {
        [source, location, message].filter { !$0.isEmpty }.joined(separator: ": ")
    }

    /// The most characters of a file's own text that a message quotes.
    public static let excerptLength = 80

    /// `text` as a message may quote it: on one line and at most
    /// `excerptLength` characters, cut at the end (or, with `keepingEnd`, at
    /// the start, for a key path whose last part matters most). A hostile or
    /// broken file cannot turn one error line into pages of output.
    public static func excerpt(_ text: String, keepingEnd: Bool = false) -> String {
        var scalars = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            switch u {
            case "\n": scalars.append(contentsOf: "\\n".unicodeScalars)
            case "\t": scalars.append(contentsOf: "\\t".unicodeScalars)
            default: scalars.append(u.value < 0x20 || u.value == 0x7F ? "?" : u)
            }
        }
        let line = String(scalars)
        guard line.count > excerptLength else { return line }
        let kept = excerptLength - 3
        return keepingEnd ? "..." + String(line.suffix(kept)) : String(line.prefix(kept)) + "..."
    }
}
