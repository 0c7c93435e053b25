/// The Dropout augmenters a pipeline file can name.
enum DropoutFamily {
    static let specs: [AugmenterSpec] = []
}
