import MedAugCore
import MedAugImage

/// The Laplacian `[[0,1,0],[1,-4,1],[0,1,0]]` blended with the identity by alpha.
public struct EdgeDetect: Augmenter {
    /// How much of the edge image is blended over the original, in 0...1,
    /// drawn per image (imgaug's `alpha`).
    public var alpha: Continuous

    /// Creates the augmenter; the default is imgaug's `alpha=(0.0, 0.75)`.
    public init(alpha: Continuous = .range(0, 0.75)) {
        self.alpha = alpha
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "EdgeDetect" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { EdgeDetect.table.arguments(self) }

    /// Draws alpha and convolves every channel; throws ``AugmentError`` when a
    /// drawn alpha is outside 0...1.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        if image.width == 0 || image.height == 0 { return image }
        let a = alpha.sample(&context.rng)
        try ConvolveKernel.checkAlpha(a, name)
        context.record(name, [("alpha", fmt(a))])
        return filter2D(image, EdgeDetect.kernel(alpha: a))
    }

    /// The 3x3 kernel for one alpha.
    public static func kernel(alpha: Double) -> Kernel2D {
        ConvolveKernel.blend([0, 1, 0, 1, -4, 1, 0, 1, 0], alpha: alpha)
    }
}
