// The Arithmetic augmenters' parameter tables (see `ParameterTable`).

/// The Arithmetic augmenters a pipeline file can name.
enum ArithmeticFamily {
    static let specs: [AugmenterSpec] = [Multiply.table.spec, Add.table.spec]

    static let sampleReason = "beyond it every 8- and 16-bit result is already saturated"
    static let sampleLimits = NumberLimits(min: -ParameterLimits.sampleValue, max: ParameterLimits.sampleValue, reason: sampleReason)

    /// imgaug's per_channel: true/false or a probability (no ranges).
    static let perChannel: Codec<Probability> = .probability(ranges: false, perChannel: true)
    static let perChannelHelp = "Draw one value per channel (true), one per image (false), or per channel with this probability."
}

extension Multiply {
    /// What a pipeline file may write for Multiply. imgaug checks no range for
    /// `mul` (MedAug bounds it to ±65535); `per_channel` is a probability (no ranges).
    public static let table = ParameterTable(
        Multiply(), summary: "Multiplies every sample by a factor drawn per image (or per channel).",
        parameters: [
            Parameter("mul", \.mul, .continuous(ArithmeticFamily.sampleLimits), "The factor."),
            Parameter("per_channel", \.perChannel, ArithmeticFamily.perChannel, ArithmeticFamily.perChannelHelp),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension Add {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Add(), summary: "Adds a value drawn per image (or per channel) to every sample.",
        parameters: [
            Parameter("value", \.value, .continuous(ArithmeticFamily.sampleLimits), "The value added (rounded for 8-bit images)."),
            Parameter("per_channel", \.perChannel, ArithmeticFamily.perChannel, ArithmeticFamily.perChannelHelp),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}
