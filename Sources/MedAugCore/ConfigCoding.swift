import Foundation
import Yams

/// Reading and writing ConfigValue as YAML or JSON.
public enum ConfigCoding {
    public enum Format: Sendable { case yaml, json }

    public static func format(forPath path: String) -> Format {
        path.lowercased().hasSuffix(".json") ? .json : .yaml
    }

    public static func parse(_ text: String, format: Format, source: String) throws -> ConfigValue {
        switch format {
        case .yaml:
            let node: Node?
            do { node = try Yams.compose(yaml: text) } catch {
                throw ConfigError(source: source, location: "", message: "not valid YAML: \(error)")
            }
            guard let node else { return .null }
            return convert(node)
        case .json:
            let obj: Any
            do {
                obj = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            } catch {
                throw ConfigError(source: source, location: "", message: "not valid JSON: \(error.localizedDescription)")
            }
            return try convertJSON(obj, text: text, source: source)
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
                if let d = Double(t) { return .double(d) }
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

    // JSONSerialization loses key order, so mappings are re-read in file order
    // with a small scanner over the same text.
    private static func convertJSON(_ obj: Any, text: String, source: String) throws -> ConfigValue {
        var scanner = JSONOrderedScanner(Array(text.utf8))
        do { return try scanner.value() } catch {
            throw ConfigError(source: source, location: "", message: "not valid JSON: \(error)")
        }
    }

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
        case .double(let d): return "\(d)"
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
        case .double(let d): return "\(d)"
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
