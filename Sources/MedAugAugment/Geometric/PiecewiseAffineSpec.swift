import MedAugCore

// PiecewiseAffine in pipeline files (imgaug 0.4.0 geometric.py), registered
// through WarpFamily.specs.

extension PiecewiseAffine {
    /// imgaug's ALL for the scikit-image backend: every order but 2, which
    /// scikit-image warns about.
    static let allOrders = [0, 1, 3, 4, 5]

    /// The largest grid side: far more points than any distortion needs,
    /// small enough that the triangle list stays a small allocation.
    static let maxGridSide = 1024.0

    /// imgaug's `_handle_order_arg(order, backend="skimage")`: an integer
    /// 0...5, a list (a choice), {choice: [...]} or ALL; no ranges.
    static let orderCodec: Codec<Choice<Int>> = {
        @Sendable func one(_ x: ConfigValue, _ c: ParameterContext) throws -> Int {
            guard case .int(let i) = x else { throw c.error("expected an integer order 0 to 5, got \(x.described)") }
            guard (0...5).contains(i) else { throw c.error("value \(i) is out of range; allowed: 0 to 5") }
            return i
        }
        @Sendable func list(_ v: ConfigValue, _ c: ParameterContext) throws -> [Int] {
            guard case .list(let l) = v, !l.isEmpty else { throw c.error("expected a non-empty list of orders, got \(v.flowText)") }
            return try l.map { try one($0, c) }
        }
        return Codec(
            forms: "0 to 5, a list, {choice: [...]} or ALL (0, 1, 3, 4, 5)", allowed: "0 (nearest), 1 (linear), 2 to 5 (splines)",
            accepted: [.int(0), .int(5), .string("ALL"), .list([.int(0), .int(3)]), .map([("choice", .list([.int(1), .int(3)]))])],
            refused: [.int(-1), .int(6), .double(1.5), .string("linear"), .list([])],
            decode: { v, c in
                switch v {
                case .int: return .constant(try one(v, c))
                case .string("ALL"): return .choice(allOrders)
                case .list: return .choice(try list(v, c))
                case .map(let m) where m.count == 1 && m[0].0 == "choice": return .choice(try list(m[0].1, c))
                default: throw c.error("expected 0 to 5, a list, {choice: [...]} or ALL, got \(v.described)")
                }
            },
            encode: { order in
                switch order {
                case .constant(let o): return .int(o)
                case .choice(let l): return l == allOrders ? .string("ALL") : .map([("choice", .list(l.map { .int($0) }))])
                }
            })
    }()

    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        PiecewiseAffine(), summary: "Moves the points of a regular grid at random and warps each triangle between them affinely.",
        parameters: [
            Parameter("scale", \.scale,
                      .continuous(NumberLimits(min: 0, max: 10_000, reason: "the moved points are clipped to the image")),
                      "Standard deviation of the point jitter, as a fraction of the side (pixels with absolute_scale)."),
            Parameter("nb_rows", \.nbRows,
                      .discrete(NumberLimits(min: 2, max: maxGridSide, integer: true, reason: "grid points per side")),
                      "Grid points from top to bottom."),
            Parameter("nb_cols", \.nbCols,
                      .discrete(NumberLimits(min: 2, max: maxGridSide, integer: true, reason: "grid points per side")),
                      "Grid points from left to right."),
            Parameter("order", \.order, orderCodec, "Spline interpolation order: 0 nearest, 1 linear, 3 cubic, 2, 4, 5 other splines."),
            Parameter("cval", \.cval, Affine.cvalCodec, "Fill value outside the image in constant mode."),
            Parameter("mode", \.mode,
                      .names(Affine.modeNames.map { BorderMode(rawValue: $0)! }, \.rawValue, style: .choiceOrAll),
                      "How positions outside the image are filled: constant, edge, symmetric, reflect or wrap."),
            Parameter("absolute_scale", \.absoluteScale, .bool, "Read scale in pixels instead of fractions of the side."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }

    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { PiecewiseAffine.table.arguments(self) }
}
