import Foundation
import MedAugFormats
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
    /// How the input is labelled and grouped (default: the process-wide options when the augmenter was made).
    public var datasetOptions: DatasetOptions = .current
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
    /// The manifest's header when the input has patient keys: a `group`
    /// column carries each output's (hashed) key to the commands that read
    /// the output, so that they keep a patient's images on one side.
    public static let groupedManifestHeader = manifestHeader + ",group"

    struct Job: Sendable {
        let source: String        // absolute
        let rel: String           // relative to the input root
        let copy: Int             // 0 = the original
        /// The original's name in the output: `rel`, except for a labels CSV's
        /// images, which go to `[split/]<class>/<file name>` (the output is a class-folder tree).
        var dest: String
        /// The patient key, for the manifest's group column.
        var group: String? = nil
    }

    /// What an unfinished run records, so that continuing it with another
    /// pipeline or seed is refused instead of mixing two runs' files.
    struct Settings: Codable, Equatable {
        var pipeline: String
        var copies: Int
        var seed: UInt64
        var keepOriginal: Bool
        var format: String
        /// True when the manifest has a group column; nil (left out of the record) when not.
        var grouped: Bool? = nil
    }

    static let settingsName = ".medaug-augment.json"

    /// Expands `input` into `output`; a folder left by an interrupted run is continued.
    ///
    /// Nothing is written when the output holds or lies in the input, or
    /// when two sources would give the same output name (see `requireUniqueNames`).
    public func run(input: String, output: String) throws -> Report {
        guard copies >= 0 else { throw DatasetError.invalidArgument("--copies must be 0 or more, got \(copies)") }
        try OutputGuard.checkApart(output: output, inputs: [input])
        // Memory grows with the dataset only by what each output needs: the
        // dataset and the output names are let go once planned and checked.
        let dataset = try Dataset.load(root: input, options: datasetOptions)
        let jobs = try plan(dataset, root: input)
        let grouped = dataset.hasGroups
        var outputs = jobs.map { Self.outputName($0, format: format) }
        // Output names in scalar order: the manifest's order, and a clash of
        // two names shows as two equal neighbours (no table of all names).
        let order = outputs.indices.sorted { UnicodeOrder.precedes(outputs[$0], outputs[$1]) }
        try Self.requireUniqueNames(jobs, outputs, order: order, in: output)
        let folders = Self.outputFolders(outputs, in: output)
        // A class folder of the output may be a link into the input.
        for f in folders { try OutputGuard.check(output: f, inputs: [input]) }
        let started = Date()
        let folder = RunFolder(output, settings: Self.settingsName, holds: "an unfinished augmentation")
        let settings = Settings(pipeline: PipelineWriter.render(pipeline, format: .json), copies: copies, seed: seed,
                                keepOriginal: keepOriginal, format: format.fileExtension, grouped: grouped ? true : nil)
        try folder.requireSame(try folder.begin(resume: true, as: Settings.self), settings, what: "settings (pipeline, seed, copies, format or --no-original)")
        try folder.record(settings)
        try Self.makeClassFolders(dataset, in: output)
        folders.forEach { AtomicWrite.removeStaleTemporaries(in: $0) }
        let journal = Journal(path: folder.path(Self.journalName))
        // Where each output's record lies in the journal, once written: the
        // manifest is copied from there rather than held in memory.
        let written = OutputRecords(count: jobs.count)
        let work: [Int]
        do {
            let done = try journal.loadRepairing()
            // An output is done when the journal lists it and it is not empty (a
            // power cut can leave an unflushed image empty under its name).
            var kept: [(index: Int, record: [String])] = []
            work = jobs.indices.filter { i in
                guard let record = done[ScalarKey(outputs[i])], Self.holdsData(folder.path(outputs[i])) else { return true }
                kept.append((i, record))
                return false
            }
            for (k, span) in try journal.restart(with: kept.map(\.record)).enumerated() { written.set(kept[k].index, span) }
        }
        outputs = []
        let reused = jobs.count - work.count
        if reused > 0 { log("resuming: \(reused) of \(jobs.count) files are already done") }
        let (skipped, failedJobs) = try perform(work, of: jobs, into: output, journal: journal, records: written,
                                                workers: max(1, self.jobs), grouped: grouped)
        // The images were written without a flush each (AtomicWrite); one
        // flush of them all comes before the manifest says the run is done.
        AtomicWrite.syncFileSystem(containing: output)
        try writeManifest(order, journal: journal, records: written, to: folder.path(AugmentManifest.fileName), grouped: grouped)
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

    /// Every class folder of a CSV-labelled input's output, even one no
    /// image goes to (a class without test rows): train/ and test/ with
    /// different class folders would not load as a dataset.
    static func makeClassFolders(_ ds: Dataset, in output: String) throws {
        guard ds.labels != nil else { return }
        for split in ds.splits {
            for c in ds.classes {
                let rel = split == .unsplit ? c : "\(split.rawValue)/\(c)"
                try FileManager.default.createDirectory(atPath: (output as NSString).appendingPathComponent(rel),
                                                        withIntermediateDirectories: true)
            }
        }
    }

    static func holdsData(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && st.st_size > 0
    }

    /// The manifest in output order, copied record by record from the
    /// journal (its records are the manifest's rows): this run's outputs that
    /// were written, each record quoted as RFC 4180 needs.
    func writeManifest(_ order: [Int], journal: Journal, records: OutputRecords, to path: String, grouped: Bool) throws {
        let reader = try journal.reader()
        try AtomicWrite.write(to: path) { append in
            append(Data(((grouped ? Self.groupedManifestHeader : Self.manifestHeader) + "\n").utf8))
            for i in order {
                if let span = records.get(i) { append(try reader.read(span)) }
            }
        }
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
    static func requireUniqueNames(_ jobs: [Job], _ outputs: [String], order: [Int], in output: String) throws {
        // Each run of equal names in `order`: its first job in plan order
        // clashes with every other; the clash reported is the one whose
        // second job comes first in the plan.
        guard !order.isEmpty else { return }
        var clashes: [(Int, Int)] = []
        var start = 0
        for k in 1...order.count where k == order.count || !UnicodeOrder.equal(outputs[order[k]], outputs[order[start]]) {
            let run = order[start..<k]
            if run.count > 1, let first = run.min() { clashes += run.filter { $0 != first }.map { (first, $0) } }
            start = k
        }
        guard let (a, b) = clashes.min(by: { $0.1 < $1.1 }) else { return }
        func role(_ j: Job) -> String { j.copy == 0 ? "the copy of '\(j.source)'" : "augmented copy \(j.copy) of '\(j.source)'" }
        let more = clashes.count > 1 ? " (\(clashes.count - 1) more output name(s) clash too)" : ""
        let hint = jobs[a].copy == 0 || jobs[b].copy == 0 ? ", or leave the originals out with --no-original" : ""
        throw TrainError(.data, "'\((output as NSString).appendingPathComponent(outputs[a]))' would be written twice, as "
            + "\(role(jobs[a])) and as \(role(jobs[b]))\(more); nothing was written: rename one of the two sources\(hint)")
    }

    /// Every output of the run: originals and copies of the training images,
    /// validation and test images as they are.
    func plan(_ ds: Dataset, root input: String) throws -> [Job] {
        let toExpand = ds.layout == .split ? ds.samples(in: .train) : ds.samples
        let toCopy = ds.layout == .split ? ds.samples(in: .validation) + ds.samples(in: .test) : []
        if ds.labels != nil { for c in ds.classes { try ClassFolderName.check(c) } }
        let root = (input as NSString).standardizingPath
        func rel(_ p: String) -> String {
            let s = (p as NSString).standardizingPath
            return s.hasPrefix(root + "/") ? String(s.dropFirst(root.count + 1)) : (s as NSString).lastPathComponent
        }
        var jobs: [Job] = []
        jobs.reserveCapacity(toExpand.count * ((keepOriginal ? 1 : 0) + copies) + toCopy.count)
        func dest(_ s: Sample, _ r: String) -> String {
            guard ds.labels != nil else { return r }
            let folder = s.split == .unsplit ? s.className : "\(s.split.rawValue)/\(s.className)"
            return folder + "/" + (r as NSString).lastPathComponent
        }
        for s in toExpand {
            let r = rel(s.path), d = dest(s, r)
            if keepOriginal { jobs.append(Job(source: s.path, rel: r, copy: 0, dest: d, group: s.group)) }
            for k in 1...max(copies, 1) where copies > 0 { jobs.append(Job(source: s.path, rel: r, copy: k, dest: d, group: s.group)) }
        }
        for s in toCopy {
            let r = rel(s.path)
            jobs.append(Job(source: s.path, rel: r, copy: 0, dest: dest(s, r), group: s.group))
        }
        return jobs
    }

    /// The outputs of one source image, as a range of the work list: a
    /// worker reads and decodes the source once and writes all of them (the
    /// original and its copies) from that.
    static func units(_ work: [Int], of jobs: [Job]) -> [Range<Int>] {
        // The plan lists each source's outputs together.
        var units: [Range<Int>] = [], start = 0
        for k in work.indices.dropFirst() where !UnicodeOrder.equal(jobs[work[k]].source, jobs[work[start]].source) {
            units.append(start..<k)
            start = k
        }
        if !work.isEmpty { units.append(start..<work.count) }
        return units
    }

    /// Runs the jobs `work` names on `workers` threads, one source image at a
    /// time; returns the files skipped as bad (each once) and the number of
    /// outputs not written.
    func perform(_ work: [Int], of jobs: [Job], into output: String, journal: Journal, records: OutputRecords,
                 workers: Int, grouped: Bool) throws -> ([SkippedFile], Int) {
        let progress = ProgressLine(label: "augment", enabled: showProgress)
        let skipped = SkippedCollector(), counter = AtomicCounter(), written = AtomicCounter(), failure = FirstError()
        let writer = Writer(pipeline: pipeline, seed: seed, format: format, pngCompression: pngCompression, grouped: grouped)
        let skipBad = self.skipBad, units = Self.units(work, of: jobs)
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, units.count))) { _ in
            while failure.value == nil {
                let u = counter.next()
                guard u < units.count else { return }
                let unit = units[u].map { (index: work[$0], job: jobs[work[$0]]) }
                do {
                    try writer.write(unit, into: output, journal: journal) { index, span in
                        records.set(index, span)
                        progress.update(written.next() + 1, work.count)
                    }
                } catch let e as ImageError {
                    if skipBad { skipped.add(SkippedFile(e)) } else { failure.set(e) }
                } catch let e as WriteError {
                    failure.set(e)
                } catch {
                    // The augmenters do not know which file they work on; the user must.
                    failure.set(TrainError(.data, "\(unit[0].job.source): \(error)"))
                }
            }
        }
        progress.finish()
        if let e = failure.value { throw e }
        // `written` counted each output written: the rest were not.
        return (skipped.items, work.count - written.next())
    }

    /// What a worker needs to write the outputs of one source: the values, not the whole augmenter.
    struct Writer: Sendable {
        let pipeline: MedAugAugment.Sequential
        let seed: UInt64
        let format: ImageFormat
        let pngCompression: Int
        /// Records carry the group column.
        let grouped: Bool

        /// Every output of `unit` (one source's jobs and their plan indices),
        /// each followed by its journal record and `wrote(index, where the record lies)`.
        func write(_ unit: [(index: Int, job: Job)], into output: String, journal: Journal,
                   wrote: (Int, Journal.Span) -> Void) throws {
            let source = unit[0].job.source
            let bytes = try ImageFile.readBytes(source)
            // Decoded even when only the original is copied: a bad file is
            // refused, never copied into a training set.
            let image = try MedicalImageFile.decode(bytes, path: source).image
            for (index, job) in unit {
                let outRel = DatasetAugmenter.outputName(job, format: format)
                let dest = (output as NSString).appendingPathComponent(outRel)
                var augmenters = ""
                if job.copy == 0 {
                    // The original, byte for byte.
                    try AtomicWrite.write(Data(bytes), to: dest, durable: false)
                } else {
                    var ctx = AugmentContext(seed: seed, identity: "\(job.rel)#\(job.copy)", recordTrace: true)
                    var out = try pipeline.augment(image, &ctx)
                    if format == .jpeg { out = out.to8Bit() }
                    try ImageFile.write(out, to: dest, format: format, pngCompression: pngCompression, durable: false)
                    augmenters = (ctx.trace ?? []).map(\.description).joined(separator: "; ")
                }
                wrote(index, try journal.append(output: outRel, source: job.rel, copy: job.copy, augmenters: augmenters,
                                                group: grouped ? job.group ?? "" : nil))
            }
        }
    }

    static func outputName(_ job: Job, format: ImageFormat) -> String {
        guard job.copy > 0 else { return job.dest }
        let dir = (job.dest as NSString).deletingLastPathComponent
        let stem = ((job.dest as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = "\(stem)_aug\(job.copy).\(format.fileExtension)"
        return dir.isEmpty ? name : "\(dir)/\(name)"
    }
}

/// Where each output's journal record lies, by plan index; nil for an
/// output not (yet) written. Workers fill it concurrently; 8 bytes an
/// output, so memory stays flat as the dataset grows.
final class OutputRecords: @unchecked Sendable {
    // No Optional: a record is never empty, so length 0 means "not written".
    private var spans: [Journal.Span]
    private let lock = NSLock()

    init(count: Int) { spans = Array(repeating: Journal.Span(offset: 0, length: 0)!, count: count) }

    func set(_ index: Int, _ span: Journal.Span) {
        lock.lock()
        spans[index] = span
        lock.unlock()
    }

    func get(_ index: Int) -> Journal.Span? {
        lock.lock()
        defer { lock.unlock() }
        return spans[index].length > 0 ? spans[index] : nil
    }
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
