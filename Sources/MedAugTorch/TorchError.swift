import CTorch
import MedAugCore

/// A failure inside libtorch, carrying libtorch's own message: only what the
/// shim reports through its error slot (`torchCall`, `Tensor.make`). Checks
/// MedAug makes itself throw their own layer's errors (`CheckpointError`,
/// `TensorInputError`, `ModelError`, ...), so "libtorch: " always means libtorch.
public struct TorchError: MedAugError {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "libtorch: \(message)" }
}

/// Runs one shim call with a fresh error slot and turns a filled slot into a thrown TorchError.
@inline(__always)
func torchCall<T>(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T) throws(TorchError) -> T {
    var err: UnsafeMutablePointer<CChar>? = nil
    let result = body(&err)
    if let err {
        let message = String(cString: err)
        ct_string_free(err)
        throw TorchError(message)
    }
    return result
}
