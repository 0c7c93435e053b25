import MedAugCore

// Affine in pipeline files: imgaug's argument names and forms, read with
// imgaug's checks and written back so that a file round-trips.

/// An augmenter whose translation is a fraction of the size or whole pixels
/// (Affine, pillike.Affine): the two keys a pipeline file writes it with.
protocol AffineTranslating {
    var translate: AffineTranslate { get set }
}

extension AffineTranslating {
    var translatePercent: AxisParam? {
        get { if case .percent(let p) = translate { return p } else { return nil } }
        set { if let newValue { translate = .percent(newValue) } }
    }

    var translatePx: AffineAxisDiscrete? {
        get { if case .px(let p) = translate { return p } else { return nil } }
        set { if let newValue { translate = .px(newValue) } }
    }
}

extension Affine: AffineTranslating {}

extension Affine {
    static let modeNames = ["constant", "edge", "symmetric", "reflect", "wrap"]  // imgaug's ALL, in its order

    /// The keys whose absence, all together, means imgaug's random defaults.
    static let geometryKeys: Set<String> = ["scale", "translate_percent", "translate_px", "rotate", "shear"]

    // MARK: the table's view of the fields


    /// `rotate` as given in a file (no longer imgaug's float default).
    var rotation: Continuous {
        get { rotate }
        set { rotate = newValue; rotateIsDefault = false }
    }

    /// `shear` as given in a file (no longer imgaug's float default).
    var shearing: AffineShear {
        get { shear }
        set { shear = newValue; shearIsDefault = false }
    }

    var isIdentityScale: Bool { scale == .shared(.constant(1)) }
    var isIdentityTranslate: Bool {
        switch translate {
        case .px(.shared(let p)): return p == .constant(0)
        case .percent(.shared(let p)): return p == .constant(0)
        default: return false
        }
    }
    var isIdentityRotate: Bool { rotate == .constant(0) }
    var isIdentityShear: Bool { shear == .xOnly(0) }

    // MARK: codecs

    static let degreesReason = "ten turns"

    /// imgaug reads translate_px with the discrete handler and allow_floats=False: integers only.
    static let translatePxCodec: Codec<AffineAxisDiscrete> = {
        let limits = NumberLimits(min: -ParameterLimits.translatePixels, max: ParameterLimits.translatePixels, integer: true)
        let one = Codec<Discrete>.discrete(limits)
        @Sendable func ints(_ v: ConfigValue, _ c: ParameterContext) throws -> Discrete {
            func allInts(_ x: ConfigValue) -> Bool {
                switch x {
                case .int: return true
                case .list(let l): return l.allSatisfy(allInts)
                case .map(let m): return m.allSatisfy { allInts($0.1) }
                default: return false
                }
            }
            let d = try one.decode(v, c)
            guard allInts(v) else { throw c.error("translate_px takes whole pixels (integers), got \(v.flowText); use translate_percent for fractions") }
            return d
        }
        return Codec(
            forms: ParameterContext.numberForms(or: "{x: ..., y: ...}"), limits: limits,
            accepted: one.accepted + [.map([("x", .int(10)), ("y", .int(-7))]), .map([("x", .list([.int(-3), .int(3)]))])],
            refused: one.refused + [.double(2.5), .map([("x", .int(1)), ("z", .int(2))])],
            decode: { v, c in
                if let (x, y) = try c.perAxis(v, missing: Discrete.constant(0), ints) { return .perAxis(x: x, y: y) }
                return .shared(try ints(v, c))
            },
            encode: { $0.config })
    }()

    /// A plain number shears along x only; a range or choice is one draw for
    /// both axes; `{x: ..., y: ...}` draws each.
    static let shearCodec: Codec<AffineShear> = {
        let limits = NumberLimits(min: -ParameterLimits.shear, max: ParameterLimits.shear,
                                  reason: "tan grows without bound towards 90")
        let one = Codec<Continuous>.continuous(limits)
        return Codec(
            forms: "a number (x only), a range [a, b] or {choice: [...]} (one draw for x and y), or {x: ..., y: ...}",
            limits: limits,
            accepted: one.accepted + [.map([("x", .int(-10)), ("y", .int(8))]), .map([("y", .list([.int(-5), .int(5)]))])],
            refused: one.refused + [.map([("x", .int(1)), ("z", .int(2))])],
            decode: { v, c in
                if let n = v.number { return .xOnly(try c.number(n, limits)) }
                if let (x, y) = try c.perAxis(v, missing: Continuous.constant(0), { try one.decode($0, $1) }) {
                    return .perAxis(x: x, y: y)
                }
                return .shared(try one.decode(v, c))
            },
            encode: { shear in
                switch shear {
                case .xOnly(let v): return Param.constant(v).config
                case .shared(let p):
                    // A plain number would read back as an x-only shear; a one-item choice keeps x = y.
                    if case .constant(let v) = p.param { return .map([("choice", .list([Param.constant(v).config]))]) }
                    return p.param.config
                case .perAxis(let x, let y): return .map([("x", x.param.config), ("y", y.param.config)])
                }
            })
    }()

    /// Orders 0, 1 and 3 (OpenCV); imgaug sends 2, 4 and 5 to scikit-image, which MedAug does not reproduce.
    static let orderCodec: Codec<Choice<AffineOrder>> = {
        @Sendable func one(_ x: ConfigValue, _ c: ParameterContext) throws -> AffineOrder {
            guard case .int(let i) = x else { throw c.error("expected an integer order 0, 1 or 3, got \(x.described)") }
            if let o = AffineOrder(rawValue: i) { return o }
            if (0...5).contains(i) {
                throw c.error("order \(i) runs through scikit-image in imgaug, which MedAug does not reproduce; allowed: 0 (nearest), 1 (linear), 3 (cubic)")
            }
            throw c.error("value \(i) is out of range; allowed: 0, 1, 3")
        }
        return Codec(
            forms: "0, 1, 3, a list, {choice: [...]} or ALL", allowed: "0 (nearest), 1 (linear), 3 (cubic)",
            accepted: [.int(0), .int(3), .string("ALL"), .list([.int(0), .int(1)]), .map([("choice", .list([.int(1), .int(3)]))])],
            refused: [.int(2), .int(7), .double(1.5), .string("linear"), .list([])],
            decode: { v, c in
                switch v {
                case .int: return .constant(try one(v, c))
                case .string("ALL"): return .choice(AffineOrder.allCases)
                case .list(let l) where !l.isEmpty: return .choice(try l.map { try one($0, c) })
                case .map(let m) where m.count == 1 && m[0].0 == "choice":
                    guard case .list(let l) = m[0].1, !l.isEmpty else { throw c.error("choice needs a non-empty list, got \(v.flowText)") }
                    return .choice(try l.map { try one($0, c) })
                default:
                    throw c.error("expected 0, 1, 3, {choice: [...]} or ALL, got \(v.described)")
                }
            },
            encode: { order in
                switch order {
                case .constant(let o): return .int(o.rawValue)
                case .choice(let l):
                    return l == AffineOrder.allCases ? .string("ALL") : .map([("choice", .list(l.map { .int($0.rawValue) }))])
                }
            })
    }()

    /// A fill value, or ALL (imgaug's uniform 0 to 255).
    static let cvalCodec: Codec<Continuous> = {
        let one = Codec<Continuous>.continuous(ArithmeticFamily.sampleLimits)
        return Codec(forms: ParameterContext.numberForms(or: "ALL (0 to 255)"), limits: one.limits,
                     accepted: one.accepted + [.string("ALL")], refused: one.refused,
                     decode: { v, c in v == .string("ALL") ? .range(0, 255) : try one.decode(v, c) },
                     encode: one.encode)
    }()

    static let backendCodec = Codec<String>(
        forms: "a name", allowed: "auto, cv2", accepted: [.string("auto"), .string("cv2")],
        refused: [.string("skimage"), .string("opencv"), .int(1)],
        decode: { v, c in
            guard case .string(let s) = v, ["auto", "cv2", "skimage"].contains(s) else {
                throw c.error("expected auto or cv2, got \(v.described)")
            }
            if s == "skimage" { throw c.error("backend 'skimage' (scikit-image) is not reproduced; allowed: auto, cv2") }
            return s
        },
        encode: { .string($0) })

    // MARK: the table

    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable<Affine>(
        summary: "Scales, translates, rotates and shears about the centre (imgaug's OpenCV backend).",
        base: { given in given.isDisjoint(with: geometryKeys) ? Affine() : Affine(scale: .shared(.constant(1))) },
        parameters: [
            Parameter("scale", \.scale,
                      .perAxis(NumberLimits(min: 1e-4, max: ParameterLimits.scale, reason: "the output grows with it under fit_output"), missing: 1),
                      "Zoom factor (1 keeps the size), for both axes or per axis.",
                      omitWhen: { a in
                          // Writing nothing would bring back imgaug's random defaults, so an all-identity Affine keeps its scale.
                          a.isIdentityScale && !(a.isIdentityTranslate && a.isIdentityRotate && a.isIdentityShear)
                      }),
            Parameter("translate_percent", \.translatePercent,
                      Codec<AxisParam>.perAxis(NumberLimits(min: -ParameterLimits.translateFraction, max: ParameterLimits.translateFraction),
                                               missing: 0).optional,
                      "Shift as a fraction of the image's width (x) and height (y).",
                      omitWhen: { $0.translatePercent == nil || $0.isIdentityTranslate }),
            Parameter("translate_px", \.translatePx, translatePxCodec.optional,
                      "Shift in whole pixels.",
                      omitWhen: { $0.translatePx == nil || $0.isIdentityTranslate }),
            Parameter("rotate", \.rotation,
                      .continuous(NumberLimits(min: -ParameterLimits.degrees, max: ParameterLimits.degrees, reason: degreesReason)),
                      "Rotation in degrees, clockwise on screen.",
                      omitWhen: { $0.isIdentityRotate }),
            Parameter("shear", \.shearing, shearCodec, "Shear in degrees.", omitWhen: { $0.isIdentityShear }),
            Parameter("order", \.order, orderCodec, "Interpolation: 0 nearest, 1 linear, 3 cubic."),
            Parameter("cval", \.cval, cvalCodec, "Fill value outside the image in constant mode (drawn per channel)."),
            Parameter("mode", \.mode,
                      .names(Affine.modeNames.map { BorderMode(rawValue: $0)! }, \.rawValue, style: .choiceOrAll),
                      "How the area outside the image is filled."),
            Parameter("fit_output", \.fitOutput, .bool, "Enlarge the output so that the whole transformed image fits."),
            Parameter("backend", \.backend, backendCodec, "imgaug's backend; both mean OpenCV here.",
                      omitWhen: { $0.backend == "auto" }),
        ],
        rules: [.exclusive("translate_percent", "translate_px")],
        notes: ["with none of scale, translate_percent, translate_px, rotate and shear given, all take imgaug's random defaults "
                + "(shown above); once any is given, the others are the identity"])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }

    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { Affine.table.arguments(self) }
}
