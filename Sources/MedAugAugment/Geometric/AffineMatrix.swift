import Foundation

/// A 2x3 affine map `x' = a·x + b·y + c`, `y' = d·x + e·y + f` (the top two
/// rows of a homogeneous 3x3 matrix with last row 0 0 1).
public struct AffineMatrix: Equatable, Sendable, CustomStringConvertible {
    /// The coefficients, row by row: `[[a, b, c], [d, e, f]]`.
    public var a, b, c, d, e, f: Double

    /// A matrix from its six coefficients in row order.
    public init(_ a: Double, _ b: Double, _ c: Double, _ d: Double, _ e: Double, _ f: Double) {
        self.a = a; self.b = b; self.c = c; self.d = d; self.e = e; self.f = f
    }

    /// The map that leaves every point where it is.
    public static let identity = AffineMatrix(1, 0, 0, 0, 1, 0)

    /// A shift by `tx` pixels right and `ty` pixels down.
    public static func translation(_ tx: Double, _ ty: Double) -> AffineMatrix { AffineMatrix(1, 0, tx, 0, 1, ty) }

    /// scikit-image (<= 0.20) AffineTransform(scale, rotation, shear, translation), angles in radians.
    public static func skimage(scaleX: Double = 1, scaleY: Double = 1, rotation r: Double = 0, shear s: Double = 0,
                               tx: Double = 0, ty: Double = 0) -> AffineMatrix {
        AffineMatrix(scaleX * cos(r), -scaleY * sin(r + s), tx,
                     scaleX * sin(r), scaleY * cos(r + s), ty)
    }

    /// This map followed by `next` (scikit-image's `self + next`: next.params @ self.params).
    /// numpy's 3x3 product goes through BLAS, whose kernels sum with fused
    /// multiply-adds in k order; doing the same keeps matrices bit-identical to
    /// imgaug's, so warps land on the same 1/32-pixel positions.
    public func then(_ next: AffineMatrix) -> AffineMatrix {
        let n = next
        @inline(__always) func dot(_ r0: Double, _ r1: Double, _ r2: Double, _ c0: Double, _ c1: Double, _ c2: Double) -> Double {
            (r0 * c0).addingProduct(r1, c1).addingProduct(r2, c2)
        }
        return AffineMatrix(dot(n.a, n.b, n.c, a, d, 0), dot(n.a, n.b, n.c, b, e, 0), dot(n.a, n.b, n.c, c, f, 1),
                            dot(n.d, n.e, n.f, a, d, 0), dot(n.d, n.e, n.f, b, e, 0), dot(n.d, n.e, n.f, c, f, 1))
    }

    /// The image of a point, summed as numpy's (BLAS) product does it.
    public func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        ((x * a).addingProduct(y, b).addingProduct(1, c), (x * d).addingProduct(y, e).addingProduct(1, f))
    }

    /// OpenCV's invertAffineTransform (a singular map inverts to all zeros, as there).
    public var inverted: AffineMatrix {
        var det = a * e - b * d
        det = det != 0 ? 1.0 / det : 0
        let a11 = e * det, a22 = a * det, a12 = -b * det, a21 = -d * det
        let b1 = -a11 * c - a12 * f
        let b2 = -a21 * c - a22 * f
        return AffineMatrix(a11, a12, b1, a21, a22, b2)
    }

    /// imgaug's identity test: the mean of |A − I| over the 3x3 matrix is at most 1e-4.
    public var isNearIdentity: Bool {
        let s = abs(a - 1) + abs(b) + abs(c) + abs(d) + abs(e - 1) + abs(f)
        return s / 9 <= 1e-4
    }

    /// The matrix as nested rows, `[[a, b, c], [d, e, f]]`.
    public var description: String { "[[\(a), \(b), \(c)], [\(d), \(e), \(f)]]" }
}

extension AffineMatrix {
    /// imgaug 0.4.0's Affine matrix for an image of `width` x `height` (forward map,
    /// input pixel -> output pixel), angles in degrees, translation in pixels.
    ///
    /// Built as imgaug builds it from scikit-image (<= 0.20) transforms: move the
    /// centre (W/2 − 0.5, H/2 − 0.5) to the origin, y-shear as an x-shear between
    /// rotations by ∓π/2 (π written 3.141592, as imgaug does), then scale/rotate/
    /// x-shear/translate, then move back.
    ///
    /// imgaug's sampled values are float32 (int32 for integer constants), and
    /// numpy keeps float32 through deg2rad and the rotation + shear sum unless
    /// one of the three angles is an integer (`anglesInFloat64`); that
    /// arithmetic is reproduced so the matrix is bit-identical to imgaug's.
    public static func imgaug(width: Int, height: Int, scaleX: Double, scaleY: Double,
                              translateX: Double, translateY: Double,
                              rotate: Double, shearX: Double, shearY: Double,
                              anglesInFloat64: Bool = false) -> AffineMatrix {
        let shiftX = Double(width) / 2.0 - 0.5
        let shiftY = Double(height) / 2.0 - 0.5
        let r, rPlusShx, shy: Double
        if anglesInFloat64 {
            let rad = Double.pi / 180
            r = rotate * rad
            rPlusShx = r + shearX * rad
            shy = shearY * rad
        } else {
            let rad = Float.pi / 180
            let rf = Float(rotate) * rad
            r = Double(rf)
            rPlusShx = Double(rf + Float(shearX) * rad)
            shy = Double(Float(shearY) * rad)
        }
        let sx = Double(Float(scaleX)), sy = Double(Float(scaleY))
        let halfPi = 3.141592 / 2
        let transforms = AffineMatrix(sx * cos(r), -sy * sin(rPlusShx), translateX,
                                      sx * sin(r), sy * cos(rPlusShx), translateY)
        return AffineMatrix.translation(-shiftX, -shiftY)
            .then(.skimage(rotation: -halfPi))
            .then(.skimage(shear: shy))
            .then(.skimage(rotation: halfPi))
            .then(transforms)
            .then(.translation(shiftX, shiftY))
    }

    /// imgaug's fit_output: the output size that holds all four transformed
    /// corners, and the map shifted so that they start at (0, 0).
    public func fittingOutput(width: Int, height: Int) -> (matrix: AffineMatrix, width: Int, height: Int) {
        guard width > 0, height > 0 else { return (self, width, height) }
        let corners = [(0.0, 0.0), (0.0, Double(height - 1)), (Double(width - 1), Double(height - 1)), (Double(width - 1), 0.0)]
            .map { apply($0.0, $0.1) }
        let minX = corners.map(\.x).min()!, maxX = corners.map(\.x).max()!
        let minY = corners.map(\.y).min()!, maxY = corners.map(\.y).max()!
        let outH = Int((maxY - minY + 1).rounded(.up))
        let outW = Int((maxX - minX + 1).rounded(.up))
        return (then(.translation(-minX, -minY)), outW, outH)
    }
}
