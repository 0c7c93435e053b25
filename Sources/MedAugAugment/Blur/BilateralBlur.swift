import Foundation
import MedAugImage

/// Edge-preserving blur (`cv2.bilateralFilter`): neighbours within a disk of
/// radius d/2 are averaged with weights that fall with distance (sigma_space)
/// and with colour difference (sigma_color). d = 1 changes nothing.
///
/// imgaug accepts only 3-channel images; MedAug also takes gray, gray+alpha
/// and RGBA, with the colour difference summed over all channels as OpenCV
/// does for three. 8-bit only, as in OpenCV.
public struct BilateralBlur: Augmenter {
    public var d: Discrete
    public var sigmaColor: Continuous
    public var sigmaSpace: Continuous

    public init(d: Discrete = .range(1, 9), sigmaColor: Continuous = .range(10, 250),
                sigmaSpace: Continuous = .range(10, 250)) {
        self.d = d
        self.sigmaColor = sigmaColor
        self.sigmaSpace = sigmaSpace
    }

    public var name: String { "BilateralBlur" }

    public var arguments: [(String, ConfigValue)] {
        [("d", d.param.config), ("sigma_color", sigmaColor.param.config), ("sigma_space", sigmaSpace.param.config)]
    }

    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        guard image.bitDepth == 8 else {
            throw AugmentError(name, "needs an 8-bit image (OpenCV's bilateral filter has no 16-bit form); convert it first")
        }
        let diameter = d.sample(&context.rng)
        let sc = sigmaColor.sample(&context.rng)
        let ss = sigmaSpace.sample(&context.rng)
        context.record(name, [("d", String(diameter)), ("sigma_color", fmt(sc)), ("sigma_space", fmt(ss))])
        if diameter == 1 || image.width == 0 || image.height == 0 { return image }
        return try BilateralFilter.apply(image, diameter: diameter, sigmaColor: sc, sigmaSpace: ss)
    }
}

/// OpenCV's `bilateralFilter_8u` for any channel count, BORDER_REFLECT_101.
public enum BilateralFilter {
    /// - diameter: the window is the disk of radius diameter/2 (at least 1);
    ///   diameter <= 0 takes the radius from sigmaSpace as OpenCV does.
    public static func apply(_ image: Image, diameter: Int, sigmaColor: Double, sigmaSpace: Double) throws -> Image {
        guard case .u8(let src) = image.pixels else {
            throw AugmentError("BilateralBlur", "needs an 8-bit image")
        }
        let w = image.width, h = image.height, c = image.channels
        if w == 0 || h == 0 { return image }
        let sc = sigmaColor <= 0 ? 1 : sigmaColor
        let ss = sigmaSpace <= 0 ? 1 : sigmaSpace
        let colorCoeff = -0.5 / (sc * sc), spaceCoeff = -0.5 / (ss * ss)
        let radius = max(diameter <= 0 ? Int((ss * 1.5).rounded(.toNearestOrEven)) : diameter / 2, 1)

        let colorWeight = (0..<(256 * c)).map { Float(exp(Double($0 * $0) * colorCoeff)) }
        var spaceWeight: [Float] = [], offsets: [(dy: Int, dx: Int)] = []
        for i in -radius...radius {
            for j in -radius...radius {
                let r = (Double(i * i) + Double(j * j)).squareRoot()
                if r > Double(radius) { continue }
                spaceWeight.append(Float(exp(r * r * spaceCoeff)))
                offsets.append((i, j))
            }
        }

        // Reflected border on all sides, so the tap loops need no checks.
        let pw = w + 2 * radius, stride = pw * c
        let xs = (0..<pw).map { BorderMode.reflect.index($0 - radius, w)! }
        var padded = [UInt8](repeating: 0, count: (h + 2 * radius) * stride)
        src.withUnsafeBufferPointer { s in
            padded.withUnsafeMutableBufferPointer { p in
                for py in 0..<(h + 2 * radius) {
                    let srow = s.baseAddress! + BorderMode.reflect.index(py - radius, h)! * w * c
                    let prow = p.baseAddress! + py * stride
                    for px in 0..<pw { for ch in 0..<c { prow[px * c + ch] = srow[xs[px] * c + ch] } }
                }
            }
        }

        var out = [UInt8](repeating: 0, count: h * w * c)
        var sums = [Float](repeating: 0, count: w * c)
        var wsum = [Float](repeating: 0, count: w)
        padded.withUnsafeBufferPointer { pb in
        colorWeight.withUnsafeBufferPointer { cw in
        sums.withUnsafeMutableBufferPointer { sb in
        wsum.withUnsafeMutableBufferPointer { wb in
        out.withUnsafeMutableBufferPointer { ob in
            let cw = cw.baseAddress!, sum = sb.baseAddress!, ws = wb.baseAddress!
            for y in 0..<h {
                for i in 0..<(w * c) { sum[i] = 0 }
                for x in 0..<w { ws[x] = 0 }
                let centre = pb.baseAddress! + (y + radius) * stride + radius * c
                // Taps outermost, pixels inside, as OpenCV orders its sums.
                for (t, off) in offsets.enumerated() {
                    let sw = spaceWeight[t]
                    let q = centre + off.dy * stride + off.dx * c
                    switch c {
                    case 1:
                        for x in 0..<w {
                            let v = q[x], v0 = centre[x]
                            let diff = v > v0 ? v - v0 : v0 - v
                            let wt = sw * cw[Int(diff)]
                            sum[x] = fused(Float(v), wt, sum[x])
                            ws[x] += wt
                        }
                    case 3:
                        for x in 0..<w {
                            let a = q + 3 * x, b = centre + 3 * x
                            let d0 = Int(a[0] > b[0] ? a[0] - b[0] : b[0] - a[0])
                            let d1 = Int(a[1] > b[1] ? a[1] - b[1] : b[1] - a[1])
                            let d2 = Int(a[2] > b[2] ? a[2] - b[2] : b[2] - a[2])
                            let wt = sw * cw[d0 + d1 + d2]
                            sum[3 * x] = fused(Float(a[0]), wt, sum[3 * x])
                            sum[3 * x + 1] = fused(Float(a[1]), wt, sum[3 * x + 1])
                            sum[3 * x + 2] = fused(Float(a[2]), wt, sum[3 * x + 2])
                            ws[x] += wt
                        }
                    default:
                        for x in 0..<w {
                            let a = q + c * x, b = centre + c * x
                            var delta = 0
                            for ch in 0..<c { delta += Int(a[ch] > b[ch] ? a[ch] - b[ch] : b[ch] - a[ch]) }
                            let wt = sw * cw[delta]
                            for ch in 0..<c { sum[c * x + ch] = fused(Float(a[ch]), wt, sum[c * x + ch]) }
                            ws[x] += wt
                        }
                    }
                }
                let o = ob.baseAddress! + y * w * c
                if c == 1 {
                    for x in 0..<w { o[x] = UInt8(clamping: Int((sum[x] / ws[x]).rounded(.toNearestOrEven))) }
                } else {
                    for x in 0..<w {
                        let inv = 1 / ws[x]
                        for ch in 0..<c {
                            o[c * x + ch] = UInt8(clamping: Int((sum[c * x + ch] * inv).rounded(.toNearestOrEven)))
                        }
                    }
                }
            }
        }
        }
        }
        }
        }
        return Image(width: w, height: h, channels: c, pixels: .u8(out))
    }
}
