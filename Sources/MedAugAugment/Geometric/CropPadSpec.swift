import MedAugCore

// Crop and Pad in pipeline files: the forms of CropAndPad's `px` / `percent`
// (a number, a range [a, b], {choice: [...]}, or four per-side values
// [top, right, bottom, left]), with only non-negative values, as imgaug's
// Crop.__init__ and Pad.__init__ assert before anything else.

extension CropAndPad {
    /// Crop's and Pad's `px` / `percent`: CropAndPad's forms with the limits
    /// imgaug checks for them.
    ///
    /// - Parameters:
    ///   - percent: fractions (any number) rather than pixels (integers only).
    ///   - limits: every value's bounds.
    ///   - perSide: the bounds of a plain number given for one side, which
    ///     imgaug does not check against −1 (so Crop takes a per-side
    ///     fraction of 1 or more, which the zero-size guard stops at 1 pixel).
    ///   - belowMax: `limits.max` itself is refused (Crop's fractions < 1).
    ///   - allowed: the listing's text when `limits.text` does not say it all.
    static func nonNegativeSidesCodec(percent: Bool, limits: NumberLimits, perSide: NumberLimits,
                                      belowMax: Bool = false, allowed: String? = nil) -> Codec<CropAndPadSides> {
        let forms = "a number, a range [a, b], {choice: [...]} or four per-side values [top, right, bottom, left]"
        let shownAllowed = allowed ?? limits.text

        @Sendable func read(_ x: ConfigValue, _ c: ParameterContext, isPerSide: Bool) throws -> Param {
            let plainPerSide = isPerSide && x.number != nil
            let p = try c.param(x, plainPerSide ? perSide : limits, forms: forms)
            if belowMax, !plainPerSide, let max = limits.max, let bad = p.values.first(where: { $0 >= max }) {
                throw c.error("value \(ConfigValue.format(bad)) is out of range; allowed: \(shownAllowed)"
                              + (limits.reason.map { " (\($0))" } ?? ""))
            }
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

        let ok = limits.allowedNumbers.filter { !belowMax || $0 < (limits.max ?? .infinity) }.map(Param.number)
        let range = ConfigValue.list([ok[0], ok.last!]), choice = ConfigValue.map([("choice", .list(ok))])
        // A plain per-side number past `limits` where `perSide` allows it (Crop's 1.5).
        let lastSide = perSide.max.map { $0 > (limits.max ?? .infinity) } == true ? Param.number(1.5) : ok.last!
        let negativeSide: ConfigValue = percent ? .double(-0.5) : .int(-1)
        var refused = Codec<Continuous>.refusedNumbers(limits) + [.list([.int(1), .int(2), .int(3)]),
                      .list([negativeSide, .int(0), .int(0), .int(0)]),
                      .list([.int(0), .list([negativeSide, .int(0)]), .int(0), .int(0)])]
        if percent {
            refused.append(.list([.int(0), .map([("choice", .list([.double(-0.25), .int(0)]))]), .int(0), .int(0)]))
        } else {
            refused += [.double(1.5), .list([.int(1), .list([.double(0.5), .int(2)]), .int(0), .int(0)])]
        }
        if belowMax, let max = limits.max {
            refused += [Param.number(max), .list([.int(0), Param.number(max)]),
                        .list([.int(0), .list([.int(0), Param.number(max)]), .int(0), .int(0)])]
        }
        if let m = perSide.max, m != limits.max { refused.append(.list([Param.number(m + 1), .int(0), .int(0), .int(0)])) }
        return Codec(
            forms: forms, limits: limits, allowed: shownAllowed,
            accepted: ok + [range, choice, .list([ok[0], range, choice, lastSide])],
            refused: refused,
            decode: { v, c in try CropAndPadSides.decode(v, c, forms: forms) { try read($0, $1, isPerSide: $2) } },
            encode: { $0.config })
    }
}

extension Pad {
    // imgaug asserts >= 0 on every number; the maximums are CropAndPad's for padding.
    static let pxLimits = NumberLimits(min: 0, max: ParameterLimits.padPixels, integer: true,
                                       reason: "padding allocates")
    static let percentLimits = NumberLimits(min: 0, max: ParameterLimits.padFraction,
                                            reason: "padding adds at most the image's own size per side")

    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Pad(), summary: "Pads each side by a non-negative amount, then by default resizes back.",
        parameters: [
            Parameter("px", \.amount.pxSides,
                      CropAndPad.nonNegativeSidesCodec(percent: false, limits: pxLimits, perSide: pxLimits).optional,
                      "Pixels added per side.", omitWhen: { $0.amount.pxSides == nil }),
            Parameter("percent", \.amount.percentSides,
                      CropAndPad.nonNegativeSidesCodec(percent: true, limits: percentLimits, perSide: percentLimits).optional,
                      "Fraction of the height (top, bottom) or width (left, right) added per side.",
                      omitWhen: { $0.amount.percentSides == nil }),
            Parameter("pad_mode", \.padMode, .names(CropAndPad.allPadModes, \.rawValue, style: .choiceOrAll),
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
    public var arguments: [(String, ConfigValue)] { Pad.table.arguments(self) }
}

extension Crop {
    // imgaug asserts >= 0 on every number, then CropAndPad asserts the negated
    // fractions > −1 (so < 1 here), except a plain per-side number.
    static let pxLimits = NumberLimits(min: 0, max: ParameterLimits.cropPixels, integer: true,
                                       reason: "cropping cannot remove more than the image")
    static let percentLimits = NumberLimits(min: 0, max: 1, reason: "imgaug refuses 1: it would crop the whole side")
    // A plain per-side fraction of 1 or more already crops to the 1-pixel
    // guard; the bound keeps fraction × side far inside `Int`.
    static let perSidePercentLimits = NumberLimits(min: 0, max: 100,
                                                   reason: "a fraction of 1 or more already crops to 1 pixel")

    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Crop(), summary: "Crops each side by a non-negative amount, then by default resizes back.",
        parameters: [
            Parameter("px", \.amount.pxSides,
                      CropAndPad.nonNegativeSidesCodec(percent: false, limits: pxLimits, perSide: pxLimits).optional,
                      "Pixels removed per side.", omitWhen: { $0.amount.pxSides == nil }),
            Parameter("percent", \.amount.percentSides,
                      CropAndPad.nonNegativeSidesCodec(percent: true, limits: percentLimits, perSide: perSidePercentLimits,
                                                       belowMax: true,
                                                       allowed: "0 to < 1, or 0 to 100 for a plain per-side number").optional,
                      "Fraction of the height (top, bottom) or width (left, right) removed per side.",
                      omitWhen: { $0.amount.percentSides == nil }),
            Parameter("keep_size", \.keepSize, .bool, "Resize the result back to the input's size."),
            Parameter("sample_independently", \.sampleIndependently, .bool,
                      "Draw each side separately (true) or one amount for all four (false)."),
        ],
        rules: [.exclusive("px", "percent")])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }

    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { Crop.table.arguments(self) }
}
