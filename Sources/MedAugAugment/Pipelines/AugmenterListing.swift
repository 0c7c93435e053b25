import MedAugCore

/// One parameter in `medaug augmenters`: derived from its `Parameter` entry.
public struct ParameterListing: Sendable {
    /// imgaug's argument name.
    public let key: String
    /// One line: what the parameter does.
    public let help: String
    /// The forms a file may write (`a number, a range [a, b] or {choice: [...]}`).
    public let forms: String
    /// The default, as a file would write it (null: none).
    public let defaultValue: ConfigValue
    /// What is allowed, in words (`1 to 255, odd integers`, or the names).
    public let allowed: String
    /// The numeric limits, when the value holds numbers.
    public let limits: NumberLimits?
    /// Values that read without error / are refused whatever else the entry says (for tests).
    let accepted: [ConfigValue]
    let refused: [ConfigValue]

    /// The parameter as JSON-ready values.
    public var config: ConfigValue {
        var m: [(String, ConfigValue)] = [("key", .string(key)), ("help", .string(help)), ("forms", .string(forms)),
                                          ("default", defaultValue), ("allowed", .string(allowed))]
        if let l = limits {
            m.append(("minimum", l.min.map(Param.number) ?? .null))
            m.append(("minimum_exclusive", .bool(l.minExclusive)))
            m.append(("maximum", l.max.map(Param.number) ?? .null))
            m.append(("integer", .bool(l.integer || l.odd)))
            m.append(("odd", .bool(l.odd)))
            m.append(("finite", .bool(true)))
            if let r = l.reason { m.append(("maximum_reason", .string(r))) }
        }
        return .map(m)
    }
}

/// One augmenter in `medaug augmenters`: its name, what it does, and every
/// parameter with forms, default and allowed values. Derived from its
/// `ParameterTable`, so the listing cannot drift from what files accept.
public struct AugmenterListing: Sendable {
    /// The name pipeline files use.
    public let name: String
    /// One line: what the augmenter does.
    public let summary: String
    /// In imgaug's argument order.
    public let parameters: [ParameterListing]
    /// Rules between parameters (`give either px or percent, not both`).
    public let rules: [String]
    /// Notes no single parameter carries (Affine's random defaults).
    public let notes: [String]
    /// What the augmenter does to masks, heatmaps, keypoints and boxes.
    public internal(set) var targets: TargetRule = .unchanged

    /// The augmenter as JSON-ready values.
    public var config: ConfigValue {
        .map([("name", .string(name)), ("summary", .string(summary)),
              ("parameters", .list(parameters.map(\.config))),
              ("rules", .list(rules.map { .string($0) })), ("notes", .list(notes.map { .string($0) })),
              ("targets", .string(targets.rawValue))])
    }

    /// The entry a file writes for the augmenter with its defaults.
    public var defaultEntry: String {
        let args = parameters.filter { $0.defaultValue != .null }.map { "\($0.key): \($0.defaultValue.displayText)" }
        return "- \(name): {\(args.joined(separator: ", "))}"
    }

    /// The augmenter in full: summary, then each parameter with its default,
    /// help, forms and allowed values, then rules and notes.
    public var text: String {
        var out = "\(name): \(summary)\n"
        let width = (parameters.map(\.key.count).max() ?? 0) + 2
        if parameters.isEmpty { out += "\n  (no parameters)\n" }
        for p in parameters {
            let pad = String(repeating: " ", count: width - p.key.count)
            let indent = String(repeating: " ", count: width + 2)
            out += "\n  \(p.key)\(pad)\(p.help)\n"
            out += "\(indent)default: \(p.defaultValue.displayText)\n"
            out += "\(indent)forms:   \(p.forms)\n"
            if !p.allowed.isEmpty {
                out += "\(indent)allowed: \(p.allowed)" + (p.limits?.reason.map { " (\($0))" } ?? "") + "\n"
            }
        }
        if !rules.isEmpty { out += "\nRules:\n" + rules.map { "  - \($0)\n" }.joined() }
        if !notes.isEmpty { out += "\nNotes:\n" + notes.map { "  - \($0)\n" }.joined() }
        out += "\nTargets (masks, heatmaps, keypoints, boxes): \(targets.explanation)\n"
        out += "\nWith its defaults, as a pipeline file writes it:\n  \(defaultEntry)\n"
        return out
    }

    /// Every augmenter, one paragraph each: name, summary, parameters with defaults.
    public static func overview(_ listings: [AugmenterListing]) -> String {
        let width = (listings.map(\.name.count).max() ?? 0) + 2
        let indent = String(repeating: " ", count: width + 2)
        var out = ""
        for l in listings {
            let mark = l.targets == .unchanged ? "" : " [targets \(l.targets.rawValue)]"
            out += "  \(l.name)" + String(repeating: " ", count: width - l.name.count) + l.summary + mark + "\n"
            let params = l.parameters.map { "\($0.key)=\($0.defaultValue.displayText)" }
            out += indent + (params.isEmpty ? "(no parameters)" : params.joined(separator: "  ")) + "\n"
        }
        return out
    }

    /// Every augmenter as a Markdown table (name, what it does, parameters
    /// with their defaults), as the README carries it; `|` in text is escaped
    /// so that a value such as a choice cannot break the table.
    public static func markdown(_ listings: [AugmenterListing]) -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = "| augmenter | what it does | parameters (defaults) | targets |\n|---|---|---|---|\n"
        for l in listings {
            let params = l.parameters.map { "`\($0.key)=\(cell($0.defaultValue.displayText))`" }
            out += "| \(l.name) | \(cell(l.summary)) | \(params.isEmpty ? "none" : params.joined(separator: " ")) | \(l.targets.rawValue) |\n"
        }
        return out
    }

    /// A list of listings as JSON text.
    public static func json(_ listings: [AugmenterListing]) -> String {
        ConfigCoding.render(.list(listings.map(\.config)), format: .json)
    }
}

extension ConfigValue {
    /// YAML flow style as people write it (names unquoted).
    var displayText: String {
        switch self {
        case .string(let s): return s
        case .list(let l): return "[" + l.map(\.displayText).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.map { "\($0.0): \($0.1.displayText)" }.joined(separator: ", ") + "}"
        default: return flowText
        }
    }
}

extension TargetRule {
    /// One sentence for listings.
    public var explanation: String {
        switch self {
        case .unchanged: return "unchanged (pixels stay where they are)"
        case .moved: return "moved with the image, with the same sampled values"
        case .refused: return "refused (an image with targets is an error: this augmenter cannot move them yet)"
        }
    }
}
