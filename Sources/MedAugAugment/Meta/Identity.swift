import MedAugCore
import MedAugImage

/// imgaug's Identity (meta.py): returns the image unchanged and draws nothing.
/// Registered with the intensity family (RandAugment's "do nothing" choice).
public struct Identity: Augmenter {
    /// Creates the augmenter; imgaug's Identity takes no arguments.
    public init() {}

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Identity" }

    /// The arguments as a pipeline file writes them: none.
    public var arguments: [(String, ConfigValue)] { Identity.table.arguments(self) }

    /// Returns `image` as it is.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        context.record(name, [])
        return image
    }
}
