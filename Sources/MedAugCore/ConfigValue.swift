/// A pipeline file's content, independent of YAML or JSON: what both formats
/// can say, with mapping keys kept in file order so a file round-trips.
public indirect enum ConfigValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([ConfigValue])
    case map([(String, ConfigValue)])

    public static func == (a: ConfigValue, b: ConfigValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.int(x), .double(y)), let (.double(y), .int(x)): return Double(x) == y
        case let (.string(x), .string(y)): return x == y
        case let (.list(x), .list(y)): return x == y
        case let (.map(x), .map(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// An integer or fractional value as a Double, nil for any other kind.
    public var number: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .double(let v): return v
        default: return nil
        }
    }

    /// The text of a string value, nil for any other kind.
    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// An integer value (written without a fraction), nil for any other kind.
    public var int: Int? {
        if case .int(let i) = self { return i }
        return nil
    }

    /// The value of `key` in a mapping, nil when absent or not a mapping.
    public subscript(key: String) -> ConfigValue? {
        guard case .map(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// How the value is described in an error message.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .list(let l): return "a list of \(l.count)"
        case .map: return "a mapping"
        }
    }

    /// Numbers as written: integers without a fraction, others shortest round-trip.
    public static func format(_ d: Double) -> String {
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return "\(d)"
    }
}
