/// Why an image file could not be used. Every case names the file, so a
/// message reaching the user says which file to look at and what is wrong.
public struct ImageError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: String, Sendable {
        case unreadable      // cannot be opened or read (missing, a folder, permissions)
        case empty           // zero bytes
        case notAnImage      // neither PNG nor JPEG
        case wrongExtension  // the extension names another format than the bytes hold
        case corrupt         // the decoder refused the data (includes truncation)
        case tooLarge        // over the pixel limit, decided from the header
        case unsupported     // a valid file of a kind MedAug does not read or write
    }

    public let kind: Kind
    public let path: String
    public let reason: String

    public init(_ kind: Kind, path: String, reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
