/// The Blur augmenters a pipeline file can name.
enum BlurFamily {
    static let specs: [AugmenterSpec] = []
}
