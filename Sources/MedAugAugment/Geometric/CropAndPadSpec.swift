import MedAugCore

// CropAndPad in pipeline files. `px`/`percent`: a number, a range [a, b], or a
// 4-element list [top, right, bottom, left] whose items are each a number, a
// range or {choice: [...]}. MedAug also reads a top-level {choice: [...]}
// (imgaug refuses a plain list there) as one choice for all sides.

extension CropAndPad {
    /// Every pad mode, in the fixed order `pad_mode: ALL` chooses from. (imgaug
    /// builds that choice from a Python set, whose order changes between processes.)
    public static let allPadModes: [PadMode] = PadMode.allCases

    public static let spec = AugmenterSpec(
        name: "CropAndPad",
        parameters: ["px", "percent", "pad_mode", "pad_cval", "keep_size", "sample_independently"]
    ) { r in
        let px = try readSides(&r, key: "px", percent: false)
        let percent = try readSides(&r, key: "percent", percent: true)
        if px != nil && percent != nil {
            throw r.error("percent", "give either px or percent, not both")
        }
        let amount: CropAndPadAmount? = px.map { .px($0) } ?? percent.map { .percent($0) }
        let names = try r.names("pad_mode", default: .constant("constant"), allowed: allPadModes.map(\.rawValue))
        let mode: Choice<PadMode>
        switch names {
        case .constant(let s): mode = .constant(PadMode(rawValue: s)!)
        case .choice(let l): mode = .choice(l.map { PadMode(rawValue: $0)! })
        }
        return CropAndPad(amount, padMode: mode,
                          padCval: try r.discrete("pad_cval", default: .constant(0)),
                          keepSize: try r.bool("keep_size", default: true),
                          sampleIndependently: try r.bool("sample_independently", default: true))
    }

    /// imgaug's checks: px takes integers only; percent values (ranges, choices
    /// and a single overall number) must be > −1, a single per-side number is not checked.
    static func readSides(_ r: inout ArgumentReader, key: String, percent: Bool) throws -> CropAndPadSides? {
        guard let v = r.value(key) else { return nil }
        let forms = "a number, a range [a, b], {choice: [...]} or four per-side values [top, right, bottom, left]"

        func check(_ label: String, _ x: ConfigValue, _ p: Param, checkPlainNumber: Bool) throws {
            if !percent {
                func ints(_ c: ConfigValue) -> Bool {
                    switch c {
                    case .int: return true
                    case .list(let l): return l.allSatisfy(ints)
                    case .map(let m): return m.allSatisfy { ints($0.1) }
                    default: return false
                    }
                }
                guard ints(x) else { throw r.error(label, "px takes whole pixels (integers); use percent for fractions") }
                return
            }
            if case .constant = p, !checkPlainNumber { return }
            for value in p.values where !(value > -1) {
                throw r.error(label, "value \(ConfigValue.format(value)) is out of range; allowed: > -1")
            }
        }

        switch v {
        case .int, .double:
            let p = try r.param(key, v)
            try check(key, v, p, checkPlainNumber: true)
            return .all(p)
        case .list(let l) where l.count == 2:
            let p = try r.param(key, v)
            try check(key, v, p, checkPlainNumber: true)
            return .all(p)
        case .map(let m) where m.count == 1 && m[0].0 == "choice":
            let p = try r.param(key, v)
            try check(key, v, p, checkPlainNumber: true)
            return .all(p)
        case .list(let l) where l.count == 4:
            let names = ["top", "right", "bottom", "left"]
            var sides: [Param] = []
            for (i, item) in l.enumerated() {
                let label = "\(key).\(names[i])"
                let p = try r.param(label, item)
                try check(label, item, p, checkPlainNumber: false)
                sides.append(p)
            }
            return .sides(top: sides[0], right: sides[1], bottom: sides[2], left: sides[3])
        default:
            throw r.error(key, "expected \(forms), got \(v.kindName)")
        }
    }

    // MARK: writing

    public var arguments: [(String, ConfigValue)] {
        var a: [(String, ConfigValue)] = []
        func sidesConfig(_ s: CropAndPadSides) -> ConfigValue {
            switch s {
            case .all(let p): return p.config
            case .sides(let t, let r, let b, let l): return .list([t.config, r.config, b.config, l.config])
            }
        }
        switch amount {
        case .px(let s): a.append(("px", sidesConfig(s)))
        case .percent(let s): a.append(("percent", sidesConfig(s)))
        }
        switch padMode {
        case .constant(let m): a.append(("pad_mode", .string(m.rawValue)))
        case .choice(let l):
            a.append(("pad_mode", l == CropAndPad.allPadModes ? .string("ALL")
                : .map([("choice", .list(l.map { .string($0.rawValue) }))])))
        }
        a.append(("pad_cval", padCval.param.config))
        a.append(("keep_size", .bool(keepSize)))
        a.append(("sample_independently", .bool(sampleIndependently)))
        return a
    }
}
