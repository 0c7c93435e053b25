// libyaml itself, through the module Yams builds it as: only its event
// parser, so that a text is measured before Yams composes it.
internal import CYaml

/// Measures a YAML text from libyaml's events, before Yams composes it, and
/// refuses a text whose value tree would be too large or too deep to build.
///
/// Yams resolves an alias by handing back the anchored node itself, so the
/// 600-byte "billion laughs" (nine anchors, each a list of nine aliases to
/// the one before) composes at once but stands for 9^9 nodes: turning it into
/// a `ConfigValue`, or hashing it as a mapping key, never ends. Here each
/// anchor's expanded size and depth are counted once, when its node ends, and
/// an alias adds that count without being expanded, so the check is one pass
/// over the events whatever the aliases stand for. Nesting is capped here too,
/// before Yams' recursive composer and the recursive conversion see it.
enum YAMLSizeGuard {
    /// Throws a `ConfigError` naming `source` and the line when `text` is not
    /// YAML, uses an alias before its anchor, stands for more than `maxNodes`
    /// nodes once aliases are expanded, or nests deeper than `maxDepth`.
    static func check(_ text: String, source: String, maxNodes: Int, maxDepth: Int) throws {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return }  // libyaml asserts a non-null input
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer { parser.deallocate(); event.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw ConfigError(source: source, location: "", message: "out of memory reading YAML")
        }
        defer { yaml_parser_delete(parser) }
        var count = Expansion(maxNodes: maxNodes, maxDepth: maxDepth)
        try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            while true {
                guard yaml_parser_parse(parser, event) == 1 else { throw syntaxError(parser.pointee, source, maxDepth: maxDepth) }
                defer { yaml_event_delete(event) }
                if event.pointee.type == YAML_STREAM_END_EVENT { return }
                do { try count.take(event.pointee) } catch let refusal as Expansion.Refusal {
                    let mark = event.pointee.start_mark
                    throw ConfigError(source: source, location: "line \(mark.line + 1), column \(mark.column + 1)",
                                      message: refusal.message)
                }
            }
        }
    }

    /// libyaml's own account of a syntax error, on one line: its problem and
    /// context are fixed phrases, so no part of the text is echoed.
    private static func syntaxError(_ p: yaml_parser_t, _ source: String, maxDepth: Int) -> ConfigError {
        let problem = p.problem.map { String(cString: $0) } ?? "out of memory"
        let at = "line \(p.problem_mark.line + 1), column \(p.problem_mark.column + 1)"
        // libyaml's own cap (1000 levels) counts the flow levels its scanner
        // has read ahead, so a long line of '[' trips it before this count
        // sees level 201; the text is nested past `maxDepth` all the same.
        if problem.hasPrefix("Maximum nesting level") {
            return ConfigError(source: source, location: at, message: "lists and mappings nested more than \(maxDepth) deep")
        }
        if p.error == YAML_READER_ERROR {
            return ConfigError(source: source, location: "byte \(p.problem_offset + 1)", message: "not valid YAML: \(problem)")
        }
        var message = "not valid YAML: \(problem)"
        if let context = p.context {
            message += " (\(String(cString: context)) at line \(p.context_mark.line + 1), column \(p.context_mark.column + 1))"
        }
        return ConfigError(source: source, location: at, message: message)
    }

    /// The running count: nodes so far with aliases expanded, the containers
    /// still open, and each anchor's expanded size and height.
    private struct Expansion {
        struct Refusal: Error { let message: String }

        let maxNodes: Int
        let maxDepth: Int
        var nodes = 0
        var aliases = false
        /// Open lists and mappings: the node count when each started, the
        /// height of its tallest child so far, and its anchor.
        var open: [(start: Int, childHeight: Int, anchor: String?)] = []
        /// Anchor name to (nodes, height) of the node it was last put on
        /// (a later anchor of the same name shadows it, as aliases see it).
        var anchors: [String: (nodes: Int, height: Int)] = [:]

        init(maxNodes: Int, maxDepth: Int) {
            self.maxNodes = maxNodes
            self.maxDepth = maxDepth
        }

        mutating func take(_ e: yaml_event_t) throws {
            switch e.type {
            case YAML_SCALAR_EVENT:
                nodes += 1
                if let a = Self.name(e.data.scalar.anchor) { anchors[a] = (1, 0) }
                finished(height: 0)
            case YAML_ALIAS_EVENT:
                let a = Self.name(e.data.alias.anchor) ?? ""
                guard let target = anchors[a] else {
                    throw Refusal(message: "alias *\(ConfigError.excerpt(a)) comes before any anchor &\(ConfigError.excerpt(a))")
                }
                aliases = true
                nodes += target.nodes
                try checkDepth(open.count + target.height)
                finished(height: target.height)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let anchor = e.type == YAML_SEQUENCE_START_EVENT ? e.data.sequence_start.anchor : e.data.mapping_start.anchor
                open.append((start: nodes, childHeight: 0, anchor: Self.name(anchor)))
                nodes += 1
                try checkDepth(open.count)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let done = open.popLast() else { return }
                let height = done.childHeight + 1
                if let a = done.anchor { anchors[a] = (nodes - done.start, height) }
                finished(height: height)
            default:
                return
            }
            if nodes > maxNodes {
                throw Refusal(message: aliases
                              ? "YAML aliases expand to more than \(maxNodes) nodes; refused before expanding them"
                              : "more than \(maxNodes) values in one YAML text")
            }
        }

        /// A node of `height` ended: its parent is at least one taller.
        private mutating func finished(height: Int) {
            guard !open.isEmpty else { return }
            open[open.count - 1].childHeight = max(open[open.count - 1].childHeight, height)
        }

        private func checkDepth(_ depth: Int) throws {
            if depth > maxDepth {
                throw Refusal(message: "lists and mappings nested more than \(maxDepth) deep"
                              + (aliases ? " (aliases expanded)" : ""))
            }
        }

        private static func name(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            p.map { String(cString: $0) }
        }
    }
}
