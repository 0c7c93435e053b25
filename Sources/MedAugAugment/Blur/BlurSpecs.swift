import MedAugCore

// The Blur augmenters' parameter tables: what pipeline files may write for
// each, read and written back by `ParameterTable`; defaults come from the
// augmenters' own initialisers.

/// The Blur augmenters a pipeline file can name.
enum BlurFamily {
    static let specs: [AugmenterSpec] = [
        GaussianBlur.table.spec, AverageBlur.table.spec, MedianBlur.table.spec, BilateralBlur.table.spec, MotionBlur.table.spec,
    ]

    static let kernelReason = "larger kernels would only cost time and memory"
}

extension GaussianBlur {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        GaussianBlur(), summary: "Gaussian blur, sigma drawn per image (cv2.GaussianBlur, imgaug's kernel size rule).",
        parameters: [
            Parameter("sigma", \.sigma, .continuous(NumberLimits(min: 0, max: ParameterLimits.sigma, reason: "a 261-pixel kernel at 100")),
                      "Standard deviation in pixels; 0.001 or less leaves the image unchanged."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension AverageBlur {
    static let kLimits = NumberLimits(min: 0, max: ParameterLimits.kernel, reason: BlurFamily.kernelReason)

    /// `k`: a number, a range [a, b], {choice: [...]}, or the per-axis form
    /// [height, width] where at least one side is itself a range or choice
    /// (imgaug's `((a, b), (c, d))`; two plain numbers are a range).
    static let kCodec = sizeCodec(
        kLimits,
        accepted: [.list([.list([.int(1), .int(3)]), .list([.int(5), .int(7)])]), .list([.int(3), .list([.int(5), .int(7)])])],
        refused: [.list([.list([.int(1), .int(3)]), .int(-1)]), .list([.int(3), .list([.int(5), .int(1000)])])])

    /// A size drawn per image, for both axes or as [height, width] where at
    /// least one side is itself a range or choice (AverageBlur's `k`,
    /// AllChannelsCLAHE's `tile_grid_size_px`); `accepted`/`refused` add the
    /// per-axis examples to the single-number ones.
    static func sizeCodec(_ limits: NumberLimits, accepted: [ConfigValue], refused: [ConfigValue]) -> Codec<Size> {
        let one = Codec<Discrete>.discrete(limits)
        return Codec(
            forms: ParameterContext.numberForms(or: "[height, width] with a range or choice on either side"), limits: limits,
            accepted: one.accepted + accepted,
            refused: one.refused + refused,
            decode: { v, c in
                if case .list(let l) = v, l.count == 2, l[0].number == nil || l[1].number == nil {
                    return .perAxis(height: try one.decode(l[0], c), width: try one.decode(l[1], c))
                }
                return .both(try one.decode(v, c))
            },
            encode: { k in
                switch k {
                case .both(let d): return d.param.config
                case .perAxis(let h, let w):
                    // Two plain numbers would read back as a range, so constants are
                    // written as [c, c] when both axes are constants.
                    let bothConstant: Bool
                    if case .constant = h.param, case .constant = w.param { bothConstant = true } else { bothConstant = false }
                    func axis(_ d: Discrete) -> ConfigValue {
                        if bothConstant, case .constant(let c) = d.param { return .list([Param.number(c), Param.number(c)]) }
                        return d.param.config
                    }
                    return .list([axis(h), axis(w)])
                }
            })
    }

    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        AverageBlur(), summary: "Box-filter blur (cv2.blur) of a size drawn per image; 0 and 1 leave the image unchanged.",
        parameters: [Parameter("k", \.k, kCodec, "Kernel size in pixels (height and width), drawn per image.")])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension MedianBlur {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        MedianBlur(), summary: "Median of each k×k neighbourhood (cv2.medianBlur), k drawn per image.",
        parameters: [
            Parameter("k", \.k, .discrete(NumberLimits(min: 1, max: ParameterLimits.kernel, odd: true, reason: BlurFamily.kernelReason)),
                      "Kernel size in pixels; 1 leaves the image unchanged."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension BilateralBlur {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        BilateralBlur(), summary: "Edge-preserving blur (cv2.bilateralFilter), 8-bit images only.",
        parameters: [
            Parameter("d", \.d, .discrete(NumberLimits(min: 1, max: ParameterLimits.kernel, integer: true, reason: BlurFamily.kernelReason)),
                      "Diameter of the neighbourhood in pixels; 1 leaves the image unchanged."),
            Parameter("sigma_color", \.sigmaColor, .continuous(NumberLimits(min: 1)),
                      "How fast the weight falls with the colour difference."),
            Parameter("sigma_space", \.sigmaSpace, .continuous(NumberLimits(min: 1)),
                      "How fast the weight falls with the distance."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension MotionBlur {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        MotionBlur(), summary: "Blur along a line of k pixels at an angle, weighted towards one end by direction.",
        parameters: [
            Parameter("k", \.k, .discrete(NumberLimits(min: 3, max: ParameterLimits.kernel, integer: true, reason: BlurFamily.kernelReason)),
                      "Kernel size (line length) in pixels; an even k becomes k + 1."),
            Parameter("angle", \.angle, .continuous(NumberLimits(min: -ParameterLimits.degrees, max: ParameterLimits.degrees)),
                      "Angle of the line in degrees, clockwise; 0 is vertical."),
            Parameter("direction", \.direction, .continuous(NumberLimits(min: -1 - 1e-6, max: 1 + 1e-6, reason: "-1 to 1 with imgaug's tolerance of 1e-6")),
                      "-1 to 1: where the weight lies along the line; 0 is uniform."),
            Parameter("order", \.order, .intChoice([(0, "nearest"), (1, "linear"), (3, "cubic")]),
                      "Interpolation used to rotate the kernel."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}
