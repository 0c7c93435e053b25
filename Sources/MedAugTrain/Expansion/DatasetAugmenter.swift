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
    /// PNG compression of the copies (`ImageCodec.pngCompressionLevels`).
    public var pngCompression = ImageCodec.defaultPNGCompression
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
    ///
    /// Nothing is written when the output holds or lies in the input, or
    /// when two sources would give the same output name (see `requireUniqueNames`).
    public func run(input: String, output: String) throws -> Report {
        guard copies >= 0 else { throw DatasetError.invalidArgument("--copies must be 0 or more, got \(copies)") }
        try OutputGuard.checkApart(output: output, inputs: [input])
        let ds = try Dataset.load(root: input)
        let jobs = plan(ds, root: input)
        let outputs = jobs.map { Self.outputName($0, format: format) }
        try Self.requireUniqueNames(jobs, outputs, in: output)
        let folders = Self.outputFolders(outputs, in: output)
        // A class folder of the output may be a link into the input.
        for f in folders { try OutputGuard.check(output: f, inputs: [input]) }
        let started = Date()
        let folder = RunFolder(output, settings: Self.settingsName, holds: "an unfinished augmentation")
        let settings = Settings(pipeline: PipelineWriter.render(pipeline, format: .json), copies: copies, seed: seed,
                                keepOriginal: keepOriginal, format: format.fileExtension)
        try folder.requireSame(try folder.begin(resume: true, as: Settings.self), settings, what: "settings (pipeline, seed, copies, format or --no-original)")
        try folder.record(settings)
        folders.forEach { AtomicWrite.removeStaleTemporaries(in: $0) }
        let journal = Journal(path: folder.path(Self.journalName))
        let done = try journal.loadRepairing()
        // An output is done when the journal lists it and it is not empty (a
        // power cut can leave an unflushed image empty under its name).
        let work = zip(jobs, outputs).filter { _, out in
            done[ScalarKey(out)] == nil || !Self.holdsData(folder.path(out))
        }.map(\.0)
        let reused = jobs.count - work.count
        if reused > 0 { log("resuming: \(reused) of \(jobs.count) files are already done") }
        let (skipped, failedJobs) = try perform(work, into: output, journal: journal, workers: max(1, self.jobs))
        // The images were written without a flush each (AtomicWrite); one
        // flush of them all comes before the manifest says the run is done.
        AtomicWrite.syncFileSystem(containing: output)
        try writeManifest(outputs, journal: journal, to: folder.path(AugmentManifest.fileName))
        if !skipped.isEmpty {
            let p = try SkippedFilesReport.write(skipped, into: output, inputs: [input])
            log("skipped \(skipped.count) bad file(s); list in \(p)")
        }
        try? FileManager.default.removeItem(atPath: journal.path)
        try? FileManager.default.removeItem(atPath: folder.settingsPath)
        folders.forEach { AtomicWrite.removeStaleTemporaries(in: $0) }
        return Report(written: work.count - failedJobs, reused: reused, skipped: skipped,
                      seconds: Date().timeIntervalSince(started))
    }

    static func holdsData(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && st.st_size > 0
    }

    /// The manifest, rebuilt from the journal in output order: only this
    /// run's outputs, each record quoted as RFC 4180 needs.
    func writeManifest(_ outputs: [String], journal: Journal, to path: String) throws {
        let records = journal.load()
        let rows = outputs.sorted(by: UnicodeOrder.precedes).compactMap { records[ScalarKey($0)] }
        try AtomicWrite.write(Self.manifestHeader + "\n" + CSV.text(rows), to: path)
    }

    /// The output root and every folder an output goes to, each once, in order.
    static func outputFolders(_ outputs: [String], in output: String) -> [String] {
        var seen = Set<ScalarKey>(), folders = [output]
        for o in outputs {
            let dir = (o as NSString).deletingLastPathComponent
            if !dir.isEmpty, seen.insert(ScalarKey(dir)).inserted { folders.append((output as NSString).appendingPathComponent(dir)) }
        }
        return folders
    }

    /// Refuses a plan in which two jobs write the same file, before anything is
    /// written: `x.png` and `x.jpg` both give `x_aug1.png` (as `y.png` and
    /// `y.PNG` give `y_aug1.png`), and an input image already named
    /// `x_aug1.png` would be copied to the name of `x.png`'s first copy. Names are compared scalar by
    /// scalar, as the file system compares them. Renaming one source is the
    /// fix; quietly renaming outputs would make names depend on neighbours.
    static func requireUniqueNames(_ jobs: [Job], _ outputs: [String], in output: String) throws {
        var first: [ScalarKey: Int] = [:]
        var clashes: [(Int, Int)] = []
        for (i, o) in outputs.enumerated() {
            if let j = first[ScalarKey(o)] { clashes.append((j, i)) } else { first[ScalarKey(o)] = i }
        }
        guard let (a, b) = clashes.first else { return }
        func role(_ j: Job) -> String { j.copy == 0 ? "the copy of '\(j.source)'" : "augmented copy \(j.copy) of '\(j.source)'" }
        let more = clashes.count > 1 ? " (\(clashes.count - 1) more output name(s) clash too)" : ""
        let hint = jobs[a].copy == 0 || jobs[b].copy == 0 ? ", or leave the originals out with --no-original" : ""
        throw TrainError(.data, "'\((output as NSString).appendingPathComponent(outputs[a]))' would be written twice, as "
            + "\(role(jobs[a])) and as \(role(jobs[b]))\(more); nothing was written: rename one of the two sources\(hint)")
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

    /// The outputs of one source image: a worker reads and decodes it once
    /// and writes all of them (the original and its copies) from that.
    struct Unit: Sendable {
        let jobs: [Job]
        var source: String { jobs[0].source }
    }

    /// Groups jobs by source, in the order of their first job.
    static func units(_ work: [Job]) -> [Unit] {
        var index: [ScalarKey: Int] = [:], groups: [[Job]] = []
        for j in work {
            if let i = index[ScalarKey(j.source)] { groups[i].append(j) } else {
                index[ScalarKey(j.source)] = groups.count
                groups.append([j])
            }
        }
        return groups.map(Unit.init)
    }

    /// Runs the jobs on `workers` threads, one source image at a time; returns
    /// the files skipped as bad (each once) and the number of outputs not written.
    func perform(_ work: [Job], into output: String, journal: Journal, workers: Int) throws -> ([SkippedFile], Int) {
        let progress = ProgressLine(label: "augment", enabled: showProgress)
        let skipped = SkippedCollector(), counter = AtomicCounter(), written = AtomicCounter(), failure = FirstError()
        let writer = Writer(pipeline: pipeline, seed: seed, format: format, pngCompression: pngCompression)
        let skipBad = self.skipBad, units = Self.units(work)
        let unwritten = AtomicCounter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, units.count))) { _ in
            while failure.value == nil {
                let i = counter.next()
                guard i < units.count else { return }
                var done = 0
                do {
                    try writer.write(units[i], into: output, journal: journal) { _ in
                        done += 1
                        progress.update(written.next() + 1, work.count)
                    }
                } catch let e as ImageError {
                    if skipBad { skipped.add(SkippedFile(e)) } else { failure.set(e) }
                } catch {
                    // The augmenters do not know which file they work on; the user must.
                    failure.set(TrainError(.data, "\(units[i].source): \(error)"))
                }
                for _ in done..<units[i].jobs.count { _ = unwritten.next() }
            }
        }
        progress.finish()
        if let e = failure.value { throw e }
        return (skipped.items, unwritten.next())
    }

    /// What a worker needs to write the outputs of one source: the values, not the whole augmenter.
    struct Writer: Sendable {
        let pipeline: MedAugAugment.Sequential
        let seed: UInt64
        let format: ImageFormat
        let pngCompression: Int

        /// Every output of `unit`, each followed by its journal line and `wrote(job)`.
        func write(_ unit: Unit, into output: String, journal: Journal, wrote: (Job) -> Void) throws {
            let bytes = try ImageFile.readBytes(unit.source)
            // Decoded even when only the original is copied: a bad file is
            // refused, never copied into a training set.
            let image = try ImageFile.decode(bytes, path: unit.source)
            for job in unit.jobs {
                let outRel = DatasetAugmenter.outputName(job, format: format)
                let dest = (output as NSString).appendingPathComponent(outRel)
                if job.copy == 0 {
                    // The original, byte for byte.
                    try AtomicWrite.write(Data(bytes), to: dest, durable: false)
                    journal.append(output: outRel, source: job.rel, copy: 0, augmenters: "")
                } else {
                    var ctx = AugmentContext(seed: seed, identity: "\(job.rel)#\(job.copy)", recordTrace: true)
                    var out = try pipeline.augment(image, &ctx)
                    if format == .jpeg { out = out.to8Bit() }
                    try ImageFile.write(out, to: dest, format: format, pngCompression: pngCompression, durable: false)
                    journal.append(output: outRel, source: job.rel, copy: job.copy,
                                   augmenters: (ctx.trace ?? []).map(\.description).joined(separator: "; "))
                }
                wrote(job)
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

/// Finished outputs, one CSV record each, appended as they complete: what a
/// resumed run skips. A record cut short by a kill is ignored on reading.
final class Journal: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private var handle: FileHandle?

    init(path: String) { self.path = path }

    /// output -> its record (output, source, copy, augmenters). Records are
    /// parsed from the whole text, since a quoted name may hold a line break.
    func load() -> [ScalarKey: [String]] { Self.records(in: read()).map }

    /// `load()`, first rewriting the file without a record cut short, so that
    /// lines appended after it are not read as part of its quoted field.
    func loadRepairing() throws -> [ScalarKey: [String]] {
        let text = read()
        let r = Self.records(in: text)
        if r.cut { try AtomicWrite.write(CSV.text(r.rows), to: path) }
        return r.map
    }

    /// The text, with bytes a kill cut out of a character replaced: strict
    /// decoding would throw the whole journal away for one cut record.
    private func read() -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    static func records(in text: String) -> (rows: [[String]], map: [ScalarKey: [String]], cut: Bool) {
        var rows = CSV.parse(text)
        // Every whole record ends in a line feed outside quotes; an odd number
        // of quote marks means the text ends inside a quoted field.
        let quotes = text.unicodeScalars.reduce(0) { $1 == "\"" ? $0 + 1 : $0 }
        let cut = !text.isEmpty && (text.unicodeScalars.last != "\n" || quotes % 2 == 1)
        if cut && !rows.isEmpty { rows.removeLast() }
        rows = rows.filter { $0.count == 4 && Int($0[2]) != nil }
        var map: [ScalarKey: [String]] = [:]
        for r in rows { map[ScalarKey(r[0])] = r }
        return (rows, map, cut)
    }

    func append(output: String, source: String, copy: Int, augmenters: String) {
        let line = CSV.text([[output, source, String(copy), augmenters]])
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
        var seen = Set<String>()
        return list.sorted { $0.path < $1.path }.filter { seen.insert($0.path).inserted }
    }
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return list.count
    }
    func add(_ s: SkippedFile) {
        lock.lock()
        list.append(s)
        lock.unlock()
    }
}
