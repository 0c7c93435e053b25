import Foundation
import MedAugCore
import Synchronization

/// Patient identifiers as they may appear in what MedAug writes: a salted
/// hash, `p-` and 16 hex digits of HMAC-SHA256(salt, id).
///
/// A patient ID (a DICOM PatientID, a `patient_id` column) is personal data;
/// manifests, reports and JSON outputs get copied around, so they carry only
/// this key unless the user asks for clear IDs (`--keep-ids`). The salt keeps
/// the key from being looked up in a table of hashed IDs, and is the same for
/// every command on one machine, so keys written by `augment` match the keys
/// `train` computes later.
public enum PatientKey {
    /// What every hashed key starts with.
    public static let prefix = "p-"
    /// Environment variable holding a salt (any text); wins over the salt file.
    public static let saltVariable = "MEDAUG_ID_SALT"
    /// The salt file's name inside MedAug's home folder.
    public static let saltFileName = "id-salt"

    /// The key of `id` under `salt`.
    public static func key(_ id: String, salt: [UInt8]) -> String {
        prefix + SHA256.hex(Array(SHA256.hmac(key: salt, message: Array(id.utf8)).prefix(8)))
    }

    /// The key of `id` under this machine's salt. Call ``prepare()`` first to
    /// learn why a salt cannot be had; without one, this falls back to a salt
    /// made for this process alone (keys then differ between commands).
    /// True for a key this type makes (`p-` and 16 lowercase hex digits).
    public static func isKey(_ value: String) -> Bool {
        let u = Array(value.utf8)
        return u.count == 18 && u[0] == 0x70 && u[1] == 0x2D
            && u[2...].allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    public static func hashed(_ id: String) -> String {
        let salt = (try? prepare()) ?? fallback
        return key(id, salt: salt)
    }

    /// Loads (or creates, once) this machine's salt and keeps it for the process.
    @discardableResult
    public static func prepare() throws(DatasetError) -> [UInt8] {
        if let s = cached.withLock({ $0 }) { return s }
        let s = try loadSalt(environment: ProcessInfo.processInfo.environment)
        cached.withLock { $0 = s }
        return s
    }

    private static let cached = Mutex<[UInt8]?>(nil)
    private static let fallback: [UInt8] = {
        var g = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
    }()

    /// MedAug's home folder: `$MEDAUG_HOME`, else `~/.cache/medaug`.
    public static func home(environment: [String: String]) -> String {
        if let h = environment["MEDAUG_HOME"], !h.isEmpty { return h }
        let user = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (user as NSString).appendingPathComponent(".cache/medaug")
    }

    /// The salt `environment` selects: `MEDAUG_ID_SALT`'s bytes, else the
    /// 32 random bytes of `<home>/id-salt`, made on first use (mode 0600,
    /// written whole or not at all, and never replaced once there).
    public static func loadSalt(environment: [String: String]) throws(DatasetError) -> [UInt8] {
        if let s = environment[saltVariable], !s.isEmpty { return Array(s.utf8) }
        let home = home(environment: environment)
        let path = (home as NSString).appendingPathComponent(saltFileName)
        if FileManager.default.fileExists(atPath: path) { return try readSalt(path) }
        do { try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700]) } catch {
            throw .idSalt(path: path, reason: "cannot create the folder \(home): \(error.localizedDescription)")
        }
        var g = SystemRandomNumberGenerator()
        let salt = (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
        let tmp = (home as NSString).appendingPathComponent(".\(saltFileName).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .idSalt(path: path, reason: String(cString: strerror(errno))) }
        defer { unlink(tmp) }
        let text = Data((SHA256.hex(salt) + "\n").utf8)
        let failure = AtomicWrite.appendAll(text, fd: fd)
        let synced = fsync(fd) == 0
        close(fd)
        guard failure == 0, synced else { throw .idSalt(path: path, reason: String(cString: strerror(failure != 0 ? failure : errno))) }
        // A link, not a rename: when two commands start at once, the first
        // salt stays and the second reads it, so both hash alike.
        if link(tmp, path) != 0 {
            let e = errno
            if e == EEXIST { return try readSalt(path) }
            guard rename(tmp, path) == 0 else { throw .idSalt(path: path, reason: String(cString: strerror(e))) }
        }
        return salt
    }

    static func readSalt(_ path: String) throws(DatasetError) -> [UInt8] {
        let text: String
        do { text = try RegularFile.readText(path, maxBytes: 4096) } catch { throw .idSalt(path: path, reason: error.reason) }
        let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard hex.count == 64, let bytes = bytes(hex: hex) else {
            throw .idSalt(path: path, reason: "it does not hold 64 hexadecimal digits; remove it and MedAug makes a new one "
                          + "(patient keys in earlier outputs then no longer match)")
        }
        return bytes
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let b = UInt8(String(decoding: digits[i..<(i + 2)], as: UTF8.self), radix: 16) else { return nil }
            out.append(b)
        }
        return out
    }
}
