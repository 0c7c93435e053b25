import Foundation
import MedAugCore
import MedAugImage

/// `skipped_files.csv`: which files a skip-bad run left out and why, so the
/// data can be fixed and the run's inputs stay accountable.
public enum SkippedFilesReport {
    public static let fileName = "skipped_files.csv"

    /// RFC 4180 CSV with the header `path,kind,reason`.
    public static func csv(_ skipped: [SkippedFile]) -> String {
        var text = "path,kind,reason\r\n"
        for s in skipped {
            text += [s.path, s.kind, s.reason].map(CSV.field).joined(separator: ",") + "\r\n"
        }
        return text
    }

    /// Writes the list atomically into `folder` (created if needed) and
    /// returns the file's path. With `inputs`, refuses a folder inside them.
    @discardableResult
    public static func write(_ skipped: [SkippedFile], into folder: String, inputs: [String] = []) throws -> String {
        try OutputGuard.check(output: folder, inputs: inputs)
        let path = folder.hasSuffix("/") ? folder + fileName : folder + "/" + fileName
        try AtomicWrite.write(csv(skipped), to: path)
        return path
    }
}
