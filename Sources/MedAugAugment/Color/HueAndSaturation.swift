import MedAugCore
import MedAugImage

/// imgaug's AddToHueAndSaturation: RGB is converted to OpenCV's 8-bit HSV
/// (hue 0..<180), a value is added to the hue (wrapping modulo 180) and to the
/// saturation (clipped to 0...255), and the result is converted back. The
/// hue value is given in imgaug's 0...255 units and projected to OpenCV's
/// range as imgaug does (`int(v / 255 * 180)`, truncating). The image is
/// converted even when both values are 0, so the round trip's loss is kept.
///
/// Beyond imgaug: grayscale images (1 channel, or gray+alpha) come back
/// unchanged, as a gray pixel has no hue and a 1-channel image cannot hold
/// added saturation (imgaug refuses them). A 4th (alpha) channel is left
/// unchanged. 16-bit images are converted to 8 bits first and come back
/// 8-bit (imgaug's colour-space conversions are 8-bit only).
public struct AddToHueAndSaturation: Augmenter {
    /// Added to both hue and saturation (imgaug's `value`, -255...255, integers);
    /// nil unless set, and exclusive with `valueHue` and `valueSaturation`.
    public var value: Discrete?
    /// Added to the hue, in 0...255 units (imgaug's `value_hue`); nil adds nothing.
    public var valueHue: Discrete?
    /// Added to the saturation (imgaug's `value_saturation`); nil adds nothing.
    public var valueSaturation: Discrete?
    /// With `value`: the chance per image that hue and saturation get separate
    /// draws (imgaug's `per_channel`).
    public var perChannel: Probability
    /// "RGB" or "BGR".
    public var fromColorspace: String

    /// Creates the augmenter. As in imgaug, when `value`, `valueHue` and
    /// `valueSaturation` are all nil, hue and saturation each get `(-40, 40)`.
    /// Traps when `value` is given together with one of the others, or when
    /// `fromColorspace` is not "RGB" or "BGR".
    public init(value: Discrete? = nil, valueHue: Discrete? = nil, valueSaturation: Discrete? = nil,
                perChannel: Probability = .constant(0), fromColorspace: String = "RGB") {
        precondition(MultiplyAndAddToBrightness.fromColorspaces.contains(fromColorspace), "from_colorspace must be RGB or BGR")
        precondition(value == nil || (valueHue == nil && valueSaturation == nil),
                     "value_hue and value_saturation may not be set together with value")
        if value == nil && valueHue == nil && valueSaturation == nil {
            self.valueHue = .range(-40, 40)
            self.valueSaturation = .range(-40, 40)
        } else {
            self.valueHue = valueHue
            self.valueSaturation = valueSaturation
        }
        self.value = value
        self.perChannel = perChannel
        self.fromColorspace = fromColorspace
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "AddToHueAndSaturation" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { AddToHueAndSaturation.table.arguments(self) }

    /// Draws (as imgaug) per_channel then two values from `value`, or the hue
    /// value then the saturation value, and edits hue and saturation.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let image = image.to8Bit()
        var hue = 0, saturation = 0
        if let value {
            let independent = perChannel.sample(&context.rng)
            let v0 = value.sample(&context.rng), v1 = value.sample(&context.rng)
            hue = v0
            saturation = independent ? v1 : v0
        } else {
            if let valueHue { hue = valueHue.sample(&context.rng) }
            if let valueSaturation { saturation = valueSaturation.sample(&context.rng) }
        }
        context.record(name, [("hue", String(hue)), ("saturation", String(saturation))])
        guard image.channels >= 3 else { return image }
        let tables = HueSaturationKernel.addTables(hue: hue, saturation: saturation)
        return try HueSaturationKernel.apply(image, hueTable: tables.hue, saturationTable: tables.saturation,
                                             bgr: fromColorspace == "BGR", name: name)
    }
}

/// imgaug's MultiplyHueAndSaturation (a WithHueAndSaturation with Multiply
/// children): RGB is converted to OpenCV's 8-bit HSV, the hue is projected to
/// 0...255 (`int16(h / 180 * 255)`, truncating), hue and saturation are
/// multiplied in float32 and rounded half to even as imgaug's Multiply does on
/// int16, the hue is wrapped modulo 255 and projected back
/// (`uint8(h / 255 * 180)`), the saturation is clipped to 0...255, and the
/// result is converted back. The projections are lossy even at factor 1, as
/// in imgaug.
///
/// Beyond imgaug: grayscale images (1 channel, or gray+alpha) come back
/// unchanged (imgaug refuses them). A 4th (alpha) channel is left unchanged.
/// 16-bit images are converted to 8 bits first and come back 8-bit.
public struct MultiplyHueAndSaturation: Augmenter {
    /// Factor for both hue and saturation (imgaug's `mul`, -10...10); nil
    /// unless set, and exclusive with `mulHue` and `mulSaturation`.
    public var mul: Continuous?
    /// Factor for the hue (imgaug's `mul_hue`, -10...10); nil leaves it.
    public var mulHue: Continuous?
    /// Factor for the saturation (imgaug's `mul_saturation`, 0...10); nil leaves it.
    public var mulSaturation: Continuous?
    /// With `mul`: the chance per image that hue and saturation get separate
    /// factors (imgaug's `per_channel`).
    public var perChannel: Probability
    /// "RGB" or "BGR".
    public var fromColorspace: String

    /// Creates the augmenter. As in imgaug, when `mul`, `mulHue` and
    /// `mulSaturation` are all nil, `mulHue` is `(0.5, 1.5)` and
    /// `mulSaturation` `(0.0, 1.7)`. Traps when `mul` is given together with
    /// one of the others, or when `fromColorspace` is not "RGB" or "BGR".
    public init(mul: Continuous? = nil, mulHue: Continuous? = nil, mulSaturation: Continuous? = nil,
                perChannel: Probability = .constant(0), fromColorspace: String = "RGB") {
        precondition(MultiplyAndAddToBrightness.fromColorspaces.contains(fromColorspace), "from_colorspace must be RGB or BGR")
        precondition(mul == nil || (mulHue == nil && mulSaturation == nil),
                     "mul_hue and mul_saturation may not be set together with mul")
        if mul == nil && mulHue == nil && mulSaturation == nil {
            self.mulHue = .range(0.5, 1.5)
            self.mulSaturation = .range(0.0, 1.7)
        } else {
            self.mulHue = mulHue
            self.mulSaturation = mulSaturation
        }
        self.mul = mul
        self.perChannel = perChannel
        self.fromColorspace = fromColorspace
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "MultiplyHueAndSaturation" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { MultiplyHueAndSaturation.table.arguments(self) }

    /// Draws (as imgaug's Multiply children) per_channel then two factors
    /// from `mul`, or the hue factor then the saturation factor, and edits
    /// hue and saturation.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let image = image.to8Bit()
        var hue: Float = 1, saturation: Float = 1
        if let mul {
            let values = ArithmeticConfig.sampleChannelValues(mul, perChannel, channels: 2, &context.rng)
            hue = values[0]
            saturation = values.count > 1 ? values[1] : values[0]
        } else {
            if let mulHue { hue = Float(mulHue.sample(&context.rng)) }
            if let mulSaturation { saturation = Float(mulSaturation.sample(&context.rng)) }
        }
        context.record(name, [("mul_hue", fmt(Double(hue))), ("mul_saturation", fmt(Double(saturation)))])
        guard image.channels >= 3 else { return image }
        let tables = HueSaturationKernel.multiplyTables(hue: hue, saturation: saturation)
        return try HueSaturationKernel.apply(image, hueTable: tables.hue, saturationTable: tables.saturation,
                                             bgr: fromColorspace == "BGR", name: name)
    }
}

/// The pixel work of AddToHueAndSaturation and MultiplyHueAndSaturation:
/// both edit OpenCV HSV's hue and saturation sample by sample, so each is a
/// pair of 256-entry tables applied between the two conversions.
public enum HueSaturationKernel {
    /// imgaug's tables for adding `hue` (in 0...255 units, projected to
    /// OpenCV's 0..<180 by truncation) and `saturation`: hue wraps modulo 180,
    /// saturation clips to 0...255.
    public static func addTables(hue: Int, saturation: Int) -> (hue: [UInt8], saturation: [UInt8]) {
        let h = Int(Float(hue) / 255 * 180)
        let hueTable = (0..<256).map { x -> UInt8 in
            let v = (x + h) % 180
            return UInt8(v < 0 ? v + 180 : v)
        }
        let satTable = (0..<256).map { UInt8(max(0, min(255, $0 + saturation))) }
        return (hueTable, satTable)
    }

    /// imgaug's WithHueAndSaturation + Multiply on int16 as tables: hue
    /// projected to 0...255, multiplied in float32, rounded half to even,
    /// clipped to int16, wrapped modulo 255 and projected back (truncating);
    /// saturation multiplied, rounded and clipped to 0...255.
    public static func multiplyTables(hue: Float, saturation: Float) -> (hue: [UInt8], saturation: [UInt8]) {
        func int16Product(_ x: Int, _ m: Float) -> Int {
            let p = (Float(x) * m).rounded(.toNearestOrEven)
            if !(p > -32768) { return -32768 }
            if p > 32767 { return 32767 }
            return Int(p)
        }
        let hueTable = (0..<256).map { h -> UInt8 in
            let projected = Int(Float(h) / 180 * 255)  // astype(int16): truncation
            var wrapped = int16Product(projected, hue) % 255
            if wrapped < 0 { wrapped += 255 }
            return UInt8(Float(wrapped) / 255 * 180)
        }
        let satTable = (0..<256).map { s in UInt8(max(0, min(255, int16Product(s, saturation)))) }
        return (hueTable, satTable)
    }

    /// Converts an 8-bit RGB(A) (or BGR(A) with `bgr`) image to OpenCV HSV,
    /// maps hue and saturation through the tables and converts back; a 4th
    /// channel is kept. Throws for images with fewer than 3 channels or 16-bit ones.
    public static func apply(_ image: Image, hueTable: [UInt8], saturationTable: [UInt8],
                             bgr: Bool, name: String = "HueSaturationKernel") throws -> Image {
        guard image.channels >= 3, var samples = image.bytes else {
            throw AugmentError(name, "hue and saturation need an 8-bit image with 3 or 4 channels")
        }
        precondition(hueTable.count == 256 && saturationTable.count == 256, "tables have 256 entries")
        let w = image.width, h = image.height, c = image.channels
        if bgr { ColorConversion.swapRedBlue(&samples, pixelCount: w * h, channels: c) }
        ColorConversion.fromRGB(&samples, width: w, height: h, channels: c, to: .hsv)
        LookupTable8.apply(&samples, channels: c, channel: 0, table: hueTable)
        LookupTable8.apply(&samples, channels: c, channel: 1, table: saturationTable)
        ColorConversion.toRGB(&samples, width: w, height: h, channels: c, from: .hsv)
        if bgr { ColorConversion.swapRedBlue(&samples, pixelCount: w * h, channels: c) }
        return Image(width: w, height: h, channels: c, bytes: samples)
    }
}
