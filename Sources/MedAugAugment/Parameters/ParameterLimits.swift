/// The maximums MedAug declares beyond imgaug's own checks, each well above
/// what imgaug's documentation, the study and its users write, and low
/// enough that no pipeline file can make one image ask for a giant
/// allocation or an integer conversion that traps. `medaug augmenters`
/// lists them per parameter.
public enum ParameterLimits {
    /// Kernel sizes: MedianBlur, AverageBlur and MotionBlur `k`, BilateralBlur `d`.
    public static let kernel = 255.0
    /// GaussianBlur `sigma` (a 261-pixel kernel at 100).
    public static let sigma = 100.0
    /// CoarseDropout `size_px` and `min_size`: the low-resolution mask's side.
    public static let maskSide = 4096.0
    /// CropAndPad `px` when padding (positive): pixels added per side.
    public static let padPixels = 4096.0
    /// CropAndPad `px` when cropping (negative): crops never allocate.
    public static let cropPixels = 65536.0
    /// CropAndPad `percent`: at most the image's own size added per side.
    public static let padFraction = 1.0
    /// Affine `scale` (the output grows with it when `fit_output` is on).
    public static let scale = 10.0
    /// Affine `shear`, degrees (tan grows without bound towards 90).
    public static let shear = 80.0
    /// Angles in degrees: Affine `rotate`, MotionBlur `angle` (ten turns).
    public static let degrees = 3600.0
    /// Affine `translate_px`.
    public static let translatePixels = 65536.0
    /// Affine `translate_percent` (fractions of the image size).
    public static let translateFraction = 10.0
    /// Sample values and offsets: Add `value`, Multiply `mul`, the fill
    /// values; beyond ±65535 every 8- and 16-bit result is already saturated.
    public static let sampleValue = 65535.0
    /// Superpixels `n_segments`.
    public static let segments = 100_000.0
    /// SomeOf `n`: a count of children.
    public static let count = 100_000.0
    /// Sharpen `lightness`, Emboss `strength`.
    public static let kernelWeight = 1000.0
    /// DirectedEdgeDetect `direction`, in turns.
    public static let turns = 100.0
}
