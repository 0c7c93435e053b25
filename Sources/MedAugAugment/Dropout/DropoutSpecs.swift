/// The Dropout augmenters a pipeline file can name.
enum DropoutFamily {
    static let specs: [AugmenterSpec] = [Dropout.spec, CoarseDropout.spec, TotalDropout.spec]
}

extension Dropout {
    public static let spec = AugmenterSpec(name: "Dropout", parameters: ["p", "per_channel"]) { r in
        Dropout(p: try DropoutProbability.read(&r, default: .range(0, 0.05)),
                perChannel: try r.probability("per_channel", default: .constant(0), allowRanges: false))
    }
}

extension CoarseDropout {
    public static let spec = AugmenterSpec(
        name: "CoarseDropout", parameters: ["p", "size_px", "size_percent", "per_channel", "min_size"]
    ) { r in
        let p = try DropoutProbability.read(&r, default: .range(0.02, 0.1))
        // imgaug takes a number or a 2-tuple for either size (a list of two is a range too); size_px wins.
        var size = CoarseDropout.defaultSize
        let px = try r.optionalDiscrete("size_px")
        let pct = try r.optionalContinuous("size_percent")
        if let px {
            if case .choice = px.param { throw r.error("size_px", "expected a number or a range [a, b]") }
            size = .pixels(px)
        } else if let pct {
            if case .choice = pct.param { throw r.error("size_percent", "expected a number or a range [a, b]") }
            size = .percent(pct)
        }
        return CoarseDropout(p: p, size: size,
                             perChannel: try r.probability("per_channel", default: .constant(0), allowRanges: false),
                             minSize: try r.int("min_size", default: 3, min: 0))
    }
}

extension TotalDropout {
    public static let spec = AugmenterSpec(name: "TotalDropout", parameters: ["p"]) { r in
        TotalDropout(p: try DropoutProbability.read(&r, default: .constant(1)))
    }
}
