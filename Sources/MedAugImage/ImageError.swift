import MedAugCore

/// Why an image file could not be used. Every case names the file, so a
/// message reaching the user says which file to look at and what is wrong.
public struct ImageError: MedAugError, Equatable {
    /// What went wrong, for callers that react differently to different failures
    /// (for example skipping corrupt files but stopping on unreadable ones).
    public enum Kind: String, Sendable {
        /// The file cannot be opened or read: missing, a folder, or no permission.
        case unreadable
        /// The file has zero bytes.
        case empty
        /// The bytes are neither PNG nor JPEG.
        case notAnImage
        /// The extension names another format than the bytes hold (a PNG named `.jpg`).
        case wrongExtension
        /// The decoder refused the data; truncated files land here.
        case corrupt
        /// Over the pixel limit, decided from the header before decoding.
        case tooLarge
        /// A valid file of a kind MedAug does not read or write (or an image that
        /// cannot be written in the requested format, such as 16-bit JPEG).
        case unsupported
    }

    /// The category of the failure.
    public let kind: Kind
    /// The file concerned; `"<memory>"` for in-memory data.
    public let path: String
    /// A one-line explanation for people, without the path.
    public let reason: String

    /// Makes an error for `path`; `reason` should say what is wrong and, where
    /// possible, what to do.
    public init(_ kind: Kind, path: String, reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    /// `"path: reason"`, the form MedAug prints.
    public var description: String { "\(path): \(reason)" }
}
