// The Convolutional augmenters' parameter tables (see `ParameterTable`).

/// The Convolutional augmenters a pipeline file can name.
enum ConvolutionalFamily {
    static let specs: [AugmenterSpec] = [Sharpen.table.spec, Emboss.table.spec, EdgeDetect.table.spec, DirectedEdgeDetect.table.spec]

    static let alpha = NumberLimits(min: 0, max: 1)
    static let alphaHelp = "Blend with the original: 0 keeps it, 1 is the full effect."
}

extension Sharpen {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Sharpen(), summary: "Sharpens with a 3×3 kernel blended with the image by alpha.",
        parameters: [
            Parameter("alpha", \.alpha, .continuous(ConvolutionalFamily.alpha), ConvolutionalFamily.alphaHelp),
            Parameter("lightness", \.lightness, .continuous(NumberLimits(min: 0, max: ParameterLimits.kernelWeight)),
                      "Brightness of the sharpened image; 1 keeps it."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension Emboss {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Emboss(), summary: "Embosses with a 3×3 kernel blended with the image by alpha.",
        parameters: [
            Parameter("alpha", \.alpha, .continuous(ConvolutionalFamily.alpha), ConvolutionalFamily.alphaHelp),
            Parameter("strength", \.strength, .continuous(NumberLimits(min: 0, max: ParameterLimits.kernelWeight)),
                      "Strength of the relief."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension EdgeDetect {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        EdgeDetect(), summary: "Edges (a 3×3 Laplacian) blended with the image by alpha.",
        parameters: [Parameter("alpha", \.alpha, .continuous(ConvolutionalFamily.alpha), ConvolutionalFamily.alphaHelp)])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension DirectedEdgeDetect {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        DirectedEdgeDetect(), summary: "Edges in one direction blended with the image by alpha.",
        parameters: [
            Parameter("alpha", \.alpha, .continuous(ConvolutionalFamily.alpha), ConvolutionalFamily.alphaHelp),
            Parameter("direction", \.direction, .continuous(NumberLimits(min: -ParameterLimits.turns, max: ParameterLimits.turns)),
                      "Direction in turns: 0 up, 0.25 right, clockwise; 1 is a full turn."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}
