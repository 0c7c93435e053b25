// The Dropout augmenters' parameter tables (see `ParameterTable`).

/// The Dropout augmenters a pipeline file can name.
enum DropoutFamily {
    static let specs: [AugmenterSpec] = [Dropout.table.spec, CoarseDropout.table.spec, TotalDropout.table.spec]

    static let pHelp = "Chance of dropping (setting to 0); a range or choice is drawn once per image."
}

extension Dropout {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Dropout(), summary: "Sets pixels (or samples, per channel) to 0 with probability p.",
        parameters: [
            Parameter("p", \.p, .dropoutProbability, DropoutFamily.pHelp),
            Parameter("per_channel", \.perChannel, ArithmeticFamily.perChannel, "Drop samples of each channel independently (true), whole pixels (false), or per channel with this probability."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension CoarseDropout {
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

    static let sideLimits = NumberLimits(min: 0, max: ParameterLimits.maskSide, reason: "the mask's side in cells")

    // imgaug takes a number or a 2-tuple for either size (a list of two is a range too); size_px wins.
    static func noChoice<V>(_ codec: Codec<V>, _ param: @escaping @Sendable (V) -> Param) -> Codec<V?> {
        Codec<V?>(forms: "a number or a range [a, b]", limits: codec.limits,
                  accepted: codec.accepted.filter { if case .map = $0 { return false }; return true },
                  refused: codec.refused + [.map([("choice", .list([.int(0), .int(1)]))])],
                  decode: { v, c in
                      let x = try codec.decode(v, c)
                      if case .choice = param(x) { throw c.error("expected a number or a range [a, b], got \(v.flowText)") }
                      return x
                  },
                  encode: { $0.map(codec.encode) ?? .null })
    }

    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        CoarseDropout(), summary: "Dropout on a low-resolution grid, enlarged to the image: drops whole rectangles.",
        parameters: [
            Parameter("p", \.p, .dropoutProbability, DropoutFamily.pHelp),
            Parameter("size_px", \.sizePx, noChoice(.discrete(sideLimits), \.param),
                      "Size of the low-resolution grid in cells (height and width drawn independently)."),
            Parameter("size_percent", \.sizePercent, noChoice(.continuous(NumberLimits(min: 0, max: 1)), \.param),
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

extension TotalDropout {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        TotalDropout(), summary: "With probability p the whole image becomes 0.",
        parameters: [Parameter("p", \.p, .dropoutProbability, "Chance of dropping the whole image.")])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}
