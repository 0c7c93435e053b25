import MedAugCore

// The Meta augmenters' parameter tables (see `ParameterTable`).

/// The Meta augmenters a pipeline file can name.
enum MetaFamily {
    static let specs: [AugmenterSpec] = [Sequential.table.spec, Sometimes.table.spec, SomeOf.table.spec, SomeOf.oneOfTable.spec]

    static let randomOrderHelp = "Run the children in a fresh random order per image."
}

extension Sequential {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Sequential([]), summary: "Children applied in turn.",
        parameters: [
            Parameter("children", \.children, .augmenters, "The augmenters, in order."),
            Parameter("random_order", \.randomOrder, .bool, MetaFamily.randomOrderHelp, omitWhen: { !$0.randomOrder }),
        ],
        writeOrder: ["random_order", "children"])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension Sometimes {
    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Sometimes(then: []), summary: "Runs then with probability p, otherwise else.",
        parameters: [
            Parameter("p", \.p, .probability(ranges: true), "Chance of running then; a range or choice is drawn per image."),
            Parameter("then", \.then, .augmenters, "Run with probability p."),
            Parameter("else", \.otherwise, .augmenters, "Run otherwise.", omitWhen: { $0.otherwise.isEmpty }),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

/// SomeOf's `n` as a file gives it.
enum SomeOfCount: Equatable, Sendable {
    /// null: every child.
    case all
    /// A number, a range or a choice.
    case fixed(Discrete)
    /// `[a, null]`: from a up to every child.
    case atLeast(Int)
}

extension SomeOf {
    var nForm: SomeOfCount {
        get {
            if let lo = nUpToAll { return .atLeast(lo) }
            return n.map { .fixed($0) } ?? .all
        }
        set {
            switch newValue {
            case .all: n = nil; nUpToAll = nil
            case .fixed(let d): n = d; nUpToAll = nil
            case .atLeast(let a): n = nil; nUpToAll = a
            }
        }
    }

    /// imgaug reads n as: null (all), an int, [a, b] (a range, even as a list), or [a, null] (a to all).
    static let countCodec: Codec<SomeOfCount> = {
        let limits = NumberLimits(min: 0, max: ParameterLimits.count)
        let one = Codec<Discrete>.discrete(limits)
        return Codec(
            forms: "null (all children), " + ParameterContext.numberForms(or: "[a, null] (a up to all)"), limits: limits,
            accepted: one.accepted + [.list([.int(2), .null])],
            refused: one.refused + [.list([.int(-1), .null]), .list([.double(.nan), .null])],
            decode: { v, c in
                if case .list(let l) = v, l.count == 2, let a = l[0].number, l[1] == .null {
                    return .atLeast(Int(try c.number(a, limits)))
                }
                return .fixed(try one.decode(v, c))
            },
            encode: { count in
                switch count {
                case .all: return .null
                case .fixed(let d): return d.param.config
                case .atLeast(let lo): return .list([.int(lo), .null])
                }
            })
    }()

    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        SomeOf(n: nil, []), summary: "n of the children per image, chosen uniformly, run in list order unless random_order.",
        parameters: [
            Parameter("n", \.nForm, countCodec, "How many children run per image; a range or choice is drawn per image.",
                      omitWhen: { $0.nForm == .all }),
            Parameter("children", \.children, .augmenters, "The augmenters to choose from."),
            Parameter("random_order", \.randomOrder, .bool, MetaFamily.randomOrderHelp, omitWhen: { !$0.randomOrder }),
        ],
        writeOrder: ["n", "random_order", "children"])

    /// OneOf's table: SomeOf with exactly one child per image.
    public static let oneOfTable = ParameterTable(
        SomeOf.oneOf([]), summary: "Exactly one of the children per image.",
        parameters: [Parameter("children", \.children, .augmenters, "The augmenters to choose from.")])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
    /// The registry entry built from `oneOfTable`.
    public static var oneOfSpec: AugmenterSpec { oneOfTable.spec }
}
