import MedAugCore

/// Swift-side input to a tensor that cannot be right: values or bytes that
/// do not match the shape, images that cannot share a batch, a tensor that
/// is not an image batch.
///
/// MedAug checks these before calling libtorch, so they are not libtorch
/// failures and must not read as one (`TorchError`); the message names the
/// shape or image at fault.
public struct TensorInputError: MedAugError, Equatable {
    /// What is wrong, naming the shape, count or image.
    public let message: String

    /// Creates an error with `message`.
    public init(_ message: String) { self.message = message }

    /// The message, as printed to the user.
    public var description: String { message }
}
