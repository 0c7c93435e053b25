import MedAugCore

// The pillike augmenters' parameter tables (see `ParameterTable`): imgaug
// 0.4.0's pillike.py, the Pillow-based operations RandAugment composes.

/// The pillike augmenters a pipeline file can name (as `pillike.<Name>`).
enum PillikeFamily {
    static let specs: [AugmenterSpec] =
        [PillikeAffine.table.spec]
        + PillikeEnhance.allCases.map { PillikeEnhanceAugmenter.table($0).spec }
        + PillikeKernel.allCases.map { PillikeFilter.table($0).spec }
        + [PillikeEqualize.table.spec, PillikeAutocontrast.table.spec, PillikePosterize.table.spec, PillikeSolarize.table.spec]

    static let factorLimits = NumberLimits(min: 0, max: 1000, reason: "a factor above 255 already saturates every 8-bit sample")
}

extension PillikeAffine: AffineTranslating {
    static let scaleParameter = Parameter<PillikeAffine>(
        "scale", \.scale,
        Codec<AxisParam>.perAxis(NumberLimits(min: 1e-4, max: ParameterLimits.scale,
                                              reason: "imgaug's floor; larger zooms show single pixels"), missing: 1),
        "Zoom factor (1 keeps the size), for both axes or per axis.")
    static let percentCodec: Codec<AxisParam?> = Codec<AxisParam>.perAxis(
        NumberLimits(min: -ParameterLimits.translateFraction, max: ParameterLimits.translateFraction), missing: 0).optional
    static let percentParameter = Parameter<PillikeAffine>(
        "translate_percent", \.translatePercent, percentCodec,
        "Shift as a fraction of the image's width (x) and height (y).", omitWhen: { $0.translatePercent == nil })
    static let pxParameter = Parameter<PillikeAffine>(
        "translate_px", \.translatePx, Affine.translatePxCodec.optional, "Shift in whole pixels.",
        omitWhen: { $0.translatePx == nil || $0.translatePx == .shared(.constant(0)) })
    static let rotateLimits = NumberLimits(min: -ParameterLimits.degrees, max: ParameterLimits.degrees, reason: Affine.degreesReason)
    static let rotateParameter = Parameter<PillikeAffine>(
        "rotate", \.rotate, Codec<Continuous>.continuous(rotateLimits), "Rotation in degrees, clockwise on screen.")
    static let shearParameter = Parameter<PillikeAffine>(
        "shear", \.shear, Affine.shearCodec, "Shear in degrees (tanh of the angle, as imgaug).")
    static let fillParameter = Parameter<PillikeAffine>(
        "fillcolor", \.fillcolor, Affine.cvalCodec,
        "Fill value outside the image, drawn per channel (3 draws), truncated; RGBA gets an opaque alpha.")
    static let centerParameter = Parameter<PillikeAffine>(
        "center", \.center, FixedSizePosition.codec,
        "Transformation centre relative to the image; left-top is Pillow's own origin.")

    /// What a pipeline file may write for pillike.Affine: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        PillikeAffine(), summary: "Scales, translates, rotates and shears about a centre with Pillow's nearest AFFINE transform.",
        parameters: [scaleParameter, percentParameter, pxParameter, rotateParameter, shearParameter, fillParameter,
                     centerParameter],
        rules: [.exclusive("translate_percent", "translate_px")])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension PillikeEnhanceAugmenter {
    static let tables: [PillikeEnhance: ParameterTable<PillikeEnhanceAugmenter>] = Dictionary(
        uniqueKeysWithValues: PillikeEnhance.allCases.map { op in
            (op, ParameterTable(
                PillikeEnhanceAugmenter(op),
                summary: "Pillow's ImageEnhance.\(op.rawValue): blends the image with its \(degenerateWords(op)) by a factor drawn per image.",
                parameters: [
                    Parameter("factor", \.factor, .continuous(PillikeFamily.factorLimits),
                              "0 gives the \(degenerateWords(op)), 1 the image, above 1 exaggerates."),
                ]))
        })

    static func degenerateWords(_ op: PillikeEnhance) -> String {
        switch op {
        case .color: return "gray version"
        case .contrast: return "mean gray level"
        case .brightness: return "black image"
        case .sharpness: return "smoothed version"
        }
    }

    /// What a pipeline file may write for `pillike.Enhance<op>`.
    public static func table(_ op: PillikeEnhance) -> ParameterTable<PillikeEnhanceAugmenter> { tables[op]! }
}

extension PillikeFilter {
    static let tables: [PillikeKernel: ParameterTable<PillikeFilter>] = Dictionary(
        uniqueKeysWithValues: PillikeKernel.allCases.map { k in
            (k, ParameterTable(PillikeFilter(k), summary: "Pillow's ImageFilter \(k.rawValue) kernel (\(k.definition.size)x\(k.definition.size)).",
                               parameters: []))
        })

    /// What a pipeline file may write for `pillike.Filter<kernel>`: nothing.
    public static func table(_ k: PillikeKernel) -> ParameterTable<PillikeFilter> { tables[k]! }
}

extension PillikeEqualize {
    /// What a pipeline file may write for pillike.Equalize: nothing.
    public static let table = ParameterTable(
        PillikeEqualize(), summary: "Equalises each channel's histogram (PIL's ImageOps.equalize, as Equalize).", parameters: [])
}

extension PillikeAutocontrast {
    /// What a pipeline file may write for pillike.Autocontrast: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        PillikeAutocontrast(), summary: "Stretches each channel to the full range after cutting cutoff% from both ends (as Autocontrast).",
        parameters: [
            Parameter("cutoff", \.cutoff, .discrete(NumberLimits(min: 0, max: 49, integer: true)),
                      "Percent of samples cut from each end of the histogram."),
            Parameter("per_channel", \.perChannel, ArithmeticFamily.perChannel, ArithmeticFamily.perChannelHelp),
        ])
}

extension PillikePosterize {
    /// What a pipeline file may write for pillike.Posterize: Posterize's keys.
    public static let table = ParameterTable(
        PillikePosterize(), summary: "Keeps the nb_bits highest bits of each colour channel (imgaug's alias of Posterize).",
        parameters: [
            Parameter("nb_bits", \.base.nbBits, .discrete(NumberLimits(min: 1, max: 8, integer: true)), "Bits kept per channel."),
            Parameter("from_colorspace", \.base.fromColorspace, ColorFamily.fromColorspace, ColorFamily.fromHelp),
            Parameter("to_colorspace", \.base.toColorspace,
                      Codec<Choice<String>>.names(UniformColorQuantization.colorspaces, { $0 }, style: .list).optional,
                      "Colour space(s) to quantise in, one drawn per image; null quantises the values as they are."),
            Parameter("max_size", \.base.maxSize, .optionalInt(NumberLimits(min: 1)),
                      "Larger images are shrunk to this longest side first and enlarged back; null never shrinks.",
                      nullIsValue: true),
            Parameter("interpolation", \.base.interpolation,
                      .name(UniformColorQuantization.interpolations, what: "interpolation name"),
                      "Interpolation for the shrinking and enlarging."),
        ])
}

extension PillikeSolarize {
    /// What a pipeline file may write for pillike.Solarize: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        PillikeSolarize(), summary: "Inverts the samples at or above a threshold (PIL's ImageOps.solarize).",
        parameters: [
            Parameter("p", \.p, .probability(ranges: false), "Chance that an image is solarised."),
            Parameter("threshold", \.threshold, IntensityFamily.threshold,
                      "Samples at or above it are inverted, drawn per image; null inverts every sample."),
        ])
}
