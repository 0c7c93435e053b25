import MedAugCore

/// A model that cannot be built as asked: an image size the architecture
/// has no layout for, fewer than one class, a dropout rate outside [0, 1].
///
/// These are checks on the request, made before libtorch is called, so they
/// are the models layer's own error rather than a `TorchError`; the message
/// names the architecture and the value at fault.
public struct ModelError: MedAugError, Equatable {
    /// What is wrong, naming the architecture and value.
    public let message: String

    /// Creates an error with `message`.
    public init(_ message: String) { self.message = message }

    /// The message, as printed to the user.
    public var description: String { message }
}
