// The Contrast augmenters' parameter tables (see `ParameterTable`).

/// The Contrast augmenters a pipeline file can name.
enum ContrastFamily {
    static let specs: [AugmenterSpec] = [
        GammaContrast.table.spec, SigmoidContrast.table.spec, LogContrast.table.spec, LinearContrast.table.spec,
        AllChannelsHistogramEqualization.table.spec, HistogramEqualization.table.spec,
        AllChannelsCLAHE.table.spec, CLAHE.table.spec,
    ]

    /// imgaug's per_channel: true/false or a probability (no ranges).
    static let perChannel: Codec<Probability> = .probability(ranges: false, perChannel: true)
    static let perChannelHelp = "Draw one value per channel (true), one per image (false), or per channel with this probability."
    /// imgaug's `value_range=(0, None)` for gain.
    static let nonNegative = NumberLimits(min: 0)
}

extension GammaContrast {
    /// What a pipeline file may write for GammaContrast. imgaug checks no range for `gamma`.
    public static let table = ParameterTable(
        GammaContrast(), summary: "Raises every sample (as a fraction of the range) to a power gamma drawn per image (or per channel).",
        parameters: [
            Parameter("gamma", \.gamma, .continuous(.finite), "The exponent; above 1 darkens, below 1 brightens."),
            Parameter("per_channel", \.perChannel, ContrastFamily.perChannel, ContrastFamily.perChannelHelp),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension SigmoidContrast {
    /// What a pipeline file may write for SigmoidContrast: imgaug's `gain >= 0`, `0 <= cutoff <= 1`.
    public static let table = ParameterTable(
        SigmoidContrast(), summary: "Maps every sample through a sigmoid with gain and cutoff drawn per image (or per channel).",
        parameters: [
            Parameter("gain", \.gain, .continuous(ContrastFamily.nonNegative), "The sigmoid's steepness."),
            Parameter("cutoff", \.cutoff, .continuous(NumberLimits(min: 0, max: 1)),
                      "Where the sigmoid crosses the middle, as a fraction of the range; higher stays darker."),
            Parameter("per_channel", \.perChannel, ContrastFamily.perChannel, ContrastFamily.perChannelHelp),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension LogContrast {
    /// What a pipeline file may write for LogContrast: imgaug's `gain >= 0`.
    public static let table = ParameterTable(
        LogContrast(), summary: "Maps every sample v to gain * log2(1 + v) (v as a fraction of the range), gain drawn per image (or per channel).",
        parameters: [
            Parameter("gain", \.gain, .continuous(ContrastFamily.nonNegative), "The multiplier; above 1 saturates the bright samples."),
            Parameter("per_channel", \.perChannel, ContrastFamily.perChannel, ContrastFamily.perChannelHelp),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension LinearContrast {
    /// What a pipeline file may write for LinearContrast. imgaug checks no range for `alpha`.
    public static let table = ParameterTable(
        LinearContrast(), summary: "Scales every sample's distance from the middle of the range by alpha, drawn per image (or per channel).",
        parameters: [
            Parameter("alpha", \.alpha, .continuous(.finite), "The factor; above 1 raises contrast, 0 to 1 lowers it, below 0 inverts."),
            Parameter("per_channel", \.perChannel, ContrastFamily.perChannel, ContrastFamily.perChannelHelp),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension AllChannelsHistogramEqualization {
    /// What a pipeline file may write for AllChannelsHistogramEqualization: nothing.
    public static let table = ParameterTable(
        AllChannelsHistogramEqualization(),
        summary: "Equalises the histogram of every channel on its own (16-bit images with 65536 bins).",
        parameters: [])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension HistogramEqualization {
    /// What a pipeline file may write for HistogramEqualization: imgaug's colour space names.
    public static let table = ParameterTable(
        HistogramEqualization(),
        summary: "Equalises the histogram of the brightness channel in Lab, HLS or HSV (16-bit colour images through 8 bits).",
        parameters: [
            Parameter("from_colorspace", \.fromColorspace,
                      .name(HistogramEqualization.fromColorspaces, what: "colour space name"),
                      "The colour space the image is in (ignored for 1-channel images)."),
            Parameter("to_colorspace", \.toColorspace,
                      .name(HistogramEqualization.toColorspaces, what: "colour space name"),
                      "Where to equalise: L of Lab, L of HLS or V of HSV."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension AllChannelsCLAHE {
    /// imgaug's `clip_limit` range: above 0 (imgaug's `value_range=(0+1e-4, None)`).
    static let clipLimits = NumberLimits(min: 1e-4)
    /// The tile grid side: imgaug's `value_range=(0, None)`, with a maximum because
    /// every tile holds a table of 256 (or 65536) entries.
    static let tileLimits = NumberLimits(min: 0, max: 64, reason: "every tile holds a 65536-entry table for 16-bit images")
    static let tileHelp = "Tiles per axis (OpenCV's tileGridSize, imgaug's name), drawn per image: one value for both axes or [height, width]."

    static let minHelp = "The smallest tile grid side; smaller draws are raised to it."

    /// What a pipeline file may write for AllChannelsCLAHE.
    public static let table = ParameterTable(
        AllChannelsCLAHE(),
        summary: "OpenCV's CLAHE on every channel on its own, clip limit and tile grid drawn per image (or per channel).",
        parameters: [
            Parameter("clip_limit", \.clipLimit, .continuous(clipLimits), "The clip limit; higher gives stronger contrast."),
            Parameter("tile_grid_size_px", \.tileGridSizePx, tileCodec, tileHelp),
            Parameter("tile_grid_size_px_min", \.tileGridSizePxMin, .int(NumberLimits(min: 0, max: 64, reason: "see tile_grid_size_px")), minHelp),
            Parameter("per_channel", \.perChannel, ContrastFamily.perChannel, ContrastFamily.perChannelHelp),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension CLAHE {
    /// What a pipeline file may write for CLAHE.
    public static let table = ParameterTable(
        CLAHE(),
        summary: "OpenCV's CLAHE on the brightness channel in Lab, HLS or HSV, clip limit and tile grid drawn per image.",
        parameters: [
            Parameter("clip_limit", \.clipLimit, .continuous(AllChannelsCLAHE.clipLimits), "The clip limit; higher gives stronger contrast."),
            Parameter("tile_grid_size_px", \.tileGridSizePx, AllChannelsCLAHE.tileCodec, AllChannelsCLAHE.tileHelp),
            Parameter("tile_grid_size_px_min", \.tileGridSizePxMin,
                      .int(NumberLimits(min: 0, max: 64, reason: "see tile_grid_size_px")), AllChannelsCLAHE.minHelp),
            Parameter("from_colorspace", \.fromColorspace,
                      .name(HistogramEqualization.fromColorspaces, what: "colour space name"),
                      "The colour space the image is in (ignored for 1- and 2-channel images)."),
            Parameter("to_colorspace", \.toColorspace,
                      .name(HistogramEqualization.toColorspaces, what: "colour space name"),
                      "Where to apply CLAHE: L of Lab, L of HLS or V of HSV."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}
