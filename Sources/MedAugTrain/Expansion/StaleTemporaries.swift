import Foundation

/// The temporary files `AtomicWrite` leaves behind when a process is killed
/// between writing and renaming (`.<name>.tmp-<pid>-<random>`). A resumed or
/// finished augmentation removes them from the folders it writes, so that a
/// kill leaves no debris in the output; a file whose process still runs may
/// be another writer's work in flight and is left alone.
enum StaleTemporaries {
    /// Removes the stale temporary files directly inside `folders`; returns how many.
    @discardableResult
    static func remove(in folders: [String]) -> Int {
        var removed = 0
        for folder in folders {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names {
                guard let pid = writer(of: name), !isRunning(pid) else { continue }
                let path = (folder as NSString).appendingPathComponent(name)
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
                if (try? FileManager.default.removeItem(atPath: path)) != nil { removed += 1 }
            }
        }
        return removed
    }

    /// The process id in an `AtomicWrite` temporary name, or nil for any other name.
    static func writer(of name: String) -> pid_t? {
        guard name.hasPrefix("."), let mark = name.range(of: ".tmp-", options: .backwards),
              mark.lowerBound > name.index(after: name.startIndex) else { return nil }
        let tail = name[mark.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard tail.count == 2, tail.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let pid = pid_t(tail[0]), UInt32(tail[1]) != nil else { return nil }
        return pid
    }

    /// True for another live process. This process counts as not running:
    /// it sweeps only when none of its own writes to these folders is in flight.
    static func isRunning(_ pid: pid_t) -> Bool {
        guard pid > 0, pid != getpid() else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
