import Foundation
import MedAugAugment
import MedAugCore
import MedAugData
import MedAugImage

/// `medaug augment` on a dataset whose targets follow the image (a
/// segmentation folder, a YOLO folder or a COCO file): every image gives K
/// augmented copies, written with their masks, boxes and keypoints in the
/// input's own layout, beside a copy of the original, with a manifest.
///
/// Each copy's stream comes from (seed, image stem, k), so the files do not
/// depend on the number of workers; an interrupted run continues where it
/// stopped, and COCO's annotations are written in plan order at the end.
public struct TargetDatasetAugmenter {
    /// The pipeline; every augmenter in it must move targets or leave pixels in place.
    public var pipeline: MedAugAugment.Sequential
    /// Augmented copies per image.
    public var copies = 3
    /// The seed of every draw.
    public var seed: UInt64 = 0
    /// Write the originals (with their targets) beside the copies.
    public var keepOriginal = true
    /// Boxes whose visible fraction of area falls below this are removed (0...1).
    public var minVisibility = 0.0
    /// The COCO annotations file, when the input is a COCO set.
    public var annotations: String?
    /// Worker threads.
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// List bad images and annotations instead of stopping at the first.
    public var skipBad = false
    /// Show a progress line with ETA.
    public var showProgress = isatty(STDERR_FILENO) != 0
    /// Where messages go.
    public var log: (String) -> Void = { print($0) }

    /// An augmenter for `pipeline` with the defaults above.
    public init(pipeline: MedAugAugment.Sequential) { self.pipeline = pipeline }

    /// What a run did.
    public struct Report: Sendable {
        /// The layout read and written.
        public var layout: TargetLayout
        /// Outputs written by this run (an image and its targets count once).
        public var written: Int
        /// Outputs a previous run had finished.
        public var reused: Int
        /// Boxes removed because they left the image or fell below `--min-visibility`.
        public var removedBoxes: Int
        /// Bad files left out (with `skipBad`).
        public var skipped: [SkippedFile]
        /// Wall time.
        public var seconds: Double
    }

    struct Settings: Codable, Equatable {
        var pipeline: String
        var copies: Int
        var seed: UInt64
        var keepOriginal: Bool
        var minVisibility: Double
        var layout: String
    }

    struct Job: Sendable {
        let item: TargetItem
        let copy: Int
        var output: String { AugmentedFileName.stem(item.stem, index: copy) }
    }

    static let settingsName = ".medaug-augment-targets.json"
    static let journalName = ".medaug-augment-targets-journal.jsonl"
    /// The manifest's columns: the output, its source, the copy number, the
    /// augmenters with their sampled values, and the boxes kept and removed.
    public static let manifestHeader = "output,source,copy,augmenters,boxes,removed_boxes"

    /// Expands `input` into `output`; a folder left by an interrupted run with
    /// the same settings is continued.
    public func run(input: String, output: String) throws -> Report {
        guard copies >= 0 else { throw DatasetError.invalidArgument("--copies must be 0 or more, got \(copies)") }
        guard (0...1).contains(minVisibility) else {
            throw DatasetError.invalidArgument("--min-visibility must be between 0 and 1, got \(minVisibility)")
        }
        if pipeline.targetRule == .refused {
            let names = Self.refusing(pipeline.children).joined(separator: ", ")
            throw DatasetError.invalidArgument("the pipeline cannot move masks, boxes or keypoints: \(names) cannot; "
                + "leave it out for datasets with targets")
        }
        let started = Date()
        let dataset = try TargetDataset.open(root: input, annotations: annotations, skipBad: skipBad)
        try OutputGuard.checkApart(output: output, inputs: dataset.inputs + [input])
        for note in dataset.notes { log("note: \(note)") }
        let items = dataset.items
        var plan: [Job] = []
        for item in items {
            if keepOriginal { plan.append(Job(item: item, copy: 0)) }
            for k in 0..<copies { plan.append(Job(item: item, copy: k + 1)) }
        }
        try Self.requireUniqueNames(plan)

        let folder = RunFolder(output, settings: Self.settingsName, holds: "an unfinished augmentation")
        let settings = Settings(pipeline: PipelineWriter.render(pipeline, format: .json), copies: copies, seed: seed,
                                keepOriginal: keepOriginal, minVisibility: minVisibility, layout: dataset.layout.rawValue)
        try folder.requireSame(try folder.begin(resume: true, as: Settings.self), settings,
                               what: "settings (pipeline, seed, copies, --min-visibility or --no-original)")
        try folder.record(settings)
        let writer = try TargetWriter(for: dataset, output: output)
        let journal = TargetJournal(path: folder.path(Self.journalName))
        let previous = journal.load()
        // An output is done when the journal lists it and its image is not empty (a power cut can leave an unflushed file empty).
        let keptRecords = plan.compactMap { previous[$0.output] }.filter { DatasetAugmenter.holdsData(folder.path($0.file)) }
        let keptNames = Set(keptRecords.map(\.output))
        try journal.restart(with: keptRecords)
        let records = RecordTable(previous: keptRecords)
        let work = plan.filter { !keptNames.contains($0.output) }
        if !keptRecords.isEmpty { log("resuming: \(keptRecords.count) of \(plan.count) outputs are already done") }

        let skipped = try perform(work, dataset: dataset, writer: writer, journal: journal, records: records, root: input, output: output)
        // Outputs were written without a flush each; one flush before the manifest says the run is done.
        AtomicWrite.syncFileSystem(containing: output)
        let done = plan.compactMap { job in records.get(job.output).map { (job, $0) } }
        let finished = done.map(\.1)
        if case .coco(let coco) = writer {
            for (job, r) in done {
                coco.record(fileName: String(r.file.dropFirst("images/".count)), width: r.width, height: r.height, targets: r.targets,
                            keypointSlots: coco.sourceDataset.targets(forImage: job.item.index).keypointSlots)
            }
            _ = try writer.finish()
        }
        try writeManifest(finished, to: folder.path(AugmentManifest.fileName))
        let problems = dataset.problems.map { SkippedFile(path: $0.path, kind: $0.kind.rawValue, reason: $0.reason) }
        let allSkipped = problems + skipped
        if !allSkipped.isEmpty {
            let p = try SkippedFilesReport.write(allSkipped, into: output, inputs: dataset.inputs)
            log("skipped \(allSkipped.count) bad file(s) or annotation(s); list in \(p)")
        }
        try? FileManager.default.removeItem(atPath: journal.path)
        try? FileManager.default.removeItem(atPath: folder.settingsPath)
        return Report(layout: dataset.layout, written: finished.count - keptRecords.count, reused: keptRecords.count,
                      removedBoxes: finished.reduce(0) { $0 + $1.removed.count }, skipped: allSkipped,
                      seconds: Date().timeIntervalSince(started))
    }

    /// The augmenters of a pipeline that refuse targets, by name.
    static func refusing(_ augmenters: [any Augmenter]) -> [String] {
        augmenters.flatMap { a -> [String] in
            guard a.targetRule == .refused else { return [] }
            if let s = a as? MedAugAugment.Sequential { return refusing(s.children) }
            if let s = a as? Sometimes { return refusing(s.then + s.otherwise) }
            if let s = a as? SomeOf { return refusing(s.children) }
            return [a.name]
        }
    }

    /// Refuses a plan in which two outputs share a name (`a` copied as the
    /// original and an input already called `a_aug1`, say): nothing is written.
    static func requireUniqueNames(_ plan: [Job]) throws {
        var seen: [String: Job] = [:]
        for j in plan {
            if let other = seen[j.output] {
                throw DatasetError.invalidArgument("'\(j.output)' would be written twice, for '\(other.item.imagePath)' copy "
                    + "\(other.copy) and '\(j.item.imagePath)' copy \(j.copy); nothing was written: rename one of the two "
                    + "sources, or leave the originals out with --no-original")
            }
            seen[j.output] = j
        }
    }

    /// Runs the work on worker threads, one source image at a time (read and
    /// decoded once for all its copies). Returns the bad sources skipped.
    func perform(_ work: [Job], dataset: TargetDataset, writer: TargetWriter, journal: TargetJournal,
                 records: RecordTable, root: String, output: String) throws -> [SkippedFile] {
        var grouped: [[Job]] = []
        for j in work {
            if let last = grouped.last?.first, last.item.index == j.item.index { grouped[grouped.count - 1].append(j) } else { grouped.append([j]) }
        }
        let units = grouped
        let progress = ProgressLine(label: "augment", enabled: showProgress)
        let counter = AtomicCounter(), done = AtomicCounter(), failure = FirstError(), skipped = SkippedCollector()
        let skipBad = self.skipBad, pipeline = self.pipeline, seed = self.seed, minVisibility = self.minVisibility
        let base = (root as NSString).standardizingPath
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, units.count))) { _ in
            while failure.value == nil {
                let u = counter.next()
                guard u < units.count else { return }
                let unit = units[u]
                let item = unit[0].item
                do {
                    let sample = try dataset.load(item)
                    for job in unit {
                        var ctx = AugmentContext(seed: seed, identity: "\(item.stem)#\(job.copy)", recordTrace: true)
                        var out = job.copy == 0 ? sample : try pipeline.augment(sample, &ctx)
                        let (kept, removed) = out.targets.finished(width: out.image.width, height: out.image.height,
                                                                   minVisibility: minVisibility)
                        out.targets = kept
                        let file = try Self.write(out, job: job, writer: writer, output: output)
                        let path = (item.imagePath as NSString).standardizingPath
                        let source = path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
                        let record = TargetRecord(
                            output: job.output, file: file, source: source, copy: job.copy,
                            width: out.image.width, height: out.image.height,
                            augmenters: (ctx.trace ?? []).map(\.description).joined(separator: "; "),
                            boxes: kept.boxes.map { [$0.x1, $0.y1, $0.x2, $0.y2, Double($0.label), Double($0.id)] },
                            keypoints: kept.keypoints.map { [$0.x, $0.y] }, removed: removed.map(\.id))
                        try journal.append(record)
                        records.set(record)
                        progress.update(done.next() + 1, work.count)
                    }
                } catch let e as TargetDataError where skipBad {
                    skipped.add(SkippedFile(path: e.path, kind: e.kind.rawValue, reason: e.reason))
                } catch let e as ImageError where skipBad {
                    skipped.add(SkippedFile(e))
                } catch let e as MedAugError {
                    failure.set(e)
                } catch {
                    // The augmenters do not know which file they work on; the user must.
                    failure.set(DatasetError.invalidArgument("\(item.imagePath): \(error)"))
                }
            }
        }
        progress.finish()
        if let e = failure.value { throw e }
        return skipped.items
    }

    /// Writes one output in the dataset's layout; returns the image's path
    /// relative to the output folder.
    static func write(_ sample: AnnotatedImage, job: Job, writer: TargetWriter, output: String) throws -> String {
        let image: String
        switch writer {
        case .coco(let c):
            // Annotations are recorded in plan order at the end, so ids do not depend on thread timing.
            image = try AugmentedFileName.writeImage(sample.image, folder: c.imagesRoot, stem: job.item.stem, index: job.copy,
                                                     sourceExtension: job.item.imageExtension, durable: false)
        default:
            image = try writer.write(sample, item: job.item, index: job.copy, durable: false)[0]
        }
        let root = (output as NSString).standardizingPath + "/"
        let path = (image as NSString).standardizingPath
        return path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
    }

    /// The manifest in plan order, one row per output.
    func writeManifest(_ records: [TargetRecord], to path: String) throws {
        var text = Self.manifestHeader + "\n"
        for r in records {
            text += CSV.row([r.output, r.source, String(r.copy), r.augmenters, String(r.boxes.count), String(r.removed.count)]) + "\n"
        }
        try AtomicWrite.write(text, to: path)
    }
}

/// Finished records by output stem, filled by the workers.
final class RecordTable: @unchecked Sendable {
    private var byOutput: [String: TargetRecord] = [:]
    private let lock = NSLock()

    init(previous: [TargetRecord]) {
        for r in previous { byOutput[r.output] = r }
    }

    func set(_ r: TargetRecord) {
        lock.lock()
        byOutput[r.output] = r
        lock.unlock()
    }

    func get(_ output: String) -> TargetRecord? {
        lock.lock()
        defer { lock.unlock() }
        return byOutput[output]
    }
}
