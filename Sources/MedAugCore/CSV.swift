/// RFC 4180 comma-separated values: the one reader and writer every MedAug
/// file in that format goes through (manifests, histories, reports).
///
/// Both sides work on Unicode scalars, not `Character`s: a grapheme cluster
/// can hide a delimiter (`"\r\n"` is one `Character`, and a combining mark
/// after a quote or comma joins it), so a file name such as `a"\u{301}.png`
/// would otherwise be written unquoted and read back garbled.
public enum CSV {
    /// One field, quoted when it holds a comma, quote or line break (scalar by scalar).
    public static func field(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: needsQuotes) else { return s }
        var out = String.UnicodeScalarView()
        out.append("\"")
        for c in s.unicodeScalars {
            out.append(c)
            if c == "\"" { out.append("\"") }
        }
        out.append("\"")
        return String(out)
    }

    /// One record: fields joined by commas, without the line ending.
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",")
    }

    /// Whole records, each ended by a line feed: the text of a CSV file.
    public static func text(_ rows: [[String]]) -> String {
        rows.map { row($0) + "\n" }.joined()
    }

    private static func needsQuotes(_ c: Unicode.Scalar) -> Bool {
        c == "," || c == "\"" || c == "\n" || c == "\r"
    }

    /// Splits CSV text into rows of fields (quotes and embedded line breaks handled).
    public static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false
        var it = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let c = pending ?? it.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = it.next() {
                        if n == "\"" { field.append("\"") } else { quoted = false; pending = n }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(String(field)); field = String.UnicodeScalarView()
            } else if c == "\n" {
                row.append(String(field)); field = String.UnicodeScalarView()
                rows.append(row); row = []
            } else if c == "\r" {
                // CRLF ends a row at its LF; a lone CR (old Mac "CSV") ends one here.
                if let n = it.next() {
                    if n != "\n" {
                        row.append(String(field)); field = String.UnicodeScalarView()
                        rows.append(row); row = []
                    }
                    pending = n
                }
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(String(field)); rows.append(row) }
        return rows
    }
}
