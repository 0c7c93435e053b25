import Foundation
import MedAugCore
import MedAugImage

/// Edges in one direction: each of the 8 neighbours is weighted by how close
/// its direction is to the sampled one, `(1 − angle/180)^4`, the weights are
/// normalised and negated, the centre is 1 (so E sums to 0), and E is
/// blended with the identity by alpha.
public struct DirectedEdgeDetect: Augmenter {
    /// How much of the edge image is blended over the original, in 0...1,
    /// drawn per image (imgaug's `alpha`).
    public var alpha: Continuous
    /// 0 = up, 0.25 = right, clockwise; 1.0 is a full turn.
    public var direction: Continuous

    /// Creates the augmenter; the defaults are imgaug's `alpha=(0.0, 0.75)`,
    /// `direction=(0.0, 1.0)`.
    public init(alpha: Continuous = .range(0, 0.75), direction: Continuous = .range(0, 1)) {
        self.alpha = alpha
        self.direction = direction
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "DirectedEdgeDetect" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { DirectedEdgeDetect.table.arguments(self) }

    /// Draws alpha, then direction, and convolves every channel; throws
    /// ``AugmentError`` when a drawn alpha is outside 0...1.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        if image.width == 0 || image.height == 0 { return image }
        let a = alpha.sample(&context.rng)
        try ConvolveKernel.checkAlpha(a, name)
        let d = direction.sample(&context.rng)
        context.record(name, [("alpha", fmt(a)), ("direction", fmt(d))])
        return filter2D(image, DirectedEdgeDetect.kernel(alpha: a, direction: d))
    }

    /// The effect before blending (alpha = 1).
    public static func effect(direction: Double) -> [Float] {
        // Whole degrees, truncated toward zero, then Python's non-negative modulo.
        var deg = Int((direction * 360).rounded(.towardZero)) % 360
        if deg < 0 { deg += 360 }
        let rad = Double(deg) * .pi / 180
        let vx = cos(rad - 0.5 * .pi), vy = sin(rad - 0.5 * .pi)
        let vlen = (vx * vx + vy * vy).squareRoot()
        var e = [Float](repeating: 0, count: 9)
        for dx in -1...1 {
            for dy in -1...1 where (dx, dy) != (0, 0) {
                let clen = Double(dx * dx + dy * dy).squareRoot()
                let dot = (Double(dx) / clen) * (vx / vlen) + (Double(dy) / clen) * (vy / vlen)
                let angleDeg = acos(min(max(dot, -1), 1)) * 180 / .pi
                let similarity = pow(1 - angleDeg / 180, 4)
                e[(dy + 1) * 3 + dx + 1] = Float(similarity)
            }
        }
        // float32 throughout, as imgaug's matrix is float32
        var sum: Float = 0
        for v in e { sum += v }
        for i in 0..<9 { e[i] = e[i] / sum * -1 }
        e[4] = 1
        return e
    }

    /// The 3x3 kernel for one alpha and direction (in turns, 0 = up).
    public static func kernel(alpha: Double, direction: Double) -> Kernel2D {
        ConvolveKernel.blend(effect(direction: direction), alpha: alpha)
    }
}
