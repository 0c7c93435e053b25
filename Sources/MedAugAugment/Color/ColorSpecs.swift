/// The Color augmenters a pipeline file can name.
enum ColorFamily {
    static let specs: [AugmenterSpec] = []
}
