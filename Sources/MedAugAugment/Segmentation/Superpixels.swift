import MedAugCore
import MedAugImage

/// imgaug's Superpixels: SLIC segments of the image, each painted in its mean
/// colour with probability p (one p per image), on 8- and 16-bit images of
/// any channel count (alpha is a SLIC feature and is painted too, as in imgaug).
///
/// Differences from imgaug 0.4.0 (with scikit-image >= 0.19): each segment
/// gets its own mean (imgaug gives segment k the mean of segment k + 1 and
/// never paints the last); a side that shrinking would make 0 is kept at 1
/// (imgaug fails there); SLIC is MedAug's own (see `SLIC`).
public struct Superpixels: Augmenter {
    /// The chance that a segment is painted with its mean colour (imgaug's
    /// `p_replace`); a range draws one p per image.
    public var pReplace: Probability
    /// The wanted number of SLIC segments, drawn per image (imgaug's
    /// `n_segments`); SLIC's grid decides the exact count.
    public var nSegments: Discrete
    /// Longest side SLIC works on; larger images are shrunk first and the
    /// result is enlarged back. nil: never resize.
    public var maxSize: Int?
    /// Used for both the shrinking and the enlarging.
    public var interpolation: Interpolation

    /// Creates the augmenter; the defaults are imgaug's `p_replace=(0.5, 1.0)`,
    /// `n_segments=(50, 120)`, `max_size=128`, linear interpolation.
    public init(pReplace: Probability = Probability(.range(0.5, 1.0)),
                nSegments: Discrete = .range(50, 120),
                maxSize: Int? = 128,
                interpolation: Interpolation = .linear) {
        self.pReplace = pReplace
        self.nSegments = nSegments
        self.maxSize = maxSize
        self.interpolation = interpolation
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Superpixels" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { Superpixels.table.arguments(self) }

    /// Draws n_segments, then p, then one replace decision per segment, and
    /// paints; when no segment is picked the image comes back unchanged.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        // imgaug draws n_segments per batch before anything else; a batch here is one image.
        let n = max(1, nSegments.sample(&context.rng))
        guard image.pixelCount > 0 else { return image }
        let p = pReplace.sampleP(&context.rng)
        var replace = [Bool](repeating: false, count: n)
        var replaced = 0
        for i in 0..<n {
            let r = p >= 1 ? true : (p <= 0 ? false : context.rng.nextDouble() < p)
            replace[i] = r
            if r { replaced += 1 }
        }
        context.record(name, [("n_segments", String(n)), ("p_replace", fmt(p)), ("replaced", "\(replaced)/\(n)")])
        // No segment to paint: imgaug returns the image as it is, not even resized.
        guard replaced > 0 else { return image }
        return Superpixels.apply(image, nSegments: n, replace: replace, maxSize: maxSize, interpolation: interpolation)
    }

    /// The pixel work for fixed values: shrink to `maxSize`, SLIC with
    /// `nSegments` (compactness 10, skimage's other defaults), paint segment k
    /// when `replace[k % replace.count]`, enlarge back.
    public static func apply(_ image: Image, nSegments: Int, replace: [Bool], maxSize: Int?,
                             interpolation: Interpolation) -> Image {
        guard image.pixelCount > 0, replace.contains(true) else { return image }
        var work = image
        let h = image.height, w = image.width
        if let maxSize, max(h, w) > maxSize {
            let f = Double(maxSize) / Double(max(h, w))
            // imgaug floors; a side that would become 0 (very thin images)
            // makes imgaug fail, so it is kept at 1.
            let nh = max(1, Int(Double(h) * f)), nw = max(1, Int(Double(w) * f))
            work = image.resized(width: nw, height: nh, interpolation: interpolation)
        }
        // One thread: pipelines already run one image per core.
        let segments = SLIC(nSegments: max(1, nSegments), compactness: 10, threads: 1).segment(work)
        var out = segments.replacingSegments(of: work, replace: replace)
        if out.width != w || out.height != h {
            out = out.resized(width: w, height: h, interpolation: interpolation)
        }
        return out
    }

    /// imgaug's interpolation names, and OpenCV's codes that it also takes.
    static let interpolationNames: [(String, Interpolation)] =
        [("nearest", .nearest), ("linear", .linear), ("area", .area), ("cubic", .cubic)]
    static let interpolationCodes: [(Int, Interpolation)] =
        [(0, .nearest), (1, .linear), (2, .cubic), (3, .area)]

    static func name(of i: Interpolation) -> String {
        interpolationNames.first { $0.1 == i }!.0
    }
}
