/// The Geometric augmenters a pipeline file can name.
enum GeometricFamily {
    static let specs: [AugmenterSpec] = []
}
