/// How a pipeline file names and builds one augmenter: its
/// `ParameterTable` with the augmenter's type erased, as the registry holds it.
public struct AugmenterSpec: Sendable {
    /// The name pipeline files use (imgaug's class name).
    public let name: String
    /// The imgaug parameter names the augmenter accepts, in imgaug's order.
    public let parameters: [String]
    let make: @Sendable (ArgumentReader) throws -> any Augmenter
    let makeDefault: @Sendable () -> any Augmenter
    let makeListing: @Sendable () -> AugmenterListing

    init(name: String, parameters: [String],
         make: @escaping @Sendable (ArgumentReader) throws -> any Augmenter,
         makeDefault: @escaping @Sendable () -> any Augmenter,
         listing: @escaping @Sendable () -> AugmenterListing) {
        self.name = name
        self.parameters = parameters
        self.make = make
        self.makeDefault = makeDefault
        self.makeListing = listing
    }

    /// The augmenter as an entry without arguments (`- Name: {}`) builds it.
    public var defaultInstance: any Augmenter { makeDefault() }

    /// Names, forms, defaults and allowed values of every parameter.
    public var listing: AugmenterListing {
        var l = makeListing()
        l.targets = makeDefault().targetRule
        return l
    }
}
