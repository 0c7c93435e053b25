import MedAugCore

/// The numbers one parameter accepts. Every number must be finite (NaN and
/// ±infinity are refused for every numeric parameter); on top of that a
/// parameter may declare bounds, whole numbers and odd numbers.
///
/// Parameters whose values become integers (`Discrete`) always declare both
/// bounds, so that no conversion to `Int` can trap.
public struct NumberLimits: Sendable, Equatable {
    /// The smallest value allowed (see `minExclusive`); nil: no lower bound.
    public var min: Double?
    /// The largest value allowed; nil: no upper bound.
    public var max: Double?
    /// `min` itself is refused (CropAndPad's percent must be > -1).
    public var minExclusive: Bool
    /// Only whole numbers (imgaug's `allow_floats=False`).
    public var integer: Bool
    /// Only odd numbers (MedianBlur's kernel).
    public var odd: Bool
    /// Why the maximum is there, for the listing and the error message.
    public var reason: String?

    /// Limits with the given bounds and rules; finiteness always applies.
    public init(min: Double? = nil, max: Double? = nil, minExclusive: Bool = false,
                integer: Bool = false, odd: Bool = false, reason: String? = nil) {
        self.min = min
        self.max = max
        self.minExclusive = minExclusive
        self.integer = integer
        self.odd = odd
        self.reason = reason
    }

    /// Finite numbers, nothing else.
    public static let finite = NumberLimits()

    /// Whether both bounds are there and lie within what `Int` holds.
    var boundsFitInt: Bool {
        guard let min, let max else { return false }
        return min >= -9.0e15 && max <= 9.0e15
    }

    /// What is allowed, in words: `0 to 1`, `1 to 255, odd integers`, `> -1 to 1`, `any finite number`.
    public var text: String {
        let f = ConfigValue.format
        var s: String
        switch (min, max) {
        case let (a?, b?): s = minExclusive ? "> \(f(a)) to \(f(b))" : "\(f(a)) to \(f(b))"
        case let (a?, nil): s = minExclusive ? "> \(f(a))" : ">= \(f(a))"
        case let (nil, b?): s = "<= \(f(b))"
        default: s = integer || odd ? "" : "any finite number"
        }
        if odd {
            s += s.isEmpty ? "odd integers" : ", odd integers"
        } else if integer {
            s += s.isEmpty ? "integers" : ", integers"
        }
        return s
    }

    /// What is wrong with `x`, or nil when it is allowed.
    func problem(_ x: Double) -> String? {
        let shown = ConfigValue.format(x)
        let allowed = "allowed: \(text)" + (reason.map { " (\($0))" } ?? "")
        if !x.isFinite { return "\(Self.nonFinite(x)) is not a finite number; \(allowed)" }
        if let min, minExclusive ? !(x > min) : !(x >= min) { return "value \(shown) is out of range; \(allowed)" }
        if let max, !(x <= max) { return "value \(shown) is out of range; \(allowed)" }
        if (integer || odd) && x != x.rounded() { return "value \(shown) must be an integer; \(allowed)" }
        if odd && x.truncatingRemainder(dividingBy: 2) == 0 { return "value \(shown) must be odd; \(allowed)" }
        return nil
    }

    /// Infinity or NaN as a YAML file spells it (`.inf`, `-.inf`, `.nan`), so
    /// that a message quotes what was written rather than Swift's "inf".
    static func nonFinite(_ x: Double) -> String {
        x.isNaN ? ".nan" : x < 0 ? "-.inf" : ".inf"
    }

    /// Numbers these limits refuse, for tests: NaN, ±infinity, one past each
    /// bound, a fraction where integers are required, an even number where odd ones are.
    var refusedNumbers: [Double] {
        var out: [Double] = [.nan, .infinity, -.infinity]
        if let min { out.append(minExclusive ? min : min - 1) }
        if let max { out.append(max + 1) }
        if let v = allowedNumbers.first {
            if integer || odd { out.append(v + 0.5 <= (max ?? .infinity) ? v + 0.5 : v - 0.5) }
            if odd { out.append(v + 1 <= (max ?? .infinity) ? v + 1 : v - 1) }
        }
        return out.filter { problem($0) != nil }
    }

    /// Numbers these limits accept, for tests: the lowest, one between and the highest.
    var allowedNumbers: [Double] {
        let lo = min.map { minExclusive ? $0 + 0.5 : $0 } ?? (max.map { $0 - 10 } ?? 0)
        let hi = max ?? lo + 10
        var out: [Double] = []
        for var v in [lo, (lo + hi) / 2, hi] {
            if integer || odd { v = v.rounded(.up) }
            if odd, v.truncatingRemainder(dividingBy: 2) == 0 { v = v + 1 <= hi ? v + 1 : v - 1 }
            if problem(v) == nil, !out.contains(v) { out.append(v) }
        }
        return out
    }
}
