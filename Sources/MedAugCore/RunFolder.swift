import Foundation

/// The skeleton every resumable command shares (train, gan train, augment,
/// experiment): one output folder holding a settings record, written once
/// when the work starts, and state records rewritten atomically as units of
/// work finish. A folder that already holds settings is only continued when
/// the user says so (`--resume`), so finished results are never overwritten
/// by accident; continuing with other settings is refused instead of mixing
/// two runs in one folder.
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
    public func begin<Settings: Decodable>(resume: Bool, as type: Settings.Type) throws -> Settings? {
        guard isStarted else { return nil }
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
