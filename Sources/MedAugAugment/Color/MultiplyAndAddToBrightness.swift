import MedAugCore
import MedAugImage

/// imgaug's MultiplyAndAddToBrightness: RGB is converted to a colour space
/// with a brightness channel (picked per image), Multiply and Add run on
/// that channel only, and the result is converted back. The conversions
/// are OpenCV 4.7's 8-bit ones, so the round trip is lossy exactly as in
/// imgaug, including when mul is 1 and add is 0 (imgaug still converts).
///
/// Beyond imgaug: grayscale images get Multiply/Add on their one channel
/// directly (imgaug refuses them), and a 4th (alpha) or 2nd (gray+alpha)
/// channel is left unchanged. 16-bit images are refused, as in imgaug.
public struct MultiplyAndAddToBrightness: Augmenter {
    /// The factor for the brightness channel, drawn per image (imgaug's `mul`).
    public var mul: Continuous
    /// The value added to the brightness channel, in sample units, drawn per
    /// image (imgaug's `add`).
    public var add: Continuous
    /// The colour space whose brightness channel is edited, one picked per
    /// image (imgaug's `to_colorspace`; by default any of ``ColorSpace``).
    public var toColorspace: Choice<ColorSpace>
    /// "RGB" or "BGR".
    public var fromColorspace: String
    /// When true, the order of Multiply and Add is shuffled per image (imgaug's
    /// `random_order`); when false, Multiply runs first.
    public var randomOrder: Bool

    /// The values `fromColorspace` accepts.
    public static let fromColorspaces = ["RGB", "BGR"]

    /// Creates the augmenter with imgaug's defaults: `mul=(0.7, 1.3)`,
    /// `add=(-30, 30)`, any colour space, RGB input, random order. Traps when
    /// `fromColorspace` is not "RGB" or "BGR".
    public init(mul: Continuous = .range(0.7, 1.3), add: Continuous = .range(-30, 30),
                toColorspace: Choice<ColorSpace> = .choice(ColorSpace.allCases),
                fromColorspace: String = "RGB", randomOrder: Bool = true) {
        precondition(Self.fromColorspaces.contains(fromColorspace), "from_colorspace must be RGB or BGR")
        self.mul = mul
        self.add = add
        self.toColorspace = toColorspace
        self.fromColorspace = fromColorspace
        self.randomOrder = randomOrder
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "MultiplyAndAddToBrightness" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { MultiplyAndAddToBrightness.table.arguments(self) }

    /// imgaug's child: Identity when mul is a single number close to 1 (np.isclose).
    public var multiply: Multiply? {
        if case .constant(let v) = mul.param, abs(v - 1) <= 1e-8 + 1e-5 { return nil }
        return Multiply(mul: mul)
    }

    /// imgaug's child: Identity when add is exactly the number 0.
    public var adder: Add? {
        if case .constant(0) = add.param { return nil }
        return Add(value: add)
    }

    /// Draws the colour space, the order and the children's values (in that
    /// order) and edits brightness. A 16-bit image is converted to 8 bits
    /// first and comes back 8-bit: imgaug's colour-space conversions are
    /// 8-bit only (imgaug refuses such images; MedAug converts them, as its
    /// README promises for every step that needs 8 bits).
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let image = image.to8Bit()
        guard var samples = image.bytes else { throw AugmentError(name, "the image has no 8-bit samples") }
        // Per image, all from the image's own stream: the colour space, then
        // the child order, then the children's values.
        let space = toColorspace.sample(&context.rng)
        var order = [0, 1]
        if randomOrder { context.rng.shuffle(&order) }
        let c = image.channels
        let w = image.width, h = image.height
        if c >= 3 {
            context.record(name, [("to_colorspace", space.rawValue)])
        } else {
            context.record(name, [("to_colorspace", "none (gray)")])
        }
        // The children run on the brightness channel alone (one channel, so
        // one value each); as both are 8-bit tables, their composition is
        // applied once (for HSV, as V is written).
        var table = Self.identity
        for i in order {
            if i == 0, let m = multiply {
                let t = MultiplyPixels.table(m.sample(channels: 1, &context)[0])
                table = table.map { t[Int($0)] }
            }
            if i == 1, let a = adder {
                let t = AddPixels.table(AddPixels.roundedValue(a.sample(channels: 1, &context)[0]))
                table = table.map { t[Int($0)] }
            }
        }
        let mapped = table != Self.identity
        let bgr = fromColorspace == "BGR"
        if c >= 3 {
            if bgr { ColorConversion.swapRedBlue(&samples, pixelCount: w * h, channels: c) }
            if space == .hsv {
                samples.withUnsafeMutableBufferPointer { buf in
                    guard let p = buf.baseAddress else { return }
                    OpenCVHSV.rgbToHSV(p, count: w * h, stride: c, valueTable: mapped ? table : nil)
                }
            } else {
                ColorConversion.fromRGB(&samples, width: w, height: h, channels: c, to: space)
                if mapped { LookupTable8.apply(&samples, channels: c, channel: space.brightnessChannel, table: table) }
            }
        } else if mapped {
            LookupTable8.apply(&samples, channels: c, channel: 0, table: table)
        }
        if c >= 3 {
            ColorConversion.toRGB(&samples, width: w, height: h, channels: c, from: space)
            if bgr { ColorConversion.swapRedBlue(&samples, pixelCount: w * h, channels: c) }
        }
        return Image(width: w, height: h, channels: c, bytes: samples)
    }

    static let identity = (0..<256).map { UInt8($0) }
}
