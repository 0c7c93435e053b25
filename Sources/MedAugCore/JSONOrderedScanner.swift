/// A strict JSON reader (RFC 8259) that keeps mapping keys in file order
/// (Foundation's JSONSerialization returns unordered dictionaries) and says
/// where a text goes wrong: line, column and the key path being read.
///
/// It refuses what JSONSerialization lets through: a key written twice in one
/// mapping (one of the two would silently win, while YAML refuses the same
/// file), and nesting deeper than `maxDepth` (the reader recurses once per
/// level). NaN, Infinity and -Infinity, which Python's json module writes,
/// are read as numbers, so that the parameter given one can say it is not
/// finite and what it allows.
struct JSONOrderedScanner {
    /// Why and where the text cannot be read; `path` is the key path being
    /// read (`[2].Affine.scale`), empty at the top.
    struct Failure: Error {
        let line: Int
        let column: Int
        let path: String
        let message: String
    }

    private let b: [UInt8]
    private let maxDepth: Int
    private var i = 0
    /// The keys and 1-based list positions from the top to the value being read.
    private var path: [String] = []

    init(_ bytes: [UInt8], maxDepth: Int) {
        b = bytes
        self.maxDepth = maxDepth
        // A UTF-8 byte order mark, as some Windows editors write.
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
    }

    /// The one value the text holds, with nothing but white space after it.
    mutating func value() throws -> ConfigValue {
        let v = try parseValue(depth: 0)
        skipSpace()
        if i != b.count { throw fail("not valid JSON: text after the end of the value, found \(found)") }
        return v
    }

    private mutating func parseValue(depth: Int) throws -> ConfigValue {
        skipSpace()
        guard i < b.count else { throw fail("not valid JSON: expected a value, found the end of the text") }
        switch b[i] {
        case UInt8(ascii: "{"): return try parseMap(depth: depth + 1)
        case UInt8(ascii: "["): return try parseList(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "N"): try literal("NaN"); return .double(.nan)
        case UInt8(ascii: "I"): try literal("Infinity"); return .double(.infinity)
        default: return try parseNumber()
        }
    }

    private mutating func parseMap(depth: Int) throws -> ConfigValue {
        try checkDepth(depth)
        i += 1
        var pairs: [(String, ConfigValue)] = []
        var firstSeen: [String: Int] = [:]
        skipSpace()
        if peek("}") { i += 1; return .map(pairs) }
        while true {
            skipSpace()
            guard peek("\"") else { throw fail("not valid JSON: expected a key in double quotes, found \(found)") }
            let at = i
            let key = try parseString()
            path.append(path.isEmpty ? key : "." + key)
            if let first = firstSeen[key] {
                throw fail(at: at, "duplicate key '\(ConfigError.excerpt(key))' (first at line \(position(first).line))")
            }
            firstSeen[key] = at
            skipSpace()
            guard peek(":") else { throw fail("not valid JSON: expected ':' after the key, found \(found)") }
            i += 1
            pairs.append((key, try parseValue(depth: depth)))
            skipSpace()
            // The key stays on the path until its value's separator is read:
            // a missing comma is reported at the value it follows.
            guard peek(",") || peek("}") else { throw fail("not valid JSON: expected ',' or '}' after a value, found \(found)") }
            path.removeLast()
            i += 1
            if b[i - 1] == UInt8(ascii: "}") { return .map(pairs) }
        }
    }

    private mutating func parseList(depth: Int) throws -> ConfigValue {
        try checkDepth(depth)
        i += 1
        var items: [ConfigValue] = []
        skipSpace()
        if peek("]") { i += 1; return .list(items) }
        while true {
            path.append("[\(items.count + 1)]")
            items.append(try parseValue(depth: depth))
            skipSpace()
            guard peek(",") || peek("]") else { throw fail("not valid JSON: expected ',' or ']' after a list item, found \(found)") }
            path.removeLast()
            i += 1
            if b[i - 1] == UInt8(ascii: "]") { return .list(items) }
        }
    }

    private func checkDepth(_ depth: Int) throws {
        guard depth > maxDepth else { return }
        // Without the key path: at this depth it is a wall of [1][1][1]...
        let at = position(i)
        throw Failure(line: at.line, column: at.column, path: "", message: "lists and mappings nested more than \(maxDepth) deep")
    }

    private mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard b[i...].starts(with: w) else { throw fail("not valid JSON: expected a value, found \(found)") }
        i += w.count
    }

    /// RFC 8259's number grammar: no leading zeros, '+', bare '.' or hex.
    private mutating func parseNumber() throws -> ConfigValue {
        let start = i
        if peek("-") {
            i += 1
            if peek("I") { try literal("Infinity"); return .double(-.infinity) }
        }
        guard digit else { throw fail(at: start, "not valid JSON: expected a value, found \(foundAt(start))") }
        if peek("0") { i += 1 } else { while digit { i += 1 } }
        var whole = true
        if peek(".") {
            i += 1
            whole = false
            guard digit else { throw fail("not valid JSON: expected a digit after '.', found \(found)") }
            while digit { i += 1 }
        }
        if peek("e") || peek("E") {
            i += 1
            whole = false
            if peek("+") || peek("-") { i += 1 }
            guard digit else { throw fail("not valid JSON: expected the exponent's digits, found \(found)") }
            while digit { i += 1 }
        }
        let text = String(decoding: b[start..<i], as: UTF8.self)
        if whole, let v = Int(text) { return .int(v) }
        // Too large for Int, or a fraction: Double reads every such spelling.
        return .double(Double(text) ?? .nan)
    }

    private mutating func parseString() throws -> String {
        let open = i
        i += 1
        var out = [UInt8]()
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if c < 0x20 {
                throw fail("not valid JSON: a line break or control character inside a string (write it as \\n or \\u00XX)")
            }
            if c == UInt8(ascii: "\\") {
                try escape(into: &out)
            } else {
                out.append(c)
                i += 1
            }
        }
        throw fail(at: open, "not valid JSON: this string has no closing '\"'")
    }

    private mutating func escape(into out: inout [UInt8]) throws {
        let at = i
        i += 1
        guard i < b.count else { throw fail(at: at, "not valid JSON: this string has no closing '\"'") }
        let e = b[i]
        i += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "u"):
            var code = try hex4(at: at)
            if (0xD800...0xDBFF).contains(code), peek("\\"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "u") {
                i += 2
                let low = try hex4(at: at)
                guard (0xDC00...0xDFFF).contains(low) else { throw fail(at: at, "not valid JSON: a \\u escape that is not a character") }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else { throw fail(at: at, "not valid JSON: a \\u escape that is not a character") }
            out.append(contentsOf: Array(String(scalar).utf8))
        default:
            throw fail(at: at, "not valid JSON: unknown escape '\\\(String(decoding: [e], as: UTF8.self))' in a string")
        }
    }

    private mutating func hex4(at start: Int) throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard i < b.count, let d = Self.hexValue(b[i]) else {
                throw fail(at: start, "not valid JSON: \\u must be followed by four hex digits")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    private static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    // MARK: position and messages

    private mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    private func peek(_ c: Unicode.Scalar) -> Bool { i < b.count && b[i] == UInt8(ascii: c) }

    private var digit: Bool { i < b.count && b[i] >= UInt8(ascii: "0") && b[i] <= UInt8(ascii: "9") }

    /// What stands at the reading position, for a message: one character.
    private var found: String { foundAt(i) }

    private func foundAt(_ offset: Int) -> String {
        guard offset < b.count else { return "the end of the text" }
        var end = offset + 1
        while end < b.count, b[end] & 0xC0 == 0x80 { end += 1 }
        let c = String(decoding: b[offset..<end], as: UTF8.self)
        return b[offset] < 0x20 ? "a control character" : "'\(c)'"
    }

    /// Line and column (in characters), both from 1, of a byte offset.
    private func position(_ offset: Int) -> (line: Int, column: Int) {
        let end = min(offset, b.count)
        var line = 1, lineStart = 0
        for j in 0..<end where b[j] == 0x0A {
            line += 1
            lineStart = j + 1
        }
        let column = b[lineStart..<end].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        return (line, column)
    }

    private func fail(_ message: String) -> Failure { fail(at: i, message) }

    private func fail(at offset: Int, _ message: String) -> Failure {
        let p = position(offset)
        return Failure(line: p.line, column: p.column, path: path.joined(), message: message)
    }
}
