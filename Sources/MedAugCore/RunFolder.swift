import Foundation

/// The skeleton every resumable command shares (train, gan train, augment,
/// experiment): one output folder holding a settings record, written when the
/// work starts, and state records rewritten atomically as units of work
/// finish. A folder whose work has committed progress is only continued when
/// the user says so (`--resume`), so finished results are never overwritten
/// by accident; continuing with other settings is refused instead of mixing
/// two runs in one folder.
///
/// Checkpointed work commits each unit with `commit(_:to:)`: the unit's files
/// are first written under versioned names (`checkpoints/epoch_0003.*`, see
/// `versioned(_:_:)`), then ONE state record naming them is written last and
/// atomically; only then are user-facing names refreshed (`publish`) and older
/// versions removed (`sweep`). A kill at any instant therefore leaves the last
/// state record and every file it names intact; anything newer is ignored and
/// repaired on resume.
public struct RunFolder: Sendable {
    /// The output folder.
    public let dir: String
    /// The settings record's file name inside `dir` (config.json, gan.json, ...).
    public let settingsName: String
    /// What the folder holds, for messages ("a run", "GAN runs", "an experiment").
    public let holds: String

    /// A folder whose settings live in `settingsName`.
    public init(_ dir: String, settings settingsName: String, holds: String) {
        self.dir = dir
        self.settingsName = settingsName
        self.holds = holds
    }

    /// A file inside the folder.
    public func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }

    /// The settings record's path.
    public var settingsPath: String { path(settingsName) }

    /// True when an earlier start recorded its settings here.
    public var isStarted: Bool { FileManager.default.fileExists(atPath: settingsPath) }

    /// Checks whether the work may start or continue here and returns the
    /// saved settings when continuing (nil for a fresh start, also when
    /// `resume` finds nothing to continue).
    ///
    /// `committed` says whether the folder holds committed progress (a state
    /// record). Settings without it are a start that failed or was killed
    /// before its first commit: that blocks nothing. A new start replaces it;
    /// `--resume` starts it again with the saved settings.
    public func begin<Settings: Decodable>(resume: Bool, as type: Settings.Type, committed: Bool = true) throws -> Settings? {
        guard isStarted else { return nil }
        guard committed else { return resume ? try read(settingsName, as: Settings.self) : nil }
        guard resume else {
            throw RunFolderError("\(dir) already holds \(holds); add --resume to continue, or choose another --out")
        }
        return try read(settingsName, as: Settings.self)
    }

    /// Refuses to continue when the saved settings differ from `settings`.
    public func requireSame<Settings: Equatable>(_ saved: Settings?, _ settings: Settings, what: String) throws {
        if let saved, saved != settings {
            throw RunFolderError("\(dir) holds \(holds) with other \(what); continue with the same ones, or choose another --out")
        }
    }

    /// Creates the folder and writes the settings record atomically.
    public func record<Settings: Encodable>(_ settings: Settings) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try write(settings, to: settingsName)
    }

    /// A JSON record of the folder, or nil when it is not there.
    public func readIfPresent<T: Decodable>(_ name: String, as type: T.Type) throws -> T? {
        try JSONRecord.readIfPresent(path(name), as: type)
    }

    /// A JSON record of the folder; a missing or unreadable one names the file.
    public func read<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        guard let value = try readIfPresent(name, as: type) else {
            throw RunFolderError("\(path(name)): missing; \(dir) does not hold \(holds)")
        }
        return value
    }

    /// Writes a JSON record atomically, with sorted keys so that equal
    /// records are equal files.
    public func write<T: Encodable>(_ value: T, to name: String) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicWrite.write(try enc.encode(value), to: path(name))
    }

    /// The folder versioned checkpoint files live in, relative to `dir`.
    public static let checkpoints = "checkpoints"

    /// The versioned name of one unit's file, relative to `dir`:
    /// `checkpoints/epoch_0003.<kind>`. Files are never rewritten under the
    /// name a committed state record gives them.
    public static func versioned(_ epoch: Int, _ kind: String) -> String {
        "\(checkpoints)/" + String(format: "epoch_%04d.", epoch) + kind
    }

    /// Commits a unit of work: writes the state record `name` atomically,
    /// after the files it names (written before this call) are on disk. This
    /// is the instant the unit counts as done.
    public func commit<T: Encodable>(_ state: T, to name: String) throws {
        AtomicWrite.syncFolder(path(Self.checkpoints))
        AtomicWrite.syncFolder(dir)
        try write(state, to: name)
        AtomicWrite.syncFolder(dir)
    }

    /// Points the user-facing `name` at the committed file `file` (both
    /// relative to `dir`), in one step; skipped when it already is that file.
    public func publish(_ file: String, as name: String) throws {
        var a = stat(), b = stat()
        if stat(path(file), &a) == 0, stat(path(name), &b) == 0, a.st_ino == b.st_ino, a.st_dev == b.st_dev { return }
        try AtomicWrite.link(path(file), to: path(name))
    }

    /// Removes what a committed state does not name: files under
    /// `checkpoints/` other than `keeping` (paths relative to `dir`), and
    /// temporary files that killed writes left in `dir` and `checkpoints/`.
    public func sweep(keeping: Set<String>) throws {
        let fm = FileManager.default
        AtomicWrite.removeStaleTemporaries(in: dir, sparingLiveWriters: false)
        for name in (try? fm.contentsOfDirectory(atPath: path(Self.checkpoints))) ?? [] {
            let rel = "\(Self.checkpoints)/\(name)"
            if !keeping.contains(rel) { try fm.removeItem(atPath: path(rel)) }
        }
    }
}

/// A run folder that cannot be started or continued, named in the message.
public struct RunFolderError: MedAugError, Equatable {
    /// The one-line message.
    public let message: String
    /// Creates the error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
