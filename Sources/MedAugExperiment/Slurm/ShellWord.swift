/// Text that bash reads back as exactly one word, whatever it holds.
enum ShellWord {
    /// Characters that need no quotes: a word of only these reads as itself.
    private static let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:=,+-@%")

    /// `text` as it is when it needs no quotes, else in single quotes (a
    /// quote inside becomes `'\''`).
    static func quoted(_ text: String) -> String {
        if !text.isEmpty && text.allSatisfy(plain.contains) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The words of a command line, each quoted where it needs it.
    static func line(_ words: [String]) -> String {
        words.map(quoted).joined(separator: " ")
    }
}
