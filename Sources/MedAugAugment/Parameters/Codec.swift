import MedAugCore

/// How one parameter's value is read from a pipeline file and written back:
/// the forms it accepts, the numbers it allows, and the two conversions.
///
/// Writing then reading gives the same value back (the registry test checks
/// this for every parameter of every augmenter).
public struct Codec<V>: Sendable {
    /// The accepted forms, in words (`a number, a range [a, b] or {choice: [...]}`).
    public let forms: String
    /// The numbers allowed, when the value holds numbers.
    public let limits: NumberLimits?
    /// What is allowed, in words: the limits' text or the allowed names.
    public let allowed: String
    /// Values this codec accepts / refuses whatever the rest of the entry
    /// says; the registry test reads each one.
    let accepted: [ConfigValue]
    let refused: [ConfigValue]
    let decode: @Sendable (ConfigValue, ParameterContext) throws -> V
    let encode: @Sendable (V) -> ConfigValue

    /// A codec from its two conversions; `accepted` and `refused` are sample
    /// values the registry test reads (and expects to be refused).
    public init(forms: String, limits: NumberLimits? = nil, allowed: String? = nil,
                accepted: [ConfigValue] = [], refused: [ConfigValue] = [],
                decode: @escaping @Sendable (ConfigValue, ParameterContext) throws -> V,
                encode: @escaping @Sendable (V) -> ConfigValue) {
        self.forms = forms
        self.limits = limits
        self.allowed = allowed ?? limits?.text ?? ""
        self.accepted = accepted
        self.refused = refused
        self.decode = decode
        self.encode = encode
    }

    /// The same value seen through another type (a case of an enum, an optional).
    public func map<W>(_ to: @escaping @Sendable (V) -> W, _ from: @escaping @Sendable (W) -> V?) -> Codec<W> {
        let decode = self.decode, encode = self.encode
        return Codec<W>(forms: forms, limits: limits, allowed: allowed, accepted: accepted, refused: refused,
                        decode: { v, c in to(try decode(v, c)) },
                        encode: { w in from(w).map(encode) ?? .null })
    }

    /// An optional of this value: written as null when nil.
    public var optional: Codec<V?> { map({ $0 }, { $0 }) }
}

// MARK: numbers

extension Codec {
    /// Values every number-holding codec refuses: NaN, ±infinity, past the bounds, wrong kinds.
    static func refusedNumbers(_ limits: NumberLimits, forms: [ConfigValue] = []) -> [ConfigValue] {
        limits.refusedNumbers.map { ConfigValue.double($0) } + [.string("abc"), .list([.int(1), .int(2), .int(3)])] + forms
    }

    /// A bare infinity or NaN (`.inf`, `.nan`) refused against `limits`, so
    /// that the message says it is not finite and what is allowed, rather
    /// than "expected an integer" or "allowed: any finite number".
    static func refuseNonFinite(_ v: ConfigValue, _ c: ParameterContext, _ limits: NumberLimits) throws {
        if let x = v.number, !x.isFinite { _ = try c.number(x, limits) }
    }

    /// Accepted numbers in imgaug's three forms.
    static func acceptedParams(_ limits: NumberLimits) -> [ConfigValue] {
        let ok = limits.allowedNumbers
        var out = ok.map(Param.number)
        if let a = ok.first, let b = ok.last, a != b {
            out.append(.list([Param.number(a), Param.number(b)]))
            out.append(.map([("choice", .list(ok.map(Param.number)))]))
        }
        return out
    }
}

extension Codec where V == Continuous {
    /// imgaug's continuous handler: a number, a uniform range [a, b), or a choice.
    public static func continuous(_ limits: NumberLimits) -> Codec {
        Codec(forms: ParameterContext.numberForms, limits: limits,
              accepted: acceptedParams(limits), refused: refusedNumbers(limits),
              decode: { v, c in Continuous(try c.param(v, limits)) }, encode: { $0.param.config })
    }
}

extension Codec where V == Discrete {
    /// imgaug's discrete handler: numbers truncate to integers, [a, b] is an
    /// inclusive integer range. Both bounds are required, so that every
    /// value converts to `Int`.
    public static func discrete(_ limits: NumberLimits) -> Codec {
        precondition(limits.boundsFitInt, "a discrete parameter needs both bounds")
        return Codec(forms: ParameterContext.numberForms, limits: limits,
                     accepted: acceptedParams(limits), refused: refusedNumbers(limits),
                     decode: { v, c in Discrete(try c.param(v, limits)) }, encode: { $0.param.config })
    }
}

// MARK: probabilities

extension Codec where V == Probability {
    /// imgaug's probability handler: true/false or p in [0, 1]; with `ranges`
    /// also [a, b] and {choice: [...]} (p drawn per image).
    /// `perChannel`: written as true/false when certain (imgaug's per_channel).
    public static func probability(ranges: Bool, perChannel: Bool = false) -> Codec {
        let limits = NumberLimits(min: 0, max: 1)
        let forms = ranges ? "true/false, a probability, a range [a, b] or {choice: [...]}" : "true/false or a probability"
        var refused = refusedNumbers(limits)
        if !ranges { refused.append(.list([.double(0.2), .double(0.8)])) }
        return Codec(forms: forms, limits: limits,
                     accepted: [.bool(true), .bool(false)] + (ranges ? acceptedParams(limits) : limits.allowedNumbers.map(Param.number)),
                     refused: refused,
                     decode: { v, c in
                         if case .bool(let b) = v { return .constant(b ? 1 : 0) }
                         try refuseNonFinite(v, c, limits)
                         let p = try c.param(v, .finite, forms: forms)
                         if !ranges, p != .constant(p.values[0]) {
                             throw c.error("expected a probability between 0 and 1 (or true/false), got \(v.described)")
                         }
                         try c.check(p, limits)
                         return Probability(p)
                     },
                     encode: { p in
                         guard perChannel else { return p.param.config }
                         switch p.param {
                         case .constant(0): return .bool(false)
                         case .constant(1): return .bool(true)
                         default: return p.param.config
                         }
                     })
    }
}

extension Codec where V == DropoutProbability {
    /// imgaug's dropout p: values in [0, 1], a range [a, b] with a < b.
    public static var dropoutProbability: Codec {
        let limits = NumberLimits(min: 0, max: 1)
        return Codec(forms: "a number, a range [a, b] with a < b or {choice: [...]}", limits: limits,
                     accepted: acceptedParams(limits),
                     refused: refusedNumbers(limits) + [.list([.double(0.1), .double(0.05)])],
                     decode: { v, c in
                         let p = try c.param(v, limits)
                         if case .range(let a, let b) = p, !(a < b) {
                             throw c.error("expected a < b in a range [a, b] (imgaug asserts it), got [\(ConfigValue.format(a)), \(ConfigValue.format(b))]")
                         }
                         return DropoutProbability(p)
                     },
                     encode: { $0.p.config })
    }
}

// MARK: plain values

extension Codec where V == Bool {
    /// `true` or `false`, nothing else (no 0/1, no yes/no).
    public static var bool: Codec {
        Codec(forms: "true or false", allowed: "true, false", accepted: [.bool(true), .bool(false)],
              refused: [.int(1), .string("yes please")],
              decode: { v, c in
                  guard case .bool(let b) = v else { throw c.error("expected true or false, got \(v.described)") }
                  return b
              },
              encode: { .bool($0) })
    }
}

extension Codec where V == Int {
    /// One whole number (written as an integer, not 3.0).
    public static func int(_ limits: NumberLimits) -> Codec {
        precondition(limits.boundsFitInt || (limits.max == nil && limits.min != nil))
        return Codec(forms: "an integer", limits: limits, accepted: limits.allowedNumbers.map(Param.number),
                     refused: limits.refusedNumbers.filter { $0.isFinite }.map { Param.number($0) } + [.double(2.5), .double(.nan), .string("abc")],
                     decode: { v, c in
                         try refuseNonFinite(v, c, limits)
                         guard case .int(let i) = v else { throw c.error("expected an integer, got \(v.described)") }
                         _ = try c.number(Double(i), limits)
                         return i
                     },
                     encode: { .int($0) })
    }

    /// One integer out of a few, each with its meaning (MotionBlur's order).
    public static func intChoice(_ values: [(Int, String)]) -> Codec {
        let allowed = values.map { "\($0.0) (\($0.1))" }.joined(separator: ", ")
        return Codec(forms: "an integer", allowed: allowed, accepted: values.map { .int($0.0) },
                     refused: [.int(2), .double(1.5), .string("linear")],
                     decode: { v, c in
                         if let x = v.number, !x.isFinite { throw c.error("\(NumberLimits.nonFinite(x)) is not a finite number; allowed: \(allowed)") }
                         guard case .int(let i) = v else { throw c.error("expected an integer, got \(v.described)") }
                         guard values.contains(where: { $0.0 == i }) else { throw c.error("\(i) is not supported; allowed: \(allowed)") }
                         return i
                     },
                     encode: { .int($0) })
    }
}

extension Codec where V == Int? {
    /// A whole number or null (imgaug's None).
    public static func optionalInt(_ limits: NumberLimits) -> Codec {
        Codec(forms: "an integer or null", limits: limits,
              accepted: [.null] + limits.allowedNumbers.map(Param.number),
              refused: limits.refusedNumbers.filter { $0.isFinite }.map { Param.number($0) } + [.double(12.5), .double(.infinity), .string("abc")],
              decode: { v, c in
                  if v == .null { return nil }
                  try refuseNonFinite(v, c, limits)
                  guard case .int(let i) = v else { throw c.error("expected an integer or null, got \(v.described)") }
                  _ = try c.number(Double(i), limits)
                  return i
              },
              encode: { $0.map { .int($0) } ?? .null })
    }
}

// MARK: names

/// How a choice among names is written back.
public enum NameListStyle: Sendable {
    /// `{choice: [a, b]}`, and `ALL` for every name in order (Affine's mode, CropAndPad's pad_mode).
    case choiceOrAll
    /// A plain list `[a, b]` (MultiplyAndAddToBrightness's to_colorspace).
    case list
}

extension Codec {
    /// A name, a list of names, `{choice: [...]}` or `ALL` (every name), each one of `all`.
    public static func names<T: Equatable & Sendable>(_ all: [T], _ name: @escaping @Sendable (T) -> String,
                                                      style: NameListStyle) -> Codec<Choice<T>> {
        let names = all.map(name)
        let list = names.joined(separator: ", ")
        @Sendable func one(_ x: ConfigValue, _ c: ParameterContext) throws -> T {
            guard case .string(let s) = x else { throw c.error("expected one of \(list), got \(x.described)") }
            guard let i = names.firstIndex(of: s) else { throw c.error("'\(s)' is not allowed; allowed: \(list)") }
            return all[i]
        }
        return Codec<Choice<T>>(
            forms: "a name, a list of names, {choice: [...]} or ALL", allowed: list,
            accepted: [.string(names[0]), .string("ALL"), .map([("choice", .list(names.prefix(2).map { .string($0) }))])],
            refused: [.string("no-such-name"), .int(3), .list([])],
            decode: { v, c in
                switch v {
                case .string("ALL"): return .choice(all)
                case .string: return .constant(try one(v, c))
                case .list(let l) where !l.isEmpty: return .choice(try l.map { try one($0, c) })
                case .map(let m) where m.count == 1 && m[0].0 == "choice":
                    guard case .list(let l) = m[0].1, !l.isEmpty else { throw c.error("choice needs a non-empty list, got \(v.flowText)") }
                    return .choice(try l.map { try one($0, c) })
                default:
                    throw c.error("expected one of \(list) or {choice: [...]}, got \(v.described)")
                }
            },
            encode: { choice in
                switch choice {
                case .constant(let t): return .string(name(t))
                case .choice(let l):
                    let written = l.map(name)
                    switch style {
                    case .list: return .list(written.map { .string($0) })
                    case .choiceOrAll:
                        return written == names ? .string("ALL") : .map([("choice", .list(written.map { .string($0) }))])
                    }
                }
            })
    }
}

extension Codec where V == String {
    /// Exactly one name of `names` (no choice).
    public static func name(_ names: [String], what: String = "name") -> Codec {
        let list = names.joined(separator: ", ")
        return Codec(forms: "one \(what)", allowed: list, accepted: names.map { .string($0) },
                     refused: [.string("no-such-name"), .int(3), .list([.string(names[0])])],
                     decode: { v, c in
                         switch v {
                         case .string(let s):
                             guard names.contains(s) else { throw c.error("'\(s)' is not allowed; allowed: \(list)") }
                             return s
                         case .list, .map:
                             throw c.error("expected one \(what) (\(list)), not a choice; got \(v.flowText)")
                         default:
                             throw c.error("expected one of \(list), got \(v.described)")
                         }
                     },
                     encode: { .string($0) })
    }
}

// MARK: nested augmenters

extension Codec where V == [any Augmenter] {
    /// A list of pipeline entries (`children`, `then`, `else`).
    public static var augmenters: Codec {
        Codec(forms: "a list of augmenters", allowed: "any registered augmenter",
              accepted: [.list([]), .list([.map([("Fliplr", .map([("p", .double(0.5))]))])])],
              refused: [.int(3), .string("Fliplr")],
              decode: { v, c in try c.augmenters(v) },
              encode: { .list($0.map(\.config)) })
    }
}

// MARK: per-axis

extension Codec where V == AxisParam {
    /// A continuous value for both axes (one draw) or `{x: ..., y: ...}` (one draw each; a missing side is `missing`).
    public static func perAxis(_ limits: NumberLimits, missing: Double) -> Codec {
        let one = Codec<Continuous>.continuous(limits)
        let ok = limits.allowedNumbers.map(Param.number)
        return Codec(forms: ParameterContext.numberForms(or: "{x: ..., y: ...}"), limits: limits,
                     accepted: one.accepted + [.map([("x", ok[0]), ("y", ok.last!)]), .map([("y", ok[0])])],
                     refused: one.refused + [.map([("x", ok[0]), ("z", ok[0])]), .map([("x", .double(.nan))])],
                     decode: { v, c in
                         if let (x, y) = try c.perAxis(v, missing: Continuous.constant(missing), { try one.decode($0, $1) }) {
                             return .perAxis(x: x, y: y)
                         }
                         return .shared(try one.decode(v, c))
                     },
                     encode: { $0.config })
    }
}
