import MedAugCore
import MedAugImage

/// Embosses with `E = [[-1-s, -s, 0], [-s, 1, s], [0, s, 1+s]]` (sums to 1)
/// blended with the identity by alpha.
public struct Emboss: Augmenter {
    public var alpha: Continuous
    public var strength: Continuous

    public init(alpha: Continuous = .range(0, 1), strength: Continuous = .range(0.25, 1)) {
        self.alpha = alpha
        self.strength = strength
    }

    public var name: String { "Emboss" }

    public var arguments: [(String, ConfigValue)] {
        [("alpha", alpha.param.config), ("strength", strength.param.config)]
    }

    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        if image.width == 0 || image.height == 0 { return image }
        let a = alpha.sample(&context.rng)
        try ConvolveKernel.checkAlpha(a, name)
        let s = strength.sample(&context.rng)
        context.record(name, [("alpha", fmt(a)), ("strength", fmt(s))])
        return filter2D(image, Emboss.kernel(alpha: a, strength: s))
    }

    public static func kernel(alpha: Double, strength s: Double) -> Kernel2D {
        let effect: [Float] = [
            Float(-1 - s), Float(0 - s), 0,
            Float(0 - s), 1, Float(0 + s),
            0, Float(0 + s), Float(1 + s),
        ]
        return ConvolveKernel.blend(effect, alpha: alpha)
    }
}
