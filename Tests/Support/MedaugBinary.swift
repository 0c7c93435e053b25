import Foundation
import XCTest

/// The built `medaug` command, run as a user runs it, for every test target
/// that checks behaviour end to end (exit status, messages, files written).
public enum MedaugBinary {
    /// The package root.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `.build/debug/medaug` (or release); `MEDAUG_TEST_BINARY` runs the
    /// tests against another build, e.g. an older commit's, to see which of
    /// them it fails. Skips the test when none is built.
    public static var url: URL {
        get throws {
            if let other = ProcessInfo.processInfo.environment["MEDAUG_TEST_BINARY"] { return URL(fileURLWithPath: other) }
            for config in ["debug", "release"] {
                let url = root.appendingPathComponent(".build/\(config)/medaug")
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
            throw XCTSkip("the medaug binary is not built (no torch wheel)")
        }
    }

    /// What one run left: exit status and both output streams.
    public struct Result {
        /// The exit status (for a signal, the signal's number, as Foundation reports it).
        public let status: Int32
        /// Standard output.
        public let out: String
        /// Standard error.
        public let err: String
    }

    /// Runs `medaug args` to its end in `directory` with `environment` added.
    /// With `bounded`, the run is stopped after 120 s (exit status 124) and
    /// may not take more than 4 GB of address space: a test of hostile input
    /// must fail, not hang or exhaust the machine, when the input wins.
    public static func run(_ args: [String], in directory: URL? = nil, environment: [String: String] = [:],
                           bounded: Bool = false) throws -> Result {
        let p = Process()
        if bounded {
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "ulimit -v 4000000 && exec timeout 120 \"$0\" \"$@\"", try url.path] + args
        } else {
            p.executableURL = try url
            p.arguments = args
        }
        if let directory { p.currentDirectoryURL = directory }
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        // Files rather than pipes: a chatty run can never block on a full pipe.
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-run-\(UUID().uuidString)")
        let outURL = base.appendingPathExtension("out"), errURL = base.appendingPathExtension("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        p.standardOutput = out
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: p.terminationStatus, out: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      err: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
