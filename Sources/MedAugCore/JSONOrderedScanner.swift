/// A strict JSON reader that keeps mapping keys in file order (Foundation's
/// JSONSerialization returns unordered dictionaries).
struct JSONOrderedScanner {
    struct Failure: Error, CustomStringConvertible {
        let offset: Int
        let what: String
        var description: String { "\(what) at byte \(offset)" }
    }

    private let b: [UInt8]
    private var i = 0

    init(_ bytes: [UInt8]) { b = bytes }

    mutating func value() throws -> ConfigValue {
        let v = try parseValue()
        skipSpace()
        if i != b.count { throw Failure(offset: i, what: "unexpected trailing text") }
        return v
    }

    private mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    private mutating func parseValue() throws -> ConfigValue {
        skipSpace()
        guard i < b.count else { throw Failure(offset: i, what: "unexpected end") }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1
            var pairs: [(String, ConfigValue)] = []
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .map(pairs) }
            while true {
                skipSpace()
                let k = try parseString()
                skipSpace()
                try expect(":")
                let v = try parseValue()
                pairs.append((k, v))
                skipSpace()
                if i < b.count, b[i] == UInt8(ascii: ",") { i += 1; continue }
                try expect("}")
                return .map(pairs)
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [ConfigValue] = []
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
            while true {
                items.append(try parseValue())
                skipSpace()
                if i < b.count, b[i] == UInt8(ascii: ",") { i += 1; continue }
                try expect("]")
                return .list(items)
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            return try parseNumber()
        }
    }

    private mutating func expect(_ c: Character) throws {
        guard i < b.count, b[i] == c.asciiValue! else { throw Failure(offset: i, what: "expected '\(c)'") }
        i += 1
    }

    private mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard i + w.count <= b.count, Array(b[i..<i + w.count]) == w else {
            throw Failure(offset: i, what: "expected \(word)")
        }
        i += w.count
    }

    private mutating func parseNumber() throws -> ConfigValue {
        let start = i
        while i < b.count, "+-0123456789.eE".utf8.contains(b[i]) { i += 1 }
        let s = String(decoding: b[start..<i], as: UTF8.self)
        if let v = Int(s) { return .int(v) }
        if let v = Double(s) { return .double(v) }
        throw Failure(offset: start, what: "invalid value")
    }

    private mutating func parseString() throws -> String {
        try expect("\"")
        var out = [UInt8]()
        while i < b.count {
            let c = b[i]
            i += 1
            if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            if c == UInt8(ascii: "\\") {
                guard i < b.count else { break }
                let e = b[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard i + 4 <= b.count, let code = UInt32(String(decoding: b[i..<i + 4], as: UTF8.self), radix: 16)
                    else { throw Failure(offset: i, what: "bad \\u escape") }
                    i += 4
                    var scalarValue = code
                    if (0xD800...0xDBFF).contains(code), i + 6 <= b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u"),
                       let low = UInt32(String(decoding: b[i + 2..<i + 6], as: UTF8.self), radix: 16) {
                        i += 6
                        scalarValue = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    out.append(contentsOf: Array(String(Unicode.Scalar(scalarValue) ?? "?").utf8))
                default: out.append(e)
                }
            } else {
                out.append(c)
            }
        }
        throw Failure(offset: i, what: "unterminated string")
    }
}
