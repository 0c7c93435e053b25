import Foundation
import MedAugCore
import MedAugImage

/// What one finished output of a dataset with targets left behind: enough
/// to write its manifest row and, for COCO, its annotations, after a resumed
/// run that did not augment it again.
struct TargetRecord: Codable, Sendable, Equatable {
    /// The output's stem (`<stem>_aug<k>`, or the source stem for the original).
    var output: String
    /// The image file written, relative to the output's `images/` folder.
    var file: String
    /// The source image, relative to the dataset's root when it lies under it.
    var source: String
    /// 0 for the original, k for the k-th augmented copy.
    var copy: Int
    var width: Int
    var height: Int
    /// The trace, as the manifest writes it.
    var augmenters: String
    /// Kept boxes: x1, y1, x2, y2, label, id.
    var boxes: [[Double]]
    /// Keypoints in loading order (x, y).
    var keypoints: [[Double]]
    /// Ids of the boxes removed (left the image, or below `--min-visibility`).
    var removed: [Int]

    /// The record's boxes and keypoints as targets.
    var targets: ImageTargets {
        ImageTargets(keypoints: keypoints.map { Keypoint(x: $0[0], y: $0[1]) },
                     boxes: boxes.map { BoundingBox(x1: $0[0], y1: $0[1], x2: $0[2], y2: $0[3], label: Int($0[4]), id: Int($0[5])) })
    }
}

/// Finished outputs, one JSON line each, appended as they complete. A line
/// cut short by a kill is dropped when read (and its output made again).
final class TargetJournal: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private var handle: FileHandle?

    init(path: String) { self.path = path }

    deinit { try? handle?.close() }

    /// The records of a previous run (none when there was none), by output stem.
    func load() -> [String: TargetRecord] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        var out: [String: TargetRecord] = [:]
        let decoder = JSONDecoder()
        for line in data.split(separator: UInt8(ascii: "\n")) {
            if let r = try? decoder.decode(TargetRecord.self, from: Data(line)) { out[r.output] = r }
        }
        return out
    }

    /// Starts the journal again with `kept` records only (a cut line would
    /// otherwise swallow the next one appended).
    func restart(with kept: [TargetRecord]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var text = Data()
        for r in kept { text += try encoder.encode(r) + Data("\n".utf8) }
        try AtomicWrite.write(text, to: path)
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle?.seekToEnd()
    }

    /// Appends one record.
    func append(_ r: TargetRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let line = try encoder.encode(r) + Data("\n".utf8)
        lock.lock()
        defer { lock.unlock() }
        try handle?.write(contentsOf: line)
    }
}
