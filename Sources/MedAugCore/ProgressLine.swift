import Foundation

/// A "label 123/456" line on stderr, redrawn in place, for long loops run on
/// several threads. Silent when stderr is not a terminal, so logs and piped
/// output (e.g. `--json`) stay clean.
public final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private let lock = NSLock()
    private var lastDraw = 0.0
    private var drawn = false

    public init(label: String, enabled: Bool = isatty(STDERR_FILENO) != 0) {
        self.label = label
        self.enabled = enabled
    }

    /// Safe from any thread; draws at most about ten times a second.
    public func update(_ done: Int, _ total: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date().timeIntervalSinceReferenceDate
        guard done == total || now - lastDraw >= 0.1 else { return }
        lastDraw = now
        drawn = true
        let pct = total > 0 ? done * 100 / total : 100
        FileHandle.standardError.write(Data("\r\(label) \(done)/\(total) (\(pct)%)\u{1B}[K".utf8))
    }

    /// Clears the line, so what is printed next starts at column 0.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}

extension ProgressLine {
    /// "42s", "3m05s", "1h02m": short enough for a progress line.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + (s % 60 < 10 ? "0" : "") + "\(s % 60)s" }
        return "\(s / 3600)h" + ((s % 3600) / 60 < 10 ? "0" : "") + "\((s % 3600) / 60)m"
    }
}
