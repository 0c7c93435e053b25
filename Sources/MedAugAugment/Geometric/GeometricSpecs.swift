// The Geometric augmenters' parameter tables (see `ParameterTable`); Affine's,
// CropAndPad's and Crop's / Pad's are in AffineSpec.swift, CropAndPadSpec.swift
// and CropPadSpec.swift.

/// The Geometric augmenters a pipeline file can name.
enum GeometricFamily {
    static let specs: [AugmenterSpec] = [Fliplr.table.spec, Flipud.table.spec, Affine.table.spec, CropAndPad.table.spec,
                                         Pad.table.spec, Crop.table.spec]
}

// imgaug reads the flips' p with the plain probability handler: a number or a boolean, no ranges.
extension Fliplr {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Fliplr(), summary: "Mirrors left-right with probability p.",
        parameters: [Parameter("p", \.p, .probability(ranges: false), "Chance of flipping an image.")])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension Flipud {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Flipud(), summary: "Mirrors top-bottom with probability p.",
        parameters: [Parameter("p", \.p, .probability(ranges: false), "Chance of flipping an image.")])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}
