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

        // Each channel as its own plane with a reflected border on all sides,
        // as bytes (for colour distances) and as floats (for the sums), so
        // the per-tap passes below run over contiguous memory and vectorise;
        // only the colour-weight lookup is a gather.
        let pw = w + 2 * radius, ph = h + 2 * radius, planeSize = pw * ph
        let xs = (0..<pw).map { BorderMode.reflect.index($0 - radius, w)! }
        var bytes = [UInt8](repeating: 0, count: c * planeSize)
        src.withUnsafeBufferPointer { s in
            bytes.withUnsafeMutableBufferPointer { p in
                for py in 0..<ph {
                    let srow = s.baseAddress! + BorderMode.reflect.index(py - radius, h)! * w * c
                    for ch in 0..<c {
                        let prow = p.baseAddress! + ch * planeSize + py * pw
                        for px in 0..<pw { prow[px] = srow[xs[px] * c + ch] }
                    }
                }
            }
        }
        let floats = bytes.map { Float($0) }

        var out = [UInt8](repeating: 0, count: h * w * c)
        var sums = [Float](repeating: 0, count: c * w)
        var wsum = [Float](repeating: 0, count: w)
        var weight = [Float](repeating: 0, count: w)
        var delta = [Int32](repeating: 0, count: w)
        bytes.withUnsafeBufferPointer { bb in
        floats.withUnsafeBufferPointer { fb in
        colorWeight.withUnsafeBufferPointer { cwb in
        sums.withUnsafeMutableBufferPointer { sb in
        wsum.withUnsafeMutableBufferPointer { wsb in
        weight.withUnsafeMutableBufferPointer { wb in
        delta.withUnsafeMutableBufferPointer { db in
        out.withUnsafeMutableBufferPointer { ob in
            let cw = cwb.baseAddress!, ws = wsb.baseAddress!, wt = wb.baseAddress!, d = db.baseAddress!
            for y in 0..<h {
                for i in 0..<(c * w) { sb[i] = 0 }
                for x in 0..<w { ws[x] = 0 }
                let centreOffset = (y + radius) * pw + radius
                // Taps outermost, pixels inside, as OpenCV orders its sums.
                for (t, off) in offsets.enumerated() {
                    let tapOffset = centreOffset + off.dy * pw + off.dx
                    for x in 0..<w { d[x] = 0 }
                    for ch in 0..<c {
                        let q = bb.baseAddress! + ch * planeSize + tapOffset
                        let o = bb.baseAddress! + ch * planeSize + centreOffset
                        for x in 0..<w {
                            let a = q[x], b = o[x]
                            d[x] &+= Int32(a > b ? a &- b : b &- a)
                        }
                    }
                    let sw = spaceWeight[t]
                    for x in 0..<w { wt[x] = sw * cw[Int(d[x])] }
                    for x in 0..<w { ws[x] += wt[x] }
                    for ch in 0..<c {
                        let q = fb.baseAddress! + ch * planeSize + tapOffset
                        let acc = sb.baseAddress! + ch * w
                        for x in 0..<w { acc[x] += q[x] * wt[x] }
                    }
                }
                let o = ob.baseAddress! + y * w * c
                if c == 1 {
                    for x in 0..<w { o[x] = roundToByte(sb[x] / ws[x]) }
                } else {
                    for x in 0..<w { wt[x] = 1 / ws[x] }
                    for ch in 0..<c {
                        let acc = sb.baseAddress! + ch * w
                        for x in 0..<w { o[x * c + ch] = roundToByte(acc[x] * wt[x]) }
                    }
                }
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

/// cvRound to uchar for values already in [0, 255]: round half to even.
@inline(__always)
private func roundToByte(_ v: Float) -> UInt8 {
    UInt8(truncatingIfNeeded: (min(max(v, 0), 255) + 8_388_608).bitPattern)
}
