import MedAugCore

extension Sequential {
    public static let spec = AugmenterSpec(name: "Sequential", parameters: ["children", "random_order"]) { r in
        Sequential(try r.augmenters("children"), randomOrder: try r.bool("random_order", default: false))
    }
}

extension Sometimes {
    public static let spec = AugmenterSpec(name: "Sometimes", parameters: ["p", "then", "else"]) { r in
        Sometimes(p: try r.probability("p", default: .constant(0.5)),
                  then: try r.augmenters("then"), else: try r.augmenters("else"))
    }
}

extension SomeOf {
    public static let spec = AugmenterSpec(name: "SomeOf", parameters: ["n", "children", "random_order"]) { r in
        // imgaug reads n as: null (all), an int, [a, b] (a range, even as a list), or [a, null] (a to all).
        let raw = r.has("n") ? r.pairs.first { $0.0 == "n" }!.1 : ConfigValue.null
        let randomOrder = try r.bool("random_order", default: false)
        if case .list(let l) = raw, l.count == 2, let a = l[0].number, l[1] == .null {
            _ = r.value("n")
            let children = try r.augmenters("children")
            guard a >= 0 else { throw r.error("n", "value \(ConfigValue.format(a)) is out of range; allowed: >= 0") }
            return SomeOf(atLeast: Int(a), children, randomOrder: randomOrder)
        }
        let n = try r.optionalDiscrete("n", min: 0)
        return SomeOf(n: n, try r.augmenters("children"), randomOrder: randomOrder)
    }

    public static let oneOfSpec = AugmenterSpec(name: "OneOf", parameters: ["children"]) { r in
        SomeOf.oneOf(try r.augmenters("children"))
    }
}
