/// The Arithmetic augmenters a pipeline file can name.
enum ArithmeticFamily {
    static let specs: [AugmenterSpec] = []
}
