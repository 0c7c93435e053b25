import MedAugCore
import MedAugImage

/// Replaces each sample with the median of its k×k neighbourhood
/// (`cv2.medianBlur`, replicated borders). k is drawn per image; an even k
/// becomes k + 1; k = 1 changes nothing.
public struct MedianBlur: Augmenter {
    /// The window side in pixels, drawn per image; even draws are raised to the
    /// next odd number (imgaug's rule).
    public var k: Discrete

    /// Creates the augmenter; the default is imgaug's `k=(1, 7)`.
    public init(k: Discrete = .range(1, 7)) {
        self.k = k
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "MedianBlur" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { MedianBlur.table.arguments(self) }

    /// Draws k and applies the median filter; any channel count and bit depth.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        var size = k.sample(&context.rng)
        if size > 1 && size % 2 == 0 { size += 1 }
        context.record(name, [("k", String(size))])
        guard size > 1 else { return image }
        return MedianFilter.apply(image, size: size)
    }
}
