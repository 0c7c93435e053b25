import MedAugCore
import MedAugImage

/// Children applied in turn; with `randomOrder`, in a fresh permutation per image.
/// (imgaug permutes once per batch; MedAug's batch is one image, so that each
/// image's result depends only on its own stream.)
public struct Sequential: Augmenter {
    public var children: [any Augmenter]
    public var randomOrder: Bool

    public init(_ children: [any Augmenter], randomOrder: Bool = false) {
        self.children = children
        self.randomOrder = randomOrder
    }

    public var name: String { "Sequential" }

    public var arguments: [(String, ConfigValue)] {
        var a: [(String, ConfigValue)] = []
        if randomOrder { a.append(("random_order", .bool(true))) }
        a.append(("children", .list(children.map(\.config))))
        return a
    }

    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        var order = Array(children.indices)
        if randomOrder { context.rng.shuffle(&order) }
        var out = image
        for i in order { out = try children[i].augment(out, &context) }
        return out
    }
}

/// `then` with probability p, otherwise `else`.
public struct Sometimes: Augmenter {
    public var p: Probability
    public var then: [any Augmenter]
    public var otherwise: [any Augmenter]

    public init(_ p: Double = 0.5, then: [any Augmenter], else otherwise: [any Augmenter] = []) {
        self.init(p: .constant(p), then: then, else: otherwise)
    }

    public init(p: Probability, then: [any Augmenter], else otherwise: [any Augmenter] = []) {
        self.p = p
        self.then = then
        self.otherwise = otherwise
    }

    public var name: String { "Sometimes" }

    public var arguments: [(String, ConfigValue)] {
        var a: [(String, ConfigValue)] = [("p", p.param.config), ("then", .list(then.map(\.config)))]
        if !otherwise.isEmpty { a.append(("else", .list(otherwise.map(\.config)))) }
        return a
    }

    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let branch = p.sample(&context.rng) ? then : otherwise
        var out = image
        for child in branch { out = try child.augment(out, &context) }
        return out
    }
}

/// n of the children per image, chosen uniformly; run in list order unless `randomOrder`.
public struct SomeOf: Augmenter {
    /// nil means all children.
    public var n: Discrete?
    /// imgaug's `(a, None)`: from a up to the number of children.
    public var nUpToAll: Int?
    public var children: [any Augmenter]
    public var randomOrder: Bool
    let displayName: String

    public init(n: Discrete?, _ children: [any Augmenter], randomOrder: Bool = false) {
        self.n = n
        self.children = children
        self.randomOrder = randomOrder
        self.displayName = "SomeOf"
    }

    public init(atLeast a: Int, _ children: [any Augmenter], randomOrder: Bool = false) {
        self.n = nil
        self.nUpToAll = a
        self.children = children
        self.randomOrder = randomOrder
        self.displayName = "SomeOf"
    }

    /// imgaug's OneOf: exactly one child per image.
    public static func oneOf(_ children: [any Augmenter]) -> SomeOf {
        var s = SomeOf(n: .constant(1), children)
        s.isOneOf = true
        return s
    }

    var isOneOf = false

    public var name: String { isOneOf ? "OneOf" : displayName }

    public var arguments: [(String, ConfigValue)] {
        var a: [(String, ConfigValue)] = []
        if !isOneOf {
            if let lo = nUpToAll {
                a.append(("n", .list([.int(lo), .null])))
            } else if let n {
                a.append(("n", n.param.config))
            }
            if randomOrder { a.append(("random_order", .bool(true))) }
        }
        a.append(("children", .list(children.map(\.config))))
        return a
    }

    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let count = children.count
        guard count > 0 else { return image }
        var k: Int
        if let lo = nUpToAll {
            k = lo + context.rng.nextInt(below: max(1, count - lo + 1))
        } else if let n {
            k = n.sample(&context.rng)
        } else {
            k = count
        }
        k = min(max(k, 0), count)
        // A uniform subset of size k: the first k of a shuffled row, as imgaug does.
        var picks = Array(repeating: false, count: count)
        for i in 0..<k { picks[i] = true }
        context.rng.shuffle(&picks)
        var order = Array(0..<count)
        if randomOrder { context.rng.shuffle(&order) }
        var out = image
        for i in order where picks[i] { out = try children[i].augment(out, &context) }
        return out
    }
}
