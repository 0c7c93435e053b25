import MedAugCore
import MedAugImage

/// Blurs along a line: a k×k kernel holding a line through the centre
/// (vertical at angle 0, turned clockwise by `angle` degrees) whose weights
/// fall off from one end to the other by `direction`, applied to every
/// channel with `filter2D`.
///
/// imgaug rotates the kernel with an Affine that draws from the global
/// random stream; MedAug draws k, angle and direction, in that order, from
/// the image's own stream only.
public struct MotionBlur: Augmenter {
    /// The kernel side in pixels, drawn per image; even sizes become k + 1.
    public var k: Discrete
    /// The line's angle in degrees, clockwise from vertical, drawn per image.
    public var angle: Continuous
    /// Where the weight sits along the line, in -1...1: 0 spreads it evenly,
    /// the ends put it all at one end, so the blur trails one way.
    public var direction: Continuous
    /// Interpolation used to rotate the kernel: 0 nearest, 1 bilinear, 3 bicubic.
    public var order: Int

    /// Creates the augmenter; the defaults are imgaug's `k=(3, 7)`,
    /// `angle=(0, 360)`, `direction=(-1.0, 1.0)`, `order=1`. Traps for an
    /// `order` other than 0, 1 or 3.
    public init(k: Discrete = .range(3, 7), angle: Continuous = .range(0, 360),
                direction: Continuous = .range(-1, 1), order: Int = 1) {
        precondition(KernelRotation.supportedOrders.contains(order), "MotionBlur order must be 0, 1 or 3")
        self.k = k
        self.angle = angle
        self.direction = direction
        self.order = order
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "MotionBlur" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { MotionBlur.table.arguments(self) }

    /// Draws k, angle and direction, builds the kernel and convolves every
    /// channel; empty images come back untouched. Throws for k below 1.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        // As in imgaug's Convolve, empty images are skipped before the kernel is drawn.
        if image.width == 0 || image.height == 0 { return image }
        let size = k.sample(&context.rng)
        let a = angle.sample(&context.rng)
        let d = direction.sample(&context.rng)
        context.record(name, [("k", String(size)), ("angle", fmt(a)), ("direction", fmt(d))])
        guard size >= 1 else { throw AugmentError(name, "kernel size must be positive, got \(size)") }
        return filter2D(image, MotionBlurKernel.make(size: size, angle: a, direction: d, order: order))
    }
}

/// imgaug's `_MotionBlurMatrixGenerator`, step by step.
public enum MotionBlurKernel {
    /// The normalised k×k motion kernel for one size, angle and direction.
    ///
    /// - size: k; an even k becomes k + 1.
    /// - angle: degrees, clockwise; 0 is a vertical line.
    /// - direction: −1...1; +1 puts all weight at the top end before rotation, 0 is uniform.
    /// - order: how the line is rotated: 0 nearest, 1 bilinear, 3 bicubic.
    public static func make(size: Int, angle: Double, direction: Double, order: Int = 1) -> Kernel2D {
        precondition(size >= 1, "kernel size must be positive")
        let k = size % 2 == 0 ? size + 1 : size
        let d = (min(max(direction, -1), 1) + 1) / 2
        // The centre column is linspace(d, 1 − d, k) in float64, stored as
        // float32, scaled by 255 in float32 and truncated to uint8 (0.5 → 127).
        var line = [UInt8](repeating: 0, count: k * k)
        let stop = 1 - d
        let step = k > 1 ? (stop - d) / Double(k - 1) : 0
        for i in 0..<k {
            let v = i == k - 1 && k > 1 ? stop : Double(i) * step + d
            line[i * k + k / 2] = UInt8(Float(v) * 255)
        }
        let rotated = KernelRotation.rotate(line, size: k, degrees: angle, order: order)
        var weights = rotated.map { Float($0) / 255 }
        let sum = pairwiseSum(weights[...])
        for i in weights.indices { weights[i] /= sum }
        return Kernel2D(width: k, height: k, weights: weights)
    }

    /// numpy's float32 `np.sum`: pairwise, with eight running sums per block
    /// of up to 128, so the normalised kernel matches imgaug's to the bit.
    static func pairwiseSum(_ a: ArraySlice<Float>) -> Float {
        let n = a.count, s = a.startIndex
        if n < 8 {
            var r: Float = 0
            for v in a { r += v }
            return r
        }
        if n <= 128 {
            var r = (0..<8).map { a[s + $0] }
            var i = 8
            while i < n - n % 8 {
                for j in 0..<8 { r[j] += a[s + i + j] }
                i += 8
            }
            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while i < n { res += a[s + i]; i += 1 }
            return res
        }
        var half = n / 2
        half -= half % 8
        return pairwiseSum(a[s..<(s + half)]) + pairwiseSum(a[(s + half)...])
    }
}
