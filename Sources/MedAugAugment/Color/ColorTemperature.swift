import MedAugCore
import MedAugImage

/// imgaug's ChangeColorTemperature: every pixel's R, G and B are multiplied by
/// the white point of a colour temperature in Kelvin (1000...40000, drawn per
/// image), taken from imgaug's table in 100 K steps and interpolated linearly
/// between neighbours, all in float32; results are rounded half to even.
///
/// Beyond imgaug: grayscale images (1 channel, or gray+alpha) come back
/// unchanged (imgaug refuses them), and a 4th (alpha) channel is kept (imgaug
/// refuses RGBA). 16-bit images are converted to 8 bits first and come back
/// 8-bit (imgaug's conversion is 8-bit only).
public struct ChangeColorTemperature: Augmenter {
    /// The temperature in Kelvin, drawn per image (imgaug's `kelvin`).
    public var kelvin: Continuous
    /// "RGB" or "BGR".
    public var fromColorspace: String

    /// Creates the augmenter with imgaug's defaults: `kelvin=(1000, 11000)`,
    /// RGB input. Traps when `fromColorspace` is not "RGB" or "BGR".
    public init(kelvin: Continuous = .range(1000, 11000), fromColorspace: String = "RGB") {
        precondition(MultiplyAndAddToBrightness.fromColorspaces.contains(fromColorspace), "from_colorspace must be RGB or BGR")
        self.kelvin = kelvin
        self.fromColorspace = fromColorspace
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "ChangeColorTemperature" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { ChangeColorTemperature.table.arguments(self) }

    /// Draws the temperature and applies its multipliers.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let image = image.to8Bit()
        let k = kelvin.sample(&context.rng)
        context.record(name, [("kelvin", fmt(k))])
        guard image.channels >= 3 else { return image }
        return ColorTemperatureKernel.apply(image, kelvin: k, bgr: fromColorspace == "BGR")
    }
}

/// imgaug's `change_color_temperature` on 8-bit RGB(A) or BGR(A) images.
public enum ColorTemperatureKernel {
    /// The R, G, B multipliers (0...1) for `kelvin`, clipped to 1000...40000,
    /// as imgaug's `_KelvinToRGBTable` computes them in float32.
    public static func multipliers(kelvin: Double) -> (r: Float, g: Float, b: Float) {
        let k = min(max(Float(kelvin), 1000), 40000)
        let index = k / 100 - 10
        let lo = index.rounded(.down), hi = index.rounded(.up)
        let f = index - lo
        let i = Int(lo), j = Int(hi)
        func m(_ c: Int) -> Float {
            let a = Float(table[i * 3 + c]) / 255, b = Float(table[j * 3 + c]) / 255
            return a + f * (b - a)
        }
        return (m(0), m(1), m(2))
    }

    /// Multiplies R, G and B by the temperature's multipliers, rounding half
    /// to even; a 4th channel is kept. Images with fewer than 3 channels or
    /// 16-bit samples come back unchanged.
    public static func apply(_ image: Image, kelvin: Double, bgr: Bool = false) -> Image {
        guard image.channels >= 3, var s = image.bytes else { return image }
        let m = multipliers(kelvin: kelvin)
        let c = image.channels
        let (m0, m2) = bgr ? (m.b, m.r) : (m.r, m.b)
        let tables = [m0, m.g, m2].map { mul in
            (0..<256).map { v in UInt8(min(255, (Float(v) * mul).rounded(.toNearestOrEven))) }
        }
        for ch in 0..<3 { LookupTable8.apply(&s, channels: c, channel: ch, table: tables[ch]) }
        return Image(width: image.width, height: image.height, channels: c, bytes: s)
    }

    /// imgaug's table: R, G, B (0...255) for 1000 K to 40000 K in steps of 100 K.
    static let table: [UInt8] = [
        255, 56, 0, 255, 71, 0, 255, 83, 0, 255, 93, 0, 255, 101, 0, 255, 109, 0,
        255, 115, 0, 255, 121, 0, 255, 126, 0, 255, 131, 0, 255, 137, 18, 255, 142, 33,
        255, 147, 44, 255, 152, 54, 255, 157, 63, 255, 161, 72, 255, 165, 79, 255, 169, 87,
        255, 173, 94, 255, 177, 101, 255, 180, 107, 255, 184, 114, 255, 187, 120, 255, 190, 126,
        255, 193, 132, 255, 196, 137, 255, 199, 143, 255, 201, 148, 255, 204, 153, 255, 206, 159,
        255, 209, 163, 255, 211, 168, 255, 213, 173, 255, 215, 177, 255, 217, 182, 255, 219, 186,
        255, 221, 190, 255, 223, 194, 255, 225, 198, 255, 227, 202, 255, 228, 206, 255, 230, 210,
        255, 232, 213, 255, 233, 217, 255, 235, 220, 255, 236, 224, 255, 238, 227, 255, 239, 230,
        255, 240, 233, 255, 242, 236, 255, 243, 239, 255, 244, 242, 255, 245, 245, 255, 246, 248,
        255, 248, 251, 255, 249, 253, 254, 249, 255, 252, 247, 255, 249, 246, 255, 247, 245, 255,
        245, 243, 255, 243, 242, 255, 240, 241, 255, 239, 240, 255, 237, 239, 255, 235, 238, 255,
        233, 237, 255, 231, 236, 255, 230, 235, 255, 228, 234, 255, 227, 233, 255, 225, 232, 255,
        224, 231, 255, 222, 230, 255, 221, 230, 255, 220, 229, 255, 218, 228, 255, 217, 227, 255,
        216, 227, 255, 215, 226, 255, 214, 225, 255, 212, 225, 255, 211, 224, 255, 210, 223, 255,
        209, 223, 255, 208, 222, 255, 207, 221, 255, 207, 221, 255, 206, 220, 255, 205, 220, 255,
        204, 219, 255, 203, 219, 255, 202, 218, 255, 201, 218, 255, 201, 217, 255, 200, 217, 255,
        199, 216, 255, 199, 216, 255, 198, 216, 255, 197, 215, 255, 196, 215, 255, 196, 214, 255,
        195, 214, 255, 195, 214, 255, 194, 213, 255, 193, 213, 255, 193, 212, 255, 192, 212, 255,
        192, 212, 255, 191, 211, 255, 191, 211, 255, 190, 211, 255, 190, 210, 255, 189, 210, 255,
        189, 210, 255, 188, 210, 255, 188, 209, 255, 187, 209, 255, 187, 209, 255, 186, 208, 255,
        186, 208, 255, 185, 208, 255, 185, 208, 255, 185, 207, 255, 184, 207, 255, 184, 207, 255,
        183, 207, 255, 183, 206, 255, 183, 206, 255, 182, 206, 255, 182, 206, 255, 182, 205, 255,
        181, 205, 255, 181, 205, 255, 181, 205, 255, 180, 205, 255, 180, 204, 255, 180, 204, 255,
        179, 204, 255, 179, 204, 255, 179, 204, 255, 178, 203, 255, 178, 203, 255, 178, 203, 255,
        178, 203, 255, 177, 203, 255, 177, 202, 255, 177, 202, 255, 177, 202, 255, 176, 202, 255,
        176, 202, 255, 176, 202, 255, 175, 201, 255, 175, 201, 255, 175, 201, 255, 175, 201, 255,
        175, 201, 255, 174, 201, 255, 174, 201, 255, 174, 200, 255, 174, 200, 255, 173, 200, 255,
        173, 200, 255, 173, 200, 255, 173, 200, 255, 173, 200, 255, 172, 199, 255, 172, 199, 255,
        172, 199, 255, 172, 199, 255, 172, 199, 255, 171, 199, 255, 171, 199, 255, 171, 199, 255,
        171, 198, 255, 171, 198, 255, 170, 198, 255, 170, 198, 255, 170, 198, 255, 170, 198, 255,
        170, 198, 255, 170, 198, 255, 169, 198, 255, 169, 197, 255, 169, 197, 255, 169, 197, 255,
        169, 197, 255, 169, 197, 255, 169, 197, 255, 168, 197, 255, 168, 197, 255, 168, 197, 255,
        168, 197, 255, 168, 196, 255, 168, 196, 255, 168, 196, 255, 167, 196, 255, 167, 196, 255,
        167, 196, 255, 167, 196, 255, 167, 196, 255, 167, 196, 255, 167, 196, 255, 166, 196, 255,
        166, 195, 255, 166, 195, 255, 166, 195, 255, 166, 195, 255, 166, 195, 255, 166, 195, 255,
        166, 195, 255, 165, 195, 255, 165, 195, 255, 165, 195, 255, 165, 195, 255, 165, 195, 255,
        165, 195, 255, 165, 194, 255, 165, 194, 255, 165, 194, 255, 164, 194, 255, 164, 194, 255,
        164, 194, 255, 164, 194, 255, 164, 194, 255, 164, 194, 255, 164, 194, 255, 164, 194, 255,
        164, 194, 255, 164, 194, 255, 163, 194, 255, 163, 194, 255, 163, 193, 255, 163, 193, 255,
        163, 193, 255, 163, 193, 255, 163, 193, 255, 163, 193, 255, 163, 193, 255, 163, 193, 255,
        163, 193, 255, 162, 193, 255, 162, 193, 255, 162, 193, 255, 162, 193, 255, 162, 193, 255,
        162, 193, 255, 162, 193, 255, 162, 193, 255, 162, 192, 255, 162, 192, 255, 162, 192, 255,
        162, 192, 255, 162, 192, 255, 161, 192, 255, 161, 192, 255, 161, 192, 255, 161, 192, 255,
        161, 192, 255, 161, 192, 255, 161, 192, 255, 161, 192, 255, 161, 192, 255, 161, 192, 255,
        161, 192, 255, 161, 192, 255, 161, 192, 255, 161, 192, 255, 160, 192, 255, 160, 192, 255,
        160, 191, 255, 160, 191, 255, 160, 191, 255, 160, 191, 255, 160, 191, 255, 160, 191, 255,
        160, 191, 255, 160, 191, 255, 160, 191, 255, 160, 191, 255, 160, 191, 255, 160, 191, 255,
        160, 191, 255, 159, 191, 255, 159, 191, 255, 159, 191, 255, 159, 191, 255, 159, 191, 255,
        159, 191, 255, 159, 191, 255, 159, 191, 255, 159, 191, 255, 159, 191, 255, 159, 191, 255,
        159, 190, 255, 159, 190, 255, 159, 190, 255, 159, 190, 255, 159, 190, 255, 159, 190, 255,
        159, 190, 255, 158, 190, 255, 158, 190, 255, 158, 190, 255, 158, 190, 255, 158, 190, 255,
        158, 190, 255, 158, 190, 255, 158, 190, 255, 158, 190, 255, 158, 190, 255, 158, 190, 255,
        158, 190, 255, 158, 190, 255, 158, 190, 255, 158, 190, 255, 158, 190, 255, 158, 190, 255,
        158, 190, 255, 158, 190, 255, 158, 190, 255, 158, 190, 255, 157, 190, 255, 157, 190, 255,
        157, 189, 255, 157, 189, 255, 157, 189, 255, 157, 189, 255, 157, 189, 255, 157, 189, 255,
        157, 189, 255, 157, 189, 255, 157, 189, 255, 157, 189, 255, 157, 189, 255, 157, 189, 255,
        157, 189, 255, 157, 189, 255, 157, 189, 255, 157, 189, 255, 157, 189, 255, 157, 189, 255,
        157, 189, 255, 157, 189, 255, 157, 189, 255, 157, 189, 255, 156, 189, 255, 156, 189, 255,
        156, 189, 255, 156, 189, 255, 156, 189, 255, 156, 189, 255, 156, 189, 255, 156, 189, 255,
        156, 189, 255, 156, 189, 255, 156, 189, 255, 156, 189, 255, 156, 189, 255, 156, 189, 255,
        156, 189, 255, 156, 189, 255, 156, 188, 255, 156, 188, 255, 156, 188, 255, 156, 188, 255,
        156, 188, 255, 156, 188, 255, 156, 188, 255, 156, 188, 255, 156, 188, 255, 156, 188, 255,
        156, 188, 255, 156, 188, 255, 155, 188, 255, 155, 188, 255, 155, 188, 255, 155, 188, 255,
        155, 188, 255, 155, 188, 255, 155, 188, 255, 155, 188, 255, 155, 188, 255, 155, 188, 255,
        155, 188, 255, 155, 188, 255, 155, 188, 255, 155, 188, 255, 155, 188, 255, 155, 188, 255,
        155, 188, 255,
    ]
}
