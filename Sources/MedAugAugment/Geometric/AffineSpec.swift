import MedAugCore

// Affine in pipeline files: imgaug's argument names and forms, read with
// imgaug's checks and written back so that a file round-trips.

extension Affine {
    static let modeNames = ["constant", "edge", "symmetric", "reflect", "wrap"]  // imgaug's ALL, in its order

    public static let spec = AugmenterSpec(
        name: "Affine",
        parameters: ["scale", "translate_percent", "translate_px", "rotate", "shear", "order", "cval", "mode", "fit_output", "backend"]
    ) { r in
        let scale = try r.axis("scale", missing: 1, min: 1e-4)
        let percent = try r.axis("translate_percent", missing: 0)
        let px = try readTranslatePx(&r)
        if percent != nil && px != nil {
            throw r.error("translate_px", "give either translate_percent or translate_px, not both")
        }
        let translate: AffineTranslate? = percent.map { .percent($0) } ?? px.map { .px($0) }
        let rotate = try r.optionalContinuous("rotate")
        let shear = try readShear(&r)
        let order = try readOrder(&r)
        let cval: Continuous
        if case .string("ALL")? = r.value("cval") {
            cval = .range(0, 255)
        } else {
            cval = try r.continuous("cval", default: .constant(0))
        }
        let modeNames = try r.names("mode", default: .constant("constant"), allowed: Affine.modeNames)
        let mode: Choice<BorderMode>
        switch modeNames {
        case .constant(let s): mode = .constant(BorderMode(rawValue: s)!)
        case .choice(let l): mode = .choice(l.map { BorderMode(rawValue: $0)! })
        }
        let fit = try r.bool("fit_output", default: false)
        let backend = try readBackend(&r)
        return Affine(scale: scale, translate: translate, rotate: rotate, shear: shear, order: order,
                      cval: cval, mode: mode, fitOutput: fit, backend: backend)
    }

    /// imgaug reads translate_px with the discrete handler and allow_floats=False: integers only.
    static func readTranslatePx(_ r: inout ArgumentReader) throws -> AffineAxisDiscrete? {
        guard let v = r.value("translate_px") else { return nil }
        func ints(_ key: String, _ v: ConfigValue) throws -> Discrete {
            let p = try r.param(key, v)
            func allInts(_ x: ConfigValue) -> Bool {
                switch x {
                case .int: return true
                case .list(let l): return l.allSatisfy(allInts)
                case .map(let m): return m.allSatisfy { allInts($0.1) }
                default: return false
                }
            }
            guard allInts(v) else { throw r.error(key, "translate_px takes whole pixels (integers); use translate_percent for fractions") }
            return Discrete(p)
        }
        if case .map(let m) = v, m.contains(where: { $0.0 == "x" || $0.0 == "y" }) {
            for (k, _) in m where k != "x" && k != "y" {
                throw r.error("translate_px", "per-axis form takes only 'x' and 'y', got '\(k)'")
            }
            let x = try m.first { $0.0 == "x" }.map { try ints("translate_px.x", $0.1) } ?? .constant(0)
            let y = try m.first { $0.0 == "y" }.map { try ints("translate_px.y", $0.1) } ?? .constant(0)
            return .perAxis(x: x, y: y)
        }
        return .shared(try ints("translate_px", v))
    }

    static func readShear(_ r: inout ArgumentReader) throws -> AffineShear? {
        guard let v = r.value("shear") else { return nil }
        if let n = v.number { return .xOnly(n) }
        if case .map(let m) = v, m.contains(where: { $0.0 == "x" || $0.0 == "y" }) {
            for (k, _) in m where k != "x" && k != "y" {
                throw r.error("shear", "per-axis form takes only 'x' and 'y', got '\(k)'")
            }
            let x = try m.first { $0.0 == "x" }.map { try r.param("shear.x", $0.1) } ?? .constant(0)
            let y = try m.first { $0.0 == "y" }.map { try r.param("shear.y", $0.1) } ?? .constant(0)
            return .perAxis(x: Continuous(x), y: Continuous(y))
        }
        return .shared(Continuous(try r.param("shear", v)))
    }

    /// Orders 0, 1 and 3 (OpenCV); imgaug sends 2, 4 and 5 to scikit-image, which MedAug does not reproduce.
    static func readOrder(_ r: inout ArgumentReader) throws -> Choice<AffineOrder> {
        guard let v = r.value("order") else { return .constant(.linear) }
        func one(_ x: ConfigValue) throws -> AffineOrder {
            guard case .int(let i) = x else { throw r.error("order", "expected an integer order 0, 1 or 3, got \(x.kindName)") }
            if let o = AffineOrder(rawValue: i) { return o }
            if (0...5).contains(i) {
                throw r.error("order", "order \(i) runs through scikit-image in imgaug, which MedAug does not reproduce; use 0 (nearest), 1 (linear) or 3 (cubic)")
            }
            throw r.error("order", "value \(i) is out of range; allowed: 0, 1, 3")
        }
        switch v {
        case .int: return .constant(try one(v))
        case .string("ALL"): return .choice(AffineOrder.allCases)
        case .list(let l) where !l.isEmpty: return .choice(try l.map(one))
        case .map(let m) where m.count == 1 && m[0].0 == "choice":
            guard case .list(let l) = m[0].1, !l.isEmpty else { throw r.error("order", "choice needs a non-empty list") }
            return .choice(try l.map(one))
        default:
            throw r.error("order", "expected 0, 1, 3, {choice: [...]} or ALL, got \(v.kindName)")
        }
    }

    static func readBackend(_ r: inout ArgumentReader) throws -> String {
        guard let v = r.value("backend") else { return "auto" }
        guard case .string(let s) = v, ["auto", "cv2", "skimage"].contains(s) else {
            throw r.error("backend", "expected auto or cv2, got \(v.kindName)")
        }
        if s == "skimage" { throw r.error("backend", "the scikit-image backend is not reproduced; use auto or cv2") }
        return s
    }

    // MARK: writing

    public var arguments: [(String, ConfigValue)] {
        var a: [(String, ConfigValue)] = []
        let identityScale = scale == .shared(.constant(1))
        let identityTranslate: Bool
        switch translate {
        case .px(.shared(let p)): identityTranslate = p == .constant(0)
        case .percent(.shared(let p)): identityTranslate = p == .constant(0)
        default: identityTranslate = false
        }
        let identityRotate = rotate == .constant(0)
        let identityShear = shear == .xOnly(0)
        // Writing nothing would bring back imgaug's random defaults, so an all-identity Affine keeps its scale.
        if !identityScale || (identityTranslate && identityRotate && identityShear) {
            a.append(("scale", Affine.axisConfig(scale)))
        }
        if !identityTranslate {
            switch translate {
            case .percent(let p): a.append(("translate_percent", Affine.axisConfig(p)))
            case .px(.shared(let p)): a.append(("translate_px", p.param.config))
            case .px(.perAxis(let x, let y)): a.append(("translate_px", .map([("x", x.param.config), ("y", y.param.config)])))
            }
        }
        if !identityRotate { a.append(("rotate", rotate.param.config)) }
        if !identityShear {
            switch shear {
            case .xOnly(let v): a.append(("shear", Param.constant(v).config))
            case .shared(let p):
                // A plain number would read back as an x-only shear; a one-item choice keeps x = y.
                if case .constant(let v) = p.param {
                    a.append(("shear", .map([("choice", .list([Param.constant(v).config]))])))
                } else {
                    a.append(("shear", p.param.config))
                }
            case .perAxis(let x, let y): a.append(("shear", .map([("x", x.param.config), ("y", y.param.config)])))
            }
        }
        switch order {
        case .constant(let o): a.append(("order", .int(o.rawValue)))
        case .choice(let l):
            a.append(("order", l == AffineOrder.allCases ? .string("ALL") : .map([("choice", .list(l.map { .int($0.rawValue) }))])))
        }
        a.append(("cval", cval.param.config))
        switch mode {
        case .constant(let m): a.append(("mode", .string(m.rawValue)))
        case .choice(let l):
            let names = l.map(\.rawValue)
            a.append(("mode", names == Affine.modeNames ? .string("ALL") : .map([("choice", .list(names.map { .string($0) }))])))
        }
        a.append(("fit_output", .bool(fitOutput)))
        if backend != "auto" { a.append(("backend", .string(backend))) }
        return a
    }

    static func axisConfig(_ p: AxisParam) -> ConfigValue {
        switch p {
        case .shared(let c): return c.param.config
        case .perAxis(let x, let y): return .map([("x", x.param.config), ("y", y.param.config)])
        }
    }
}
