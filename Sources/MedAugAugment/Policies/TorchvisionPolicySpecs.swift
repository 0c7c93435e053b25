import MedAugCore

// The parameter tables of torchvision's automatic augmentation policies
// (see `ParameterTable`), with torchvision's argument names in snake_case.

/// The torchvision policy augmenters a pipeline file can name.
enum TorchvisionPolicyFamily {
    static let specs: [AugmenterSpec] = [TrivialAugmentWide.table.spec, AutoAugment.table.spec]

    static let interpolations = ["nearest"]
    static let interpolationHelp = "How geometric operations sample; torchvision's default nearest is the one supported."

    static let fillLimits = NumberLimits(min: 0, max: 255, reason: "fill is in 8-bit units (scaled by 257 for 16-bit images)")
    static let fillHelp = "Value of the area geometric operations uncover, in 8-bit units: null (zeros), one number, "
        + "or one per colour channel. Alpha there is 0 with null, opaque otherwise."

    /// torchvision's fill: null, a number, or a list of numbers (one per colour channel).
    static let fill: Codec<[Double]?> = Codec(
        forms: "null, a number or a list of 1 or 3 numbers", limits: fillLimits,
        accepted: [.null, .int(0), .int(128), .list([.int(1), .int(2), .int(3)])],
        refused: fillLimits.refusedNumbers.map { ConfigValue.double($0) }
            + [.string("abc"), .list([]), .list([.int(1), .int(2)]), .list([.int(1), .double(.nan), .int(3)])],
        decode: { v, c in
            switch v {
            case .null: return nil
            case .int, .double: return [try c.number(v.number!, fillLimits)]
            case .list(let l) where l.count == 1 || l.count == 3:
                return try l.map { x in
                    guard let n = x.number else { throw c.error("expected numbers in the fill list, got \(x.described)") }
                    return try c.number(n, fillLimits)
                }
            default:
                throw c.error("expected null, a number or a list of 1 or 3 numbers, got \(v.described)")
            }
        },
        encode: { f in
            guard let f else { return .null }
            return f.count == 1 ? Param.number(f[0]) : .list(f.map(Param.number))
        })
}

extension TrivialAugmentWide {
    /// What a pipeline file may write for TrivialAugmentWide.
    public static let table = ParameterTable(
        TrivialAugmentWide(), summary: "torchvision's TrivialAugmentWide: one of 14 operations per image, magnitude bin and sign drawn.",
        parameters: [
            // torchvision divides by num_magnitude_bins - 1 for Posterize, so one bin is refused.
            Parameter("num_magnitude_bins", \.numMagnitudeBins,
                      .int(NumberLimits(min: 2, max: 10_000, integer: true, reason: "sizes the magnitude tables")),
                      "Bins each magnitude range is split into."),
            Parameter("interpolation", \.interpolation, .name(TorchvisionPolicyFamily.interpolations, what: "interpolation"),
                      TorchvisionPolicyFamily.interpolationHelp),
            Parameter("fill", \.fill, TorchvisionPolicyFamily.fill, TorchvisionPolicyFamily.fillHelp, nullIsValue: true),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension AutoAugment {
    /// What a pipeline file may write for AutoAugment.
    public static let table = ParameterTable(
        AutoAugment(), summary: "torchvision's AutoAugment: one of a learned policy's 25 two-step sub-policies per image.",
        parameters: [
            Parameter("policy", \.policy, .name(TorchvisionPolicyTables.policyNames, what: "policy"),
                      "The learned policy (torchvision's AutoAugmentPolicy): imagenet, cifar10 or svhn."),
            Parameter("interpolation", \.interpolation, .name(TorchvisionPolicyFamily.interpolations, what: "interpolation"),
                      TorchvisionPolicyFamily.interpolationHelp),
            Parameter("fill", \.fill, TorchvisionPolicyFamily.fill, TorchvisionPolicyFamily.fillHelp, nullIsValue: true),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}
