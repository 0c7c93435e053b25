// The parameter tables of the "other" augmenters (imgaug 0.4.0's
// AddToHueAndSaturation, MultiplyHueAndSaturation, ChangeColorTemperature,
// Cutout and JpegCompression; see `ParameterTable`).

/// The other augmenters a pipeline file can name.
enum OtherFamily {
    static let specs: [AugmenterSpec] = [
        AddToHueAndSaturation.table.spec, MultiplyHueAndSaturation.table.spec, Cutout.table.spec,
        ChangeColorTemperature.table.spec, JpegCompression.table.spec,
    ]

    /// imgaug's `value_range=(-255, 255)` for the hue/saturation additions (integers).
    static let addLimits = NumberLimits(min: -255, max: 255, integer: true)
}

extension AddToHueAndSaturation {
    static let valueKeys: Set<String> = ["value", "value_hue", "value_saturation"]

    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        summary: "Adds values to the hue (wrapping) and saturation of OpenCV HSV (8-bit).",
        base: { given in
            // imgaug's (-40, 40) defaults apply only when none of the three is given.
            var a = AddToHueAndSaturation()
            if !given.isDisjoint(with: valueKeys) { a.valueHue = nil; a.valueSaturation = nil }
            return a
        },
        parameters: [
            Parameter("value", \.value, Codec<Discrete>.discrete(OtherFamily.addLimits).optional,
                      "Added to both hue and saturation; excludes value_hue and value_saturation.",
                      omitWhen: { $0.value == nil }),
            Parameter("value_hue", \.valueHue, Codec<Discrete>.discrete(OtherFamily.addLimits).optional,
                      "Added to the hue, in 0...255 units (projected to OpenCV's 0..<180).",
                      omitWhen: { $0.valueHue == nil }),
            Parameter("value_saturation", \.valueSaturation, Codec<Discrete>.discrete(OtherFamily.addLimits).optional,
                      "Added to the saturation.", omitWhen: { $0.valueSaturation == nil }),
            Parameter("per_channel", \.perChannel, ArithmeticFamily.perChannel,
                      "With value: separate draws for hue and saturation."),
            Parameter("from_colorspace", \.fromColorspace, ColorFamily.fromColorspace, ColorFamily.fromHelp),
        ],
        rules: [.exclusive("value", "value_hue"), .exclusive("value", "value_saturation")])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension MultiplyHueAndSaturation {
    static let mulKeys: Set<String> = ["mul", "mul_hue", "mul_saturation"]

    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        summary: "Multiplies the hue (wrapping) and saturation of OpenCV HSV (8-bit).",
        base: { given in
            // imgaug's defaults apply only when none of the three is given.
            var a = MultiplyHueAndSaturation()
            if !given.isDisjoint(with: mulKeys) { a.mulHue = nil; a.mulSaturation = nil }
            return a
        },
        parameters: [
            Parameter("mul", \.mul, Codec<Continuous>.continuous(NumberLimits(min: -10, max: 10)).optional,
                      "Factor for both hue and saturation; excludes mul_hue and mul_saturation.",
                      omitWhen: { $0.mul == nil }),
            Parameter("mul_hue", \.mulHue, Codec<Continuous>.continuous(NumberLimits(min: -10, max: 10)).optional,
                      "Factor for the hue.", omitWhen: { $0.mulHue == nil }),
            Parameter("mul_saturation", \.mulSaturation, Codec<Continuous>.continuous(NumberLimits(min: 0, max: 10)).optional,
                      "Factor for the saturation.", omitWhen: { $0.mulSaturation == nil }),
            Parameter("per_channel", \.perChannel, ArithmeticFamily.perChannel,
                      "With mul: separate factors for hue and saturation."),
            Parameter("from_colorspace", \.fromColorspace, ColorFamily.fromColorspace, ColorFamily.fromHelp),
        ],
        rules: [.exclusive("mul", "mul_hue"), .exclusive("mul", "mul_saturation")])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension Cutout {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Cutout(), summary: "Fills rectangles (a fraction of each side, centred at a position) with a constant or noise.",
        parameters: [
            Parameter("nb_iterations", \.nbIterations,
                      .discrete(NumberLimits(min: 0, max: ParameterLimits.count, integer: true,
                                             reason: "each rectangle is a loop over its pixels")),
                      "Rectangles per image."),
            Parameter("position", \.position, FixedSizePosition.codec, "Centre of each rectangle, relative to the image."),
            // imgaug: value_range=(0.0, 1.0+1e-4).
            Parameter("size", \.size, .continuous(NumberLimits(min: 0, max: 1.0001)),
                      "Side as a fraction of the image's side, drawn per rectangle and axis."),
            Parameter("squared", \.squared, .probability(ranges: false),
                      "Chance that a rectangle is made square (its height's extent in pixels on both axes)."),
            Parameter("fill_mode", \.fillMode, .names(Cutout.fillModes, { $0 }, style: .list),
                      "constant or gaussian, one drawn per rectangle."),
            Parameter("cval", \.cval, Affine.cvalCodec, "Fill for constant mode, in sample units."),
            Parameter("fill_per_channel", \.fillPerChannel, .probability(ranges: false),
                      "Chance that a rectangle gets a fill per channel."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension ChangeColorTemperature {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        ChangeColorTemperature(), summary: "Tints R, G and B to a colour temperature in Kelvin drawn per image (8-bit).",
        parameters: [
            // imgaug: value_range=(1000, 40000).
            Parameter("kelvin", \.kelvin, .continuous(NumberLimits(min: 1000, max: 40000)), "Colour temperature in Kelvin."),
            Parameter("from_colorspace", \.fromColorspace, ColorFamily.fromColorspace, ColorFamily.fromHelp),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension JpegCompression {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        JpegCompression(), summary: "JPEG round trip at quality 100 - compression (about), compression drawn per image (8-bit).",
        parameters: [
            // imgaug: value_range=(0, 100); truncated to an integer when drawn.
            Parameter("compression", \.compression, .continuous(NumberLimits(min: 0, max: 100)),
                      "Compression strength; quality is round(1 + 99 * (1 - compression / 101))."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}
