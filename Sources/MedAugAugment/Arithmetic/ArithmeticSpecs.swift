/// The Arithmetic augmenters a pipeline file can name.
enum ArithmeticFamily {
    static let specs: [AugmenterSpec] = [Multiply.spec, Add.spec]
}

extension Multiply {
    /// imgaug checks no range for `mul`; `per_channel` is a probability (no ranges).
    public static let spec = AugmenterSpec(name: "Multiply", parameters: ["mul", "per_channel"]) { r in
        Multiply(mul: try r.continuous("mul", default: .range(0.8, 1.2)),
                 perChannel: try r.probability("per_channel", default: .constant(0), allowRanges: false))
    }
}

extension Add {
    public static let spec = AugmenterSpec(name: "Add", parameters: ["value", "per_channel"]) { r in
        Add(value: try r.continuous("value", default: .range(-20, 20)),
            perChannel: try r.probability("per_channel", default: .constant(0), allowRanges: false))
    }
}
