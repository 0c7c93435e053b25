import MedAugCore

// CropAndPad in pipeline files. `px`/`percent`: a number, a range [a, b], or a
// 4-element list [top, right, bottom, left] whose items are each a number, a
// range or {choice: [...]}. MedAug also reads a top-level {choice: [...]}
// (imgaug refuses a plain list there) as one choice for all sides.

extension CropAndPad {
    /// Every pad mode, in the fixed order `pad_mode: ALL` chooses from. (imgaug
    /// builds that choice from a Python set, whose order changes between processes.)
    public static let allPadModes: [PadMode] = PadMode.allCases

    static let pxLimits = NumberLimits(min: -ParameterLimits.cropPixels, max: ParameterLimits.padPixels, integer: true,
                                       reason: "padding allocates; cropping cannot remove more than the image")
    static let percentLimits = NumberLimits(min: -1, max: ParameterLimits.padFraction, minExclusive: true,
                                            reason: "padding adds at most the image's own size per side")
    /// imgaug leaves a plain per-side fraction unbounded below; an unbounded one
    /// overflows the pixel count, and a crop beyond 100 sides leaves nothing anyway.
    static let perSidePercentLimits = NumberLimits(min: -100, max: ParameterLimits.padFraction,
                                                   reason: "padding adds at most the image's own size per side; a crop of more than 100 sides leaves nothing")

    /// imgaug's checks: px takes integers only; percent values (ranges, choices
    /// and a single overall number) must be > −1, a single per-side number is
    /// not checked against −1 (MedAug bounds it at −100). MedAug adds the
    /// maximums of `pxLimits` / `percentLimits`.
    static func sidesCodec(percent: Bool) -> Codec<CropAndPadSides> {
        let limits = percent ? percentLimits : pxLimits
        let forms = "a number, a range [a, b], {choice: [...]} or four per-side values [top, right, bottom, left]"

        @Sendable func read(_ x: ConfigValue, _ c: ParameterContext, perSide: Bool) throws -> Param {
            let plain = x.number != nil
            let p = try c.param(x, perSide && plain && percent ? perSidePercentLimits : limits, forms: forms)
            if !percent {
                func ints(_ v: ConfigValue) -> Bool {
                    switch v {
                    case .int: return true
                    case .list(let l): return l.allSatisfy(ints)
                    case .map(let m): return m.allSatisfy { ints($0.1) }
                    default: return false
                    }
                }
                guard ints(x) else { throw c.error("px takes whole pixels (integers), got \(x.flowText); use percent for fractions") }
            }
            return p
        }

        let ok = limits.allowedNumbers.map(Param.number)
        return Codec(
            forms: forms, limits: limits,
            accepted: ok + [.list([ok[0], ok.last!]), .map([("choice", .list(ok))]), .list([ok[0], .list([ok[0], ok.last!]), .map([("choice", .list(ok))]), ok.last!])],
            refused: Codec<Continuous>.refusedNumbers(limits) + [.list([.int(1), .int(2), .int(3)])]
                + (percent ? [.list([.int(0), .list([.double(-1.2), .int(0)]), .int(0), .int(0)])]
                           : [.double(1.5), .list([.int(1), .list([.double(0.5), .int(2)]), .int(0), .int(0)])]),
            decode: { v, c in try CropAndPadSides.decode(v, c, forms: forms) { try read($0, $1, perSide: $2) } },
            encode: { $0.config })
    }

    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        CropAndPad(), summary: "Crops (negative amounts) or pads (positive) each side, then by default resizes back.",
        parameters: [
            Parameter("px", \.amount.pxSides, sidesCodec(percent: false).optional,
                      "Pixels per side: negative crops, positive pads.", omitWhen: { $0.amount.pxSides == nil }),
            Parameter("percent", \.amount.percentSides, sidesCodec(percent: true).optional,
                      "Fraction of the height (top, bottom) or width (left, right) per side: negative crops, positive pads.",
                      omitWhen: { $0.amount.percentSides == nil }),
            Parameter("pad_mode", \.padMode, .names(allPadModes, \.rawValue, style: .choiceOrAll),
                      "How padded areas are filled (numpy's pad modes)."),
            Parameter("pad_cval", \.padCval,
                      .discrete(NumberLimits(min: -ParameterLimits.sampleValue, max: ParameterLimits.sampleValue,
                                             reason: ArithmeticFamily.sampleReason)),
                      "Fill value for constant and linear_ramp padding."),
            Parameter("keep_size", \.keepSize, .bool, "Resize the result back to the input's size."),
            Parameter("sample_independently", \.sampleIndependently, .bool,
                      "Draw each side separately (true) or one amount for all four (false)."),
        ],
        rules: [.exclusive("px", "percent")])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }

    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { CropAndPad.table.arguments(self) }
}

extension CropAndPadAmount {
    /// The per-side amounts when they are pixels (`px`), else nil; a pipeline
    /// file's `px` key reads and writes CropAndPad's, Crop's and Pad's amounts through it.
    var pxSides: CropAndPadSides? {
        get { if case .px(let s) = self { return s } else { return nil } }
        set { if let newValue { self = .px(newValue) } }
    }

    /// The per-side amounts when they are fractions (`percent`), else nil.
    var percentSides: CropAndPadSides? {
        get { if case .percent(let s) = self { return s } else { return nil } }
        set { if let newValue { self = .percent(newValue) } }
    }
}

extension CropAndPadSides {
    /// imgaug's four forms of a side amount: a number, a range or a choice for
    /// every side, or four per-side values (`[top, right, bottom, left]`).
    /// `read(value, context, isPerSide)` checks one value against the
    /// augmenter's own limits (Crop, Pad and CropAndPad differ there).
    static func decode(_ v: ConfigValue, _ c: ParameterContext, forms: String,
                       read: (ConfigValue, ParameterContext, Bool) throws -> Param) throws -> CropAndPadSides {
        switch v {
        case .int, .double:
            return .all(try read(v, c, false))
        case .list(let l) where l.count == 2:
            return .all(try read(v, c, false))
        case .map(let m) where m.count == 1 && m[0].0 == "choice":
            return .all(try read(v, c, false))
        case .list(let l) where l.count == 4:
            let names = ["top", "right", "bottom", "left"]
            var sides: [Param] = []
            for (i, item) in l.enumerated() { sides.append(try read(item, c.sub(names[i]), true)) }
            return .sides(top: sides[0], right: sides[1], bottom: sides[2], left: sides[3])
        default:
            throw c.error("expected \(forms), got \(v.described)")
        }
    }

    /// The amounts as a pipeline file writes them.
    var config: ConfigValue {
        switch self {
        case .all(let p): return p.config
        case .sides(let t, let r, let b, let l): return .list([t.config, r.config, b.config, l.config])
        }
    }
}
