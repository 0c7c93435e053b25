import MedAugCore
import MedAugImage

/// Children applied in turn; with `randomOrder`, in a fresh permutation per image.
/// (imgaug permutes once per batch; MedAug's batch is one image, so that each
/// image's result depends only on its own stream.)
public struct Sequential: Augmenter {
    /// The augmenters to run, in list order unless `randomOrder`.
    public var children: [any Augmenter]
    /// When true the children run in a fresh random order for each image
    /// (imgaug's `random_order`).
    public var randomOrder: Bool

    /// Creates a sequence; by default the children run in list order.
    public init(_ children: [any Augmenter], randomOrder: Bool = false) {
        self.children = children
        self.randomOrder = randomOrder
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Sequential" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { Sequential.table.arguments(self) }

    /// Draws the order (when random) and runs every child on the result of the
    /// one before, all from the same stream.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        try augment(AnnotatedImage(image), &context).image
    }

    /// Draws the order (when random) and hands the image and its targets from child to child.
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        var order = Array(children.indices)
        if randomOrder { context.rng.shuffle(&order) }
        var out = sample
        for i in order { out = try children[i].augment(out, &context) }
        return out
    }

    /// Moved when any child moves targets (then `.moved` or `.refused`).
    public var targetRule: TargetRule { TargetRule.combined(children) }
}

/// `then` with probability p, otherwise `else`.
public struct Sometimes: Augmenter {
    /// The chance of running `then`, in 0...1 (imgaug's `p`).
    public var p: Probability
    /// The augmenters run, in order, when the draw succeeds (imgaug's `then_list`).
    public var then: [any Augmenter]
    /// The augmenters run, in order, when it fails (imgaug's `else_list`);
    /// empty leaves the image unchanged.
    public var otherwise: [any Augmenter]

    /// Runs `then` with a fixed probability (imgaug's default 0.5).
    public init(_ p: Double = 0.5, then: [any Augmenter], else otherwise: [any Augmenter] = []) {
        self.init(p: .constant(p), then: then, else: otherwise)
    }

    /// Runs `then` with a probability in any of its forms.
    public init(p: Probability, then: [any Augmenter], else otherwise: [any Augmenter] = []) {
        self.p = p
        self.then = then
        self.otherwise = otherwise
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Sometimes" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { Sometimes.table.arguments(self) }

    /// Draws once and runs one branch.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        try augment(AnnotatedImage(image), &context).image
    }

    /// Draws once and runs one branch on the image and its targets.
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        let branch = p.sample(&context.rng) ? then : otherwise
        var out = sample
        for child in branch { out = try child.augment(out, &context) }
        return out
    }

    /// The strictest rule of either branch.
    public var targetRule: TargetRule { TargetRule.combined(then + otherwise) }
}

/// n of the children per image, chosen uniformly; run in list order unless `randomOrder`.
public struct SomeOf: Augmenter {
    /// nil means all children.
    public var n: Discrete?
    /// imgaug's `(a, None)`: from a up to the number of children.
    public var nUpToAll: Int?
    /// The augmenters to choose from.
    public var children: [any Augmenter]
    /// When true the chosen children run in random order; otherwise in list
    /// order (imgaug's `random_order`).
    public var randomOrder: Bool
    let displayName: String

    /// Runs `n` children per image (a number, an inclusive range or a choice);
    /// draws beyond the child count run them all.
    public init(n: Discrete?, _ children: [any Augmenter], randomOrder: Bool = false) {
        self.n = n
        self.children = children
        self.randomOrder = randomOrder
        self.displayName = "SomeOf"
    }

    /// Runs from `a` up to all of the children per image (imgaug's
    /// `n=(a, None)`).
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

    /// The imgaug class name, as pipeline files write it.
    public var name: String { isOneOf ? "OneOf" : displayName }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { (isOneOf ? SomeOf.oneOfTable : SomeOf.table).arguments(self) }

    /// Draws how many children, which ones, and (when random) their order, then
    /// runs them one after another.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        try augment(AnnotatedImage(image), &context).image
    }

    /// The strictest rule of the children.
    public var targetRule: TargetRule { TargetRule.combined(children) }

    /// Draws how many children, which ones and their order, then runs them on
    /// the image and its targets.
    public func augment(_ image: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
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

extension TargetRule {
    /// The rule of a list of augmenters run together: refused when any refuses,
    /// moved when any moves, unchanged otherwise.
    public static func combined(_ augmenters: [any Augmenter]) -> TargetRule {
        let rules = augmenters.map(\.targetRule)
        if rules.contains(.refused) { return .refused }
        return rules.contains(.moved) ? .moved : .unchanged
    }
}
