import Foundation
import MedAugCore

/// MixUp and CutMix as torchvision.transforms.v2 defines them: each batch
/// is mixed with itself rolled by one (image i with image i - 1), with a
/// weight λ drawn from Beta(α, α), and the one-hot labels are mixed with
/// the same weight, so the loss is taken on soft targets. CutMix pastes a
/// box of the rolled batch instead and weights the labels by the area kept.
public enum BatchMixing {
    /// A pasted region in pixels: columns x1..<x2, rows y1..<y2.
    public struct Box: Equatable, Sendable {
        /// First column and row inside the box.
        public var x1: Int, y1: Int
        /// One past the last column and row.
        public var x2: Int, y2: Int
        /// A box of columns x1..<x2 and rows y1..<y2.
        public init(x1: Int, y1: Int, x2: Int, y2: Int) {
            self.x1 = x1
            self.y1 = y1
            self.x2 = x2
            self.y2 = y2
        }
    }

    /// Class indices as one-hot rows.
    public static func oneHot(_ labels: [Int], classes: Int) -> [[Double]] {
        labels.map { l in (0..<classes).map { $0 == l ? 1 : 0 } }
    }

    /// Row i becomes λ·row i + (1 - λ)·row i-1 (torch's `roll(1, 0)`), as v2 mixes labels.
    public static func mixLabels(_ targets: [[Double]], lambda: Double) -> [[Double]] {
        let n = targets.count
        return targets.indices.map { i in
            let other = targets[(i + n - 1) % n]
            return zip(targets[i], other).map { lambda * $0 + (1 - lambda) * $1 }
        }
    }

    /// MixUp of an NCHW batch in place: x_i = λ·x_i + (1 - λ)·x_{i-1}.
    public static func mixup(_ x: inout [Float], shape: [Int], lambda: Double) {
        let n = shape[0], per = x.count / max(n, 1)
        let original = x
        let l = Float(lambda), r = Float(1 - lambda)
        for i in 0..<n {
            let prev = (i + n - 1) % n
            for j in 0..<per { x[i * per + j] = original[prev * per + j] * r + original[i * per + j] * l }
        }
    }

    /// torchvision's CutMix box: centre (cx, cy), half-sides ⌊0.5·√(1-λ)·W⌋ and
    /// ⌊0.5·√(1-λ)·H⌋, clipped to the image.
    public static func cutmixBox(lambda: Double, centerX: Int, centerY: Int, width: Int, height: Int) -> Box {
        let r = 0.5 * (1 - lambda).squareRoot()
        let halfW = Int(r * Double(width)), halfH = Int(r * Double(height))
        return Box(x1: max(centerX - halfW, 0), y1: max(centerY - halfH, 0),
                   x2: min(centerX + halfW, width), y2: min(centerY + halfH, height))
    }

    /// CutMix of an NCHW batch in place: `box` of image i comes from image
    /// i - 1. Returns the label weight: the share of each image that stayed its own.
    @discardableResult
    public static func cutmix(_ x: inout [Float], shape: [Int], box: Box) -> Double {
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let original = x
        for i in 0..<n {
            let prev = (i + n - 1) % n
            for ch in 0..<c {
                for y in box.y1..<max(box.y1, box.y2) {
                    let row = ((i * c + ch) * h + y) * w, src = ((prev * c + ch) * h + y) * w
                    for xx in box.x1..<max(box.x1, box.x2) { x[row + xx] = original[src + xx] }
                }
            }
        }
        return 1 - Double((box.x2 - box.x1) * (box.y2 - box.y1)) / Double(w * h)
    }

    /// A Beta(α, α) draw from two Gamma(α) draws, taken in logarithms: for a
    /// small α both draws underflow to 0 in plain numbers, where Beta puts
    /// nearly all its mass next to 0 and 1.
    public static func beta(_ alpha: Double, _ rng: inout Xoshiro256) -> Double {
        let la = logGamma(alpha, &rng), lb = logGamma(alpha, &rng)
        return 1 / (1 + exp(lb - la))
    }

    /// log of a Gamma(k, 1) draw; k < 1 through k + 1 and U^(1/k) (log U / k).
    static func logGamma(_ k: Double, _ rng: inout Xoshiro256) -> Double {
        if k < 1 {
            let u = max(rng.nextDouble(), .leastNonzeroMagnitude)
            return log(gamma(k + 1, &rng)) + log(u) / k
        }
        return log(gamma(k, &rng))
    }

    /// Gamma(shape k >= 1, scale 1) by Marsaglia and Tsang.
    static func gamma(_ k: Double, _ rng: inout Xoshiro256) -> Double {
        let d = k - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat {
                x = rng.nextGaussian()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = rng.nextDouble()
            if u < 1 - 0.0331 * x * x * x * x || log(max(u, .leastNonzeroMagnitude)) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// What one batch got: which mix, its λ (label weight) and CutMix's box.
    public struct Draw: Equatable, Sendable {
        /// CutMix (true) or MixUp.
        public var cutmix: Bool
        /// The labels' weight on each image's own class: λ, or CutMix's area kept.
        public var lambda: Double
        /// CutMix's pasted box.
        public var box: Box?
    }

    /// Mixes one NCHW batch and its one-hot targets as `settings` say,
    /// drawing from `rng`: CutMix with the switch probability when both are on.
    public static func apply(_ settings: MixSettings, _ x: inout [Float], shape: [Int], targets: inout [[Double]],
                             rng: inout Xoshiro256) -> Draw? {
        let useCutMix: Bool
        switch (settings.mixup, settings.cutmix) {
        case (nil, nil): return nil
        case (_?, nil): useCutMix = false
        case (nil, _?): useCutMix = true
        case (_?, _?): useCutMix = rng.nextDouble() < settings.switchProbability
        }
        let lambda = beta(useCutMix ? settings.cutmix! : settings.mixup!, &rng)
        if useCutMix {
            let (h, w) = (shape[2], shape[3])
            let box = cutmixBox(lambda: lambda, centerX: rng.nextInt(below: w), centerY: rng.nextInt(below: h), width: w, height: h)
            let kept = cutmix(&x, shape: shape, box: box)
            targets = mixLabels(targets, lambda: kept)
            return Draw(cutmix: true, lambda: kept, box: box)
        }
        mixup(&x, shape: shape, lambda: lambda)
        targets = mixLabels(targets, lambda: lambda)
        return Draw(cutmix: false, lambda: lambda, box: nil)
    }
}

/// `--mixup ALPHA`, `--cutmix ALPHA` and the chance of CutMix when both are given.
public struct MixSettings: Codable, Equatable, Sendable {
    /// Beta(α, α) of MixUp's λ; nil: no MixUp.
    public var mixup: Double?
    /// Beta(α, α) of CutMix's λ; nil: no CutMix.
    public var cutmix: Double?
    /// With both: the chance that a batch gets CutMix rather than MixUp (torchvision's RandomChoice: 0.5).
    public var switchProbability: Double = 0.5

    /// No mixing unless an α is given.
    public init(mixup: Double? = nil, cutmix: Double? = nil, switchProbability: Double = 0.5) {
        self.mixup = mixup
        self.cutmix = cutmix
        self.switchProbability = switchProbability
    }

    /// Whether any batch is mixed.
    public var isOn: Bool { mixup != nil || cutmix != nil }
}
