import Foundation

/// Rotates a small single-channel 8-bit square (MotionBlur's kernel) the way
/// imgaug's `Affine(rotate=angle, order=order)` does for it: the skimage
/// matrix about ((k−1)/2, (k−1)/2), then `cv2.warpAffine` with a constant 0
/// border, in OpenCV's fixed point (coordinates to 1/1024, interpolation
/// weights to 1/32 per axis, 15-bit coefficients). Kept private to the Blur
/// family so MotionBlur does not depend on the Geometric family.
enum KernelRotation {
    /// cv2 interpolations imgaug's Affine uses for these orders.
    static let supportedOrders = [0, 1, 3]

    static func rotate(_ src: [UInt8], size k: Int, degrees: Double, order: Int) -> [UInt8] {
        precondition(supportedOrders.contains(order))
        let m = forwardMatrix(size: k, degrees: degrees)
        // imgaug skips the warp when the matrix is the identity within 1e-4.
        let identity: [Double] = [1, 0, 0, 0, 1, 0]
        if zip(m, identity).allSatisfy({ abs($0 - $1) < 1e-4 }) { return src }
        let inv = invert(m)
        switch order {
        case 0: return warpNearest(src, k, inv)
        case 1: return warpInterpolated(src, k, inv, taps: 2, table: bilinearTable)
        default: return warpInterpolated(src, k, inv, taps: 4, table: bicubicTable)
        }
    }

    /// imgaug's matrix: to the top-left, the y-shear pair of ±π/2 rotations
    /// (which cancel for zero shear), the rotation, back to the centre;
    /// skimage composes `a + b` as `b @ a`.
    static func forwardMatrix(size k: Int, degrees: Double) -> [Double] {
        let shift = Double(k) / 2 - 0.5
        func rotation(_ r: Double) -> [Double] { [cos(r), -sin(r), 0, sin(r), cos(r), 0, 0, 0, 1] }
        func translation(_ x: Double, _ y: Double) -> [Double] { [1, 0, x, 0, 1, y, 0, 0, 1] }
        func mul(_ a: [Double], _ b: [Double]) -> [Double] {
            var o = [Double](repeating: 0, count: 9)
            for i in 0..<3 { for j in 0..<3 { o[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j] } }
            return o
        }
        var m = translation(-shift, -shift)
        m = mul(rotation(-3.141592 / 2), m)
        m = mul(rotation(3.141592 / 2), m)
        m = mul(rotation(degrees * .pi / 180), m)
        m = mul(translation(shift, shift), m)
        return Array(m[0..<6])
    }

    /// warpAffine inverts the forward matrix exactly this way.
    static func invert(_ m: [Double]) -> [Double] {
        var d = m[0] * m[4] - m[1] * m[3]
        d = d != 0 ? 1 / d : 0
        let a11 = m[4] * d, a22 = m[0] * d
        let m1 = -m[1] * d, m3 = -m[3] * d
        let b1 = -a11 * m[2] - m1 * m[5]
        let b2 = -m3 * m[2] - a22 * m[5]
        return [a11, m1, b1, m3, a22, b2]
    }

    private static let abBits = 10, abScale = 1 << 10, interBits = 5, interTab = 1 << 5

    /// Source position of each destination pixel in 1/32 pixel units, as
    /// warpAffine computes it (the per-row and per-column parts are rounded
    /// separately, then summed).
    private static func coordinates(_ k: Int, _ m: [Double], roundDelta: Int, shift: Int) -> [(x: Int, y: Int)] {
        let scale = Double(abScale)
        let adelta = (0..<k).map { Int((m[0] * Double($0) * scale).rounded(.toNearestOrEven)) }
        let bdelta = (0..<k).map { Int((m[3] * Double($0) * scale).rounded(.toNearestOrEven)) }
        var out: [(Int, Int)] = []
        out.reserveCapacity(k * k)
        for y in 0..<k {
            let x0 = Int(((m[1] * Double(y) + m[2]) * scale).rounded(.toNearestOrEven)) + roundDelta
            let y0 = Int(((m[4] * Double(y) + m[5]) * scale).rounded(.toNearestOrEven)) + roundDelta
            for x in 0..<k { out.append(((x0 + adelta[x]) >> shift, (y0 + bdelta[x]) >> shift)) }
        }
        return out
    }

    private static func warpNearest(_ src: [UInt8], _ k: Int, _ m: [Double]) -> [UInt8] {
        let xy = coordinates(k, m, roundDelta: abScale / 2, shift: abBits)
        return xy.map { p in
            (0..<k).contains(p.x) && (0..<k).contains(p.y) ? src[p.y * k + p.x] : 0
        }
    }

    private static func warpInterpolated(_ src: [UInt8], _ k: Int, _ m: [Double], taps: Int, table: [[Int32]]) -> [UInt8] {
        let xy = coordinates(k, m, roundDelta: abScale / interTab / 2, shift: abBits - interBits)
        let before = taps / 2 - 1
        return xy.map { p in
            let sx = (p.x >> interBits) - before, sy = (p.y >> interBits) - before
            let w = table[(p.y & (interTab - 1)) * interTab + (p.x & (interTab - 1))]
            var sum: Int32 = 0
            for i in 0..<taps {
                let yy = sy + i
                guard yy >= 0 && yy < k else { continue }
                for j in 0..<taps {
                    let xx = sx + j
                    guard xx >= 0 && xx < k else { continue }
                    sum += Int32(src[yy * k + xx]) * w[i * taps + j]
                }
            }
            return UInt8(clamping: (sum + (1 << 14)) >> 15)
        }
    }

    /// OpenCV's 1-D interpolation coefficients at fraction x (float).
    private static func coefficients(_ x: Float, taps: Int) -> [Float] {
        if taps == 2 { return [1 - x, x] }
        let a: Float = -0.75
        let c0 = ((a * (x + 1) - 5 * a) * (x + 1) + 8 * a) * (x + 1) - 4 * a
        let c1 = ((a + 2) * x - (a + 3)) * x * x + 1
        let c2 = ((a + 2) * (1 - x) - (a + 3)) * (1 - x) * (1 - x) + 1
        return [c0, c1, c2, 1 - c0 - c1 - c2]
    }

    /// initInterTab2D: float products scaled by 2^15 and saturated to short,
    /// then the rounding error pushed onto one tap, searched for in the
    /// window OpenCV searches. For bilinear that window runs past the 2×2
    /// block into not-yet-filled (zero) entries, which is why the (0, 0)
    /// entry ends up as [32767, 0, 0, 1].
    private static func table(taps: Int) -> [[Int32]] {
        let n = taps * taps
        var flat = [Int32](repeating: 0, count: interTab * interTab * n + 3 * n)
        for i in 0..<interTab {
            let cy = coefficients(Float(i) / Float(interTab), taps: taps)
            for j in 0..<interTab {
                let cx = coefficients(Float(j) / Float(interTab), taps: taps)
                let base = (i * interTab + j) * n
                var isum: Int32 = 0
                for k1 in 0..<taps {
                    for k2 in 0..<taps {
                        let v = cy[k1] * cx[k2] * 32768
                        let s = Int32(min(max(v.rounded(.toNearestOrEven), -32768), 32767))
                        flat[base + k1 * taps + k2] = s
                        isum += s
                    }
                }
                if isum != 32768 {
                    let diff = isum - 32768
                    let half = taps / 2
                    var big = (half, half), small = (half, half)
                    for k1 in half..<(half + 2) {
                        for k2 in half..<(half + 2) {
                            let v = flat[base + k1 * taps + k2]
                            if v < flat[base + small.0 * taps + small.1] {
                                small = (k1, k2)
                            } else if v > flat[base + big.0 * taps + big.1] {
                                big = (k1, k2)
                            }
                        }
                    }
                    if diff < 0 {
                        flat[base + big.0 * taps + big.1] -= diff
                    } else {
                        flat[base + small.0 * taps + small.1] -= diff
                    }
                }
            }
        }
        return (0..<(interTab * interTab)).map { Array(flat[($0 * n)..<($0 * n + n)]) }
    }

    private static let bilinearTable = table(taps: 2)
    private static let bicubicTable = table(taps: 4)
}
