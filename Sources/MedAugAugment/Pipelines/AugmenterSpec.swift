/// How a pipeline file names and builds one augmenter.
public struct AugmenterSpec: Sendable {
    public let name: String
    /// The imgaug parameter names the augmenter accepts, in imgaug's order.
    public let parameters: [String]
    let make: @Sendable (inout ArgumentReader) throws -> any Augmenter

    public init(name: String, parameters: [String], make: @escaping @Sendable (inout ArgumentReader) throws -> any Augmenter) {
        self.name = name
        self.parameters = parameters
        self.make = make
    }
}
