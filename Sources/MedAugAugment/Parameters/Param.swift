import MedAugCore

/// A user's argument as imgaug takes it: a constant, a tuple `(a, b)` or a
/// list of choices. What a tuple *means* (continuous or integer range) is the
/// handler's business, as in imgaug, so the form is kept as written.
public enum Param: Equatable, Sendable {
    /// One number, `x`.
    case constant(Double)
    /// A tuple `(a, b)`: the handler decides whether it is continuous or integer.
    case range(Double, Double)
    /// A list of choices, one picked per sample.
    case choice([Double])

    /// Every number written: the constant, both ends of the range, or the choices.
    public var values: [Double] {
        switch self {
        case .constant(let v): return [v]
        case .range(let a, let b): return [a, b]
        case .choice(let l): return l
        }
    }

    /// As written in a pipeline file.
    public var config: ConfigValue {
        switch self {
        case .constant(let v): return Param.number(v)
        case .range(let a, let b): return .list([Param.number(a), Param.number(b)])
        case .choice(let l): return .map([("choice", .list(l.map(Param.number)))])
        }
    }

    static func number(_ v: Double) -> ConfigValue {
        if v == v.rounded(), abs(v) < 1e15 { return .int(Int(v)) }
        return .double(v)
    }
}

/// imgaug's continuous handler: a tuple is Uniform over [a, b).
public struct Continuous: Equatable, Sendable {
    /// The argument as written.
    public var param: Param
    /// The handler over an argument as written.
    public init(_ param: Param) { self.param = param }
    /// Always `v`.
    public static func constant(_ v: Double) -> Continuous { Continuous(.constant(v)) }
    /// Uniform over [a, b).
    public static func range(_ a: Double, _ b: Double) -> Continuous { Continuous(.range(a, b)) }

    /// One value from the image's stream (nothing drawn for a constant).
    public func sample(_ rng: inout AugmentRandom) -> Double {
        switch param {
        case .constant(let v): return v
        case .range(let a, let b):
            let lo = min(a, b), hi = max(a, b)
            return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble()
        case .choice(let l): return l[rng.nextInt(below: l.count)]
        }
    }

    /// True when every sample equals `v`; lets an augmenter skip its work.
    public func isConstant(_ v: Double) -> Bool { param == .constant(v) }
}

/// imgaug's discrete handler: values truncate to integers, a tuple is an inclusive integer range.
public struct Discrete: Equatable, Sendable {
    /// The argument as written (values are truncated when drawn).
    public var param: Param
    /// The handler over an argument as written.
    public init(_ param: Param) { self.param = param }
    /// Always `v`.
    public static func constant(_ v: Int) -> Discrete { Discrete(.constant(Double(v))) }
    /// Uniform over the integers a...b.
    public static func range(_ a: Int, _ b: Int) -> Discrete { Discrete(.range(Double(a), Double(b))) }

    /// One integer from the image's stream (nothing drawn for a constant).
    public func sample(_ rng: inout AugmentRandom) -> Int {
        switch param {
        case .constant(let v): return Int(v)
        case .range(let a, let b):
            let lo = min(Int(a), Int(b)), hi = max(Int(a), Int(b))
            return lo == hi ? lo : lo + rng.nextInt(below: hi - lo + 1)
        case .choice(let l): return Int(l[rng.nextInt(below: l.count)])
        }
    }
}

/// imgaug's probability handler. A number p is Binomial(p); with ranges
/// allowed, `(a, b)` draws p from Uniform(a, b) once per image and a list
/// draws it from the choices, then every Bernoulli draw for that image uses it.
public struct Probability: Equatable, Sendable {
    /// The argument as written.
    public var param: Param
    /// The handler over an argument as written.
    public init(_ param: Param) { self.param = param }
    /// A fixed p.
    public static func constant(_ p: Double) -> Probability { Probability(.constant(p)) }

    /// The per-image p.
    public func sampleP(_ rng: inout AugmentRandom) -> Double {
        switch param {
        case .constant(let p):
            // imgaug treats p within 1e-6 of 0 or 1 as certain.
            if abs(p) < 1e-6 { return 0 }
            if abs(p - 1) < 1e-6 { return 1 }
            return p
        case .range(let a, let b):
            let lo = min(a, b), hi = max(a, b)
            return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble()
        case .choice(let l): return l[rng.nextInt(below: l.count)]
        }
    }

    /// One Bernoulli draw with a freshly sampled p.
    public func sample(_ rng: inout AugmentRandom) -> Bool {
        let p = sampleP(&rng)
        if p <= 0 { return false }
        if p >= 1 { return true }
        return rng.nextDouble() < p
    }
}

/// A string argument: one name or a choice among names (`mode`, `pad_mode`, colour spaces).
public enum Choice<T: Equatable & Sendable>: Equatable, Sendable {
    /// Always this value.
    case constant(T)
    /// One of these, picked uniformly per sample.
    case choice([T])

    /// One value from the image's stream (nothing drawn for a constant).
    public func sample(_ rng: inout AugmentRandom) -> T {
        switch self {
        case .constant(let v): return v
        case .choice(let l): return l[rng.nextInt(below: l.count)]
        }
    }

    /// Every value it can take.
    public var all: [T] {
        switch self {
        case .constant(let v): return [v]
        case .choice(let l): return l
        }
    }
}

/// A parameter handler that draws one value per call from the image's stream.
public protocol Sampler: Equatable, Sendable {
    /// What one draw yields (a Double for continuous, an Int for discrete parameters).
    associatedtype Value
    /// The argument as written.
    var param: Param { get }
    /// One draw from the image's stream.
    func sample(_ rng: inout AugmentRandom) -> Value
}

extension Continuous: Sampler {}
extension Discrete: Sampler {}

/// imgaug's `{x: ..., y: ...}` form, or one parameter shared by both axes.
public enum PerAxis<P: Sampler>: Equatable, Sendable {
    /// One sample per image used for both axes.
    case shared(P)
    /// Independent samples per axis.
    case perAxis(x: P, y: P)

    /// One value per axis: one draw for `shared`, x then y for `perAxis`.
    public func sample(_ rng: inout AugmentRandom) -> (x: P.Value, y: P.Value) {
        switch self {
        case .shared(let p):
            let v = p.sample(&rng)
            return (v, v)
        case .perAxis(let x, let y):
            let vx = x.sample(&rng)
            let vy = y.sample(&rng)
            return (vx, vy)
        }
    }

    /// As written in a pipeline file: the shared value, or `{x: ..., y: ...}`.
    public var config: ConfigValue {
        switch self {
        case .shared(let p): return p.param.config
        case .perAxis(let x, let y): return .map([("x", x.param.config), ("y", y.param.config)])
        }
    }
}

/// Scale, translate_percent and shear: continuous per-axis values.
public typealias AxisParam = PerAxis<Continuous>
