import MedAugCore

/// The Blur augmenters a pipeline file can name.
enum BlurFamily {
    static let specs: [AugmenterSpec] = [
        GaussianBlur.spec, AverageBlur.spec, MedianBlur.spec, BilateralBlur.spec, MotionBlur.spec,
    ]
}

extension BlurFamily {
    /// imgaug's `allow_floats=False`: integer arguments reject fractional values.
    static func requireIntegers(_ r: ArgumentReader, _ key: String, _ d: Discrete) throws {
        for v in d.param.values where v != v.rounded() {
            throw r.error(key, "value \(ConfigValue.format(v)) must be an integer")
        }
    }
}

extension GaussianBlur {
    public static let spec = AugmenterSpec(name: "GaussianBlur", parameters: ["sigma"]) { r in
        GaussianBlur(sigma: try r.continuous("sigma", default: .range(0, 3), min: 0))
    }
}

extension AverageBlur {
    /// `k`: a number, a range [a, b], {choice: [...]}, or the per-axis form
    /// [height, width] where at least one side is itself a range or choice
    /// (imgaug's `((a, b), (c, d))`; two plain numbers are a range).
    public static let spec = AugmenterSpec(name: "AverageBlur", parameters: ["k"]) { r in
        guard let v = r.value("k") else { return AverageBlur() }
        func size(_ x: ConfigValue) throws -> Discrete {
            let p = try r.param("k", x)
            try r.check("k", p, min: 0, max: nil)
            return Discrete(p)
        }
        if case .list(let l) = v, l.count == 2, l[0].number == nil || l[1].number == nil {
            return AverageBlur(height: try size(l[0]), width: try size(l[1]))
        }
        return AverageBlur(k: try size(v))
    }
}

extension MedianBlur {
    public static let spec = AugmenterSpec(name: "MedianBlur", parameters: ["k"]) { r in
        let k = try r.discrete("k", default: .range(1, 7), min: 1, odd: true)
        try BlurFamily.requireIntegers(r, "k", k)
        return MedianBlur(k: k)
    }
}

extension BilateralBlur {
    public static let spec = AugmenterSpec(name: "BilateralBlur", parameters: ["d", "sigma_color", "sigma_space"]) { r in
        let d = try r.discrete("d", default: .range(1, 9), min: 1)
        try BlurFamily.requireIntegers(r, "d", d)
        return BilateralBlur(d: d,
                             sigmaColor: try r.continuous("sigma_color", default: .range(10, 250), min: 1),
                             sigmaSpace: try r.continuous("sigma_space", default: .range(10, 250), min: 1))
    }
}

extension MotionBlur {
    public static let spec = AugmenterSpec(name: "MotionBlur", parameters: ["k", "angle", "direction", "order"]) { r in
        let k = try r.discrete("k", default: .range(3, 7), min: 3)
        try BlurFamily.requireIntegers(r, "k", k)
        let angle = try r.continuous("angle", default: .range(0, 360))
        let direction = try r.continuous("direction", default: .range(-1, 1), min: -1 - 1e-6, max: 1 + 1e-6)
        let order = try r.int("order", default: 1)
        guard KernelRotation.supportedOrders.contains(order) else {
            throw r.error("order", "\(order) is not supported; allowed: 0 (nearest), 1 (linear), 3 (cubic)")
        }
        return MotionBlur(k: k, angle: angle, direction: direction, order: order)
    }
}
