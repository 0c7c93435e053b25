import MedAugCore

// RandAugment in pipeline files: imgaug's three arguments.

extension RandAugment {
    /// What a pipeline file may write for RandAugment: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        RandAugment(), summary: "imgaug's RandAugment: flip and crop, then n of 18 operations at magnitude m (of 30), in random order.",
        parameters: [
            Parameter("n", \.nForm, SomeOf.countCodec, "How many of the main operations run per image (as SomeOf's n)."),
            // Each value of m becomes a choice entry per operation: the upper bound keeps those lists small.
            Parameter("m", \.m, .discrete(NumberLimits(min: 0, max: 1000, integer: true,
                                                       reason: "above 30 the operations only saturate; each value is listed per operation")),
                      "Magnitude, 0 (weakest) to 30 (imgaug's maximum), drawn per operation and image."),
            Parameter("cval", \.cval, Affine.cvalCodec, "Fill value of the affine operations and Cutout."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}
