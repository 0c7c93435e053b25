import MedAugCore
import MedAugImage

/// The Laplacian `[[0,1,0],[1,-4,1],[0,1,0]]` blended with the identity by alpha.
public struct EdgeDetect: Augmenter {
    public var alpha: Continuous

    public init(alpha: Continuous = .range(0, 0.75)) {
        self.alpha = alpha
    }

    public var name: String { "EdgeDetect" }

    public var arguments: [(String, ConfigValue)] { [("alpha", alpha.param.config)] }

    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        if image.width == 0 || image.height == 0 { return image }
        let a = alpha.sample(&context.rng)
        try ConvolveKernel.checkAlpha(a, name)
        context.record(name, [("alpha", fmt(a))])
        return filter2D(image, EdgeDetect.kernel(alpha: a))
    }

    public static func kernel(alpha: Double) -> Kernel2D {
        ConvolveKernel.blend([0, 1, 0, 1, -4, 1, 0, 1, 0], alpha: alpha)
    }
}
