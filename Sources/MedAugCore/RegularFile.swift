import Foundation
import Synchronization

/// Reading whole files without trusting what the path points at.
///
/// A dataset is a folder a user downloaded or copied from elsewhere: a name
/// ending in `.png` may be a FIFO (reading blocks forever), a link to
/// `/dev/zero` (reading never ends) or a multi-gigabyte file. Every read
/// therefore opens without blocking, refuses anything but a regular file and
/// checks the size before taking memory for it.
public enum RegularFile {
    /// The default for ``maxBytes``: 1 GiB, above any image MedAug decodes
    /// (100 megapixels of 16-bit RGBA stored uncompressed is 800 MB).
    public static let defaultMaxBytes = 1 << 30

    private static let limit = Atomic<Int>(defaultMaxBytes)

    /// The largest file a read accepts. Process-wide, because every reader
    /// (scanner, loaders, worker threads) must apply the same limit; the
    /// command line sets it once from `--max-file-bytes` before reading.
    public static var maxBytes: Int {
        get { limit.load(ordering: .relaxed) }
        set { limit.store(newValue, ordering: .relaxed) }
    }

    /// Why a file could not be read, as a phrase for "cannot read file: ...".
    public struct Failure: Error, Equatable, Sendable {
        /// What went wrong, without the path.
        public let reason: String
        /// True when the file is a regular file over the size limit.
        public let tooLarge: Bool
    }

    /// The whole file, refusing folders, FIFOs, devices and sockets, and
    /// files over `maxBytes` (default: ``maxBytes``).
    public static func read(_ path: String, maxBytes: Int? = nil) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            let e = errno
            throw Failure(reason: e == ENOENT ? "no such file (or a broken link)" : String(cString: strerror(e)), tooLarge: false)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw Failure(reason: String(cString: strerror(errno)), tooLarge: false) }
        let kind = st.st_mode & S_IFMT
        if kind == S_IFDIR { throw Failure(reason: "it is a folder", tooLarge: false) }
        guard kind == S_IFREG else {
            throw Failure(reason: "not a regular file (\(describe(kind))); only regular files are read", tooLarge: false)
        }
        let limit = maxBytes ?? self.maxBytes
        let size = Int(st.st_size)
        if size > limit {
            throw Failure(reason: "the file is \(size) bytes, over the limit of \(limit)\(maxBytes == nil ? " (--max-file-bytes)" : "")", tooLarge: true)
        }
        return try readAll(fd, size: size)
    }

    /// The largest settings file (pipeline, experiment config) read: 16 MiB,
    /// far above any hand-written file.
    public static let maxTextBytes = 16 << 20

    /// A settings file as UTF-8 text, with the same refusals as ``read(_:maxBytes:)``
    /// (a FIFO given as `--pipeline` must not hang the command) and invalid
    /// UTF-8 refused rather than repaired.
    public static func readText(_ path: String, maxBytes: Int = maxTextBytes) throws(Failure) -> String {
        let bytes = try read(path, maxBytes: maxBytes)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(reason: "it is not UTF-8 text", tooLarge: false)
        }
        return text
    }

    private static func readAll(_ fd: Int32, size: Int) throws(Failure) -> [UInt8] {
        var failure: Int32 = 0
        // A file that grows while it is read is cut at the size it had when
        // it was checked: what the limit allowed is what is read.
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buf, count in
            count = 0
            while count < size {
                let n = Foundation.read(fd, buf.baseAddress! + count, size - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { break }
                count += n
            }
        }
        if failure != 0 { throw Failure(reason: String(cString: strerror(failure)), tooLarge: false) }
        return bytes
    }

    private static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a plain file"
        }
    }
}
