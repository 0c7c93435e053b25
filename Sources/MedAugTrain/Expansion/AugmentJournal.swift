import Foundation
import MedAugCore
import MedAugData

/// Finished outputs of `medaug augment`, one CSV record each (output, source,
/// copy, augmenters[, group]: a manifest row), appended as they complete: what a
/// resumed run skips, and what the manifest is copied from at the end. A
/// record cut short by a kill is ignored on reading.
final class Journal: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private var fd: Int32 = -1
    private var size = 0

    /// Where one record lies in the file (32-bit fields: 8 bytes an output).
    struct Span: Sendable {
        private let start: UInt32
        private let count: UInt32
        var offset: Int { Int(start) }
        var length: Int { Int(count) }
        init?(offset: Int, length: Int) {
            guard let s = UInt32(exactly: offset), let c = UInt32(exactly: length) else { return nil }
            start = s
            count = c
        }
    }

    init(path: String) { self.path = path }

    deinit { if fd >= 0 { close(fd) } }

    /// output -> its record (output, source, copy, augmenters). Records are
    /// parsed from the whole text, since a quoted name may hold a line break.
    func load() -> [ScalarKey: [String]] { Self.records(in: read()).map }

    /// `load()`, first rewriting the file without a record cut short, so that
    /// lines appended after it are not read as part of its quoted field.
    func loadRepairing() throws -> [ScalarKey: [String]] {
        let text = read()
        let r = Self.records(in: text)
        if r.cut { try AtomicWrite.write(CSV.text(r.rows), to: path) }
        return r.map
    }

    /// Rewrites the journal to hold just `rows` (the records a resumed run
    /// keeps, in plan order) and returns where each one lies.
    func restart(with rows: [[String]]) throws -> [Span] {
        lock.lock()
        defer { lock.unlock() }
        if fd >= 0 { close(fd); fd = -1 }
        var spans: [Span] = [], offset = 0
        try AtomicWrite.write(to: path) { append in
            for row in rows {
                let bytes = Data(CSV.text([row]).utf8)
                append(bytes)
                spans.append(try Self.span(offset, bytes.count))
                offset += bytes.count
            }
        }
        return spans
    }

    /// The text, with bytes a kill cut out of a character replaced: strict
    /// decoding would throw the whole journal away for one cut record.
    private func read() -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    static func records(in text: String) -> (rows: [[String]], map: [ScalarKey: [String]], cut: Bool) {
        var rows = CSV.parse(text)
        // Every whole record ends in a line feed outside quotes; an odd number
        // of quote marks means the text ends inside a quoted field.
        let quotes = text.unicodeScalars.reduce(0) { $1 == "\"" ? $0 + 1 : $0 }
        let cut = !text.isEmpty && (text.unicodeScalars.last != "\n" || quotes % 2 == 1)
        if cut && !rows.isEmpty { rows.removeLast() }
        rows = rows.filter { ($0.count == 4 || $0.count == 5) && Int($0[2]) != nil }
        var map: [ScalarKey: [String]] = [:]
        for r in rows { map[ScalarKey(r[0])] = r }
        return (rows, map, cut)
    }

    /// Appends one record; returns where it lies.
    func append(output: String, source: String, copy: Int, augmenters: String, group: String? = nil) throws(WriteError) -> Span {
        let line = Data(CSV.text([[output, source, String(copy), augmenters] + (group.map { [$0] } ?? [])]).utf8)
        lock.lock()
        defer { lock.unlock() }
        if fd < 0 {
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o666)
            guard fd >= 0 else { throw WriteError(path, errno: errno) }
            size = Int(lseek(fd, 0, SEEK_END))
        }
        let e = AtomicWrite.appendAll(line, fd: fd)
        guard e == 0 else { throw WriteError(path, errno: e) }
        defer { size += line.count }
        return try Self.span(size, line.count)
    }

    static func span(_ offset: Int, _ length: Int) throws(WriteError) -> Span {
        guard let s = Span(offset: offset, length: length) else {
            throw WriteError("journal", reason: "over 4 GiB of records; split the dataset")
        }
        return s
    }

    /// Reads records back by their spans, from a descriptor of its own.
    func reader() throws(WriteError) -> Reader {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw WriteError(path, reason: "cannot read the journal: \(String(cString: strerror(errno)))") }
        return Reader(fd: fd, path: path)
    }

    /// One open journal for reading records at their spans.
    final class Reader {
        let fd: Int32
        let path: String
        init(fd: Int32, path: String) {
            self.fd = fd
            self.path = path
        }
        deinit { close(fd) }

        func read(_ span: Span) throws(WriteError) -> Data {
            var data = Data(count: span.length)
            let n = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress, span.length, off_t(span.offset)) }
            guard n == span.length else { throw WriteError(path, reason: "the journal is shorter than its records") }
            return data
        }
    }
}
