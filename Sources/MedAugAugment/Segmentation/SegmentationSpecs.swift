import MedAugCore
import MedAugImage

// The Segmentation augmenters' parameter tables (see `ParameterTable`).

/// The Segmentation augmenters a pipeline file can name.
enum SegmentationFamily {
    static let specs: [AugmenterSpec] = [Superpixels.table.spec]
}

extension Superpixels {
    /// A name (nearest, linear, area, cubic) or an OpenCV code (0, 1, 2, 3).
    /// imgaug checks this only when it resizes; a file is checked here.
    static let interpolationCodec: Codec<Interpolation> = {
        let allowed = interpolationNames.map(\.0).joined(separator: ", ")
        return Codec(
            forms: "a name or an OpenCV code 0-3", allowed: "\(allowed) (or OpenCV codes 0-3)",
            accepted: interpolationNames.map { .string($0.0) } + interpolationCodes.map { .int($0.0) },
            refused: [.string("bicubic"), .int(7), .list([.string("linear")])],
            decode: { v, c in
                switch v {
                case .string(let s):
                    if let i = interpolationNames.first(where: { $0.0 == s }) { return i.1 }
                    throw c.error("'\(s)' is not allowed; allowed: \(allowed) (or OpenCV codes 0-3)")
                case .int(let code):
                    if let i = interpolationCodes.first(where: { $0.0 == code }) { return i.1 }
                    throw c.error("\(code) is not an OpenCV interpolation code; allowed: 0-3 or \(allowed)")
                default:
                    throw c.error("expected one of \(allowed), got \(v.described)")
                }
            },
            encode: { .string(Superpixels.name(of: $0)) })
    }()

    /// What a pipeline file may write for this augmenter: keys, forms, limits, defaults, help.
    public static let table = ParameterTable(
        Superpixels(), summary: "SLIC superpixels, each painted in its mean colour with probability p_replace.",
        parameters: [
            Parameter("p_replace", \.pReplace, .probability(ranges: true),
                      "Chance that a segment is painted; a range or choice is drawn once per image."),
            // imgaug builds n_segments with allow_floats=False.
            Parameter("n_segments", \.nSegments,
                      .discrete(NumberLimits(min: 1, max: ParameterLimits.segments, integer: true, reason: "one draw per segment and image")),
                      "How many segments SLIC aims for, drawn per image."),
            // imgaug does not check max_size, but 0 or less shrinks to nothing and fails there.
            Parameter("max_size", \.maxSize, .optionalInt(NumberLimits(min: 1)),
                      "Longest side SLIC works on; larger images are shrunk first and enlarged back. null never resizes.",
                      nullIsValue: true),
            Parameter("interpolation", \.interpolation, interpolationCodec, "Interpolation for the shrinking and enlarging."),
        ])

    /// The registry entry built from `table`.
    public static var spec: AugmenterSpec { table.spec }
}
