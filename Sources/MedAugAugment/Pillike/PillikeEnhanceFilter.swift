import MedAugCore
import MedAugImage

/// imgaug's pillike.EnhanceColor, EnhanceContrast, EnhanceBrightness and
/// EnhanceSharpness (Pillow's `ImageEnhance`), one factor drawn per image:
/// 0 gives the degenerate image (gray, flat mean gray, black, smoothed), 1
/// the image itself, above 1 an exaggeration. The pixel rules are
/// ``PillikeEnhanceKernel``'s. Pipeline files name them
/// `pillike.Enhance<Operation>`.
public struct PillikeEnhanceAugmenter: Augmenter {
    /// Which `ImageEnhance` operation.
    public var operation: PillikeEnhance
    /// The blend factor, drawn per image, at least 0 (imgaug's `factor`).
    public var factor: Continuous

    /// imgaug's default factor range of each operation.
    public static func defaultFactor(_ op: PillikeEnhance) -> Continuous {
        switch op {
        case .color: return .range(0, 3)
        case .contrast, .brightness: return .range(0.5, 1.5)
        case .sharpness: return .range(0, 2)
        }
    }

    /// Creates the augmenter; a nil factor is imgaug's default for the operation
    /// (Color (0, 3), Contrast and Brightness (0.5, 1.5), Sharpness (0, 2)).
    public init(_ operation: PillikeEnhance, factor: Continuous? = nil) {
        self.operation = operation
        self.factor = factor ?? Self.defaultFactor(operation)
    }

    /// The registry name, imgaug's `pillike.Enhance<Operation>`.
    public var name: String { "pillike.Enhance" + operation.rawValue }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { PillikeEnhanceAugmenter.table(operation).arguments(self) }

    /// Draws the factor and blends.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let f = factor.sample(&context.rng)
        context.record(name, [("factor", fmt(f))])
        return PillikeEnhanceKernel.apply(image, operation, factor: f)
    }
}

/// imgaug's pillike Filter* augmenters (Pillow's built-in `ImageFilter`
/// kernels, ``PillikeFilterKernel``): no arguments, nothing drawn. Pipeline
/// files name them `pillike.Filter<Kernel>`, e.g. `pillike.FilterBlur`.
public struct PillikeFilter: Augmenter {
    /// Which Pillow kernel.
    public var kernel: PillikeKernel

    /// Creates the augmenter for one kernel; imgaug's Filter* take no arguments.
    public init(_ kernel: PillikeKernel) { self.kernel = kernel }

    /// The registry name, imgaug's `pillike.Filter<Kernel>`.
    public var name: String { "pillike.Filter" + kernel.rawValue }

    /// The arguments as a pipeline file writes them: none.
    public var arguments: [(String, ConfigValue)] { [] }

    /// Filters the image.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        context.record(name, [])
        return PillikeFilterKernel.apply(image, kernel)
    }
}
