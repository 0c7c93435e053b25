/// The Geometric augmenters a pipeline file can name.
enum GeometricFamily {
    static let specs: [AugmenterSpec] = [Fliplr.spec, Flipud.spec, Affine.spec, CropAndPad.spec]
}

// imgaug reads the flips' p with the plain probability handler: a number or a boolean, no ranges.
extension Fliplr {
    public static let spec = AugmenterSpec(name: "Fliplr", parameters: ["p"]) { r in
        Fliplr(p: try r.probability("p", default: .constant(1), allowRanges: false))
    }
}

extension Flipud {
    public static let spec = AugmenterSpec(name: "Flipud", parameters: ["p"]) { r in
        Flipud(p: try r.probability("p", default: .constant(1), allowRanges: false))
    }
}
