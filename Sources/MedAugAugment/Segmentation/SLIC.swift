import MedAugImage

/// A label per pixel: row-major, 0-based and contiguous (every label in
/// `0..<count` is used).
public struct SegmentationResult: Equatable, Sendable {
    /// Width in pixels, as the segmented image.
    public let width: Int
    /// Height in pixels, as the segmented image.
    public let height: Int
    /// One label per pixel, row by row (`labels[y * width + x]`).
    public let labels: [Int32]
    /// The number of segments; labels run from 0 to `count - 1`.
    public let count: Int

    /// Wraps a label map; traps when `labels` does not hold `width * height`
    /// entries. The caller promises that labels are contiguous from 0.
    public init(width: Int, height: Int, labels: [Int32], count: Int) {
        precondition(labels.count == width * height, "labels must hold one entry per pixel")
        self.width = width
        self.height = height
        self.labels = labels
        self.count = count
    }
}

/// SLIC superpixels (Achanta et al., TPAMI 2012), following scikit-image
/// 0.20's `slic` step by step, since that is what imgaug's Superpixels ran:
/// features from `SLICFeatures`, seeds on skimage's regular grid with colour
/// 0, `maxIterations` rounds of assignment within a window of two grid steps
/// around each centre, and skimage's connectivity pass.
///
/// Differences from skimage: distances are Float32 (skimage uses float64 for
/// integer images), and up to 4,096 centres the label shares the distance's
/// lowest mantissa bits (`SLICPackedAssign.swift`), so a pixel within about
/// 2^-16 (relative) of two centres may go to the other one; labels start
/// at 0 (skimage's default `start_label` is 1); with `enforceConnectivity`
/// off the labels are renumbered to be contiguous.
public struct SLIC: Equatable, Sendable {
    /// Wanted number of segments (the grid decides the exact number of seeds).
    public var nSegments: Int
    /// Weight of space against colour: higher gives squarer segments. The
    /// features are divided by it, so it must be positive (0 or less counts as 1).
    public var compactness: Double
    /// Rounds of assignment and centre update (skimage's `max_num_iter`).
    public var maxIterations: Int
    /// Gaussian pre-smoothing of the features; 0 is none.
    public var sigma: Double
    /// When true, pieces that are not connected to their segment's main body are
    /// merged into a neighbour so every segment is one connected region.
    public var enforceConnectivity: Bool
    /// Connected pieces smaller than this fraction of the mean segment size join a neighbour.
    public var minSizeFactor: Double
    /// Pieces are cut at this multiple of the mean segment size.
    public var maxSizeFactor: Double
    /// nil: Lab for 3-channel images only, as skimage. true asks for Lab but,
    /// unlike skimage (which raises), other channel counts simply go without.
    public var convertToLab: Bool?
    /// Threads (row bands) for the assignment step; 0 picks one per core
    /// for images large enough to gain from it. The labels are the same for
    /// every value.
    public var threads: Int
    /// Doubles of feature prefix sums kept for the whole image (64 MiB);
    /// larger images recompute them row by row. Lowered only by tests.
    var prefixLimit = 8 << 20
    /// The assignment round that keeps labels apart from distances (exact
    /// ties, any number of centres), to check the packed one against. Tests only.
    var referenceAssign = false

    /// Creates a configuration; the defaults are scikit-image's `slic` ones
    /// (compactness 10, 10 iterations, no smoothing, connectivity enforced,
    /// size factors 0.5 and 3), with one thread per core for large images.
    public init(nSegments: Int, compactness: Double = 10, maxIterations: Int = 10, sigma: Double = 0,
                enforceConnectivity: Bool = true, minSizeFactor: Double = 0.5, maxSizeFactor: Double = 3,
                convertToLab: Bool? = nil, threads: Int = 0) {
        self.nSegments = nSegments
        self.compactness = compactness
        self.maxIterations = maxIterations
        self.sigma = sigma
        self.enforceConnectivity = enforceConnectivity
        self.minSizeFactor = minSizeFactor
        self.maxSizeFactor = maxSizeFactor
        self.convertToLab = convertToLab
        self.threads = threads
    }

    /// Segments an image of any channel count and bit depth; an empty image
    /// gives an empty result with `count` 0.
    public func segment(_ image: Image) -> SegmentationResult {
        let h = image.height, w = image.width, n = h * w
        guard n > 0 else { return SegmentationResult(width: w, height: h, labels: [], count: 0) }
        let lab = (convertToLab ?? true) && image.channels == 3
        let ratio = compactness > 0 ? Float(1.0 / compactness) : 1
        let features = SLICFeatures(image: image, lab: lab, sigma: sigma, ratio: ratio)

        let grid = SLICGrid(height: h, width: w, points: max(1, nSegments))
        // skimage's spatial scale: the largest grid step, the depth axis counting as 1.
        let step = Double(max(1, grid.stepY, grid.stepX))
        // The search window comes from a second grid for the number of seeds actually placed.
        let window = SLICGrid(height: h, width: w, points: grid.count)
        var clusters = SLICClusters(grid: grid, channels: features.channels)
        var labels = clusters.run(features: features, iterations: maxIterations,
                                  spatialWeight: 1.0 / (step * step),
                                  windowY: window.stepY, windowX: window.stepX, threads: threads,
                                  prefixLimit: prefixLimit, reference: referenceAssign)

        if enforceConnectivity {
            let segmentSize = Double(n) / Double(grid.count)
            let minSize = Int(minSizeFactor * segmentSize)
            let maxSize = Int(maxSizeFactor * segmentSize)
            return LabelConnectivity.enforce(labels, width: w, height: h, minSize: minSize, maxSize: maxSize)
        }
        let count = LabelConnectivity.compact(&labels)
        return SegmentationResult(width: w, height: h, labels: labels, count: count)
    }
}
