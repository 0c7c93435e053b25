import MedAugCore

/// One pipeline entry's arguments while its augmenter's `ParameterTable`
/// reads them: the pairs as written, where they come from (for errors), and
/// which keys have been read.
public struct ArgumentReader {
    /// The augmenter the entry names.
    public let augmenter: String
    let source: String
    let location: String
    let pairs: [(String, ConfigValue)]
    let allowed: [String]

    init(augmenter: String, source: String, location: String, pairs: [(String, ConfigValue)], allowed: [String]) {
        self.augmenter = augmenter
        self.source = source
        self.location = location
        self.pairs = pairs
        self.allowed = allowed
    }

    /// The context errors about `key` are reported in.
    func context(_ key: String) -> ParameterContext {
        ParameterContext(source: source, location: location, augmenter: augmenter, key: key)
    }

    func error(_ key: String, _ message: String) -> PipelineError {
        context(key).error(message)
    }

    /// The value written for `key`, null included; nil when the key is absent.
    func raw(_ key: String) -> ConfigValue? { pairs.first { $0.0 == key }?.1 }

    /// The value of `key`, nil when absent or null.
    func value(_ key: String) -> ConfigValue? {
        precondition(allowed.contains(key), "\(augmenter) reads undeclared key \(key)")
        guard let v = raw(key), v != .null else { return nil }
        return v
    }

    /// Every key present must be one the augmenter declares.
    func finish() throws {
        for (k, _) in pairs where !allowed.contains(k) {
            throw error(k, "unknown parameter; \(augmenter) takes: \(allowed.joined(separator: ", "))")
        }
    }
}

/// One key of one pipeline entry while it is read: errors name the file, the
/// entry, the augmenter and the key (`scale.x` for a part of a value).
public struct ParameterContext: Sendable {
    let source: String
    let location: String
    /// The augmenter the entry names.
    public let augmenter: String
    /// The key, or `key.part` for a part of its value.
    public let key: String

    /// A `PipelineError` at this entry and key.
    public func error(_ message: String) -> PipelineError {
        PipelineError(source: source, location: "\(location) (\(augmenter)), key '\(key)'", message: message)
    }

    /// The same entry, a part of the value: `key.suffix`.
    public func sub(_ suffix: String) -> ParameterContext {
        ParameterContext(source: source, location: location, augmenter: augmenter, key: "\(key).\(suffix)")
    }

    /// The forms `param` reads.
    public static let numberForms = numberForms(or: nil)

    /// The forms `param` reads, and one more that a codec adds.
    public static func numberForms(or extra: String?) -> String {
        "a number, a range [a, b]" + (extra.map { ", {choice: [...]} or \($0)" } ?? " or {choice: [...]}")
    }

    /// One number, finite and within `limits`.
    public func number(_ x: Double, _ limits: NumberLimits) throws -> Double {
        if let problem = limits.problem(x) { throw error(problem) }
        return x
    }

    /// imgaug's three argument forms (a number, `[a, b]`, `{choice: [...]}`;
    /// true/false count as 1/0), every value checked against `limits`.
    public func param(_ v: ConfigValue, _ limits: NumberLimits, forms: String = numberForms) throws -> Param {
        let p: Param
        switch v {
        case .int, .double: p = .constant(v.number!)
        case .list(let l):
            guard l.count == 2, let a = l[0].number, let b = l[1].number else {
                throw error("expected \(forms) (a range is two numbers), got \(v.described)")
            }
            p = .range(a, b)
        case .map(let m):
            guard m.count == 1, m[0].0 == "choice", case .list(let items) = m[0].1, !items.isEmpty else {
                throw error("expected \(forms), got a mapping with keys \(ConfigError.excerpt(m.map(\.0).description)): \(ConfigError.excerpt(v.flowText))")
            }
            let nums = items.compactMap(\.number)
            guard nums.count == items.count else { throw error("expected numbers in {choice: [...]}, got \(ConfigError.excerpt(v.flowText))") }
            p = .choice(nums)
        case .bool(let b): p = .constant(b ? 1 : 0)
        default:
            throw error("expected \(forms), got \(v.described)")
        }
        try check(p, limits)
        return p
    }

    /// Every value of `p` within `limits`.
    public func check(_ p: Param, _ limits: NumberLimits) throws {
        for x in p.values { _ = try number(x, limits) }
    }

    /// imgaug's per-axis form `{x: ..., y: ...}` (either may be left out and
    /// is then `missing`), each side read by `one` under `key.x` / `key.y`.
    /// nil when `v` is not that form.
    public func perAxis<P>(_ v: ConfigValue, missing: P,
                           _ one: (ConfigValue, ParameterContext) throws -> P) throws -> (x: P, y: P)? {
        guard case .map(let m) = v, m.contains(where: { $0.0 == "x" || $0.0 == "y" }) else { return nil }
        for (k, _) in m where k != "x" && k != "y" {
            throw error("expected only 'x' and 'y' in the per-axis form {x: ..., y: ...}, got '\(k)'")
        }
        let x = try m.first { $0.0 == "x" }.map { try one($0.1, sub("x")) } ?? missing
        let y = try m.first { $0.0 == "y" }.map { try one($0.1, sub("y")) } ?? missing
        return (x, y)
    }

    /// A nested list of augmenters (`children`, `then`, `else`).
    func augmenters(_ v: ConfigValue) throws -> [any Augmenter] {
        guard case .list(let items) = v else { throw error("expected a list of augmenters, got \(v.described)") }
        return try items.enumerated().map { i, item in
            try PipelineReader.entry(item, source: source, location: "\(location) > \(key)[\(i + 1)]")
        }
    }
}

extension ConfigValue {
    /// The kind and the value, for error messages: `a string ("often")`.
    var described: String {
        switch self {
        case .null: return "null"
        case .map: return "a mapping \(ConfigError.excerpt(flowText))"
        default: return "\(kindName) (\(ConfigError.excerpt(flowText)))"
        }
    }

    /// The value in YAML flow style, on one line (messages cut it with
    /// `ConfigError.excerpt`: a value can be a whole file long).
    var flowText: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return ConfigValue.format(d)
        case .string(let s): return "\"\(s)\""
        case .list(let l): return "[" + l.map(\.flowText).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.map { "\($0.0): \($0.1.flowText)" }.joined(separator: ", ") + "}"
        }
    }
}
