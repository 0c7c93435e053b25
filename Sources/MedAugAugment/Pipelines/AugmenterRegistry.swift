import MedAugCore

/// Every augmenter a pipeline file can name, each described by its `ParameterTable`.
public enum AugmenterRegistry {
    /// Every augmenter, family by family.
    public static let specs: [AugmenterSpec] =
        MetaFamily.specs + GeometricFamily.specs + BlurFamily.specs + ConvolutionalFamily.specs
        + DropoutFamily.specs + ArithmeticFamily.specs + ColorFamily.specs + SegmentationFamily.specs + WarpFamily.specs + OtherFamily.specs + GeometricWrapperFamily.specs + ContrastFamily.specs + NoiseFamily.specs + IntensityFamily.specs + PillikeFamily.specs + [RandAugment.spec]
        + TorchvisionPolicyFamily.specs

    /// Every name, sorted.
    public static var names: [String] { specs.map(\.name).sorted() }

    /// The augmenter a file names `name` (exact spelling).
    public static func spec(named name: String) -> AugmenterSpec? {
        specs.first { $0.name == name }
    }

    /// Every augmenter with its parameters, in registry order (families as in imgaug's modules).
    public static func listing() -> [AugmenterListing] {
        specs.map(\.listing)
    }

    /// One augmenter's listing, by its exact name or, failing that, ignoring case.
    public static func listing(named name: String) -> AugmenterListing? {
        (spec(named: name) ?? specs.first { $0.name.lowercased() == name.lowercased() })?.listing
    }
}
