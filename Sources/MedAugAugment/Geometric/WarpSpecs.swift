import MedAugCore

// The warps' parameter tables (imgaug 0.4.0 geometric.py): PerspectiveTransform
// and ElasticTransformation.

/// The warp augmenters a pipeline file can name.
enum WarpFamily {
    static let specs: [AugmenterSpec] = [PerspectiveTransform.table.spec, ElasticTransformation.table.spec,
                                         PiecewiseAffine.table.spec]
}

extension PerspectiveTransform {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        PerspectiveTransform(), summary: "Moves the four corners inwards at random and warps that quadrilateral to a rectangle.",
        parameters: [
            Parameter("scale", \.scale,
                      .continuous(NumberLimits(min: 0, max: ParameterLimits.scale, reason: "a fraction of the side, taken mod 1")),
                      "Standard deviation of the corner jitter, as a fraction of the side."),
            Parameter("cval", \.cval, Affine.cvalCodec, "Fill value outside the image in constant mode (drawn per channel)."),
            Parameter("mode", \.mode, .names(PerspectiveMode.allCases, \.rawValue, style: .choiceOrAll),
                      "How the area outside the image is filled: constant or replicate."),
            Parameter("keep_size", \.keepSize, .bool, "Resize the warped image back to the input size."),
            Parameter("fit_output", \.fitOutput, .bool, "Enlarge the output so that the whole transformed image fits."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }

    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { PerspectiveTransform.table.arguments(self) }
}

extension ElasticTransformation {
    /// imgaug's order: integers 0...5 (a range, a list or a choice), or ALL.
    static let orderCodec: Codec<Discrete> = {
        let one = Codec<Discrete>.discrete(NumberLimits(min: 0, max: 5, integer: true))
        return Codec(forms: ParameterContext.numberForms(or: "ALL (0 to 5)"), limits: one.limits,
                     accepted: one.accepted + [.string("ALL")], refused: one.refused,
                     decode: { v, c in v == .string("ALL") ? Discrete(.choice([0, 1, 2, 3, 4, 5])) : try one.decode(v, c) },
                     encode: one.encode)
    }()

    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        ElasticTransformation(), summary: "Moves pixels locally along a smoothed random displacement field.",
        parameters: [
            Parameter("alpha", \.alpha,
                      .continuous(NumberLimits(min: 0, max: 10_000, reason: "displacements of more than the largest image")),
                      "Strength of the displacement in pixels."),
            Parameter("sigma", \.sigma,
                      .continuous(NumberLimits(min: 0, max: ParameterLimits.sigma, reason: BlurFamily.kernelReason)),
                      "Smoothness of the displacement field (Gaussian sigma)."),
            Parameter("order", \.order, orderCodec, "Interpolation: 0 nearest, 1 linear, 2 to 5 cubic."),
            Parameter("cval", \.cval, Affine.cvalCodec, "Fill value outside the image in constant mode."),
            Parameter("mode", \.mode, .names(ElasticMode.allCases, \.rawValue, style: .choiceOrAll),
                      "How the area outside the image is filled: constant, nearest, reflect or wrap."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }

    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { ElasticTransformation.table.arguments(self) }
}
