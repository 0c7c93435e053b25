// The Color augmenters' parameter tables (see `ParameterTable`).

/// The Color augmenters a pipeline file can name.
enum ColorFamily {
    static let specs: [AugmenterSpec] = [MultiplyAndAddToBrightness.table.spec, UniformColorQuantization.table.spec]

    static let fromColorspace: Codec<String> = .name(MultiplyAndAddToBrightness.fromColorspaces, what: "colour space name")
    static let fromHelp = "The colour space the image is in."
}

extension MultiplyAndAddToBrightness {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        MultiplyAndAddToBrightness(),
        summary: "Multiply and Add on the brightness channel of a colour space drawn per image (8-bit).",
        parameters: [
            Parameter("mul", \.mul, .continuous(ArithmeticFamily.sampleLimits), "Factor for the brightness channel."),
            Parameter("add", \.add, .continuous(ArithmeticFamily.sampleLimits), "Value added to the brightness channel."),
            Parameter("to_colorspace", \.toColorspace, .names(ColorSpace.allCases, \.rawValue, style: .list),
                      "Colour space(s) with a brightness channel; one is drawn per image."),
            Parameter("from_colorspace", \.fromColorspace, ColorFamily.fromColorspace, ColorFamily.fromHelp),
            Parameter("random_order", \.randomOrder, .bool, "Apply Multiply and Add in a random order per image."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension UniformColorQuantization {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        UniformColorQuantization(), summary: "Quantises each channel to n colours (bin centres), n drawn per image (8-bit).",
        parameters: [
            // imgaug: discrete, integers only, >= 2 (and its quantiser accepts at most 256).
            Parameter("n_colors", \.nColors, .discrete(NumberLimits(min: 2, max: 256, integer: true)), "Colours per channel."),
            Parameter("from_colorspace", \.fromColorspace, ColorFamily.fromColorspace, ColorFamily.fromHelp),
            Parameter("to_colorspace", \.toColorspace,
                      Codec<Choice<String>>.names(UniformColorQuantization.colorspaces, { $0 }, style: .list).optional,
                      "Colour space(s) to quantise in, one drawn per image; null quantises the values as they are."),
            // imgaug does not check max_size, but 0 or less shrinks to nothing and fails there.
            Parameter("max_size", \.maxSize, .optionalInt(NumberLimits(min: 1)),
                      "Larger images are shrunk to this longest side first and enlarged back; null never shrinks.",
                      nullIsValue: true),
            Parameter("interpolation", \.interpolation, .name(UniformColorQuantization.interpolations, what: "interpolation name"),
                      "Interpolation for the shrinking and enlarging."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}
