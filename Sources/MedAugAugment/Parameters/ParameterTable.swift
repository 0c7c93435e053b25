import MedAugCore

/// One parameter of an augmenter as a pipeline file names it: the imgaug
/// key, the codec that reads and writes its value, where the value lives in
/// the augmenter, and a line of help.
public struct Parameter<A: Augmenter>: Sendable {
    /// imgaug's argument name, as files write it.
    public let key: String
    /// One line for `medaug augmenters`.
    public let help: String
    /// The forms a file may write, in words (from the codec).
    public let forms: String
    /// The numbers allowed, when the value holds numbers (from the codec).
    public let limits: NumberLimits?
    /// What is allowed, in words (from the codec).
    public let allowed: String
    /// null is a value of its own (max_size: null never resizes) rather than "use the default".
    let nullIsValue: Bool
    let accepted: [ConfigValue]
    let refused: [ConfigValue]
    let apply: @Sendable (ConfigValue, inout A, ParameterContext) throws -> Void
    let encode: @Sendable (A) -> ConfigValue
    let omit: @Sendable (A) -> Bool

    /// One table entry: a key read into and written from a property of the augmenter.
    ///
    /// - Parameters:
    ///   - key: imgaug's argument name.
    ///   - path: where the value lives in the augmenter (often a computed
    ///     property when one field holds several keys, as Affine's translate).
    ///   - codec: the accepted forms, the limits and the two conversions.
    ///   - help: one line for `medaug augmenters`.
    ///   - nullIsValue: null is passed to the codec instead of meaning "the default".
    ///   - omitWhen: left out when writing (imgaug's default applies then).
    public init<V>(_ key: String, _ path: WritableKeyPath<A, V> & Sendable, _ codec: Codec<V>, _ help: String,
                   nullIsValue: Bool = false, omitWhen: (@Sendable (A) -> Bool)? = nil) {
        self.key = key
        self.help = help
        self.forms = codec.forms
        self.limits = codec.limits
        self.allowed = codec.allowed
        self.nullIsValue = nullIsValue
        self.accepted = codec.accepted
        self.refused = codec.refused
        let decode = codec.decode, encode = codec.encode
        self.apply = { v, a, c in a[keyPath: path] = try decode(v, c) }
        self.encode = { a in encode(a[keyPath: path]) }
        self.omit = omitWhen ?? { _ in false }
    }
}

/// A rule between two parameters of one augmenter.
public struct TableRule: Sendable {
    enum Kind: Sendable {
        /// Giving both is an error, reported on the second key.
        case exclusive(String, String)
        /// When both are given, `winner` applies; `loser` is still checked.
        case overrides(winner: String, loser: String)
    }

    let kind: Kind
    /// The rule in words, for the listing.
    public let text: String

    /// `a` and `b` may not both be given (Affine's translate_percent and translate_px).
    public static func exclusive(_ a: String, _ b: String) -> TableRule {
        TableRule(kind: .exclusive(a, b), text: "give either \(a) or \(b), not both")
    }

    /// With both given, `winner` applies and `loser` is only checked (CoarseDropout's size_px and size_percent).
    public static func overrides(_ winner: String, _ loser: String) -> TableRule {
        TableRule(kind: .overrides(winner: winner, loser: loser), text: "when both \(winner) and \(loser) are given, \(winner) applies (as in imgaug)")
    }
}

/// Everything a pipeline file knows about one augmenter, declared once:
/// its parameters (key, codec, place in the augmenter, limits, help) and
/// the rules between them. Reading a file, writing it back, the defaults
/// (taken from the augmenter's default instance) and `medaug augmenters`'
/// listing all come from here.
public struct ParameterTable<A: Augmenter>: Sendable {
    /// The name pipeline files use: the default instance's `name`.
    public let name: String
    /// One line: what the augmenter does.
    public let summary: String
    /// In imgaug's argument order.
    public let parameters: [Parameter<A>]
    /// Rules between parameters, checked before any value is read.
    public let rules: [TableRule]
    /// Notes for the listing that no single parameter carries.
    public let notes: [String]
    let base: @Sendable (Set<String>) -> A
    let writeOrder: [String]?
    /// A check across keys on the values read (min_value below max_value):
    /// the key to blame and the message, or nil when the values fit together.
    let check: (@Sendable (A) -> (key: String, message: String)?)?

    /// A table whose base augmenter depends on which keys a file sets (as
    /// Affine's random defaults apply only when no geometry key is given).
    ///
    /// - Parameters:
    ///   - summary: one line for `medaug augmenters`: what the augmenter does.
    ///   - base: the augmenter that the file's values are written into, given
    ///     the keys the file sets; with none set it is the default instance.
    ///   - parameters: the entries, in imgaug's argument order.
    ///   - rules: rules between two parameters (exclusive, overriding).
    ///   - notes: lines for the listing that no single parameter carries.
    ///   - writeOrder: the order `arguments` writes keys in, when it differs from `parameters`'.
    ///   - check: a test across keys on the values read; it names the key to blame and says why.
    public init(summary: String, base: @escaping @Sendable (Set<String>) -> A, parameters: [Parameter<A>],
                rules: [TableRule] = [], notes: [String] = [], writeOrder: [String]? = nil,
                check: (@Sendable (A) -> (key: String, message: String)?)? = nil) {
        self.check = check
        self.summary = summary
        self.base = base
        self.parameters = parameters
        self.rules = rules
        self.notes = notes
        self.writeOrder = writeOrder
        self.name = base([]).name
        if let writeOrder { precondition(Set(writeOrder) == Set(parameters.map(\.key)), "\(name): writeOrder must list every key") }
    }

    /// A table whose base is always the default instance `a`.
    public init(_ a: @escaping @autoclosure @Sendable () -> A, summary: String, parameters: [Parameter<A>],
                rules: [TableRule] = [], notes: [String] = [], writeOrder: [String]? = nil,
                check: (@Sendable (A) -> (key: String, message: String)?)? = nil) {
        self.init(summary: summary, base: { _ in a() }, parameters: parameters, rules: rules, notes: notes,
                  writeOrder: writeOrder, check: check)
    }

    /// The augmenter with every parameter at its default.
    public var defaultInstance: A { base([]) }

    /// Reads one entry's arguments.
    func read(_ r: ArgumentReader) throws -> A {
        var given = Set<String>()
        for p in parameters {
            if let v = r.raw(p.key), v != .null || p.nullIsValue { given.insert(p.key) }
        }
        var ignored = Set<String>()
        for rule in rules {
            switch rule.kind {
            case .exclusive(let a, let b) where given.contains(a) && given.contains(b):
                throw r.error(b, "give either \(a) or \(b), not both")
            case .overrides(let winner, let loser) where given.contains(winner) && given.contains(loser):
                ignored.insert(loser)
            default: break
            }
        }
        var a = base(given)
        for p in parameters where given.contains(p.key) {
            let v = r.value(p.key) ?? .null
            if ignored.contains(p.key) {
                var scratch = a
                try p.apply(v, &scratch, r.context(p.key))
            } else {
                try p.apply(v, &a, r.context(p.key))
            }
        }
        if let problem = check?(a) { throw r.error(problem.key, problem.message) }
        return a
    }

    /// The arguments as a pipeline file writes them.
    public func arguments(_ a: A) -> [(String, ConfigValue)] {
        let ordered = writeOrder.map { keys in keys.compactMap { k in parameters.first { $0.key == k } } } ?? parameters
        return ordered.filter { !$0.omit(a) }.map { ($0.key, $0.encode(a)) }
    }

    /// How a pipeline file names and builds this augmenter.
    public var spec: AugmenterSpec {
        let table = self
        return AugmenterSpec(name: name, parameters: parameters.map(\.key),
                             make: { r in try table.read(r) },
                             makeDefault: { table.defaultInstance },
                             listing: { table.listing })
    }

    /// The table in words and values: what `medaug augmenters` prints.
    public var listing: AugmenterListing {
        let d = defaultInstance
        return AugmenterListing(
            name: name, summary: summary,
            parameters: parameters.map { p in
                ParameterListing(key: p.key, help: p.help, forms: p.forms, defaultValue: p.encode(d),
                                 allowed: p.allowed, limits: p.limits,
                                 accepted: p.accepted, refused: p.refused)
            },
            rules: rules.map(\.text), notes: notes)
    }
}
