import MedAugCore
import MedAugImage

/// Where CropToFixedSize / PadToFixedSize put the image (imgaug's `position`).
public enum FixedSizePosition: Equatable, Sendable {
    /// x and y each drawn from Uniform(0, 1) per image (imgaug's "uniform").
    case uniform
    /// x and y each drawn from Normal(0.5, 0.175) clipped to [0, 1] (imgaug's "normal").
    case normal
    /// A fixed point: 0 is left / top, 0.5 the centre, 1 right / bottom
    /// ("center", "left-top", ..., or `[x, y]`).
    case fixed(x: Double, y: Double)

    /// imgaug's "center".
    public static let center = FixedSizePosition.fixed(x: 0.5, y: 0.5)

    /// Draws x then y for one image.
    public func sample(_ rng: inout AugmentRandom) -> (x: Double, y: Double) {
        switch self {
        case .uniform:
            let x = rng.nextDouble()
            let y = rng.nextDouble()
            return (x, y)
        case .normal:
            func one(_ rng: inout AugmentRandom) -> Double { min(max(0.5 + 0.175 * rng.nextGaussian(), 0), 1) }
            let x = one(&rng)
            let y = one(&rng)
            return (x, y)
        case .fixed(let x, let y): return (x, y)
        }
    }
}

/// imgaug's CropToFixedSize: crops sides longer than `width` / `height` down to
/// it, the crop spread by `position` (imgaug's `_calculate_crop_amounts` with
/// offsets 1 − position); shorter sides are left alone. Any channel count and bit depth.
public struct CropToFixedSize: Augmenter {
    /// The largest width kept; nil leaves widths alone.
    public var width: Int?
    /// The largest height kept; nil leaves heights alone.
    public var height: Int?
    /// How the crop is spread over the sides.
    public var position: FixedSizePosition

    /// imgaug requires width and height; MedAug's default nil leaves the image unchanged.
    public init(width: Int? = nil, height: Int? = nil, position: FixedSizePosition = .uniform) {
        self.width = width; self.height = height; self.position = position
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "CropToFixedSize" }
    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { CropToFixedSize.table.arguments(self) }

    /// Draws the position and crops.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let p = drawn(&context)
        return FixedSizeKernel.crop(image, width: width, height: height, x: p.x, y: p.y)
    }

    /// Draws the position once and crops the image and its targets (imgaug:
    /// maps cropped alike, points moved by the left and top crop).
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        let p = drawn(&context)
        return FixedSizeKernel.crop(sample, width: width, height: height, x: p.x, y: p.y)
    }

    /// Masks, heatmaps, keypoints and boxes are cropped with the image.
    public var targetRule: TargetRule { .moved }

    func drawn(_ context: inout AugmentContext) -> (x: Double, y: Double) {
        let p = position.sample(&context.rng)
        context.record(name, [("position_x", fmt(p.x)), ("position_y", fmt(p.y))])
        return p
    }
}

/// imgaug's PadToFixedSize: pads sides shorter than `width` / `height` up to it,
/// the padding spread by `position`; longer sides are left alone.
public struct PadToFixedSize: Augmenter {
    /// The smallest width produced; nil leaves widths alone.
    public var width: Int?
    /// The smallest height produced; nil leaves heights alone.
    public var height: Int?
    /// How padded pixels are filled, one mode per image (imgaug's `pad_mode`).
    public var padMode: Choice<PadMode>
    /// The fill for constant and linear_ramp padding, drawn per image (imgaug's `pad_cval`).
    public var padCval: Discrete
    /// How the padding is spread over the sides.
    public var position: FixedSizePosition

    /// imgaug requires width and height; MedAug's default nil leaves the image
    /// unchanged. The other defaults are imgaug's.
    public init(width: Int? = nil, height: Int? = nil, padMode: Choice<PadMode> = .constant(.constant),
                padCval: Discrete = .constant(0), position: FixedSizePosition = .uniform) {
        self.width = width; self.height = height; self.padMode = padMode; self.padCval = padCval
        self.position = position
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "PadToFixedSize" }
    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { PadToFixedSize.table.arguments(self) }

    /// Draws the position, pad mode and fill in imgaug's order, and pads.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let d = drawn(&context)
        return FixedSizeKernel.pad(image, width: width, height: height, x: d.x, y: d.y, mode: d.mode, cval: d.cval)
    }

    /// Draws once and pads the image and its targets (imgaug: maps padded
    /// with constant 0 whatever the image's mode, points moved by the left
    /// and top padding).
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        let d = drawn(&context)
        return FixedSizeKernel.pad(sample, width: width, height: height, x: d.x, y: d.y, mode: d.mode, cval: d.cval)
    }

    /// Masks, heatmaps, keypoints and boxes are padded with the image.
    public var targetRule: TargetRule { .moved }

    func drawn(_ context: inout AugmentContext) -> (x: Double, y: Double, mode: PadMode, cval: Int) {
        let p = position.sample(&context.rng)
        let mode = padMode.sample(&context.rng)
        let cval = padCval.sample(&context.rng)
        context.record(name, [("position_x", fmt(p.x)), ("position_y", fmt(p.y)),
                              ("pad_mode", mode.rawValue), ("pad_cval", String(cval))])
        return (p.x, p.y, mode, cval)
    }
}

/// imgaug's CenterCropToFixedSize: CropToFixedSize with `position="center"`.
public struct CenterCropToFixedSize: Augmenter {
    /// The largest width kept; nil leaves widths alone.
    public var width: Int?
    /// The largest height kept; nil leaves heights alone.
    public var height: Int?

    /// imgaug requires width and height; MedAug's default nil leaves the image unchanged.
    public init(width: Int? = nil, height: Int? = nil) { self.width = width; self.height = height }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "CenterCropToFixedSize" }
    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { CenterCropToFixedSize.table.arguments(self) }

    /// Crops equally from both ends of each axis (the odd pixel from the bottom / right).
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        context.record(name, [])
        return FixedSizeKernel.crop(image, width: width, height: height, x: 0.5, y: 0.5)
    }

    /// Crops the image and its targets alike (points move by the left and top crop).
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        context.record(name, [])
        return FixedSizeKernel.crop(sample, width: width, height: height, x: 0.5, y: 0.5)
    }

    /// Masks, heatmaps, keypoints and boxes are cropped with the image.
    public var targetRule: TargetRule { .moved }
}

/// imgaug's CenterPadToFixedSize: PadToFixedSize with `position="center"`.
public struct CenterPadToFixedSize: Augmenter {
    /// The smallest width produced; nil leaves widths alone.
    public var width: Int?
    /// The smallest height produced; nil leaves heights alone.
    public var height: Int?
    /// How padded pixels are filled, one mode per image (imgaug's `pad_mode`).
    public var padMode: Choice<PadMode>
    /// The fill for constant and linear_ramp padding, drawn per image (imgaug's `pad_cval`).
    public var padCval: Discrete

    /// imgaug requires width and height; MedAug's default nil leaves the image unchanged.
    public init(width: Int? = nil, height: Int? = nil, padMode: Choice<PadMode> = .constant(.constant),
                padCval: Discrete = .constant(0)) {
        self.width = width; self.height = height; self.padMode = padMode; self.padCval = padCval
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "CenterPadToFixedSize" }
    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { CenterPadToFixedSize.table.arguments(self) }

    /// Pads equally at both ends of each axis (the odd pixel at the bottom / right).
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let d = drawn(&context)
        return FixedSizeKernel.pad(image, width: width, height: height, x: 0.5, y: 0.5, mode: d.mode, cval: d.cval)
    }

    /// Draws the mode and fill once and pads the image and its targets (maps
    /// with constant 0, points moved by the left and top padding).
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        let d = drawn(&context)
        return FixedSizeKernel.pad(sample, width: width, height: height, x: 0.5, y: 0.5, mode: d.mode, cval: d.cval)
    }

    /// Masks, heatmaps, keypoints and boxes are padded with the image.
    public var targetRule: TargetRule { .moved }

    func drawn(_ context: inout AugmentContext) -> (mode: PadMode, cval: Int) {
        let mode = padMode.sample(&context.rng)
        let cval = padCval.sample(&context.rng)
        context.record(name, [("pad_mode", mode.rawValue), ("pad_cval", String(cval))])
        return (mode, cval)
    }
}

/// The pixel work of the fixed-size crops and pads, with imgaug's arithmetic.
public enum FixedSizeKernel {
    /// imgaug's `_calculate_crop_amounts` for a drawn position (x, y): the crop
    /// before the image is `int((1 − position) · excess)`, the rest after it,
    /// with the position rounded to float32 as imgaug holds it.
    public static func cropAmounts(width: Int, height: Int, maxWidth: Int?, maxHeight: Int?, x: Double, y: Double)
        -> (top: Int, right: Int, bottom: Int, left: Int) {
        var top = 0, right = 0, bottom = 0, left = 0
        // imgaug holds positions as float32 and takes 1 - position in float32.
        let offY = Double(Float(1) - Float(y)), offX = Double(Float(1) - Float(x))
        if let maxHeight, height > maxHeight {
            top = Affine.pythonInt(offY * Double(height - maxHeight))
            bottom = height - maxHeight - top
        }
        if let maxWidth, width > maxWidth {
            left = Affine.pythonInt(offX * Double(width - maxWidth))
            right = width - maxWidth - left
        }
        return (top, right, bottom, left)
    }

    /// imgaug's `_calculate_paddings`: the padding before the image is
    /// `int((1 − position) · missing)`, the rest after it.
    public static func padAmounts(width: Int, height: Int, minWidth: Int?, minHeight: Int?, x: Double, y: Double)
        -> (top: Int, right: Int, bottom: Int, left: Int) {
        var top = 0, right = 0, bottom = 0, left = 0
        // imgaug holds positions as float32; 1 - position is then float64.
        if let minWidth, width < minWidth {
            let total = minWidth - width
            left = Affine.pythonInt((1.0 - Double(Float(x))) * Double(total))
            right = total - left
        }
        if let minHeight, height < minHeight {
            let total = minHeight - height
            top = Affine.pythonInt((1.0 - Double(Float(y))) * Double(total))
            bottom = total - top
        }
        return (top, right, bottom, left)
    }

    /// Crops sides longer than the maximum down to it.
    public static func crop(_ image: Image, width: Int?, height: Int?, x: Double, y: Double) -> Image {
        let c = cropAmounts(width: image.width, height: image.height, maxWidth: width, maxHeight: height, x: x, y: y)
        return Padding.crop(image, top: c.top, right: c.right, bottom: c.bottom, left: c.left)
    }

    /// Pads sides shorter than the minimum up to it.
    public static func pad(_ image: Image, width: Int?, height: Int?, x: Double, y: Double, mode: PadMode, cval: Int) -> Image {
        let p = padAmounts(width: image.width, height: image.height, minWidth: width, minHeight: height, x: x, y: y)
        return Padding.pad(image, top: p.top, right: p.right, bottom: p.bottom, left: p.left, mode: mode, cval: cval)
    }

    /// Crops an image and its targets by the same amounts: maps cropped
    /// alike, points moved by the left and top crop.
    public static func crop(_ sample: AnnotatedImage, width: Int?, height: Int?, x: Double, y: Double) -> AnnotatedImage {
        let image = sample.image
        let c = cropAmounts(width: image.width, height: image.height, maxWidth: width, maxHeight: height, x: x, y: y)
        let out = Padding.crop(image, top: c.top, right: c.right, bottom: c.bottom, left: c.left)
        guard !sample.targets.isEmpty else { return AnnotatedImage(out, targets: sample.targets) }
        // Crop amounts never leave less than the requested side (at least 1),
        // so the window is the amounts themselves.
        let window = CropAndPad.Window(x1: c.left, y1: c.top, x2: image.width - c.right, y2: image.height - c.bottom,
                                       padTop: 0, padRight: 0, padBottom: 0, padLeft: 0)
        return AnnotatedImage(out, targets: sample.targets.croppedAndPadded(window, width: image.width, height: image.height))
    }

    /// Pads an image and its targets by the same amounts: the image with
    /// `mode` / `cval`, maps with constant 0 (imgaug's pad settings for
    /// heatmaps and segmentation maps), points moved by the left and top padding.
    public static func pad(_ sample: AnnotatedImage, width: Int?, height: Int?, x: Double, y: Double,
                           mode: PadMode, cval: Int) -> AnnotatedImage {
        let image = sample.image
        let p = padAmounts(width: image.width, height: image.height, minWidth: width, minHeight: height, x: x, y: y)
        let out = Padding.pad(image, top: p.top, right: p.right, bottom: p.bottom, left: p.left, mode: mode, cval: cval)
        guard !sample.targets.isEmpty else { return AnnotatedImage(out, targets: sample.targets) }
        let window = CropAndPad.Window(x1: 0, y1: 0, x2: image.width, y2: image.height,
                                       padTop: p.top, padRight: p.right, padBottom: p.bottom, padLeft: p.left)
        return AnnotatedImage(out, targets: sample.targets.croppedAndPadded(window, width: image.width, height: image.height))
    }
}
