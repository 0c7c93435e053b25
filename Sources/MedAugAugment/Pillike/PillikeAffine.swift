import MedAugCore
import MedAugImage

/// imgaug's pillike.Affine: scale, translate, rotate and shear about `center`
/// through Pillow's `Image.transform(AFFINE)` with nearest resampling, the
/// area outside filled with `fillcolor`. The values are drawn as imgaug's
/// geometric Affine draws them (scale, translation, rotation, shear, three
/// fill values), then the centre; imgaug's matrix conventions are kept:
/// rotation clockwise on screen, shear through `tanh` of the angle, the
/// translation in pixels of the input.
///
/// The fill values are truncated to integers; RGB takes the three, RGBA the
/// three and an opaque alpha (Pillow's 3-tuple fill), as imgaug hands Pillow a
/// 3-tuple. Differences from imgaug: a gray image is filled with the first
/// value (imgaug 0.4.0 with Pillow 13 fails on gray images, as Pillow refuses
/// a 3-tuple fill for them); gray+alpha takes the first value and an opaque
/// alpha; 16-bit images (refused by imgaug) are warped at 16 bits with the fill
/// in sample units, as ``Affine`` and ``Cutout`` treat `cval`.
public struct PillikeAffine: Augmenter {
    /// The zoom factor per axis, drawn per image (imgaug's `scale`).
    public var scale: AxisParam
    /// The shift: a fraction of the size or whole pixels (imgaug's `translate_percent` / `translate_px`).
    public var translate: AffineTranslate
    /// The rotation in degrees, clockwise on screen (imgaug's `rotate`).
    public var rotate: Continuous
    /// The shear in degrees (imgaug's `shear`, read as geometric Affine reads it).
    public var shear: AffineShear
    /// The fill value outside the image, drawn per image and channel (imgaug's `fillcolor`).
    public var fillcolor: Continuous
    /// The transformation centre relative to the image: (0, 0) top-left, (0.5, 0.5) the centre.
    public var center: FixedSizePosition

    /// Creates the augmenter; the defaults are imgaug's: the identity
    /// (`scale=1`, no translation, `rotate=0`, `shear=0`), `fillcolor=0` and
    /// `center=(0.5, 0.5)`.
    public init(scale: AxisParam = .shared(.constant(1)), translate: AffineTranslate = .px(.shared(.constant(0))),
                rotate: Continuous = .constant(0), shear: AffineShear = .xOnly(0), fillcolor: Continuous = .constant(0),
                center: FixedSizePosition = .center) {
        self.scale = scale
        self.translate = translate
        self.rotate = rotate
        self.shear = shear
        self.fillcolor = fillcolor
        self.center = center
    }

    /// The registry name (imgaug's `pillike.Affine`).
    public var name: String { "pillike.Affine" }

    /// Refused: imgaug 0.4.0's pillike.Affine asserts that a batch holds only
    /// images ("pillike.Affine can currently only process image data") and
    /// points to geometric Affine for anything else, so there is no imgaug
    /// rule to follow for masks, heatmaps, keypoints or boxes; use ``Affine``
    /// for images with targets.
    public var targetRule: TargetRule { .refused }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { PillikeAffine.table.arguments(self) }

    /// Draws the geometric values, the fill and the centre, and warps.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let geometric = Affine(scale: scale, translate: translate, rotate: rotate, shear: shear, cval: fillcolor)
        let s = geometric.sample(&context.rng)
        let (cx, cy) = center.sample(&context.rng)
        let w = Double(image.width), h = Double(image.height)
        // imgaug: a float32 fraction times the side, or pixels as (t / W) * W.
        let tx = s.translateIsPercent ? Double(Float(s.translateX)) * w : (s.translateX / w) * w
        let ty = s.translateIsPercent ? Double(Float(s.translateY)) * h : (s.translateY / h) * h
        let fill = s.cval.map { Int($0.rounded(.towardZero).clamped(-1, 65536)) }
        context.record(name, [("scale_x", fmt(s.scaleX)), ("scale_y", fmt(s.scaleY)),
                              ("translate_x_px", fmt(tx)), ("translate_y_px", fmt(ty)), ("rotate", fmt(s.rotate)),
                              ("shear_x", fmt(s.shearX)), ("shear_y", fmt(s.shearY)),
                              ("fillcolor", fill.map(String.init).joined(separator: ",")),
                              ("center", "\(fmt(cx)),\(fmt(cy))")])
        guard image.width > 0, image.height > 0 else { return image }
        let a = PillikeAffineKernel.coefficients(width: image.width, height: image.height, scaleX: s.scaleX,
                                                 scaleY: s.scaleY, translateX: tx, translateY: ty, rotate: s.rotate,
                                                 shearX: s.shearX, shearY: s.shearY, centerX: cx, centerY: cy)
        let opaque = image.bitDepth == 16 ? 65535 : 255
        let perChannel: [Int]
        switch image.channels {
        case 1: perChannel = [fill[0]]
        case 2: perChannel = [fill[0], opaque]
        case 3: perChannel = fill
        default: perChannel = fill + [opaque] + [Int](repeating: 0, count: image.channels - 4)
        }
        return PillikeAffineKernel.transform(image, a, fill: perChannel)
    }
}

extension Double {
    /// The value limited to [lo, hi] (NaN gives lo), safe to convert to Int.
    fileprivate func clamped(_ lo: Double, _ hi: Double) -> Double { self >= lo ? (self <= hi ? self : hi) : lo }
}
