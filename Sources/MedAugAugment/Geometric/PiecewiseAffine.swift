import MedAugImage

/// imgaug's PiecewiseAffine: a regular grid of nb_rows × nb_cols points is
/// placed over the image (rows at `linspace(0, H, nb_rows)`, columns at
/// `linspace(0, W, nb_cols)`), each point is moved by Normal(0, scale) draws
/// (fractions of the height and width, or pixels with `absoluteScale`), and the
/// image is warped with one affine per triangle of the grid, as scikit-image's
/// PiecewiseAffineTransform and warp do (see ``PiecewiseAffineKernel``).
///
/// As in imgaug, nb_rows and nb_cols below 2 count as 2, the moved points are
/// clipped to the image, and the image is left unchanged unless at least one
/// jitter value is above 0 (so scale 0, or an all-negative draw, changes
/// nothing), or when a side is 1 pixel or less.
///
/// Deviations: scipy's Delaunay triangulation of the grid picks each cell's
/// diagonal in a way that depends on the image size and floating-point
/// rounding (every cell's corners are cocircular), so MedAug cuts every cell
/// from top-left to bottom-right; the warp given the same triangles matches
/// imgaug's. Masks, heatmaps, keypoints and boxes go through the same
/// triangles as the image, so they follow the image MedAug produces. imgaug
/// draws scale once per batch; MedAug draws it once per image, from the
/// image's own stream.
public struct PiecewiseAffine: Augmenter {
    /// The standard deviation of the point jitter, a fraction of the image side
    /// (pixels with `absoluteScale`), drawn per image (imgaug's `scale`).
    public var scale: Continuous
    /// Grid points per column (at least 2 are used), drawn per image (imgaug's `nb_rows`).
    public var nbRows: Discrete
    /// Grid points per row (at least 2 are used), drawn per image (imgaug's `nb_cols`).
    public var nbCols: Discrete
    /// The spline interpolation order 0...5, picked per image (imgaug's `order`).
    public var order: Choice<Int>
    /// The fill value for `constant` mode, drawn per image and clipped to the
    /// sample range (imgaug's `cval`).
    public var cval: Continuous
    /// How positions outside the image are filled (scikit-image's names:
    /// constant, edge, symmetric, reflect, wrap), picked per image (imgaug's `mode`).
    public var mode: Choice<BorderMode>
    /// Read `scale` in pixels instead of fractions of the side (imgaug's `absolute_scale`).
    public var absoluteScale: Bool

    /// Creates the augmenter; the defaults are imgaug's: `scale=(0, 0.04)`,
    /// `nb_rows=(2, 4)`, `nb_cols=(2, 4)`, `order=1`, `cval=0`,
    /// `mode="constant"`, `absolute_scale=False`.
    public init(scale: Continuous = .range(0, 0.04), nbRows: Discrete = .range(2, 4), nbCols: Discrete = .range(2, 4),
                order: Choice<Int> = .constant(1), cval: Continuous = .constant(0),
                mode: Choice<BorderMode> = .constant(.constant), absoluteScale: Bool = false) {
        self.scale = scale
        self.nbRows = nbRows
        self.nbCols = nbCols
        self.order = order
        self.cval = cval
        self.mode = mode
        self.absoluteScale = absoluteScale
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "PiecewiseAffine" }

    /// The values drawn for one image.
    public struct Sample: Equatable, Sendable {
        /// Grid rows and columns, each at least 2.
        public var rows: Int, cols: Int
        /// The interpolation order.
        public var order: Int
        /// The fill value as drawn (the kernel clips it to the sample range).
        public var cval: Double
        /// The border mode.
        public var mode: BorderMode
        /// The scale the jitter was drawn with.
        public var scale: Double
        /// `2 · rows · cols` float32 draws from Normal(0, scale): y then x per point.
        public var jitter: [Float]
    }

    /// Draws in imgaug's order: nb_rows, nb_cols, order, cval, mode, then
    /// scale and the jitter.
    public func sample(_ rng: inout AugmentRandom) -> Sample {
        let r = max(nbRows.sample(&rng), 2), c = max(nbCols.sample(&rng), 2)
        let o = order.sample(&rng)
        let cv = cval.sample(&rng)
        let m = mode.sample(&rng)
        let s = scale.sample(&rng)
        let j: [Float] = s == 0 ? [Float](repeating: 0, count: 2 * r * c)
            : (0..<(2 * r * c)).map { _ in Float(rng.gaussian(mean: 0, sd: s)) }
        return Sample(rows: r, cols: c, order: o, cval: cv, mode: m, scale: s, jitter: j)
    }

    /// Draws a ``Sample`` and warps the image with MedAug's triangulation; any
    /// channel count and bit depth.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let s = drawn(&context)
        return PiecewiseAffineKernel.apply(image, rows: s.rows, cols: s.cols, jitter: s.jitter, order: s.order,
                                           mode: s.mode, cval: s.cval, absoluteScale: absoluteScale)
    }

    /// Draws one ``Sample`` and warps the image and its targets with the same
    /// triangles (imgaug's rules are at ``PiecewiseAffineKernel``'s `apply`
    /// for an `AnnotatedImage`: maps with orders 0 and 3, points through
    /// warped distance maps, so they land on whole pixels).
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        let s = drawn(&context)
        return PiecewiseAffineKernel.apply(sample, rows: s.rows, cols: s.cols, jitter: s.jitter, order: s.order,
                                           mode: s.mode, cval: s.cval, absoluteScale: absoluteScale)
    }

    /// Masks, heatmaps, keypoints and boxes move with the image.
    public var targetRule: TargetRule { .moved }

    /// One image's draws, recorded: the image-only and the annotated call share
    /// it so that both draw and record the same.
    func drawn(_ context: inout AugmentContext) -> Sample {
        let s = sample(&context.rng)
        context.record(name, [("nb_rows", String(s.rows)), ("nb_cols", String(s.cols)), ("order", String(s.order)),
                              ("cval", fmt(s.cval)), ("mode", s.mode.rawValue), ("scale", fmt(s.scale))])
        return s
    }
}
