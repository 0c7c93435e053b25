import MedAugCore
import MedAugImage

// imgaug 0.4.0's one-parameter Affine wrappers (geometric.py: ScaleX, ScaleY,
// TranslateX, TranslateY, Rotate, ShearX, ShearY). Each builds the Affine that
// imgaug's constructor builds and runs it, so sampling order, matrices,
// float32/float64 angle arithmetic and warping are Affine's own.

/// What every Affine wrapper shares with Affine: order, cval, mode, fit_output, backend.
public protocol AffineWrapper: Augmenter {
    /// order, cval, mode, fit_output and backend, handed to Affine unchanged.
    var warp: AffineWarpSettings { get set }
    /// The Affine imgaug's constructor builds for these arguments.
    var affine: Affine { get }
}

/// The Affine arguments every wrapper passes through: imgaug's `order`,
/// `cval`, `mode`, `fit_output` and `backend`, with its defaults.
public struct AffineWarpSettings: Equatable, Sendable {
    /// Interpolation order, one picked per image (imgaug's `order`: 0, 1 or 3).
    public var order: Choice<AffineOrder>
    /// Fill value for `constant` mode, drawn per image and channel (imgaug's `cval`).
    public var cval: Continuous
    /// How pixels from outside the image are filled, one picked per image (imgaug's `mode`).
    public var mode: Choice<BorderMode>
    /// Grow or shrink the output to hold the whole transformed image (imgaug's `fit_output`).
    public var fitOutput: Bool
    /// "auto" or "cv2": both mean OpenCV here (imgaug's `backend`).
    public var backend: String

    /// imgaug's defaults: `order=1, cval=0, mode="constant", fit_output=False, backend="auto"`.
    public init(order: Choice<AffineOrder> = .constant(.linear), cval: Continuous = .constant(0),
                mode: Choice<BorderMode> = .constant(.constant), fitOutput: Bool = false, backend: String = "auto") {
        self.order = order; self.cval = cval; self.mode = mode
        self.fitOutput = fitOutput; self.backend = backend
    }

    /// Affine with one of its transforms set and these settings.
    func affine(scale: AxisParam? = nil, translate: AffineTranslate? = nil, rotate: Continuous? = nil,
                shear: AffineShear? = nil) -> Affine {
        Affine(scale: scale, translate: translate, rotate: rotate, shear: shear, order: order, cval: cval, mode: mode,
               fitOutput: fitOutput, backend: backend)
    }
}

extension AffineWrapper {
    /// Interpolation order (see ``AffineWarpSettings``).
    public var order: Choice<AffineOrder> { get { warp.order } set { warp.order = newValue } }
    /// Fill value for `constant` mode (see ``AffineWarpSettings``).
    public var cval: Continuous { get { warp.cval } set { warp.cval = newValue } }
    /// Border mode (see ``AffineWarpSettings``).
    public var mode: Choice<BorderMode> { get { warp.mode } set { warp.mode = newValue } }
    /// Whether the output grows to fit (see ``AffineWarpSettings``).
    public var fitOutput: Bool { get { warp.fitOutput } set { warp.fitOutput = newValue } }
    /// imgaug's backend (see ``AffineWarpSettings``).
    public var backend: String { get { warp.backend } set { warp.backend = newValue } }
}

extension AffineWrapper {
    /// Draws Affine's sample and warps, recorded under the wrapper's name.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        Affine.apply(image, Affine.drawn(affine, as: name, &context), fitOutput: fitOutput)
    }

    /// Draws Affine's sample and applies it to the image and its targets.
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        Affine.apply(sample, Affine.drawn(affine, as: name, &context), fitOutput: fitOutput)
    }

    /// Masks, heatmaps, keypoints and boxes move with the image, as with Affine.
    public var targetRule: TargetRule { .moved }
}

/// imgaug's ScaleX: Affine with `scale={"x": scale}` (y stays 1).
public struct ScaleX: AffineWrapper {
    /// Zoom factor along x, drawn per image (imgaug's `scale`).
    public var scale: Continuous
    /// order, cval, mode, fit_output and backend.
    public var warp: AffineWarpSettings

    /// imgaug's defaults: `scale=(0.5, 1.5), order=1, cval=0, mode="constant"`.
    public init(scale: Continuous = .range(0.5, 1.5), order: Choice<AffineOrder> = .constant(.linear),
                cval: Continuous = .constant(0), mode: Choice<BorderMode> = .constant(.constant),
                fitOutput: Bool = false, backend: String = "auto") {
        self.scale = scale
        warp = AffineWarpSettings(order: order, cval: cval, mode: mode, fitOutput: fitOutput, backend: backend)
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "ScaleX" }
    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { ScaleX.table.arguments(self) }
    /// `Affine(scale: {x: scale, y: 1})`.
    public var affine: Affine { warp.affine(scale: .perAxis(x: scale, y: .constant(1))) }
}

/// imgaug's ScaleY: Affine with `scale={"y": scale}` (x stays 1).
public struct ScaleY: AffineWrapper {
    /// Zoom factor along y, drawn per image (imgaug's `scale`).
    public var scale: Continuous
    /// order, cval, mode, fit_output and backend.
    public var warp: AffineWarpSettings

    /// imgaug's defaults: `scale=(0.5, 1.5), order=1, cval=0, mode="constant"`.
    public init(scale: Continuous = .range(0.5, 1.5), order: Choice<AffineOrder> = .constant(.linear),
                cval: Continuous = .constant(0), mode: Choice<BorderMode> = .constant(.constant),
                fitOutput: Bool = false, backend: String = "auto") {
        self.scale = scale
        warp = AffineWarpSettings(order: order, cval: cval, mode: mode, fitOutput: fitOutput, backend: backend)
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "ScaleY" }
    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { ScaleY.table.arguments(self) }
    /// `Affine(scale: {x: 1, y: scale})`.
    public var affine: Affine { warp.affine(scale: .perAxis(x: .constant(1), y: scale)) }
}

/// A one-axis shift: a fraction of the size (imgaug's `percent`) or whole pixels (`px`).
public enum AxisTranslate: Equatable, Sendable {
    /// A fraction of the width (TranslateX) or height (TranslateY).
    case percent(Continuous)
    /// Whole pixels.
    case px(Discrete)

    /// The Affine translation with this shift on x (or y) and 0 on the other axis.
    func affine(onX: Bool) -> AffineTranslate {
        switch self {
        case .percent(let p): return .percent(onX ? .perAxis(x: p, y: .constant(0)) : .perAxis(x: .constant(0), y: p))
        case .px(let p): return .px(onX ? .perAxis(x: p, y: .constant(0)) : .perAxis(x: .constant(0), y: p))
        }
    }
}

/// imgaug's TranslateX: Affine with `translate_percent={"x": percent}` or
/// `translate_px={"x": px}` (y stays 0).
public struct TranslateX: AffineWrapper {
    /// The shift along x; imgaug's default is `percent=(-0.25, 0.25)`.
    public var translate: AxisTranslate
    /// order, cval, mode, fit_output and backend.
    public var warp: AffineWarpSettings

    /// nil translate is imgaug's default `percent=(-0.25, 0.25)`.
    public init(_ translate: AxisTranslate? = nil, order: Choice<AffineOrder> = .constant(.linear),
                cval: Continuous = .constant(0), mode: Choice<BorderMode> = .constant(.constant),
                fitOutput: Bool = false, backend: String = "auto") {
        self.translate = translate ?? .percent(.range(-0.25, 0.25))
        warp = AffineWarpSettings(order: order, cval: cval, mode: mode, fitOutput: fitOutput, backend: backend)
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "TranslateX" }
    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { TranslateX.table.arguments(self) }
    /// `Affine(translate_percent: {x: percent})` or `Affine(translate_px: {x: px})`.
    public var affine: Affine { warp.affine(translate: translate.affine(onX: true)) }
}

/// imgaug's TranslateY: Affine with `translate_percent={"y": percent}` or
/// `translate_px={"y": px}` (x stays 0).
public struct TranslateY: AffineWrapper {
    /// The shift along y; imgaug's default is `percent=(-0.25, 0.25)`.
    public var translate: AxisTranslate
    /// order, cval, mode, fit_output and backend.
    public var warp: AffineWarpSettings

    /// nil translate is imgaug's default `percent=(-0.25, 0.25)`.
    public init(_ translate: AxisTranslate? = nil, order: Choice<AffineOrder> = .constant(.linear),
                cval: Continuous = .constant(0), mode: Choice<BorderMode> = .constant(.constant),
                fitOutput: Bool = false, backend: String = "auto") {
        self.translate = translate ?? .percent(.range(-0.25, 0.25))
        warp = AffineWarpSettings(order: order, cval: cval, mode: mode, fitOutput: fitOutput, backend: backend)
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "TranslateY" }
    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { TranslateY.table.arguments(self) }
    /// `Affine(translate_percent: {y: percent})` or `Affine(translate_px: {y: px})`.
    public var affine: Affine { warp.affine(translate: translate.affine(onX: false)) }
}

/// imgaug's Rotate: Affine with `rotate=rotate`, degrees clockwise on screen.
public struct Rotate: AffineWrapper {
    /// The rotation in degrees, drawn per image (imgaug's `rotate`).
    public var rotate: Continuous
    /// order, cval, mode, fit_output and backend.
    public var warp: AffineWarpSettings

    /// imgaug's defaults: `rotate=(-30, 30), order=1, cval=0, mode="constant"`.
    public init(rotate: Continuous = .range(-30, 30), order: Choice<AffineOrder> = .constant(.linear),
                cval: Continuous = .constant(0), mode: Choice<BorderMode> = .constant(.constant),
                fitOutput: Bool = false, backend: String = "auto") {
        self.rotate = rotate
        warp = AffineWarpSettings(order: order, cval: cval, mode: mode, fitOutput: fitOutput, backend: backend)
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Rotate" }
    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { Rotate.table.arguments(self) }
    /// `Affine(rotate: rotate)`.
    public var affine: Affine { warp.affine(rotate: rotate) }
}

/// imgaug's ShearX: Affine with `shear={"x": shear}` (y shear 0).
public struct ShearX: AffineWrapper {
    /// The shear along x in degrees, drawn per image (imgaug's `shear`).
    public var shear: Continuous
    /// order, cval, mode, fit_output and backend.
    public var warp: AffineWarpSettings

    /// imgaug's defaults: `shear=(-30, 30), order=1, cval=0, mode="constant"`.
    public init(shear: Continuous = .range(-30, 30), order: Choice<AffineOrder> = .constant(.linear),
                cval: Continuous = .constant(0), mode: Choice<BorderMode> = .constant(.constant),
                fitOutput: Bool = false, backend: String = "auto") {
        self.shear = shear
        warp = AffineWarpSettings(order: order, cval: cval, mode: mode, fitOutput: fitOutput, backend: backend)
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "ShearX" }
    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { ShearX.table.arguments(self) }
    /// `Affine(shear: {x: shear})`; imgaug's missing y is the integer 0.
    public var affine: Affine { warp.affine(shear: .perAxis(x: shear, y: .constant(0))) }
}

/// imgaug's ShearY: Affine with `shear={"y": shear}` (x shear 0).
public struct ShearY: AffineWrapper {
    /// The shear along y in degrees, drawn per image (imgaug's `shear`).
    public var shear: Continuous
    /// order, cval, mode, fit_output and backend.
    public var warp: AffineWarpSettings

    /// imgaug's defaults: `shear=(-30, 30), order=1, cval=0, mode="constant"`.
    public init(shear: Continuous = .range(-30, 30), order: Choice<AffineOrder> = .constant(.linear),
                cval: Continuous = .constant(0), mode: Choice<BorderMode> = .constant(.constant),
                fitOutput: Bool = false, backend: String = "auto") {
        self.shear = shear
        warp = AffineWarpSettings(order: order, cval: cval, mode: mode, fitOutput: fitOutput, backend: backend)
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "ShearY" }
    /// The arguments as a pipeline file writes them (from `table`).
    public var arguments: [(String, ConfigValue)] { ShearY.table.arguments(self) }
    /// `Affine(shear: {y: shear})`; imgaug's missing x is the integer 0.
    public var affine: Affine { warp.affine(shear: .perAxis(x: .constant(0), y: shear)) }
}
