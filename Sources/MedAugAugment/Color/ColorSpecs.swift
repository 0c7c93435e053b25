/// The Color augmenters a pipeline file can name.
enum ColorFamily {
    static let specs: [AugmenterSpec] = [MultiplyAndAddToBrightness.spec, UniformColorQuantization.spec]
}

extension MultiplyAndAddToBrightness {
    public static let spec = AugmenterSpec(
        name: "MultiplyAndAddToBrightness",
        parameters: ["mul", "add", "to_colorspace", "from_colorspace", "random_order"]
    ) { r in
        let mul = try r.continuous("mul", default: .range(0.7, 1.3))
        let add = try r.continuous("add", default: .range(-30, 30))
        let names = try r.names("to_colorspace", default: .choice(ColorSpace.names), allowed: ColorSpace.names)
        let spaces: Choice<ColorSpace>
        switch names {
        case .constant(let s): spaces = .constant(ColorSpace(rawValue: s)!)
        case .choice(let l): spaces = .choice(l.map { ColorSpace(rawValue: $0)! })
        }
        let from = try r.names("from_colorspace", default: .constant("RGB"), allowed: MultiplyAndAddToBrightness.fromColorspaces)
        guard case .constant(let fromName) = from else {
            throw r.error("from_colorspace", "expected one colour space name, not a choice")
        }
        return MultiplyAndAddToBrightness(mul: mul, add: add, toColorspace: spaces, fromColorspace: fromName,
                                          randomOrder: try r.bool("random_order", default: true))
    }
}

extension UniformColorQuantization {
    public static let spec = AugmenterSpec(
        name: "UniformColorQuantization",
        parameters: ["n_colors", "from_colorspace", "to_colorspace", "max_size", "interpolation"]
    ) { r in
        // imgaug: discrete, integers only, >= 2 (and its quantiser accepts at most 256).
        let n = try r.discrete("n_colors", default: .range(2, 16), min: 2, max: 256)
        if n.param.values.contains(where: { $0 != $0.rounded() }) {
            throw r.error("n_colors", "expected whole numbers of colours")
        }
        let from = try r.names("from_colorspace", default: .constant("RGB"), allowed: MultiplyAndAddToBrightness.fromColorspaces)
        guard case .constant(let fromName) = from else {
            throw r.error("from_colorspace", "expected one colour space name, not a choice")
        }
        let to: Choice<String>? = r.has("to_colorspace")
            ? try r.names("to_colorspace", default: .constant("RGB"), allowed: UniformColorQuantization.colorspaces)
            : nil
        _ = r.value("to_colorspace")
        let maxSize = try r.optionalInt("max_size", default: nil, min: 1)
        let interp = try r.names("interpolation", default: .constant("linear"), allowed: UniformColorQuantization.interpolations)
        guard case .constant(let interpName) = interp else {
            throw r.error("interpolation", "expected one interpolation name")
        }
        return UniformColorQuantization(nColors: n, fromColorspace: fromName, toColorspace: to,
                                        maxSize: maxSize, interpolation: interpName)
    }
}
