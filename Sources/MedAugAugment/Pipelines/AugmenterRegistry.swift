/// Every augmenter a pipeline file can name.
public enum AugmenterRegistry {
    public static let specs: [AugmenterSpec] =
        [Sequential.spec, Sometimes.spec, SomeOf.spec, SomeOf.oneOfSpec]
        + GeometricFamily.specs + BlurFamily.specs + ConvolutionalFamily.specs
        + DropoutFamily.specs + ArithmeticFamily.specs + ColorFamily.specs + SegmentationFamily.specs

    public static var names: [String] { specs.map(\.name).sorted() }

    public static func spec(named name: String) -> AugmenterSpec? {
        specs.first { $0.name == name }
    }
}
