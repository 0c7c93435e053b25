import MedAugCore

/// A checkpoint file that MedAug's own readers refuse, or whose tensors do
/// not fit the model: a damaged or truncated safetensors or torch.save file,
/// a hostile pickle, missing or mis-shaped keys.
///
/// These checks are Swift code, not libtorch, so they get their own type:
/// the user reads "FILE: what is wrong" and knows to fix or re-save the file
/// rather than suspect the libtorch install. (`TorchError` stays for
/// failures libtorch itself reports.)
public struct CheckpointError: MedAugError, Equatable {
    /// The file (or a description such as `<memory>`) at fault; nil while
    /// an inner reader does not know it yet (the caller adds it).
    public let file: String?
    /// What is wrong, naming the entry, key or value.
    public let message: String

    /// Creates an error about `file` (nil when the caller names it).
    public init(file: String? = nil, _ message: String) {
        self.file = file
        self.message = message
    }

    /// `FILE: message`, or just the message when no file is known.
    public var description: String {
        file.map { "\($0): \(message)" } ?? message
    }
}
