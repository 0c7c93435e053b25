/// What imgaug's Convolve kernel generators share.
enum ConvolveKernel {
    /// `(1 − α)·I + α·E`, with I the 3×3 identity and E the effect, computed
    /// on float32 arrays as imgaug does.
    static func blend(_ effect: [Float], alpha: Double) -> Kernel2D {
        precondition(effect.count == 9)
        let keep = Float(1 - alpha), a = Float(alpha)
        var w = [Float](repeating: 0, count: 9)
        for i in 0..<9 {
            let identity: Float = i == 4 ? 1 : 0
            w[i] = keep * identity + a * effect[i]
        }
        return Kernel2D(width: 3, height: 3, weights: w)
    }

    /// imgaug asserts alpha in [0, 1] when it draws it.
    static func checkAlpha(_ alpha: Double, _ augmenter: String) throws {
        guard alpha >= 0 && alpha <= 1 else {
            throw AugmentError(augmenter, "alpha must be in [0, 1], got \(fmt(alpha))")
        }
    }
}
