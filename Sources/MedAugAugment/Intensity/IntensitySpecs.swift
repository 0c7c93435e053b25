import MedAugCore

// The intensity augmenters' parameter tables (see `ParameterTable`): imgaug
// 0.4.0's simple ones that RandAugment uses, from meta.py, arithmetic.py and color.py.

/// The intensity augmenters a pipeline file can name.
enum IntensityFamily {
    static let specs: [AugmenterSpec] = [Identity.table.spec, Invert.table.spec, Solarize.table.spec,
                                         Grayscale.table.spec, Posterize.table.spec, Equalize.table.spec,
                                         Autocontrast.table.spec]

    static let valueReason = "samples are at most 65535 (16 bits)"
    static let valueLimits = NumberLimits(min: 0, max: ParameterLimits.sampleValue, integer: true, reason: valueReason)
    static let thresholdLimits = NumberLimits(min: -ParameterLimits.sampleValue, max: ParameterLimits.sampleValue,
                                              reason: ArithmeticFamily.sampleReason)

    /// An inverted range must not be empty: min_value at or above max_value is refused when the file is read.
    static func rangeProblem(_ minValue: Int?, _ maxValue: Int?) -> (key: String, message: String)? {
        guard let m = minValue, let M = maxValue, m >= M else { return nil }
        return ("max_value", "must be above min_value (\(m)), got \(M)")
    }

    /// imgaug's threshold: null (no threshold) or a continuous value.
    static let threshold: Codec<Continuous?> = {
        let base = Codec<Continuous>.continuous(thresholdLimits)
        return Codec(forms: "null (no threshold) or " + base.forms, limits: thresholdLimits,
                     accepted: [.null] + base.accepted, refused: base.refused,
                     decode: { v, c in v == .null ? nil : try base.decode(v, c) },
                     encode: { $0.map(base.encode) ?? .null })
    }()

    static func invertParameters<A: Augmenter>(_ p: WritableKeyPath<A, Probability> & Sendable, _ perChannel: WritableKeyPath<A, Probability> & Sendable,
                                    _ minValue: WritableKeyPath<A, Int?> & Sendable, _ maxValue: WritableKeyPath<A, Int?> & Sendable,
                                    _ threshold: WritableKeyPath<A, Continuous?> & Sendable,
                                    _ above: WritableKeyPath<A, Probability> & Sendable) -> [Parameter<A>] {
        [
            Parameter("p", p, .probability(ranges: false), "Chance that an image (per channel: a channel) is inverted."),
            Parameter("per_channel", perChannel, ArithmeticFamily.perChannel, ArithmeticFamily.perChannelHelp),
            Parameter("min_value", minValue, .optionalInt(valueLimits),
                      "Lowest value of the inverted range; null is 0.", nullIsValue: true),
            Parameter("max_value", maxValue, .optionalInt(valueLimits),
                      "Highest value of the inverted range; null is the bit depth's maximum.", nullIsValue: true),
            Parameter("threshold", threshold, IntensityFamily.threshold,
                      "Invert only samples on one side of this value (drawn per image); null inverts all.",
                      nullIsValue: true),
            Parameter("invert_above_threshold", above, .probability(ranges: false),
                      "Chance per image that samples >= threshold are inverted rather than those < threshold."),
        ]
    }
}

extension Identity {
    /// What a pipeline file may write for this augmenter: nothing.
    public static let table = ParameterTable(Identity(), summary: "Leaves the image unchanged.", parameters: [])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension Invert {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Invert(), summary: "Inverts samples (v -> max - (v - min)), per image or per channel, optionally past a threshold.",
        parameters: IntensityFamily.invertParameters(\.p, \.perChannel, \.minValue, \.maxValue, \.threshold,
                                                     \.invertAboveThreshold),
        check: { IntensityFamily.rangeProblem($0.minValue, $0.maxValue) })

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension Solarize {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Solarize(), summary: "Inverts the samples at or above a threshold drawn per image (Invert with other defaults).",
        parameters: IntensityFamily.invertParameters(\.p, \.perChannel, \.minValue, \.maxValue, \.threshold,
                                                     \.invertAboveThreshold),
        check: { IntensityFamily.rangeProblem($0.minValue, $0.maxValue) })

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension Grayscale {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Grayscale(), summary: "Blends the image with its gray version (OpenCV RGB2GRAY), alpha drawn per image.",
        parameters: [
            Parameter("alpha", \.alpha, .continuous(NumberLimits(min: 0, max: 1)), "Blend factor of the gray image."),
            Parameter("from_colorspace", \.fromColorspace, ColorFamily.fromColorspace, ColorFamily.fromHelp),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension Posterize {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Posterize(), summary: "Keeps the nb_bits highest bits of each colour channel, nb_bits drawn per image (8-bit).",
        parameters: [
            // imgaug: discrete, integers only, in 1...8.
            Parameter("nb_bits", \.nbBits, .discrete(NumberLimits(min: 1, max: 8, integer: true)), "Bits kept per channel."),
            Parameter("from_colorspace", \.fromColorspace, ColorFamily.fromColorspace, ColorFamily.fromHelp),
            Parameter("to_colorspace", \.toColorspace,
                      Codec<Choice<String>>.names(UniformColorQuantization.colorspaces, { $0 }, style: .list).optional,
                      "Colour space(s) to quantise in, one drawn per image; null quantises the values as they are."),
            Parameter("max_size", \.maxSize, .optionalInt(NumberLimits(min: 1)),
                      "Larger images are shrunk to this longest side first and enlarged back; null never shrinks.",
                      nullIsValue: true),
            Parameter("interpolation", \.interpolation, .name(UniformColorQuantization.interpolations, what: "interpolation name"),
                      "Interpolation for the shrinking and enlarging."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension Equalize {
    /// What a pipeline file may write for this augmenter: nothing.
    public static let table = ParameterTable(
        Equalize(), summary: "Equalises each channel's histogram (imgaug's pillike.Equalize, PIL's algorithm).", parameters: [])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension Autocontrast {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Autocontrast(), summary: "Stretches each channel to the full range after cutting cutoff% from both ends (imgaug's pillike.Autocontrast).",
        parameters: [
            // imgaug: discrete, in 0...49.
            Parameter("cutoff", \.cutoff, .discrete(NumberLimits(min: 0, max: 49, integer: true)),
                      "Percent of samples cut from each end of the histogram."),
            Parameter("per_channel", \.perChannel, ArithmeticFamily.perChannel, ArithmeticFamily.perChannelHelp),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}
