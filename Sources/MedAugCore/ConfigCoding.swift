import Foundation
import Yams

/// Reading and writing ConfigValue as YAML or JSON.
public enum ConfigCoding {
    /// The two spellings of a config text.
    public enum Format: Sendable { case yaml, json }

    /// JSON for a `.json` file, YAML for any other.
    public static func format(forPath path: String) -> Format {
        path.lowercased().hasSuffix(".json") ? .json : .yaml
    }

    /// The most nodes (scalars, lists, mappings) a YAML text may stand for
    /// once its aliases are expanded. The largest shipped pipeline is a few
    /// hundred; the cap refuses "billion laughs" texts, whose few hundred
    /// bytes stand for billions of nodes, before anything is expanded.
    public static let maxNodes = 100_000

    /// The deepest nesting of lists and mappings a YAML or JSON text may
    /// have (a pipeline nests a dozen levels at most). Deeper texts are
    /// refused before the recursive readers could run out of stack.
    public static let maxDepth = 200

    /// The value a YAML or JSON text holds; errors are one-line `ConfigError`s
    /// naming `source`, the line and column, and for JSON the key path.
    public static func parse(_ text: String, format: Format, source: String) throws -> ConfigValue {
        switch format {
        case .yaml:
            try YAMLSizeGuard.check(text, source: source, maxNodes: maxNodes, maxDepth: maxDepth)
            let node: Node?
            do { node = try Yams.compose(yaml: text) } catch { throw yamlError(error, source: source) }
            guard let node else { return .null }
            return convert(node)
        case .json:
            var scanner = JSONOrderedScanner(Array(text.utf8), maxDepth: maxDepth)
            do { return try scanner.value() } catch let f as JSONOrderedScanner.Failure {
                let at = "line \(f.line), column \(f.column)"
                let path = f.path.isEmpty ? "" : ", key '\(ConfigError.excerpt(f.path, keepingEnd: true))'"
                throw ConfigError(source: source, location: at + path, message: f.message)
            }
        }
    }

    /// Yams' errors on one line: its descriptions quote the offending line
    /// of the text, which may be any length.
    private static func yamlError(_ error: Error, source: String) -> ConfigError {
        func at(_ mark: Mark) -> String { "line \(mark.line), column \(mark.column)" }
        switch error as? YamlError {
        case let .scanner(context, problem, mark, _)?, let .parser(context, problem, mark, _)?,
             let .composer(context, problem, mark, _)?:
            let why = context.map { " (\($0.text))" } ?? ""
            return ConfigError(source: source, location: at(mark), message: "not valid YAML: \(problem)\(why)")
        case let .duplicatedKeysInMapping(duplicates, context)?:
            let keys = duplicates.map { "'\(ConfigError.excerpt($0))'" }.joined(separator: ", ")
            return ConfigError(source: source, location: at(context.mark),
                               message: "\(keys) written twice in one mapping; each key may appear once")
        default:
            let first = "\(error)".split(separator: "\n").first.map(String.init) ?? ""
            return ConfigError(source: source, location: "", message: "not valid YAML: \(ConfigError.excerpt(first))")
        }
    }

    private static func convert(_ node: Node) -> ConfigValue {
        switch node {
        case .scalar(let s):
            if s.style == .plain {
                let t = s.string
                if t == "~" || t == "null" || t == "Null" || t == "NULL" || t.isEmpty { return .null }
                if ["true", "True", "TRUE"].contains(t) { return .bool(true) }
                if ["false", "False", "FALSE"].contains(t) { return .bool(false) }
                if let i = Int(t) { return .int(i) }
                if let d = Double(t) ?? yamlNonFinite(t) { return .double(d) }
            }
            return .string(s.string)
        case .sequence(let seq):
            return .list(seq.map { convert($0) })
        case .mapping(let m):
            return .map(m.map { (k, v) in (k.string ?? "\(k)", convert(v)) })
        case .alias:
            return .null
        }
    }

    /// YAML's spellings of infinity and NaN, which `Double.init(_:)` does not
    /// read: as numbers, a parameter can say the value is not finite instead
    /// of "got a string".
    private static func yamlNonFinite(_ t: String) -> Double? {
        switch t {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: return nil
        }
    }

    /// `value` written as YAML or JSON text that `parse` reads back.
    public static func render(_ value: ConfigValue, format: Format) -> String {
        switch format {
        case .json: return renderJSON(value, indent: 0) + "\n"
        case .yaml: return renderYAML(value)
        }
    }

    // MARK: JSON

    private static func renderJSON(_ v: ConfigValue, indent: Int) -> String {
        let pad = String(repeating: "  ", count: indent)
        let pad1 = String(repeating: "  ", count: indent + 1)
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        // Not JSON, but what Python's json module writes and the reader takes back.
        case .double(let d): return d.isFinite ? "\(d)" : d.isNaN ? "NaN" : d < 0 ? "-Infinity" : "Infinity"
        case .string(let s): return JSONText.quote(s)
        case .list(let l):
            if l.allSatisfy({ if case .list = $0 { return false }; if case .map = $0 { return false }; return true }) {
                return "[" + l.map { renderJSON($0, indent: 0) }.joined(separator: ", ") + "]"
            }
            return "[\n" + l.map { pad1 + renderJSON($0, indent: indent + 1) }.joined(separator: ",\n") + "\n\(pad)]"
        case .map(let m):
            if m.isEmpty { return "{}" }
            return "{\n" + m.map { pad1 + JSONText.quote($0.0) + ": " + renderJSON($0.1, indent: indent + 1) }
                .joined(separator: ",\n") + "\n\(pad)}"
        }
    }

    // MARK: YAML
    // Block style for lists of augmenters and for entries that hold them,
    // flow style for parameter values: the shape people write by hand.

    private static func renderYAML(_ v: ConfigValue) -> String {
        if case .list(let items) = v, isAugmenterList(v) { return entries(items, indent: 0) }
        if case .map(let pairs) = v { return blockMap(pairs, indent: 0) }
        return flow(v) + "\n"
    }

    private static func isAugmenterList(_ v: ConfigValue) -> Bool {
        guard case .list(let items) = v, !items.isEmpty else { return false }
        return items.allSatisfy { if case .map(let m) = $0, m.count == 1 { return true }; return false }
    }

    private static func entries(_ items: [ConfigValue], indent: Int) -> String {
        let pad = String(repeating: "  ", count: indent)
        var out = ""
        for item in items {
            guard case .map(let m) = item, let (name, params) = m.first else { continue }
            out += pad + "- " + yamlKey(name) + ":"
            if case .map(let ps) = params, ps.contains(where: { isAugmenterList($0.1) }) {
                out += "\n" + blockMap(ps, indent: indent + 2)
            } else if case .map(let ps) = params, ps.isEmpty {
                out += " {}\n"
            } else {
                out += " " + flow(params) + "\n"
            }
        }
        return out
    }

    private static func blockMap(_ pairs: [(String, ConfigValue)], indent: Int) -> String {
        let pad = String(repeating: "  ", count: indent)
        var out = ""
        for (k, val) in pairs {
            if isAugmenterList(val), case .list(let items) = val {
                out += pad + yamlKey(k) + ":\n" + entries(items, indent: indent + 1)
            } else {
                out += pad + yamlKey(k) + ": " + flow(val) + "\n"
            }
        }
        return out
    }

    private static func flow(_ v: ConfigValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        // YAML's spellings, which `parse` reads back as numbers ("inf" would not be).
        case .double(let d): return d.isFinite ? "\(d)" : d.isNaN ? ".nan" : d < 0 ? "-.inf" : ".inf"
        case .string(let s): return yamlScalar(s)
        case .list(let l): return "[" + l.map(flow).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.map { yamlKey($0.0) + ": " + flow($0.1) }.joined(separator: ", ") + "}"
        }
    }

    private static func yamlKey(_ s: String) -> String { yamlScalar(s) }

    private static func yamlScalar(_ s: String) -> String {
        let plainSafe = !s.isEmpty && s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "_-./".unicodeScalars.contains($0) }
        let reserved = ["null", "true", "false", "yes", "no", "on", "off", "~"].contains(s.lowercased())
        if plainSafe && !reserved && Double(s) == nil && Int(s) == nil { return s }
        return JSONText.quote(s)
    }
}
