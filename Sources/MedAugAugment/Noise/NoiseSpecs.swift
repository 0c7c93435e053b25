// The noise augmenters' parameter tables (see `ParameterTable`).
import MedAugImage

/// The noise augmenters a pipeline file can name (imgaug 0.4.0's arithmetic.py).
enum NoiseFamily {
    static let specs: [AugmenterSpec] = [
        AdditiveGaussianNoise.table.spec, AdditiveLaplaceNoise.table.spec, AdditivePoissonNoise.table.spec,
        MultiplyElementwise.table.spec, SaltAndPepper.table.spec, ImpulseNoise.table.spec, CoarseSaltAndPepper.table.spec,
    ]

    /// How many values an image needs: one per pixel, or one per sample when per_channel fired.
    static func valueCount(_ image: Image, _ perChannel: Bool) -> Int {
        image.width * image.height * (perChannel && image.channels > 1 ? image.channels : 1)
    }

    static let scaleLimits = NumberLimits(min: 0, max: ParameterLimits.sampleValue, reason: ArithmeticFamily.sampleReason)
    static let pHelp = "Chance of replacing a pixel (or sample); a range or choice is drawn once per image."
    static let perChannelHelp = "One noise value per sample (true), one per pixel shared by its channels (false), or per sample with this probability."
}

extension AdditiveGaussianNoise {
    /// What a pipeline file may write for AdditiveGaussianNoise. imgaug checks `scale >= 0`.
    public static let table = ParameterTable(
        AdditiveGaussianNoise(), summary: "Adds Gaussian noise N(loc, scale) per pixel (or per sample).",
        parameters: [
            Parameter("loc", \.loc, .continuous(ArithmeticFamily.sampleLimits), "Mean of the noise in sample units, drawn per image."),
            Parameter("scale", \.scale, .continuous(NoiseFamily.scaleLimits), "Standard deviation of the noise in sample units, drawn per image."),
            Parameter("per_channel", \.perChannel, ArithmeticFamily.perChannel, NoiseFamily.perChannelHelp),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension AdditiveLaplaceNoise {
    /// What a pipeline file may write for AdditiveLaplaceNoise. imgaug checks `scale >= 0`.
    public static let table = ParameterTable(
        AdditiveLaplaceNoise(), summary: "Adds Laplace noise (loc, scale) per pixel (or per sample).",
        parameters: [
            Parameter("loc", \.loc, .continuous(ArithmeticFamily.sampleLimits), "Centre of the noise in sample units, drawn per image."),
            Parameter("scale", \.scale, .continuous(NoiseFamily.scaleLimits), "Laplace scale b in sample units (variance 2b²), drawn per image."),
            Parameter("per_channel", \.perChannel, ArithmeticFamily.perChannel, NoiseFamily.perChannelHelp),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension AdditivePoissonNoise {
    /// What a pipeline file may write for AdditivePoissonNoise. imgaug checks `lam >= 0`.
    public static let table = ParameterTable(
        AdditivePoissonNoise(), summary: "Adds Poisson noise with a random sign per pixel (or per sample).",
        parameters: [
            Parameter("lam", \.lam, .continuous(NoiseFamily.scaleLimits), "Poisson λ in sample units, drawn per image."),
            Parameter("per_channel", \.perChannel, ArithmeticFamily.perChannel, NoiseFamily.perChannelHelp),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension MultiplyElementwise {
    /// What a pipeline file may write for MultiplyElementwise. imgaug checks no
    /// range for `mul` (MedAug bounds it to ±65535).
    public static let table = ParameterTable(
        MultiplyElementwise(), summary: "Multiplies every pixel (or sample) by its own factor.",
        parameters: [
            Parameter("mul", \.mul, .continuous(ArithmeticFamily.sampleLimits), "The factor, drawn per pixel (or per sample)."),
            Parameter("per_channel", \.perChannel, ArithmeticFamily.perChannel,
                      "One factor per sample (true), one per pixel shared by its channels (false), or per sample with this probability."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension SaltAndPepper {
    /// What a pipeline file may write for SaltAndPepper.
    public static let table = ParameterTable(
        SaltAndPepper(), summary: "Replaces pixels (or samples) with probability p by salt (near white) or pepper (near black).",
        parameters: [
            Parameter("p", \.p, .probability(ranges: true), NoiseFamily.pHelp),
            Parameter("per_channel", \.perChannel, ArithmeticFamily.perChannel,
                      "Replace samples of each channel independently (true), whole pixels (false), or per channel with this probability."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension ImpulseNoise {
    /// What a pipeline file may write for ImpulseNoise (SaltAndPepper with per_channel always on).
    public static let table = ParameterTable(
        ImpulseNoise(), summary: "Replaces samples with probability p by salt or pepper, channel by channel.",
        parameters: [Parameter("p", \.p, .probability(ranges: true), "Chance of replacing a sample; a range or choice is drawn once per image.")])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension CoarseSaltAndPepper {
    /// The low-resolution size in pixels, when that is how it is given.
    var sizePx: Discrete? {
        get { if case .pixels(let d) = size { return d } else { return nil } }
        set { if let newValue { size = .pixels(newValue) } }
    }

    /// The low-resolution size as a fraction of the image, when that is how it is given.
    var sizePercent: Continuous? {
        get { if case .percent(let c) = size { return c } else { return nil } }
        set { if let newValue { size = .percent(newValue) } }
    }

    /// What a pipeline file may write for CoarseSaltAndPepper (sizes as CoarseDropout's).
    public static let table = ParameterTable(
        CoarseSaltAndPepper(), summary: "SaltAndPepper on a low-resolution grid, enlarged to the image: replaces whole rectangles.",
        parameters: [
            Parameter("p", \.p, .probability(ranges: true), "Chance of replacing a grid cell; a range or choice is drawn once per image."),
            Parameter("size_px", \.sizePx, CoarseDropout.noChoice(.discrete(CoarseDropout.sideLimits), \.param),
                      "Size of the low-resolution grid in cells (height and width drawn independently)."),
            Parameter("size_percent", \.sizePercent, CoarseDropout.noChoice(.continuous(NumberLimits(min: 0, max: 1)), \.param),
                      "Size of the low-resolution grid as a fraction of the image's height and width."),
            Parameter("per_channel", \.perChannel, ArithmeticFamily.perChannel,
                      "One mask per channel (true), one for all (false), or per channel with this probability."),
            Parameter("min_size", \.minSize, .int(NumberLimits(min: 0, max: ParameterLimits.maskSide, reason: "the mask's side in cells")),
                      "Smallest side of the low-resolution grid."),
        ],
        rules: [.overrides("size_px", "size_percent")],
        notes: ["with neither size_px nor size_percent, size_px is [3, 8]"])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}
