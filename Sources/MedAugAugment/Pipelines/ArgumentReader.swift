import MedAugCore

/// Reads one pipeline entry's arguments with imgaug's handlers, checking
/// types and ranges, and remembers which keys were used so that a misspelt
/// key is reported instead of silently ignored.
public struct ArgumentReader {
    public let augmenter: String
    let source: String
    let location: String
    let pairs: [(String, ConfigValue)]
    let allowed: [String]
    private(set) var used: Set<String> = []

    init(augmenter: String, source: String, location: String, pairs: [(String, ConfigValue)], allowed: [String]) {
        self.augmenter = augmenter
        self.source = source
        self.location = location
        self.pairs = pairs
        self.allowed = allowed
    }

    func error(_ key: String?, _ message: String) -> PipelineError {
        let where_ = "\(location) (\(augmenter))" + (key.map { ", key '\($0)'" } ?? "")
        return PipelineError(source: source, location: where_, message: message)
    }

    public func has(_ key: String) -> Bool { pairs.contains { $0.0 == key && $0.1 != .null } }

    mutating func value(_ key: String) -> ConfigValue? {
        precondition(allowed.contains(key), "\(augmenter) reads undeclared key \(key)")
        used.insert(key)
        guard let v = pairs.first(where: { $0.0 == key })?.1, v != .null else { return nil }
        return v
    }

    /// Every key present must be one the augmenter declares.
    func finish() throws {
        for (k, _) in pairs where !allowed.contains(k) {
            throw error(k, "unknown parameter; \(augmenter) takes: \(allowed.joined(separator: ", "))")
        }
    }

    // MARK: numbers

    private static let paramForms = "a number, a range [a, b] or {choice: [...]}"

    /// Parses imgaug's three argument forms.
    func param(_ key: String, _ v: ConfigValue) throws -> Param {
        switch v {
        case .int, .double: return .constant(v.number!)
        case .list(let l):
            guard l.count == 2, let a = l[0].number, let b = l[1].number else {
                throw error(key, "a range is a list of two numbers [a, b], got \(v.kindName)")
            }
            return .range(a, b)
        case .map(let m):
            guard m.count == 1, m[0].0 == "choice", case .list(let items) = m[0].1, !items.isEmpty else {
                throw error(key, "expected \(Self.paramForms), got a mapping with keys \(m.map(\.0))")
            }
            let nums = items.compactMap(\.number)
            guard nums.count == items.count else { throw error(key, "choices must all be numbers") }
            return .choice(nums)
        case .bool(let b): return .constant(b ? 1 : 0)
        default:
            throw error(key, "expected \(Self.paramForms), got \(v.kindName)")
        }
    }

    func check(_ key: String, _ p: Param, min: Double?, max: Double?, integer: Bool = false, odd: Bool = false) throws {
        for x in p.values {
            if let min, x < min { throw error(key, "value \(ConfigValue.format(x)) is out of range; allowed: \(rangeText(min, max))") }
            if let max, x > max { throw error(key, "value \(ConfigValue.format(x)) is out of range; allowed: \(rangeText(min, max))") }
            if odd, Int(x) % 2 == 0 { throw error(key, "value \(ConfigValue.format(x)) must be odd") }
            _ = integer
        }
    }

    private func rangeText(_ min: Double?, _ max: Double?) -> String {
        switch (min, max) {
        case let (a?, b?): return "\(ConfigValue.format(a)) to \(ConfigValue.format(b))"
        case let (a?, nil): return ">= \(ConfigValue.format(a))"
        case let (nil, b?): return "<= \(ConfigValue.format(b))"
        default: return "any number"
        }
    }

    public mutating func continuous(_ key: String, default d: Continuous, min: Double? = nil, max: Double? = nil) throws -> Continuous {
        guard let v = value(key) else { return d }
        let p = try param(key, v)
        try check(key, p, min: min, max: max)
        return Continuous(p)
    }

    public mutating func optionalContinuous(_ key: String, min: Double? = nil, max: Double? = nil) throws -> Continuous? {
        guard value(key) != nil else { return nil }
        return try continuous(key, default: .constant(0), min: min, max: max)
    }

    public mutating func discrete(_ key: String, default d: Discrete, min: Double? = nil, max: Double? = nil, odd: Bool = false) throws -> Discrete {
        guard let v = value(key) else { return d }
        let p = try param(key, v)
        try check(key, p, min: min, max: max, odd: odd)
        return Discrete(p)
    }

    public mutating func optionalDiscrete(_ key: String, min: Double? = nil, max: Double? = nil) throws -> Discrete? {
        guard value(key) != nil else { return nil }
        return try discrete(key, default: .constant(0), min: min, max: max)
    }

    /// imgaug's probability handler: `true`/`false`, p in [0, 1], and (when
    /// the augmenter allows it) a range or choice of p.
    public mutating func probability(_ key: String, default d: Probability, allowRanges: Bool = true) throws -> Probability {
        guard let v = value(key) else { return d }
        if case .bool(let b) = v { return .constant(b ? 1 : 0) }
        let p = try param(key, v)
        if !allowRanges, case .constant = p {} else if !allowRanges {
            throw error(key, "expected a probability between 0 and 1 (or true/false)")
        }
        try check(key, p, min: 0, max: 1)
        return Probability(p)
    }

    /// A per-axis parameter: `{x: ..., y: ...}` or one value for both.
    public mutating func axis(_ key: String, missing: Double, min: Double? = nil, max: Double? = nil) throws -> AxisParam? {
        guard let v = value(key) else { return nil }
        if case .map(let m) = v, m.contains(where: { $0.0 == "x" || $0.0 == "y" }) {
            for (k, _) in m where k != "x" && k != "y" {
                throw error(key, "per-axis form takes only 'x' and 'y', got '\(k)'")
            }
            var px = Param.constant(missing), py = Param.constant(missing)
            if let x = m.first(where: { $0.0 == "x" })?.1 { px = try param("\(key).x", x) }
            if let y = m.first(where: { $0.0 == "y" })?.1 { py = try param("\(key).y", y) }
            try check(key, px, min: min, max: max)
            try check(key, py, min: min, max: max)
            return .perAxis(x: Continuous(px), y: Continuous(py))
        }
        let p = try param(key, v)
        try check(key, p, min: min, max: max)
        return .shared(Continuous(p))
    }

    public mutating func bool(_ key: String, default d: Bool) throws -> Bool {
        guard let v = value(key) else { return d }
        guard case .bool(let b) = v else { throw error(key, "expected true or false, got \(v.kindName)") }
        return b
    }

    /// A plain integer, or nil when the file says null.
    public mutating func optionalInt(_ key: String, default d: Int?, min: Int? = nil) throws -> Int? {
        guard pairs.contains(where: { $0.0 == key }) else { _ = value(key); return d }
        guard let v = value(key) else { return nil }
        guard case .int(let i) = v else { throw error(key, "expected an integer or null, got \(v.kindName)") }
        if let min, i < min { throw error(key, "value \(i) is out of range; allowed: >= \(min)") }
        return i
    }

    public mutating func int(_ key: String, default d: Int, min: Int? = nil, max: Int? = nil) throws -> Int {
        guard let v = value(key) else { return d }
        guard case .int(let i) = v else { throw error(key, "expected an integer, got \(v.kindName)") }
        if let min, i < min { throw error(key, "value \(i) is out of range; allowed: >= \(min)") }
        if let max, i > max { throw error(key, "value \(i) is out of range; allowed: <= \(max)") }
        return i
    }

    /// A name or `{choice: [names]}` (or a plain list of names), each one of `allowed`; "ALL" means every allowed name.
    public mutating func names(_ key: String, default d: Choice<String>, allowed names: [String]) throws -> Choice<String> {
        guard let v = value(key) else { return d }
        func one(_ x: ConfigValue) throws -> String {
            guard case .string(let s) = x else { throw error(key, "expected one of \(names.joined(separator: ", ")), got \(x.kindName)") }
            guard names.contains(s) else { throw error(key, "'\(s)' is not allowed; allowed: \(names.joined(separator: ", "))") }
            return s
        }
        switch v {
        case .string("ALL"): return .choice(names)
        case .string: return .constant(try one(v))
        case .list(let l) where !l.isEmpty: return .choice(try l.map(one))
        case .map(let m) where m.count == 1 && m[0].0 == "choice":
            guard case .list(let l) = m[0].1, !l.isEmpty else { throw error(key, "choice needs a non-empty list") }
            return .choice(try l.map(one))
        default:
            throw error(key, "expected one of \(names.joined(separator: ", ")) or {choice: [...]}, got \(v.kindName)")
        }
    }

    /// Integer choices such as Affine's `order`.
    public mutating func intChoice(_ key: String, default d: Choice<Int>, allowed values: [Int]) throws -> Choice<Int> {
        guard let v = value(key) else { return d }
        func one(_ x: ConfigValue) throws -> Int {
            guard case .int(let i) = x else { throw error(key, "expected one of \(values.map(String.init).joined(separator: ", ")), got \(x.kindName)") }
            guard values.contains(i) else { throw error(key, "\(i) is not allowed; allowed: \(values.map(String.init).joined(separator: ", "))") }
            return i
        }
        switch v {
        case .int: return .constant(try one(v))
        case .string("ALL"): return .choice(values)
        case .list(let l) where !l.isEmpty: return .choice(try l.map(one))
        case .map(let m) where m.count == 1 && m[0].0 == "choice":
            guard case .list(let l) = m[0].1, !l.isEmpty else { throw error(key, "choice needs a non-empty list") }
            return .choice(try l.map(one))
        default:
            throw error(key, "expected one of \(values.map(String.init).joined(separator: ", ")), got \(v.kindName)")
        }
    }

    /// A nested list of augmenters (`children`, `then`, `else`).
    public mutating func augmenters(_ key: String) throws -> [any Augmenter] {
        guard let v = value(key) else { return [] }
        guard case .list(let items) = v else { throw error(key, "expected a list of augmenters, got \(v.kindName)") }
        return try items.enumerated().map { i, item in
            try PipelineReader.entry(item, source: source, location: "\(location) > \(key)[\(i + 1)]")
        }
    }
}
