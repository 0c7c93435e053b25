import MedAugCore
import MedAugImage

// Parameter tables of imgaug 0.4.0's geometric convenience augmenters: Rot90,
// the one-parameter Affine wrappers (geometric.py), Resize and the fixed-size
// crops and pads (size.py).

/// The geometric wrappers and size augmenters a pipeline file can name.
enum GeometricWrapperFamily {
    static let specs: [AugmenterSpec] = [
        Rot90.table.spec, ScaleX.table.spec, ScaleY.table.spec, TranslateX.table.spec, TranslateY.table.spec,
        Rotate.table.spec, ShearX.table.spec, ShearY.table.spec, Resize.table.spec,
        CropToFixedSize.table.spec, PadToFixedSize.table.spec, CenterCropToFixedSize.table.spec,
        CenterPadToFixedSize.table.spec,
    ]

    /// Target sides in pixels (Resize, the fixed sizes): what one image may allocate.
    static let maxSide = 16384.0
    static let sideReason = "the output image is allocated at this size"
    /// Resize fractions of the input side.
    static let maxFraction = 10.0

    /// True when every number in `v` is written as an integer (imgaug's allow_floats=False).
    static func allInts(_ v: ConfigValue) -> Bool {
        switch v {
        case .int: return true
        case .list(let l): return l.allSatisfy(allInts)
        case .map(let m): return m.allSatisfy { allInts($0.1) }
        default: return false
        }
    }

    /// True when every number in `v` is written with a decimal point.
    static func allDoubles(_ v: ConfigValue) -> Bool {
        switch v {
        case .double: return true
        case .list(let l): return l.allSatisfy(allDoubles)
        case .map(let m): return m.allSatisfy { allDoubles($0.1) }
        default: return false
        }
    }

    /// A discrete parameter that takes integers only (imgaug's `allow_floats=False`).
    static func integerDiscrete(_ limits: NumberLimits, what: String) -> Codec<Discrete> {
        let one = Codec<Discrete>.discrete(limits)
        return Codec(forms: one.forms, limits: limits, accepted: one.accepted, refused: one.refused + [.double(2.5)],
                     decode: { v, c in
                         let d = try one.decode(v, c)
                         guard allInts(v) else { throw c.error("\(what) takes integers, got \(v.flowText)") }
                         return d
                     },
                     encode: one.encode)
    }

    static let padCvalCodec = Codec<Discrete>.discrete(NumberLimits(min: -ParameterLimits.sampleValue, max: ParameterLimits.sampleValue,
                                                                    reason: ArithmeticFamily.sampleReason))
    static let sideCodec = Codec<Int?>.optionalInt(NumberLimits(min: 1, max: maxSide, integer: true, reason: sideReason))
}

// MARK: Rot90

extension Rot90 {
    static let kCodec: Codec<Discrete> = {
        let one = GeometricWrapperFamily.integerDiscrete(NumberLimits(min: -1_000_000, max: 1_000_000, integer: true,
                                                                      reason: "taken modulo 4"), what: "k")
        return Codec(forms: ParameterContext.numberForms(or: "ALL (0, 1, 2, 3)"), limits: one.limits,
                     accepted: one.accepted + [.string("ALL"), .list([.int(0), .int(3)])], refused: one.refused + [.string("all")],
                     decode: { v, c in v == .string("ALL") ? Discrete(.choice([0, 1, 2, 3])) : try one.decode(v, c) },
                     encode: one.encode)
    }()

    /// What a pipeline file may write for Rot90.
    public static let table = ParameterTable(
        Rot90(), summary: "Rotates by k quarter turns clockwise, k drawn per image; by default resizes back to the input size.",
        parameters: [
            Parameter("k", \.k, kCodec, "Quarter turns clockwise (taken modulo 4; negative turns go counter-clockwise)."),
            Parameter("keep_size", \.keepSize, .bool,
                      "Resize a rotation that swaps width and height back to the input size (area when a side grows, else linear)."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

// MARK: Affine wrappers

extension AffineWrapper {
    /// order, cval, mode, fit_output and backend, read as Affine reads them.
    static var affineParameters: [Parameter<Self>] {
        [
            Parameter("order", \Self.order, Affine.orderCodec, "Interpolation: 0 nearest, 1 linear, 3 cubic."),
            Parameter("cval", \Self.cval, Affine.cvalCodec, "Fill value outside the image in constant mode (drawn per channel)."),
            Parameter("mode", \Self.mode,
                      .names(Affine.modeNames.map { BorderMode(rawValue: $0)! }, \.rawValue, style: .choiceOrAll),
                      "How the area outside the image is filled."),
            Parameter("fit_output", \Self.fitOutput, .bool, "Enlarge the output so that the whole transformed image fits."),
            Parameter("backend", \Self.backend, Affine.backendCodec, "imgaug's backend; both mean OpenCV here.",
                      omitWhen: { $0.backend == "auto" }),
        ]
    }
}

/// TranslateX and TranslateY: `percent` or `px` on one axis.
public protocol AxisTranslateWrapper: AffineWrapper {
    /// The shift along the wrapper's axis.
    var translate: AxisTranslate { get set }
}

extension AxisTranslateWrapper {
    var percent: Continuous? {
        get { if case .percent(let p) = translate { return p } else { return nil } }
        set { if let newValue { translate = .percent(newValue) } }
    }

    var px: Discrete? {
        get { if case .px(let p) = translate { return p } else { return nil } }
        set { if let newValue { translate = .px(newValue) } }
    }

    static func translateTable(_ a: Self, axis: String) -> ParameterTable<Self> {
        let side = axis == "x" ? "width" : "height"
        return ParameterTable(
            a, summary: "Shifts along \(axis) by a fraction of the \(side) or whole pixels (Affine with translate on \(axis) only).",
            parameters: [
                Parameter("percent", \Self.percent,
                          Codec<Continuous>.continuous(NumberLimits(min: -ParameterLimits.translateFraction,
                                                                    max: ParameterLimits.translateFraction)).optional,
                          "Shift as a fraction of the image's \(side).", omitWhen: { $0.percent == nil }),
                Parameter("px", \Self.px,
                          GeometricWrapperFamily.integerDiscrete(NumberLimits(min: -ParameterLimits.translatePixels,
                                                                              max: ParameterLimits.translatePixels, integer: true),
                                                                 what: "px").optional,
                          "Shift in whole pixels.", omitWhen: { $0.px == nil }),
            ] + affineParameters,
            rules: [.exclusive("percent", "px")])
    }
}

extension TranslateX: AxisTranslateWrapper {
    /// What a pipeline file may write for TranslateX.
    public static let table = translateTable(TranslateX(), axis: "x")
}

extension TranslateY: AxisTranslateWrapper {
    /// What a pipeline file may write for TranslateY.
    public static let table = translateTable(TranslateY(), axis: "y")
}

extension ScaleX {
    /// What a pipeline file may write for ScaleX.
    public static let table = ParameterTable(
        ScaleX(), summary: "Zooms along x about the centre (Affine with scale on x only).",
        parameters: [
            Parameter("scale", \.scale,
                      .continuous(NumberLimits(min: 1e-4, max: ParameterLimits.scale, reason: "the output grows with it under fit_output")),
                      "Zoom factor along x (1 keeps the size)."),
        ] + affineParameters)
}

extension ScaleY {
    /// What a pipeline file may write for ScaleY.
    public static let table = ParameterTable(
        ScaleY(), summary: "Zooms along y about the centre (Affine with scale on y only).",
        parameters: [
            Parameter("scale", \.scale,
                      .continuous(NumberLimits(min: 1e-4, max: ParameterLimits.scale, reason: "the output grows with it under fit_output")),
                      "Zoom factor along y (1 keeps the size)."),
        ] + affineParameters)
}

extension Rotate {
    /// What a pipeline file may write for Rotate.
    public static let table = ParameterTable(
        Rotate(), summary: "Rotates about the centre, clockwise on screen (Affine with rotate only).",
        parameters: [
            Parameter("rotate", \.rotate,
                      .continuous(NumberLimits(min: -ParameterLimits.degrees, max: ParameterLimits.degrees, reason: Affine.degreesReason)),
                      "Rotation in degrees, clockwise on screen."),
        ] + affineParameters)
}

extension ShearX {
    /// What a pipeline file may write for ShearX.
    public static let table = ParameterTable(
        ShearX(), summary: "Shears along x about the centre (Affine with shear on x only).",
        parameters: [
            Parameter("shear", \.shear,
                      .continuous(NumberLimits(min: -ParameterLimits.shear, max: ParameterLimits.shear,
                                               reason: "tan grows without bound towards 90")),
                      "Shear along x in degrees."),
        ] + affineParameters)
}

extension ShearY {
    /// What a pipeline file may write for ShearY.
    public static let table = ParameterTable(
        ShearY(), summary: "Shears along y about the centre (Affine with shear on y only).",
        parameters: [
            Parameter("shear", \.shear,
                      .continuous(NumberLimits(min: -ParameterLimits.shear, max: ParameterLimits.shear,
                                               reason: "tan grows without bound towards 90")),
                      "Shear along y in degrees."),
        ] + affineParameters)
}

// MARK: Resize

extension Resize {
    static let pixelLimits = NumberLimits(min: 1, max: GeometricWrapperFamily.maxSide, integer: true,
                                          reason: GeometricWrapperFamily.sideReason)
    static let fractionLimits = NumberLimits(min: 0, max: GeometricWrapperFamily.maxFraction, minExclusive: true,
                                             reason: "the output image is allocated at this size")
    static let sizeForms = "keep, an integer (pixels) or a float (fraction of the side), a range [a, b], {choice: [...]}, "
        + "{height: ..., width: ...} or {shorter-side: ..., longer-side: ...} (each also keep or keep-aspect-ratio)"

    /// One value: integers are pixels, any float makes a range a fraction
    /// (imgaug's tuple rule); a choice must be all integers or all floats.
    static func readValue(_ v: ConfigValue, _ c: ParameterContext, inMap: Bool) throws -> ResizeValue {
        if case .string(let s) = v {
            if s == "keep" { return .keep }
            if s == "keep-aspect-ratio" && inMap { return .keepAspectRatio }
            throw c.error("'\(s)' is not allowed; expected \(inMap ? "keep, keep-aspect-ratio or a number" : sizeForms)")
        }
        if case .map(let m) = v, !(m.count == 1 && m[0].0 == "choice") {
            throw c.error("expected \(sizeForms), got \(v.flowText)")
        }
        if case .bool = v { throw c.error("expected \(sizeForms), got \(v.described)") }
        if GeometricWrapperFamily.allInts(v) {
            return .pixels(Discrete(try c.param(v, pixelLimits, forms: sizeForms)))
        }
        if case .map = v, !GeometricWrapperFamily.allDoubles(v) {
            throw c.error("expected a choice of all integers (pixels) or all floats (fractions), got \(v.flowText)")
        }
        return .fraction(Continuous(try c.param(v, fractionLimits, forms: sizeForms)))
    }

    static func writeValue(_ v: ResizeValue) -> ConfigValue {
        switch v {
        case .keep: return .string("keep")
        case .keepAspectRatio: return .string("keep-aspect-ratio")
        case .pixels(let d): return d.param.config
        case .fraction(let f):
            switch f.param {
            case .constant(let x): return .double(x)
            case .range(let a, let b): return .list([.double(a), .double(b)])
            case .choice(let l): return .map([("choice", .list(l.map { .double($0) }))])
            }
        }
    }

    static let sizeCodec = Codec<ResizeSize>(
        forms: sizeForms, limits: pixelLimits,
        allowed: "pixels 1 to \(Int(GeometricWrapperFamily.maxSide)), fractions > 0 to \(Int(GeometricWrapperFamily.maxFraction))",
        accepted: [.string("keep"), .int(64), .double(0.5), .list([.int(32), .int(64)]), .list([.double(0.5), .int(2)]),
                   .map([("choice", .list([.int(16), .int(32)]))]), .map([("choice", .list([.double(0.5), .double(1.5)]))]),
                   .map([("height", .int(32)), ("width", .string("keep-aspect-ratio"))]), .map([("width", .double(0.5))]),
                   .map([("shorter-side", .int(24)), ("longer-side", .string("keep-aspect-ratio"))]), .map([])],
        refused: [.int(0), .int(-3), .double(0), .double(.nan), .int(100_000), .int(16385), .string("keep-aspect-ratio"), .string("big"),
                  .map([("choice", .list([.int(16), .double(0.5)]))]),
                  .map([("height", .string("keep-aspect-ratio")), ("width", .string("keep-aspect-ratio"))]),
                  .map([("height", .int(3)), ("depth", .int(2))]), .map([("height", .map([("width", .int(2))]))]),
                  .list([.int(1), .int(2), .int(3)]), .bool(true)],
        decode: { v, c in
            guard case .map(let m) = v, !(m.count == 1 && m[0].0 == "choice") else {
                return .both(try readValue(v, c, inMap: false))
            }
            if m.isEmpty { return .both(.keep) }
            let keys = Set(m.map(\.0))
            let pair: (String, String)
            if !keys.isDisjoint(with: ["height", "width"]) {
                pair = ("height", "width")
            } else if !keys.isDisjoint(with: ["shorter-side", "longer-side"]) {
                pair = ("shorter-side", "longer-side")
            } else {
                throw c.error("expected the keys height and/or width, or shorter-side and/or longer-side, got \(v.flowText)")
            }
            for k in keys where k != pair.0 && k != pair.1 {
                throw c.error("expected only '\(pair.0)' and '\(pair.1)' with \(pair.0)/\(pair.1), got '\(k)'")
            }
            let a = try m.first { $0.0 == pair.0 }.map { try readValue($0.1, c.sub(pair.0), inMap: true) } ?? .keep
            let b = try m.first { $0.0 == pair.1 }.map { try readValue($0.1, c.sub(pair.1), inMap: true) } ?? .keep
            if a == .keepAspectRatio && b == .keepAspectRatio {
                throw c.error("expected at most one side to be keep-aspect-ratio, got \(v.flowText)")
            }
            return pair.0 == "height" ? .heightWidth(height: a, width: b) : .shorterLonger(shorter: a, longer: b)
        },
        encode: { s in
            switch s {
            case .both(let v): return writeValue(v)
            case .heightWidth(let h, let w): return .map([("height", writeValue(h)), ("width", writeValue(w))])
            case .shorterLonger(let a, let b): return .map([("shorter-side", writeValue(a)), ("longer-side", writeValue(b))])
            }
        })

    /// What a pipeline file may write for Resize.
    public static let table = ParameterTable(
        Resize(), summary: "Resizes to a fixed or drawn size with cv2.resize.",
        parameters: [
            Parameter("size", \.size, sizeCodec,
                      "Target size: integers are pixels, floats fractions of the side; one value for both sides or per side."),
            Parameter("interpolation", \.interpolation, .names(Interpolation.allCases, \.rawValue, style: .choiceOrAll),
                      "cv2.resize's interpolation: nearest, linear, area or cubic."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

// MARK: fixed sizes

extension FixedSizePosition {
    static let names: [(String, Double)] = [("left", 0), ("center", 0.5), ("right", 1)]
    static let vnames: [(String, Double)] = [("top", 0), ("center", 0.5), ("bottom", 1)]
    static let forms = "uniform, normal, center, a name (left|center|right)-(top|center|bottom), or [x, y] with each in 0 to 1"

    static let codec = Codec<FixedSizePosition>(
        forms: forms, limits: NumberLimits(min: 0, max: 1), allowed: "x and y in 0 to 1",
        accepted: [.string("uniform"), .string("normal"), .string("center"), .string("left-top"), .string("right-center"),
                   .list([.double(0.25), .int(1)])],
        refused: [.int(-1), .int(2), .string("middle"), .string("top-left"), .list([.double(1.5), .int(0)]), .list([.int(0)]), .int(1),
                  .list([.double(.nan), .int(0)])],
        decode: { v, c in
            switch v {
            case .string("uniform"): return .uniform
            case .string("normal"): return .normal
            case .string("center"): return .center
            case .string(let s):
                let parts = s.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
                if parts.count == 2, let x = names.first(where: { $0.0 == parts[0] }), let y = vnames.first(where: { $0.0 == parts[1] }) {
                    return .fixed(x: x.1, y: y.1)
                }
                throw c.error("'\(s)' is not allowed; expected \(forms)")
            case .list(let l) where l.count == 2:
                guard let x = l[0].number, let y = l[1].number else { throw c.error("expected \(forms), got \(v.flowText)") }
                let limits = NumberLimits(min: 0, max: 1)
                return .fixed(x: try c.sub("x").number(x, limits), y: try c.sub("y").number(y, limits))
            default:
                throw c.error("expected \(forms), got \(v.described)")
            }
        },
        encode: { p in
            switch p {
            case .uniform: return .string("uniform")
            case .normal: return .string("normal")
            case .fixed(let x, let y):
                if x == 0.5 && y == 0.5 { return .string("center") }
                if let xn = names.first(where: { $0.1 == x }), let yn = vnames.first(where: { $0.1 == y }) {
                    return .string("\(xn.0)-\(yn.0)")
                }
                return .list([Param.number(x), Param.number(y)])
            }
        })
}

extension CropToFixedSize {
    /// What a pipeline file may write for CropToFixedSize.
    public static let table = ParameterTable(
        CropToFixedSize(), summary: "Crops sides longer than width / height down to them; shorter sides are kept.",
        parameters: [
            Parameter("width", \.width, GeometricWrapperFamily.sideCodec, "Largest width kept (null: widths unchanged)."),
            Parameter("height", \.height, GeometricWrapperFamily.sideCodec, "Largest height kept (null: heights unchanged)."),
            Parameter("position", \.position, FixedSizePosition.codec,
                      "Where the kept window lies: uniform (random), normal, center, a named corner or edge, or [x, y]."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension PadToFixedSize {
    /// What a pipeline file may write for PadToFixedSize.
    public static let table = ParameterTable(
        PadToFixedSize(), summary: "Pads sides shorter than width / height up to them; longer sides are kept.",
        parameters: [
            Parameter("width", \.width, GeometricWrapperFamily.sideCodec, "Smallest width produced (null: widths unchanged)."),
            Parameter("height", \.height, GeometricWrapperFamily.sideCodec, "Smallest height produced (null: heights unchanged)."),
            Parameter("pad_mode", \.padMode, .names(CropAndPad.allPadModes, \.rawValue, style: .choiceOrAll),
                      "How padded areas are filled (numpy's pad modes)."),
            Parameter("pad_cval", \.padCval, GeometricWrapperFamily.padCvalCodec, "Fill value for constant and linear_ramp padding."),
            Parameter("position", \.position, FixedSizePosition.codec,
                      "Where the image lies in the padded result: uniform (random), normal, center, a named corner or edge, or [x, y]."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension CenterCropToFixedSize {
    /// What a pipeline file may write for CenterCropToFixedSize.
    public static let table = ParameterTable(
        CenterCropToFixedSize(), summary: "Crops sides longer than width / height down to them, equally from both ends.",
        parameters: [
            Parameter("width", \.width, GeometricWrapperFamily.sideCodec, "Largest width kept (null: widths unchanged)."),
            Parameter("height", \.height, GeometricWrapperFamily.sideCodec, "Largest height kept (null: heights unchanged)."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}

extension CenterPadToFixedSize {
    /// What a pipeline file may write for CenterPadToFixedSize.
    public static let table = ParameterTable(
        CenterPadToFixedSize(), summary: "Pads sides shorter than width / height up to them, equally at both ends.",
        parameters: [
            Parameter("width", \.width, GeometricWrapperFamily.sideCodec, "Smallest width produced (null: widths unchanged)."),
            Parameter("height", \.height, GeometricWrapperFamily.sideCodec, "Smallest height produced (null: heights unchanged)."),
            Parameter("pad_mode", \.padMode, .names(CropAndPad.allPadModes, \.rawValue, style: .choiceOrAll),
                      "How padded areas are filled (numpy's pad modes)."),
            Parameter("pad_cval", \.padCval, GeometricWrapperFamily.padCvalCodec, "Fill value for constant and linear_ramp padding."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}
