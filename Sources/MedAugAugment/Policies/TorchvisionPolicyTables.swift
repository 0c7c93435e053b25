import MedAugCore

/// The magnitude tables and sub-policies of torchvision 0.29's
/// TrivialAugmentWide and AutoAugment (`transforms/v2/_auto_augment.py`),
/// with torchvision's float32 values: torch.linspace's float32 arithmetic
/// and Posterize's rounded float32 quotients.
public enum TorchvisionPolicyTables {
    /// One operation's magnitudes: none (the operation takes no magnitude),
    /// or a table and whether a random sign applies.
    public struct Space: Sendable, Equatable {
        /// The magnitude of each bin as Double (torchvision's `float(tensor[i])`); nil for operations without one.
        public let magnitudes: [Double]?
        /// True when the drawn magnitude is negated with probability 1/2.
        public let signed: Bool
    }

    /// `torch.linspace(start, end, steps)` in float32: the first half counted
    /// up from `start`, the second half down from `end`, each value one fused
    /// multiply-add, as PyTorch's scalar CPU loop computes it. That loop
    /// serves tables under 32 values on AVX-512 machines (under 16 on AVX2),
    /// which covers both policies' defaults (31 and 10 bins) bit for bit;
    /// longer tables, which torch fills with vector code, can differ in the
    /// last bit of some values.
    public static func linspace(_ start: Double, _ end: Double, _ steps: Int) -> [Double] {
        guard steps > 1 else { return steps == 1 ? [Double(Float(start))] : [] }
        let s = Float(start), e = Float(end)
        let step = (e - s) / Float(steps - 1)
        let half = steps / 2
        return (0..<steps).map { i in
            Double(i < half ? s.addingProduct(step, Float(i)) : e.addingProduct(-step, Float(steps - i - 1)))
        }
    }

    /// `(8 - arange(n) / ((n - 1) / levels)).round().int()`: the Posterize bits of each bin.
    public static func posterizeBits(_ n: Int, levels: Double) -> [Double] {
        guard n > 1 else { return [8] }
        let divisor = Float(Double(n - 1) / levels)
        return (0..<n).map { Double((8 - Float($0) / divisor).rounded(.toNearestOrEven)) }
    }

    /// TrivialAugmentWide's `_AUGMENTATION_SPACE` for `bins` magnitude bins, in torchvision's order.
    public static func trivialAugmentWide(bins: Int) -> [(TorchvisionOp, Space)] {
        let wide = Space(magnitudes: linspace(0, 0.99, bins), signed: true)
        return [
            (.identity, Space(magnitudes: nil, signed: false)),
            (.shearX, wide), (.shearY, wide),
            (.translateX, Space(magnitudes: linspace(0, 32, bins), signed: true)),
            (.translateY, Space(magnitudes: linspace(0, 32, bins), signed: true)),
            (.rotate, Space(magnitudes: linspace(0, 135, bins), signed: true)),
            (.brightness, wide), (.color, wide), (.contrast, wide), (.sharpness, wide),
            (.posterize, Space(magnitudes: posterizeBits(bins, levels: 6), signed: false)),
            (.solarize, Space(magnitudes: linspace(1, 0, bins), signed: false)),
            (.autoContrast, Space(magnitudes: nil, signed: false)),
            (.equalize, Space(magnitudes: nil, signed: false)),
        ]
    }

    /// AutoAugment's `_AUGMENTATION_SPACE` with its 10 bins, for one operation
    /// and an image of the given size (the translations scale with it).
    public static func autoAugmentSpace(_ op: TorchvisionOp, width: Int, height: Int) -> Space {
        let bins = 10
        switch op {
        case .identity, .autoContrast, .equalize, .invert: return Space(magnitudes: nil, signed: false)
        case .shearX, .shearY: return Space(magnitudes: linspace(0, 0.3, bins), signed: true)
        case .translateX: return Space(magnitudes: linspace(0, 150.0 / 331.0 * Double(width), bins), signed: true)
        case .translateY: return Space(magnitudes: linspace(0, 150.0 / 331.0 * Double(height), bins), signed: true)
        case .rotate: return Space(magnitudes: linspace(0, 30, bins), signed: true)
        case .brightness, .color, .contrast, .sharpness: return Space(magnitudes: linspace(0, 0.9, bins), signed: true)
        case .posterize: return Space(magnitudes: posterizeBits(bins, levels: 4), signed: false)
        case .solarize: return Space(magnitudes: linspace(1, 0, bins), signed: false)
        }
    }

    /// One half of a sub-policy: the operation, the chance it runs, and its magnitude bin.
    public struct Step: Sendable, Equatable {
        /// The operation.
        public let op: TorchvisionOp
        /// The chance that it runs (`torch.rand(()) <= probability`).
        public let probability: Double
        /// The bin of its magnitude table; nil for operations without magnitudes.
        public let bin: Int?
    }

    /// AutoAugment's policies by torchvision's `AutoAugmentPolicy` value.
    public static let policyNames = ["imagenet", "cifar10", "svhn"]

    /// The 25 sub-policies of `policy` ("imagenet", "cifar10" or "svhn"), in torchvision's order.
    public static func subPolicies(_ policy: String) -> [[Step]] {
        let rows: [(String, Double, Int?, String, Double, Int?)]
        switch policy {
        case "cifar10": rows = cifar10
        case "svhn": rows = svhn
        default: rows = imagenet
        }
        return rows.map { r in
            [Step(op: TorchvisionOp(rawValue: r.0)!, probability: r.1, bin: r.2),
             Step(op: TorchvisionOp(rawValue: r.3)!, probability: r.4, bin: r.5)]
        }
    }

    static let imagenet: [(String, Double, Int?, String, Double, Int?)] = [
        ("Posterize", 0.4, 8, "Rotate", 0.6, 9), ("Solarize", 0.6, 5, "AutoContrast", 0.6, nil),
        ("Equalize", 0.8, nil, "Equalize", 0.6, nil), ("Posterize", 0.6, 7, "Posterize", 0.6, 6),
        ("Equalize", 0.4, nil, "Solarize", 0.2, 4), ("Equalize", 0.4, nil, "Rotate", 0.8, 8),
        ("Solarize", 0.6, 3, "Equalize", 0.6, nil), ("Posterize", 0.8, 5, "Equalize", 1.0, nil),
        ("Rotate", 0.2, 3, "Solarize", 0.6, 8), ("Equalize", 0.6, nil, "Posterize", 0.4, 6),
        ("Rotate", 0.8, 8, "Color", 0.4, 0), ("Rotate", 0.4, 9, "Equalize", 0.6, nil),
        ("Equalize", 0.0, nil, "Equalize", 0.8, nil), ("Invert", 0.6, nil, "Equalize", 1.0, nil),
        ("Color", 0.6, 4, "Contrast", 1.0, 8), ("Rotate", 0.8, 8, "Color", 1.0, 2),
        ("Color", 0.8, 8, "Solarize", 0.8, 7), ("Sharpness", 0.4, 7, "Invert", 0.6, nil),
        ("ShearX", 0.6, 5, "Equalize", 1.0, nil), ("Color", 0.4, 0, "Equalize", 0.6, nil),
        ("Equalize", 0.4, nil, "Solarize", 0.2, 4), ("Solarize", 0.6, 5, "AutoContrast", 0.6, nil),
        ("Invert", 0.6, nil, "Equalize", 1.0, nil), ("Color", 0.6, 4, "Contrast", 1.0, 8),
        ("Equalize", 0.8, nil, "Equalize", 0.6, nil),
    ]

    static let cifar10: [(String, Double, Int?, String, Double, Int?)] = [
        ("Invert", 0.1, nil, "Contrast", 0.2, 6), ("Rotate", 0.7, 2, "TranslateX", 0.3, 9),
        ("Sharpness", 0.8, 1, "Sharpness", 0.9, 3), ("ShearY", 0.5, 8, "TranslateY", 0.7, 9),
        ("AutoContrast", 0.5, nil, "Equalize", 0.9, nil), ("ShearY", 0.2, 7, "Posterize", 0.3, 7),
        ("Color", 0.4, 3, "Brightness", 0.6, 7), ("Sharpness", 0.3, 9, "Brightness", 0.7, 9),
        ("Equalize", 0.6, nil, "Equalize", 0.5, nil), ("Contrast", 0.6, 7, "Sharpness", 0.6, 5),
        ("Color", 0.7, 7, "TranslateX", 0.5, 8), ("Equalize", 0.3, nil, "AutoContrast", 0.4, nil),
        ("TranslateY", 0.4, 3, "Sharpness", 0.2, 6), ("Brightness", 0.9, 6, "Color", 0.2, 8),
        ("Solarize", 0.5, 2, "Invert", 0.0, nil), ("Equalize", 0.2, nil, "AutoContrast", 0.6, nil),
        ("Equalize", 0.2, nil, "Equalize", 0.6, nil), ("Color", 0.9, 9, "Equalize", 0.6, nil),
        ("AutoContrast", 0.8, nil, "Solarize", 0.2, 8), ("Brightness", 0.1, 3, "Color", 0.7, 0),
        ("Solarize", 0.4, 5, "AutoContrast", 0.9, nil), ("TranslateY", 0.9, 9, "TranslateY", 0.7, 9),
        ("AutoContrast", 0.9, nil, "Solarize", 0.8, 3), ("Equalize", 0.8, nil, "Invert", 0.1, nil),
        ("TranslateY", 0.7, 9, "AutoContrast", 0.9, nil),
    ]

    static let svhn: [(String, Double, Int?, String, Double, Int?)] = [
        ("ShearX", 0.9, 4, "Invert", 0.2, nil), ("ShearY", 0.9, 8, "Invert", 0.7, nil),
        ("Equalize", 0.6, nil, "Solarize", 0.6, 6), ("Invert", 0.9, nil, "Equalize", 0.6, nil),
        ("Equalize", 0.6, nil, "Rotate", 0.9, 3), ("ShearX", 0.9, 4, "AutoContrast", 0.8, nil),
        ("ShearY", 0.9, 8, "Invert", 0.4, nil), ("ShearY", 0.9, 5, "Solarize", 0.2, 6),
        ("Invert", 0.9, nil, "AutoContrast", 0.8, nil), ("Equalize", 0.6, nil, "Rotate", 0.9, 3),
        ("ShearX", 0.9, 4, "Solarize", 0.3, 3), ("ShearY", 0.8, 8, "Invert", 0.7, nil),
        ("Equalize", 0.9, nil, "TranslateY", 0.6, 6), ("Invert", 0.9, nil, "Equalize", 0.6, nil),
        ("Contrast", 0.3, 3, "Rotate", 0.8, 4), ("Invert", 0.8, nil, "TranslateY", 0.0, 2),
        ("ShearY", 0.7, 6, "Solarize", 0.4, 8), ("Invert", 0.6, nil, "Rotate", 0.8, 4),
        ("ShearY", 0.3, 7, "TranslateX", 0.9, 3), ("ShearX", 0.1, 6, "Invert", 0.6, nil),
        ("Solarize", 0.7, 2, "TranslateY", 0.6, 7), ("ShearY", 0.8, 4, "Invert", 0.8, nil),
        ("ShearX", 0.7, 9, "TranslateY", 0.8, 3), ("ShearY", 0.8, 5, "AutoContrast", 0.7, nil),
        ("ShearX", 0.7, 2, "Invert", 0.1, nil),
    ]
}
