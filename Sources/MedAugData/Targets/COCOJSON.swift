import Foundation
import MedAugCore

/// Field access and compact output for COCO's JSON, with errors that name
/// the file and the key path (`annotations[4].bbox`).
enum COCOJSON {
    /// The text of a JSON file as a value, keys in file order. COCO files
    /// run to hundreds of megabytes, so the limit is the image-file limit
    /// (`--max-file-bytes`), not the one for settings files.
    static func read(_ path: String) throws(TargetDataError) -> ConfigValue {
        let text: String
        do { text = try RegularFile.readText(path, maxBytes: RegularFile.maxBytes) } catch {
            throw TargetDataError(.badSyntax, path: path, reason: "cannot read the annotations: \(error.reason)")
        }
        do { return try ConfigCoding.parse(text, format: .json, source: path) } catch let e as ConfigError {
            throw TargetDataError(e)
        } catch {
            throw TargetDataError(.badSyntax, path: path, reason: "\(error)")
        }
    }

    /// A whole number (written `3` or `3.0`) at `key` of `object`.
    static func int(_ object: ConfigValue, _ key: String, at place: String, path: String) throws(TargetDataError) -> Int {
        guard let v = object[key] else { throw missing(key, at: place, path: path) }
        if let i = v.int { return i }
        if let d = v.number, d == d.rounded(), abs(d) < 1e15 { return Int(d) }
        throw TargetDataError(.badSyntax, path: path, reason: "\(place).\(key) must be a whole number, found \(describe(v))")
    }

    /// A finite number at `key` of `object`.
    static func number(_ v: ConfigValue, at place: String, path: String) throws(TargetDataError) -> Double {
        guard let d = v.number, d.isFinite else {
            throw TargetDataError(.badSyntax, path: path, reason: "\(place) must be a finite number, found \(describe(v))")
        }
        return d
    }

    /// A list of finite numbers at `key` of `object`; nil when the key is absent or null.
    static func numbers(_ object: ConfigValue, _ key: String, at place: String, path: String) throws(TargetDataError) -> [Double]? {
        guard let v = object[key], v != .null else { return nil }
        guard case .list(let l) = v else {
            throw TargetDataError(.badSyntax, path: path, reason: "\(place).\(key) must be a list of numbers, found \(describe(v))")
        }
        var out: [Double] = []
        out.reserveCapacity(l.count)
        for (i, x) in l.enumerated() { out.append(try number(x, at: "\(place).\(key)[\(i)]", path: path)) }
        return out
    }

    /// The list at `key` of the top-level object; nil when absent.
    static func list(_ top: ConfigValue, _ key: String, path: String) throws(TargetDataError) -> [ConfigValue]? {
        guard let v = top[key], v != .null else { return nil }
        guard case .list(let l) = v else {
            throw TargetDataError(.badSyntax, path: path, reason: "'\(key)' must be a list, found \(describe(v))")
        }
        return l
    }

    static func missing(_ key: String, at place: String, path: String) -> TargetDataError {
        TargetDataError(.badSyntax, path: path, reason: "\(place) has no '\(key)'")
    }

    /// A value as a message quotes it: short values in full, others by kind.
    static func describe(_ v: ConfigValue) -> String {
        switch v {
        case .string(let s): return "'\(ConfigError.excerpt(s))'"
        case .int, .double, .bool, .null: return compact(v)
        case .list, .map: return v.kindName
        }
    }

    /// `v` as JSON on one line: an output with one image or annotation a line
    /// stays readable and diffable at COCO's sizes.
    static func compact(_ v: ConfigValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return number(d)
        case .string(let s): return JSONText.quote(s)
        case .list(let l): return "[" + l.map(compact).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.map { JSONText.quote($0.0) + ": " + compact($0.1) }.joined(separator: ", ") + "}"
        }
    }

    /// A number as JSON: whole numbers without a fraction, others shortest
    /// round-trip; not-finite values (which JSON cannot hold) as null.
    static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        return ConfigValue.format(d)
    }
}

extension TargetDataError {
    /// A YAML or JSON syntax error, naming its file.
    init(_ e: ConfigError) {
        self.init(.badSyntax, path: e.source, reason: [e.location, e.message].filter { !$0.isEmpty }.joined(separator: ": "))
    }
}
