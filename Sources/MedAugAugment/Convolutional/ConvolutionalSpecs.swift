/// The Convolutional augmenters a pipeline file can name.
enum ConvolutionalFamily {
    static let specs: [AugmenterSpec] = [Sharpen.spec, Emboss.spec, EdgeDetect.spec, DirectedEdgeDetect.spec]
}

extension Sharpen {
    public static let spec = AugmenterSpec(name: "Sharpen", parameters: ["alpha", "lightness"]) { r in
        Sharpen(alpha: try r.continuous("alpha", default: .range(0, 0.2), min: 0, max: 1),
                lightness: try r.continuous("lightness", default: .range(0.8, 1.2), min: 0))
    }
}

extension Emboss {
    public static let spec = AugmenterSpec(name: "Emboss", parameters: ["alpha", "strength"]) { r in
        Emboss(alpha: try r.continuous("alpha", default: .range(0, 1), min: 0, max: 1),
               strength: try r.continuous("strength", default: .range(0.25, 1), min: 0))
    }
}

extension EdgeDetect {
    public static let spec = AugmenterSpec(name: "EdgeDetect", parameters: ["alpha"]) { r in
        EdgeDetect(alpha: try r.continuous("alpha", default: .range(0, 0.75), min: 0, max: 1))
    }
}

extension DirectedEdgeDetect {
    public static let spec = AugmenterSpec(name: "DirectedEdgeDetect", parameters: ["alpha", "direction"]) { r in
        DirectedEdgeDetect(alpha: try r.continuous("alpha", default: .range(0, 0.75), min: 0, max: 1),
                           direction: try r.continuous("direction", default: .range(0, 1)))
    }
}
