import Foundation
import MedAugImage

/// One of imgaug 0.4.0's point-wise contrast curves (`adjust_contrast_*` in
/// imgaug's contrast.py) with fixed values, for one channel or a whole image.
///
/// 8-bit images go through imgaug's 256-entry table: the curve is evaluated in
/// float32 on `np.linspace(0, 1, 256)` (or on 0...255 for the linear curve),
/// clipped to 0...255 and truncated. 16-bit images follow imgaug's other path
/// (scikit-image's `adjust_gamma`, `adjust_sigmoid`, `adjust_log`, or numpy for
/// the linear curve): the curve in float64 on `v / 65535`, scaled back and
/// truncated (rounded half to even for the linear curve), clipped to
/// 0...65535 where imgaug's cast would wrap around.
public enum ContrastCurve: Equatable, Sendable {
    /// `255 * (v/255)^gamma`.
    case gamma(Float)
    /// `255 / (1 + exp(gain * (cutoff - v/255)))`.
    case sigmoid(gain: Float, cutoff: Float)
    /// `255 * gain * log2(1 + v/255)`.
    case log(gain: Float)
    /// `127 + alpha * (v - 127)` (the centre is 32767 for 16-bit images).
    case linear(alpha: Float)

    /// imgaug's uint8 input grid, `np.linspace(0, 1, 256, dtype=float32)`:
    /// `i * (1/255)` in float64, cast to float32, with the last entry exactly 1.
    static let unit: [Float] = (0..<256).map { $0 == 255 ? 1 : Float(Double($0) * (1.0 / 255.0)) }

    /// imgaug's `np.clip(table, 0, 255).astype(uint8)`: clipped, then truncated.
    @inline(__always)
    static func byte(_ v: Float) -> UInt8 {
        if !(v > 0) { return 0 }
        return v >= 255 ? 255 : UInt8(v)
    }

    /// The float64 result cast to uint16 by truncation, clipped first (imgaug's
    /// cast wraps values above 65535 around; see PARITY.md).
    @inline(__always)
    static func word(_ v: Double) -> UInt16 {
        if !(v > 0) { return 0 }
        return v >= 65535 ? 65535 : UInt16(v)
    }

    /// The 256-entry table imgaug builds for uint8 images (float32 arithmetic).
    public var table8: [UInt8] {
        let u = ContrastCurve.unit
        switch self {
        case .gamma(let g):
            return u.map { ContrastCurve.byte(powf($0, g) * 255) }
        case .sigmoid(let gain, let cutoff):
            return u.map { ContrastCurve.byte(255 / (1 + expf(gain * (cutoff - $0)))) }
        case .log(let gain):
            let scale = 255 * gain
            return u.map { ContrastCurve.byte(scale * log2f(1 + $0)) }
        case .linear(let alpha):
            return (0..<256).map { ContrastCurve.byte(127 + alpha * (Float($0) - 127)) }
        }
    }

    /// The curve for one 16-bit sample (float64 arithmetic, as scikit-image and numpy do it).
    @inline(__always)
    public func value16(_ x: UInt16) -> UInt16 {
        let scale = 65535.0
        switch self {
        case .gamma(let g):
            return ContrastCurve.word(Foundation.pow(Double(x) / scale, Double(g)) * scale)
        case .sigmoid(let gain, let cutoff):
            return ContrastCurve.word(1 / (1 + Foundation.exp(Double(gain) * (Double(cutoff) - Double(x) / scale))) * scale)
        case .log(let gain):
            return ContrastCurve.word(Foundation.log2(1 + Double(x) / scale) * scale * Double(gain))
        case .linear(let alpha):
            // imgaug: int(32767.5) + alpha * (v - 32767) in float64, rounded half to even, clipped.
            let v = (32767 + Double(alpha) * (Double(x) - 32767)).rounded(.toNearestOrEven)
            return ContrastCurve.word(v)
        }
    }

    /// The curve as a 65536-entry table for 16-bit samples.
    public var table16: [UInt16] { (0...65535).map { value16(UInt16($0)) } }
}

/// Applies contrast curves to an image: one curve for every channel, or one
/// per channel (imgaug's `per_channel`). Every channel is changed, alpha
/// included, as in imgaug.
public enum ContrastKernel {
    /// The image with `curves[c]` applied to channel c, or `curves[0]` to all.
    public static func apply(_ image: Image, curves: [ContrastCurve]) -> Image {
        precondition(curves.count == 1 || curves.count == image.channels, "one curve or one per channel")
        var out = image
        switch image.pixels {
        case .u8(let a):
            out.pixels = .u8(ByteKernels.apply(a, channels: image.channels, tables: curves.map(\.table8)))
        case .u16(var a):
            let c = curves.count
            let tables = curves.map(\.table16)
            a.withUnsafeMutableBufferPointer { p in
                for ch in 0..<c {
                    tables[ch].withUnsafeBufferPointer { t in
                        var i = ch
                        while i < p.count {
                            p[i] = t[Int(p[i])]
                            i += c
                        }
                    }
                }
            }
            out.pixels = .u16(a)
        }
        return out
    }

    /// imgaug's sampling for the contrast augmenters: per_channel is drawn
    /// first; then each parameter in turn draws one value, or one per channel
    /// when per_channel fired (as float32, like imgaug's samples).
    static func sample(_ perChannel: Probability, _ params: [Continuous], channels: Int,
                       _ rng: inout AugmentRandom) -> [[Float]] {
        let n = perChannel.sample(&rng) ? max(channels, 1) : 1
        return params.map { p in (0..<n).map { _ in Float(p.sample(&rng)) } }
    }
}
