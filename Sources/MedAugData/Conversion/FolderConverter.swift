import Dispatch
import Foundation
import MedAugCore
import MedAugFormats
import MedAugImage

/// `medaug convert`: DICOM, TIFF, PNG and JPEG files or folders to PNG or
/// JPEG, mirroring the folders, with one `conversion.csv` row per image
/// written (source, output, window used, frames, modality, patient key).
///
/// Each finished file is appended to a journal in the output folder, so an
/// interrupted run started again skips what it already wrote; the journal
/// becomes `conversion.csv` (written atomically) at the end.
public struct FolderConverter: Sendable {
    /// Files or folders to convert.
    public var inputs: [String]
    /// The output folder (outside every input).
    public var out: String
    /// PNG or JPEG.
    public var format: ImageFormat = .png
    /// Window, bits and frames.
    public var options = ReadOptions()
    /// JPEG quality 1...100.
    public var jpegQuality = 95
    /// List bad files and go on instead of stopping at the first.
    public var skipBad = false
    /// Worker threads.
    public var jobs = 1
    /// Turns a Patient ID into the key written to conversion.csv (a salted hash unless the user kept ids).
    public var patientKey: @Sendable (String) -> String = { _ in "" }

    /// The CSV's name in the output folder.
    public static let tableName = "conversion.csv"
    static let journalName = ".conversion-journal.csv"
    static let settingsName = ".conversion-settings"
    /// Columns of conversion.csv.
    public static let columns = ["source", "output", "frame", "frames", "window", "bits", "modality", "photometric", "patient"]

    /// What a run did.
    public struct Report: Sendable {
        /// Images written by this run, and kept from an interrupted earlier run.
        public var written = 0, resumed = 0
        /// Files with no pixel data (reports, RT plans), skipped as non-images.
        public var nonImages: [String] = []
        /// Bad files skipped (with --skip-bad), with their reasons.
        public var bad: [ImageError] = []
    }

    /// Makes a converter.
    public init(inputs: [String], out: String) {
        self.inputs = inputs
        self.out = out
    }

    struct Job {
        let source: String
        /// Output path relative to `out`, without extension.
        let stem: String
    }

    /// Converts everything; throws the first bad file's error unless `skipBad`.
    public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Report {
        try OutputGuard.check(output: out, inputs: inputs)
        let jobs = try plan()
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let journalPath = (out as NSString).appendingPathComponent(Self.journalName)
        // An interrupted run with other settings made other images: never mix them.
        let settings = "format=\(format.rawValue) window=\(options.window) bits=\(options.bits) frames=\(options.frames.rawValue) quality=\(jpegQuality)\n"
        let settingsPath = (out as NSString).appendingPathComponent(Self.settingsName)
        if FileManager.default.fileExists(atPath: journalPath),
           let before = try? String(contentsOfFile: settingsPath, encoding: .utf8), before != settings {
            throw ImageError(.unsupported, path: out,
                             reason: "holds an interrupted conversion made with other settings (\(before.trimmingCharacters(in: .whitespacesAndNewlines))); run it again with those, or choose another folder")
        }
        try AtomicWrite.write(settings, to: settingsPath)
        var done: [String: [[String]]] = [:]
        if let text = try? String(contentsOfFile: journalPath, encoding: .utf8) {
            for row in CSV.parse(text) where row.count == Self.columns.count && row[0] != "source" {
                let output = (out as NSString).appendingPathComponent(row[1])
                if let size = (try? FileManager.default.attributesOfItem(atPath: output))?[.size] as? Int, size > 0 {
                    done[row[0], default: []].append(row)
                }
            }
        }
        let journal = try Journal(path: journalPath)
        var report = Report()
        let todo = jobs.filter { done[$0.source] == nil }
        let resumed = jobs.count - todo.count, total = jobs.count
        report.resumed = resumed
        progress?(resumed, total)
        let outcomes = Slots<Outcome>(count: todo.count), counter = Counter()
        let workers = max(1, min(self.jobs, todo.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for k in stride(from: worker, to: todo.count, by: workers) {
                guard !counter.failed else { return }
                let outcome: Outcome
                do {
                    let rows = try convert(todo[k])
                    try journal.append(rows)
                    outcome = .rows(rows)
                } catch let e as ImageError where DicomFile.isNoPixelData(e) {
                    outcome = .nonImage
                } catch let e as ImageError where skipBad {
                    outcome = .bad(e)
                } catch {
                    outcome = .failure(error)
                    counter.fail()
                }
                _ = outcomes.set(k, outcome)
                progress?(resumed + counter.increment(), total)
            }
        }
        journal.close()
        var rows = done.values.flatMap { $0 }
        for k in todo.indices {
            switch outcomes[k] {
            case .rows(let r)?:
                rows += r
                report.written += r.count
            case .nonImage?: report.nonImages.append(todo[k].source)
            case .bad(let e)?: report.bad.append(e)
            case .failure(let e)?: throw e
            case nil: break
            }
        }
        report.nonImages.sort()
        report.bad.sort { $0.path < $1.path }
        rows.sort { ($0[0], Int($0[2]) ?? 0) < ($1[0], Int($1[2]) ?? 0) }
        try AtomicWrite.write(CSV.text([Self.columns] + rows), to: (out as NSString).appendingPathComponent(Self.tableName))
        try? FileManager.default.removeItem(atPath: journalPath)
        try? FileManager.default.removeItem(atPath: (out as NSString).appendingPathComponent(Self.settingsName))
        return report
    }

    /// Writes one source's images and returns their rows.
    func convert(_ job: Job) throws -> [[String]] {
        let bytes = try ImageFile.readBytes(job.source)
        let images = try MedicalImageFile.frames(bytes, path: job.source, options: options)
        var rows: [[String]] = []
        let width = max(2, String(images.count).count)
        for (i, scan) in images.enumerated() {
            var rel = job.stem
            if options.frames == .all && images.count > 1 {
                rel += "_f" + String(repeating: "0", count: max(0, width - String(i + 1).count)) + String(i + 1)
            }
            rel += "." + format.fileExtension
            var image = scan.image
            if format == .jpeg { image = image.to8Bit() } else if options.bits == 8 { image = image.to8Bit() }
            try ImageFile.write(image, to: (out as NSString).appendingPathComponent(rel), format: format,
                                jpegQuality: jpegQuality, durable: false)
            let d = scan.display
            rows.append([job.source, rel, String(d?.frame ?? (images.count > 1 ? i : 0)), String(d?.frames ?? images.count), d?.window ?? "",
                         String(image.bitDepth), d?.modality ?? "", d?.photometric ?? "",
                         (d?.patientID).map { $0.isEmpty ? "" : patientKey($0) } ?? ""])
        }
        return rows
    }

    /// Every file to convert, with its output stem; two sources that would
    /// write the same output keep their extensions in the name (`a.dcm.png`).
    func plan() throws -> [Job] {
        var jobs: [Job] = []
        let fm = FileManager.default
        for input in inputs {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: input, isDirectory: &isDir) else {
                throw ImageError(.unreadable, path: input, reason: "no such file or folder")
            }
            if !isDir.boolValue {
                let name = (input as NSString).lastPathComponent
                jobs.append(Job(source: input, stem: (name as NSString).deletingPathExtension))
                continue
            }
            guard let walker = fm.enumerator(atPath: input) else {
                throw ImageError(.unreadable, path: input, reason: "cannot list the folder")
            }
            var found: [String] = []
            while let rel = walker.nextObject() as? String {
                let name = (rel as NSString).lastPathComponent
                if name.hasPrefix(".") {
                    if (walker.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory { walker.skipDescendants() }
                    continue
                }
                let full = (input as NSString).appendingPathComponent(rel)
                if (walker.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory { continue }
                if MedicalImageFile.isImageFile(name: name, path: full) { found.append(rel) }
            }
            let base = inputs.count > 1 ? (input as NSString).lastPathComponent : ""
            for rel in found.sorted(by: UnicodeOrder.precedes) {
                let stem = (rel as NSString).deletingPathExtension
                jobs.append(Job(source: (input as NSString).appendingPathComponent(rel),
                                stem: base.isEmpty ? stem : (base as NSString).appendingPathComponent(stem)))
            }
        }
        var seen: [String: Int] = [:]
        for j in jobs { seen[j.stem.lowercased(), default: 0] += 1 }
        let renamed = jobs.map { j in
            guard seen[j.stem.lowercased()]! > 1 else { return j }
            let ext = (j.source as NSString).pathExtension
            return Job(source: j.source, stem: ext.isEmpty ? j.stem + "_" : j.stem + "." + ext)
        }
        // Still equal (two inputs with the same folder name): refuse rather than overwrite.
        var owner: [String: String] = [:]
        for j in renamed {
            if let other = owner[j.stem.lowercased()] {
                throw ImageError(.unsupported, path: j.source,
                                 reason: "would be written to the same output as \(other); convert the two inputs into separate folders")
            }
            owner[j.stem.lowercased()] = j.source
        }
        return renamed
    }
}

/// Rows appended as files finish; the file is what a resumed run reads back.
final class Journal: @unchecked Sendable {
    private let lock = NSLock()
    private let handle: FileHandle

    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            try AtomicWrite.write(CSV.row(FolderConverter.columns) + "\n", to: path)
        }
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw ImageError(.unreadable, path: path, reason: "cannot open the conversion journal for writing")
        }
        h.seekToEndOfFile()
        handle = h
    }

    func append(_ rows: [[String]]) throws {
        let text = rows.map { CSV.row($0) + "\n" }.joined()
        try lock.withLock { try handle.write(contentsOf: Data(text.utf8)) }
    }

    func close() { lock.withLock { try? handle.close() } }
}

/// What became of one source file.
enum Outcome {
    /// Converted: its conversion.csv rows.
    case rows([[String]])
    /// DICOM without pixel data: listed, not an error.
    case nonImage
    /// A bad file skipped with --skip-bad.
    case bad(ImageError)
    /// The error that stops the run.
    case failure(Error)
}
