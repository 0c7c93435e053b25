import MedAugCore
import MedAugImage

/// The Segmentation augmenters a pipeline file can name.
enum SegmentationFamily {
    static let specs: [AugmenterSpec] = [Superpixels.spec]
}

extension Superpixels {
    public static let spec = AugmenterSpec(
        name: "Superpixels", parameters: ["p_replace", "n_segments", "max_size", "interpolation"]
    ) { r in
        let p = try r.probability("p_replace", default: Probability(.range(0.5, 1.0)))
        let n = try r.discrete("n_segments", default: .range(50, 120), min: 1)
        // imgaug builds n_segments with allow_floats=False.
        for v in n.param.values where v != v.rounded() {
            throw r.error("n_segments", "value \(ConfigValue.format(v)) must be an integer")
        }
        // imgaug does not check max_size, but 0 or less shrinks to nothing and fails there.
        let maxSize = try r.optionalInt("max_size", default: 128, min: 1)
        let interpolation = try readInterpolation(&r)
        return Superpixels(pReplace: p, nSegments: n, maxSize: maxSize, interpolation: interpolation)
    }

    /// A name (nearest, linear, area, cubic) or an OpenCV code (0, 1, 2, 3).
    /// imgaug checks this only when it resizes; a file is checked here.
    private static func readInterpolation(_ r: inout ArgumentReader) throws -> Interpolation {
        let key = "interpolation"
        guard let v = r.value(key) else { return .linear }
        let allowed = interpolationNames.map(\.0).joined(separator: ", ")
        switch v {
        case .string(let s):
            if let i = interpolationNames.first(where: { $0.0 == s }) { return i.1 }
            throw r.error(key, "'\(s)' is not allowed; allowed: \(allowed) (or OpenCV codes 0-3)")
        case .int(let code):
            if let i = interpolationCodes.first(where: { $0.0 == code }) { return i.1 }
            throw r.error(key, "\(code) is not an OpenCV interpolation code; allowed: 0-3 or \(allowed)")
        default:
            throw r.error(key, "expected one of \(allowed), got \(v.kindName)")
        }
    }
}
