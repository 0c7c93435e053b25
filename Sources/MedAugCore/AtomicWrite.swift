import Foundation

/// Whole-file writes that are never seen half-done: the bytes go to a
/// temporary file beside the target, are flushed to disk, and the file is
/// renamed over the target. A kill at any instant leaves either the old file
/// or the new one (and at worst a temporary file, which `removeStaleTemporaries(in:sparingLiveWriters:)` clears).
public enum AtomicWrite {
    /// Writes `data` to `path`, creating the folders above it.
    ///
    /// With `durable` false the bytes are not flushed before the rename: a
    /// kill still leaves the old file or the new one, but a power cut may
    /// leave an empty file. Bulk outputs (thousands of images, where a flush
    /// each costs as much as encoding) are written so, and made durable
    /// together with `syncFileSystem(containing:)` before their run is
    /// recorded as finished.
    public static func write(_ data: Data, to path: String, durable: Bool = true) throws(WriteError) {
        let dir = (path as NSString).deletingLastPathComponent
        try makeFolder(dir.isEmpty ? "." : dir, for: path)
        let tmp = temporaryName(for: path)
        do throws(WriteError) {
            try writeAndSync(data, to: tmp, reporting: path, flush: durable)
            guard rename(tmp, path) == 0 else { throw WriteError(path, errno: errno) }
        } catch {
            unlink(tmp)
            throw error
        }
        FaultInjection.completedWrite()
    }

    /// Flushes everything written to the file system that holds `path`
    /// (syncfs): one call for all the files written with `durable: false`.
    public static func syncFileSystem(containing path: String) {
        // syncfs is a GNU extension Swift's Glibc module does not declare.
        typealias SyncFS = @convention(c) (Int32) -> Int32
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0, let fn = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else {
            if fd >= 0 { close(fd) }
            sync()
            return
        }
        _ = unsafeBitCast(fn, to: SyncFS.self)(fd)
        close(fd)
    }

    /// Writes the bytes `produce` hands to its `append`, piece by piece, to
    /// `path`, atomically and durably as `write(_:to:)` does, without
    /// holding the whole text in memory (a manifest of a large dataset).
    public static func write(to path: String, _ produce: (_ append: (Data) -> Void) throws -> Void) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try makeFolder(dir.isEmpty ? "." : dir, for: path)
        let tmp = temporaryName(for: path)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw WriteError(path, errno: errno) }
        var failure: Int32 = 0
        var buffer = Data()
        buffer.reserveCapacity(1 << 16)
        func drain() {
            if failure == 0 && !buffer.isEmpty { failure = writeAndSync(buffer, fd: fd, flush: false) }
            buffer.removeAll(keepingCapacity: true)
        }
        do {
            try produce { piece in
                buffer.append(piece)
                if buffer.count >= 1 << 16 { drain() }
            }
        } catch {
            close(fd)
            unlink(tmp)
            throw error
        }
        drain()
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        if close(fd) != 0 && failure == 0 { failure = errno }
        guard failure == 0, rename(tmp, path) == 0 else {
            let e = failure != 0 ? failure : errno
            unlink(tmp)
            throw WriteError(path, errno: e)
        }
        FaultInjection.completedWrite()
    }

    /// Writes `text` as UTF-8 to `path`.
    public static func write(_ text: String, to path: String) throws(WriteError) {
        try write(Data(text.utf8), to: path)
    }

    /// Makes `path` another name of the existing file `source` (a hard link,
    /// or a copy where links are not possible), replacing whatever `path`
    /// named, in one step. User-facing names of committed checkpoints are made
    /// this way: no second copy of the bytes on disk, and never half a file.
    public static func link(_ source: String, to path: String) throws(WriteError) {
        let tmp = temporaryName(for: path)
        if Foundation.link(source, tmp) != 0 {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: source)) } catch {
                throw WriteError(path, reason: "cannot read \(source)")
            }
            try write(data, to: path)
            return
        }
        guard rename(tmp, path) == 0 else {
            let e = errno
            unlink(tmp)
            throw WriteError(path, errno: e)
        }
        FaultInjection.completedWrite()
    }

    /// Flushes a folder's entries (the renames into it) to disk, so that a
    /// record written after this call is never found on disk without them.
    public static func syncFolder(_ dir: String) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Removes the temporary files that killed writes left directly inside
    /// `folder` (`.<name>.tmp-<pid>-<random>`); returns how many. With
    /// `sparingLiveWriters`, a file whose writer still runs may be a write in
    /// flight and is left alone; a folder only this process writes (a run
    /// folder) passes false.
    @discardableResult
    public static func removeStaleTemporaries(in folder: String, sparingLiveWriters: Bool = true) -> Int {
        var removed = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            guard let pid = writer(ofTemporary: name), !(sparingLiveWriters && isRunning(pid)) else { continue }
            let path = (folder as NSString).appendingPathComponent(name)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
            if unlink(path) == 0 { removed += 1 }
        }
        return removed
    }

    /// The process id in a name `temporaryName` made, or nil for any other name.
    static func writer(ofTemporary name: String) -> pid_t? {
        guard name.hasPrefix("."), let mark = name.range(of: ".tmp-", options: .backwards),
              mark.lowerBound > name.index(after: name.startIndex) else { return nil }
        let tail = name[mark.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard tail.count == 2, tail.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let pid = pid_t(tail[0]), UInt32(tail[1]) != nil else { return nil }
        return pid
    }

    /// True for another live process. This process counts as not running:
    /// it sweeps only when none of its own writes to the folder is in flight.
    static func isRunning(_ pid: pid_t) -> Bool {
        guard pid > 0, pid != getpid() else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    static func temporaryName(for path: String) -> String {
        let dir = (path as NSString).deletingLastPathComponent, name = (path as NSString).lastPathComponent
        return (dir as NSString).appendingPathComponent(".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    }

    /// mkdir -p, with the error naming the file that was to be written.
    static func makeFolder(_ dir: String, for path: String) throws(WriteError) {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
            if isDir.boolValue { return }
            throw WriteError(path, errno: ENOTDIR)
        }
        let parent = (dir as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != dir { try makeFolder(parent, for: path) }
        if mkdir(dir, 0o777) != 0 && errno != EEXIST { throw WriteError(path, errno: errno) }
    }

    /// open, write everything, fsync (unless not `flush`), close; any failure is reported for `target`.
    static func writeAndSync(_ data: Data, to tmp: String, reporting target: String, flush: Bool = true) throws(WriteError) {
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw WriteError(target, errno: errno) }
        var failure = writeAndSync(data, fd: fd, flush: flush)
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure != 0 { throw WriteError(target, errno: failure) }
    }

    /// Writes all of `data` to an open file (a journal opened for appending),
    /// without a flush; 0, or the errno of the failure.
    public static func appendAll(_ data: Data, fd: Int32) -> Int32 {
        writeAndSync(data, fd: fd, flush: false)
    }

    /// Writes all of `data` to an open file and flushes it; 0, or the errno of the failure.
    static func writeAndSync(_ data: Data, fd: Int32, flush: Bool = true) -> Int32 {
        var failure: Int32 = 0
        data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            var done = 0
            while done < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + done, buf.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                done += n
            }
        }
        // A full disk may only show when the data is flushed.
        if flush && failure == 0 && fsync(fd) != 0 { failure = errno }
        return failure
    }
}

/// A file that could not be written, with the system's reason:
/// "cannot write /runs/a/x.png: No space left on device".
public struct WriteError: MedAugError, Equatable {
    /// The file that was to be written.
    public let path: String
    /// Why not, in the system's words.
    public let reason: String

    /// An error for `path` with a reason in words.
    public init(_ path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// An error for `path` with the reason an `errno` value gives.
    public init(_ path: String, errno code: Int32) {
        self.init(path, reason: String(cString: strerror(code)))
    }

    /// The one-line message.
    public var description: String { "cannot write \(path): \(reason)" }
}

/// Testing hook, read once from the environment: with
/// `MEDAUG_TEST_EXIT_AFTER_WRITES=N` the process ends with `_exit(137)` (as if
/// killed) right after its N-th completed atomic write, so that tests can stop
/// a run at every point between two writes and check that `--resume` repairs
/// it. Never set outside tests; unset, it costs one comparison per write.
enum FaultInjection {
    static let exitAfter: Int? = ProcessInfo.processInfo.environment["MEDAUG_TEST_EXIT_AFTER_WRITES"].flatMap { Int($0) }
    private static let lock = NSLock()
    nonisolated(unsafe) private static var count = 0

    static func completedWrite() {
        guard let limit = exitAfter else { return }
        lock.lock()
        count += 1
        if count >= limit { _exit(137) }
        lock.unlock()
    }
}
