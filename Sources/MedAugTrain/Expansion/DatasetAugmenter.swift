import Foundation
import MedAugAugment
import MedAugCore
import MedAugData
import MedAugImage

/// `medaug augment`: every training image gives K augmented copies named
/// `<stem>_aug<k>.<ext>` beside a copy of the original, with a manifest.
/// Each copy's random stream comes from (seed, relative path, k), so the
/// files do not depend on the number of workers or on interruptions.
public struct DatasetAugmenter {
    public var pipeline: MedAugAugment.Sequential
    public var copies: Int = 3
    public var seed: UInt64 = 0
    public var keepOriginal = true
    public var format: ImageFormat = .png
    public var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    public var skipBad = false
    public var showProgress = isatty(STDERR_FILENO) != 0
    public var log: (String) -> Void = { print($0) }

    public init(pipeline: MedAugAugment.Sequential) { self.pipeline = pipeline }

    public struct Report: Sendable {
        public var written: Int
        public var reused: Int
        public var skipped: [SkippedFile]
        public var seconds: Double
    }

    static let journalName = ".medaug-augment-journal.csv"
    public static let manifestHeader = "output,source,copy,augmenters"

    struct Job: Sendable {
        let source: String        // absolute
        let rel: String           // relative to the input root
        let copy: Int             // 0 = the original
    }

    /// What an unfinished run records, so that continuing it with another
    /// pipeline or seed is refused instead of mixing two runs' files.
    struct Settings: Codable, Equatable {
        var pipeline: String
        var copies: Int
        var seed: UInt64
        var keepOriginal: Bool
        var format: String
    }

    static let settingsName = ".medaug-augment.json"

    /// Expands `input` into `output`; a folder left by an interrupted run is continued.
    public func run(input: String, output: String) throws -> Report {
        guard copies >= 0 else { throw DatasetError.invalidArgument("--copies must be 0 or more, got \(copies)") }
        try OutputGuard.check(output: output, inputs: [input])
        let ds = try Dataset.load(root: input)
        let started = Date()
        let folder = RunFolder(output, settings: Self.settingsName, holds: "an unfinished augmentation")
        let settings = Settings(pipeline: PipelineWriter.render(pipeline, format: .json), copies: copies, seed: seed,
                                keepOriginal: keepOriginal, format: format.fileExtension)
        try folder.requireSame(try folder.begin(resume: true, as: Settings.self), settings, what: "settings (pipeline, seed, copies or format)")
        try folder.record(settings)
        let journal = Journal(path: folder.path(Self.journalName))
        let done = journal.load()
        let jobs = plan(ds, root: input)
        let work = jobs.filter { job in
            let out = Self.outputName(job, format: self.format)
            return done[out] == nil || !FileManager.default.fileExists(atPath: folder.path(out))
        }
        let reused = jobs.count - work.count
        if reused > 0 { log("resuming: \(reused) of \(jobs.count) files are already done") }
        let skipped = try perform(work, into: output, journal: journal, workers: max(1, min(jobs.isEmpty ? 1 : jobs.count, self.jobs)))
        // The manifest is rebuilt from the journal, in output order, and replaces it.
        let rows = journal.load().sorted { $0.key < $1.key }.map { $0.value }
        try AtomicWrite.write(([Self.manifestHeader] + rows).joined(separator: "\n") + "\n", to: folder.path("manifest.csv"))
        if !skipped.isEmpty {
            let p = try SkippedFilesReport.write(skipped, into: output, inputs: [input])
            log("skipped \(skipped.count) bad file(s); list in \(p)")
        }
        try? FileManager.default.removeItem(atPath: journal.path)
        try? FileManager.default.removeItem(atPath: folder.settingsPath)
        return Report(written: work.count - skipped.count, reused: reused, skipped: skipped,
                      seconds: Date().timeIntervalSince(started))
    }

    /// Every output of the run: originals and copies of the training images, test images as they are.
    func plan(_ ds: Dataset, root input: String) -> [Job] {
        let toExpand = ds.layout == .split ? ds.samples(in: .train) : ds.samples
        let toCopy = ds.layout == .split ? ds.samples(in: .test) : []
        let root = (input as NSString).standardizingPath
        func rel(_ p: String) -> String {
            let s = (p as NSString).standardizingPath
            return s.hasPrefix(root + "/") ? String(s.dropFirst(root.count + 1)) : (s as NSString).lastPathComponent
        }
        var jobs: [Job] = []
        for s in toExpand {
            let r = rel(s.path)
            if keepOriginal { jobs.append(Job(source: s.path, rel: r, copy: 0)) }
            for k in 1...max(copies, 1) where copies > 0 { jobs.append(Job(source: s.path, rel: r, copy: k)) }
        }
        for s in toCopy { jobs.append(Job(source: s.path, rel: rel(s.path), copy: 0)) }
        return jobs
    }

    /// Runs the jobs on `workers` threads; returns the files skipped as bad.
    func perform(_ work: [Job], into output: String, journal: Journal, workers: Int) throws -> [SkippedFile] {
        let progress = ProgressLine(label: "augment", enabled: showProgress)
        let skipped = SkippedCollector(), counter = AtomicCounter(), failure = FirstError()
        let writer = Writer(pipeline: pipeline, seed: seed, format: format), skipBad = self.skipBad
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while failure.value == nil {
                let i = counter.next()
                guard i < work.count else { return }
                do {
                    try writer.write(work[i], into: output, journal: journal)
                } catch let e as ImageError {
                    if skipBad { skipped.add(SkippedFile(e)) } else { failure.set(e) }
                } catch {
                    failure.set(error)
                }
                progress.update(i + 1, work.count)
            }
        }
        progress.finish()
        if let e = failure.value { throw e }
        return skipped.items
    }

    /// What a worker needs to write one output: the values, not the whole augmenter.
    struct Writer: Sendable {
        let pipeline: MedAugAugment.Sequential
        let seed: UInt64
        let format: ImageFormat

        /// One output file, then its journal line.
        func write(_ job: Job, into output: String, journal: Journal) throws {
            let outRel = DatasetAugmenter.outputName(job, format: format)
            let dest = (output as NSString).appendingPathComponent(outRel)
            if job.copy == 0 {
                // The original, byte for byte, after checking that it decodes.
                _ = try ImageFile.read(job.source)
                try AtomicWrite.write(Data(try ImageFile.readBytes(job.source)), to: dest)
                journal.append(output: outRel, source: job.rel, copy: 0, augmenters: "")
            } else {
                let img = try ImageFile.read(job.source)
                var ctx = AugmentContext(seed: seed, identity: "\(job.rel)#\(job.copy)", recordTrace: true)
                var out = try pipeline.augment(img, &ctx)
                if format == .jpeg { out = out.to8Bit() }
                try ImageFile.write(out, to: dest, format: format)
                journal.append(output: outRel, source: job.rel, copy: job.copy,
                               augmenters: (ctx.trace ?? []).map(\.description).joined(separator: "; "))
            }
        }
    }

    static func outputName(_ job: Job, format: ImageFormat) -> String {
        guard job.copy > 0 else { return job.rel }
        let dir = (job.rel as NSString).deletingLastPathComponent
        let stem = ((job.rel as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = "\(stem)_aug\(job.copy).\(format.fileExtension)"
        return dir.isEmpty ? name : "\(dir)/\(name)"
    }
}

/// Finished outputs, one CSV line each, appended as they complete: what a
/// resumed run skips. A line cut short by a kill is ignored on reading.
final class Journal: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private var handle: FileHandle?

    init(path: String) { self.path = path }

    func load() -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var map: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = CSV.parse(String(line) + "\n").first ?? []
            guard fields.count == 4, Int(fields[2]) != nil else { continue }
            map[fields[0]] = String(line)
        }
        return map
    }

    func append(output: String, source: String, copy: Int, augmenters: String) {
        let line = [CSV.field(output), CSV.field(source), String(copy), CSV.field(augmenters)].joined(separator: ",") + "\n"
        lock.lock()
        defer { lock.unlock() }
        if handle == nil {
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            handle = FileHandle(forWritingAtPath: path)
            handle?.seekToEndOfFile()
        }
        handle?.write(Data(line.utf8))
    }

    deinit { try? handle?.close() }
}

final class SkippedCollector: @unchecked Sendable {
    private var list: [SkippedFile] = []
    private let lock = NSLock()
    var items: [SkippedFile] {
        lock.lock()
        defer { lock.unlock() }
        return list.sorted { $0.path < $1.path }
    }
    func add(_ s: SkippedFile) {
        lock.lock()
        list.append(s)
        lock.unlock()
    }
}
