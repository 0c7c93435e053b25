import MedAugCore

/// imgaug's dropout `p` (the chance of dropping), as `_handle_dropout_probability_param`
/// turns it into the keep probability of a Bernoulli mask:
/// a number p keeps with 1 - p, a range (a, b) keeps with Uniform(1 - b, 1 - a)
/// drawn once per image, a choice keeps with 1 - (a pick from the list).
public struct DropoutProbability: Equatable, Sendable {
    /// The argument as written: a drop probability, a range or a choice of them.
    public var p: Param

    /// Wraps an argument in any of its forms.
    public init(_ p: Param) { self.p = p }
    /// The same drop probability for every image.
    public static func constant(_ p: Double) -> DropoutProbability { DropoutProbability(.constant(p)) }
    /// A drop probability drawn per image, uniformly from `a...b`.
    public static func range(_ a: Double, _ b: Double) -> DropoutProbability { DropoutProbability(.range(a, b)) }

    /// The keep probability for one image.
    public func sampleKeep(_ rng: inout AugmentRandom) -> Double {
        switch p {
        case .constant(let v):
            return 1 - v
        case .range(let a, let b):
            let lo = 1 - b, hi = 1 - a
            // imgaug's Uniform yields float32
            return Double(Float(lo + (hi - lo) * rng.nextDouble()))
        case .choice(let l):
            return 1 - l[rng.nextInt(below: l.count)]
        }
    }
}
