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
}
