/// Plain-text tables whose columns line up in a terminal, also with
/// CJK class names (two columns wide each).
struct TextTable {
    enum Align { case left, right }

    var header: [String]
    var align: [Align]
    var rows: [[String]] = []

    func render(indent: String = "  ") -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell)) }
        }
        return all.map { row in
            var line = indent
            for (i, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - DisplayWidth.of(cell))
                line += align[i] == .left ? cell + pad : pad + cell
                if i < row.count - 1 { line += "  " }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}

enum DisplayWidth {
    /// Terminal columns: East Asian wide and fullwidth scalars take 2, combining marks 0.
    static func of(_ s: String) -> Int {
        var n = 0
        for u in s.unicodeScalars {
            let v = u.value
            if (0x0300...0x036F).contains(v) || (0x200B...0x200F).contains(v) || (0xFE00...0xFE0F).contains(v) {
                continue
            }
            if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v) {
                n += 2
            } else {
                n += 1
            }
        }
        return n
    }
}
