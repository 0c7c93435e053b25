import MedAugCore
import MedAugImage

// imgaug's pillike module re-exports four operations MedAug already has under
// other names; these give them their pillike names (so RandAugment's traces
// and pipeline files read as imgaug's) without a second copy of the pixels.

/// imgaug's pillike.Equalize: ``Equalize`` under its pillike name.
public struct PillikeEqualize: Augmenter {
    /// Creates the augmenter; it takes no arguments.
    public init() {}

    /// The registry name (imgaug's `pillike.Equalize`).
    public var name: String { "pillike.Equalize" }

    /// The arguments as a pipeline file writes them: none.
    public var arguments: [(String, ConfigValue)] { [] }

    /// Equalises every channel (``EqualizeKernel``); nothing is drawn.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        context.record(name, [])
        return EqualizeKernel.apply(image)
    }
}

/// imgaug's pillike.Autocontrast: ``Autocontrast`` (the same draws and
/// pixels) under its pillike name.
public struct PillikeAutocontrast: Augmenter {
    /// See ``Autocontrast/cutoff``.
    public var cutoff: Discrete
    /// See ``Autocontrast/perChannel``.
    public var perChannel: Probability

    /// Creates the augmenter; the defaults are imgaug's `cutoff=(0, 20)`, `per_channel=False`.
    public init(cutoff: Discrete = .range(0, 20), perChannel: Probability = .constant(0)) {
        self.cutoff = cutoff
        self.perChannel = perChannel
    }

    /// The registry name (imgaug's `pillike.Autocontrast`).
    public var name: String { "pillike.Autocontrast" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { PillikeAutocontrast.table.arguments(self) }

    /// Draws per_channel, then one cutoff (or one per channel), and stretches.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let independent = perChannel.sample(&context.rng)
        let draws = (0..<(independent ? image.channels : 1)).map { _ in min(max(cutoff.sample(&context.rng), 0), 49) }
        context.record(name, [("cutoff", draws.map(String.init).joined(separator: ","))])
        guard image.width > 0, image.height > 0 else { return image }
        return AutocontrastKernel.apply(image, cutoffs: independent ? draws : [Int](repeating: draws[0], count: image.channels))
    }
}

/// imgaug's pillike.Posterize, in imgaug 0.4.0 an alias of color.Posterize:
/// ``Posterize`` (the same arguments, draws and pixels) under its pillike name.
public struct PillikePosterize: Augmenter {
    /// The color.Posterize it runs; its fields are this augmenter's arguments.
    public var base: Posterize

    /// Creates the augmenter; the defaults are ``Posterize``'s (imgaug's `nb_bits=(1, 8)`).
    public init(_ base: Posterize = Posterize()) { self.base = base }

    /// The registry name (imgaug's `pillike.Posterize`).
    public var name: String { "pillike.Posterize" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { PillikePosterize.table.arguments(self) }

    /// Draws as ``Posterize`` does, records under the pillike name, then runs
    /// Posterize with the drawn values fixed (so it draws nothing more).
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let bits = min(max(base.nbBits.sample(&context.rng), 1), 8)
        let target = base.toColorspace?.sample(&context.rng)
        context.record(name, [("nb_bits", String(bits))] + (target.map { [("to_colorspace", $0)] } ?? []))
        var fixed = base
        fixed.nbBits = .constant(bits)
        fixed.toColorspace = target.map { .constant($0) }
        var quiet = AugmentContext(rng: context.rng)
        return try fixed.augment(image, &quiet)
    }
}

/// imgaug's pillike.Solarize (PIL's `ImageOps.solarize`): ``Invert`` with
/// `per_channel=False`, no custom range and only the samples at or above the
/// threshold inverted. It differs from ``Solarize`` (arithmetic.Solarize) in
/// its default threshold, 128 rather than (64, 192), and in taking only `p`
/// and `threshold`.
public struct PillikeSolarize: Augmenter {
    /// Chance that an image is solarised (imgaug's `p`).
    public var p: Probability
    /// Samples at or above it are inverted, drawn per image; nil inverts all (imgaug's `threshold`).
    public var threshold: Continuous?

    /// Creates the augmenter; the defaults are imgaug's `p=1`, `threshold=128`.
    public init(p: Probability = .constant(1), threshold: Continuous? = .constant(128)) {
        self.p = p
        self.threshold = threshold
    }

    /// The registry name (imgaug's `pillike.Solarize`).
    public var name: String { "pillike.Solarize" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { PillikeSolarize.table.arguments(self) }

    /// Invert's draws (p per channel, per_channel, threshold, side) and pixels.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let invert = Invert(p: p, threshold: threshold, invertAboveThreshold: .constant(1))
        return try InvertKernel.sampleAndApply(invert, name: name, image, &context)
    }
}
