import Foundation
import MedAugCore
import MedAugData
import MedAugImage
import MedAugTorch
import MedAugTrain

/// `medaug experiment`: every (variant, repeat) cell trains once up to the
/// largest epoch count and is scored at each listed epoch, using the same
/// training and evaluation code as `medaug train` and `medaug evaluate`.
public final class ExperimentRunner: @unchecked Sendable {
    /// The experiment: as given, and once `run` continues a folder, with the
    /// saved number of repeats unless `repeatsGiven`.
    public private(set) var config: ExperimentConfig
    public let out: String
    public var resume = false
    /// Whether `config.repeats` was asked for (`--repeats`): a resumed
    /// experiment then grows to that count (fewer than it has started is
    /// refused), otherwise it keeps the saved one.
    public var repeatsGiven = true
    public var jobs = 1
    /// (index, count), 1-based index: run only the cells whose position mod count is index - 1.
    public var shard: (Int, Int)?
    public var log: (String) -> Void = { print($0) }
    public var showProgress = isatty(STDERR_FILENO) != 0
    /// How `config.data` is labelled and grouped (default: the process-wide options when the runner was made).
    public var datasetOptions: DatasetOptions = .current
    /// The root the cells use: `config.data`, or its prepared copy (see ``ExperimentData``).
    private(set) var dataRoot = ""

    public init(config: ExperimentConfig, out: String) {
        self.config = config
        self.out = out
    }

    public struct Cell: Sendable {
        public let variant: Variant
        public let variantIndex: Int
        public let repeatIndex: Int
        /// 1-based cross-validation fold; nil without `folds:`.
        public let fold: Int?
        public let seed: UInt64
    }

    public var cells: [Cell] {
        var c: [Cell] = []
        for r in 1...config.repeats {
            for f in config.folds.map({ Array(1...$0).map(Optional.some) }) ?? [nil] {
                for (i, v) in config.variants.enumerated() {
                    // Variants share a repeat's (and fold's) seed: the comparison is paired, as in the study's repeats.
                    let path = [0x5245_5045_4154, UInt64(r)] + (f.map { [UInt64($0)] } ?? [])
                    c.append(Cell(variant: v, variantIndex: i, repeatIndex: r, fold: f, seed: SeedDerivation.derive(config.seed, path)))
                }
            }
        }
        return c
    }

    func cellDir(_ c: Cell) -> String {
        (out as NSString).appendingPathComponent("runs/\(c.variant.slug)/repeat-\(c.repeatIndex)" + (c.fold.map { "/fold-\($0)" } ?? ""))
    }

    /// The seed that deals a repeat's folds: new folds each repeat (repeated k-fold), the same for every variant.
    func foldSeed(_ repeatIndex: Int) -> UInt64 { SeedDerivation.derive(config.seed, [0x464F_4C44, UInt64(repeatIndex)]) }

    private let foldLock = NSLock()
    private var foldSets: [String: DerivedSets] = [:]

    /// The data a cell trains on: the prepared root, or its fold's layout.
    func cellData(_ c: Cell, cache: String, base: DerivedSets) throws -> (root: String, sets: DerivedSets) {
        guard let f = c.fold, let k = config.folds else { return (dataRoot, base) }
        foldLock.lock()
        defer { foldLock.unlock() }
        let root = try FoldData.prepare(root: dataRoot, repeatIndex: c.repeatIndex, fold: f, folds: k, seed: foldSeed(c.repeatIndex),
                                        cache: cache, log: log)
        if let sets = foldSets[root] { return (root, sets) }
        var prepared = config
        prepared.data = root
        let sets = DerivedSets(config: prepared, cache: cache, log: log)
        foldSets[root] = sets
        return (root, sets)
    }

    public func run() throws -> [ResultRow] {
        try prepareData()
        try OutputGuard.check(output: out, inputs: [config.data])
        let (folder, saved) = try Self.open(out, config: &config, resume: resume, repeatsGiven: repeatsGiven)
        if saved != nil { try checkRepeats(saved: saved!.repeats) }
        try folder.record(config)
        datasetOptions = try Self.datasetOptions(datasetOptions, savedIn: out)
        let cache = (out as NSString).appendingPathComponent("cache")
        dataRoot = try ExperimentData.prepare(config, cache: cache, options: datasetOptions, log: log)
        var prepared = config
        prepared.data = dataRoot
        let sets = DerivedSets(config: prepared, cache: cache, log: log)
        var mine = cells
        if let (i, n) = shard { mine = mine.enumerated().filter { $0.offset % n == i - 1 }.map(\.element) }
        let todo = mine.filter { !FileManager.default.fileExists(atPath: rowsPath($0)) }
        let folds = config.folds.map { " x \($0) folds" } ?? ""
        log("experiment '\(config.name)': \(cells.count) cells (\(config.variants.count) variants x \(config.repeats) repeats\(folds)), "
            + "epochs \(config.epochs.map(String.init).joined(separator: "/")); \(mine.count - todo.count) done, \(todo.count) to run")
        let workers = max(1, min(jobs, todo.count))
        if workers > 1 { try Torch.setThreads(max(1, ProcessInfo.processInfo.activeProcessorCount / workers)) }
        let next = AtomicCounter(), failure = FirstError(), started = Date(), finished = AtomicCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while failure.value == nil {
                let i = next.next()
                guard i < todo.count else { return }
                do {
                    try self.runCell(todo[i], sets: sets, cache: cache)
                    let done = finished.next() + 1
                    let eta = Date().timeIntervalSince(started) / Double(done) * Double(todo.count - done)
                    let fold = todo[i].fold.map { ", fold \($0)" } ?? ""
                    self.log("[\(done)/\(todo.count) cells] \(todo[i].variant.name), repeat \(todo[i].repeatIndex)\(fold) done; grid ETA \(ProgressLine.duration(eta))")
                } catch {
                    failure.set(error)
                }
            }
        }
        if let e = failure.value { throw e }
        let rows = try collectRows([out])
        // Also here: a kill after a cell's rows.json may have kept results.csv from being refreshed.
        try AtomicWrite.write(ResultRow.csv(rows), to: (out as NSString).appendingPathComponent("results.csv"))
        try Summary.write(rows: rows, config: config, into: out)
        try ReportWriter.write(config: config, rows: rows, dirs: [out], into: out, datasetOptions: datasetOptions)
        return rows
    }

    /// Opens `out` as the experiment's folder: a new one, or (with `resume`)
    /// the same experiment, whose saved repeats `config` takes unless
    /// `repeatsGiven`. The caller records `config` once its own checks pass.
    static func open(_ out: String, config: inout ExperimentConfig, resume: Bool,
                     repeatsGiven: Bool) throws -> (RunFolder, ExperimentConfig?) {
        let folder = RunFolder(out, settings: "experiment.json", holds: "an experiment")
        let saved = try folder.begin(resume: resume, as: ExperimentConfig.self)
        if let saved, !repeatsGiven { config.repeats = saved.repeats }
        // Other repeats only add or leave out cells; any other change would mix two experiments in one folder.
        try folder.requireSame(saved.map { var s = $0; s.repeats = config.repeats; return s }, config,
                               what: "settings (only the number of repeats may change on --resume)")
        return (folder, saved)
    }

    func rowsPath(_ c: Cell) -> String { (cellDir(c) as NSString).appendingPathComponent("rows.json") }

    /// Generates the demo's synthetic data when the config asks for it and it is missing.
    func prepareData() throws {
        guard let s = config.synth else { return }
        if FileManager.default.fileExists(atPath: (config.data as NSString).appendingPathComponent("train")) { return }
        log("generating synthetic \(s.kind.rawValue) data (scale \(s.scale)) in \(config.data)")
        _ = try SyntheticDataset.generate(kind: s.kind, out: config.data, seed: config.seed, scale: s.scale)
    }

    /// Refuses fewer repeats than the folder has begun: their rows would
    /// stay in the results of an experiment that says it has fewer.
    func checkRepeats(saved: Int) throws {
        let fm = FileManager.default
        var top = 0
        for v in config.variants {
            let runs = (out as NSString).appendingPathComponent("runs/\(v.slug)")
            for name in (try? fm.contentsOfDirectory(atPath: runs)) ?? [] where name.hasPrefix("repeat-") {
                guard let r = Int(name.dropFirst("repeat-".count)), r > top else { continue }
                let cell = (runs as NSString).appendingPathComponent(name)
                let folds = ((try? fm.contentsOfDirectory(atPath: cell)) ?? []).filter { $0.hasPrefix("fold-") }
                let begun = ([""] + folds).contains { sub in
                    ["rows.json", "train/state.json"].contains { fm.fileExists(atPath: ((cell as NSString).appendingPathComponent(sub) as NSString).appendingPathComponent($0)) }
                }
                if begun { top = r }
            }
        }
        if config.repeats < top {
            throw RunFolderError("--repeats \(config.repeats): \(out) already holds repeat \(top); ask for \(top) or more "
                + "(or leave --repeats out to go on with the saved \(saved)), or choose another --out")
        }
    }

    /// One cell: its training run (continued from its last committed epoch
    /// if there is one), a score per listed epoch from the checkpoints the
    /// run kept, then rows.json, which commits the cell.
    func runCell(_ c: Cell, sets base: DerivedSets, cache: String) throws {
        let t0 = Date()
        let (root, sets) = try cellData(c, cache: cache, base: base)
        let trainDir = try sets.trainingSet(c.variant, seed: c.seed)
        let dir = cellDir(c)
        let runDir = (dir as NSString).appendingPathComponent("train")
        let options = try config.trainOptions(epochs: config.epochs.max()!, seed: c.seed)
        let trainer = ClassifierTrainer(options: options)
        trainer.showProgress = showProgress && jobs == 1
        let label = "\(c.variant.name) r\(c.repeatIndex)" + (c.fold.map { " f\($0)" } ?? "")
        trainer.log = { [log] line in if line.hasPrefix("epoch") { log("  \(label): \(line)") } }
        trainer.keepEpochs = Set(config.epochs)
        trainer.keepBest = config.checkpoint == .best
        trainer.datasetOptions = ExperimentData.folders
        // A fold validates on itself; the test set stays untouched either way.
        let validation = (root as NSString).appendingPathComponent(DataSplit.validation.rawValue)
        if FileManager.default.fileExists(atPath: validation) { trainer.validationData = validation }
        // Always continued: a run with no committed epoch starts afresh.
        let outcome = try trainer.run(data: trainDir, out: runDir, resume: true)
        if outcome.interrupted { throw Interrupted() }
        let kept = try RunFiles(runDir).committedState()?.kept ?? [:]
        let trainSize = try LabeledSamples.load(trainDir, part: .train, options: ExperimentData.folders).samples.count
        var rows: [ResultRow] = []
        for e in config.epochs {
            // Runs made before state.json named its files kept epoch_<e>.safetensors.
            let ckpt = RunFiles(runDir).path(kept[e] ?? "epoch_\(e).safetensors")
            let r = try Evaluator.run(run: runDir, data: dataRoot, checkpoint: .file(ckpt), positive: config.positive,
                                      out: (dir as NSString).appendingPathComponent("eval-epoch-\(e)"), device: options.device,
                                      datasetOptions: ExperimentData.folders,
                                      // The experiment's intervals come from its repeats; a cell's own bootstrap would go unused.
                                      settings: EvaluationSettings(bootstrap: 0), log: { _ in })
            let m = r.metrics, med = r.medical
            let p = r.positive.map { m.perClass[$0] }
            // With a positive class (also of three or more classes) its one-vs-rest figures, as its recall; else macro.
            let one = r.positive.map { med.perClass[$0] }
            rows.append(ResultRow(variant: c.variant.name, epochs: e, repeatIndex: c.repeatIndex, seed: c.seed, trainSize: trainSize,
                                  accuracy: m.accuracy, macroPrecision: m.macro.precision, macroRecall: m.macro.recall,
                                  macroF1: m.macro.f1, positiveRecall: p?.recall, positivePrecision: p?.precision,
                                  positiveF1: p?.f1, positiveClass: r.positive.map { m.classes[$0] },
                                  rocAUC: one.map(\.rocAUC) ?? med.rocAUC, averagePrecision: one.map(\.averagePrecision) ?? med.averagePrecision,
                                  balancedAccuracy: med.balancedAccuracy, sensitivity: one.map(\.sensitivity) ?? med.sensitivity,
                                  specificity: one.map(\.specificity) ?? med.specificity,
                                  brier: med.brier, ece: med.ece, testSize: med.count, fold: c.fold,
                                  seconds: Date().timeIntervalSince(t0)))
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicWrite.write(try enc.encode(rows), to: rowsPath(c))
        try AtomicWrite.write(ResultRow.csv(try collectRows([out])), to: (out as NSString).appendingPathComponent("results.csv"))
    }

    /// Where an experiment records how its data was labelled (`--labels` and the rest).
    public static let datasetOptionsFile = "dataset.json"

    /// The dataset options to use in `folder`: the ones given, or, when none
    /// were given, the ones an earlier run recorded there (so `--resume` and
    /// `collect` need not repeat `--labels`). Options that differ from the
    /// recorded ones are refused: they would mix two labellings in one
    /// experiment. The result is recorded.
    public static func datasetOptions(_ given: DatasetOptions, savedIn folder: String) throws -> DatasetOptions {
        let path = (folder as NSString).appendingPathComponent(datasetOptionsFile)
        // The CSV by its absolute path: a resume from another folder names the same file.
        var given = given
        if let labels = given.labels {
            given.labels = URL(fileURLWithPath: labels).standardizedFileURL.path
        }
        var chosen = given
        if let data = FileManager.default.contents(atPath: path) {
            let saved: DatasetOptions
            do { saved = try JSONDecoder().decode(DatasetOptions.self, from: data) } catch {
                throw ConfigError(source: path, location: "", message: "unreadable dataset options (\(error.localizedDescription)); remove the file to record new ones")
            }
            if given == DatasetOptions() {
                chosen = saved
            } else if given != saved {
                throw ConfigError(source: path, location: "",
                                  message: "this experiment was run with other dataset options (labels \(saved.labels ?? "none"), "
                                      + "group pattern \(saved.groupPattern ?? "none")); give the same options, or none to reuse them")
            }
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicWrite.write(try enc.encode(chosen), to: path)
        return chosen
    }

    /// Every finished cell's rows under the given experiment folders, in grid order.
    public func collectRows(_ dirs: [String]) throws -> [ResultRow] {
        var rows: [ResultRow] = []
        var seen = Set<String>()
        for d in dirs {
            let runs = (d as NSString).appendingPathComponent("runs")
            guard let e = FileManager.default.enumerator(atPath: runs) else { continue }
            while let f = e.nextObject() as? String {
                guard f.hasSuffix("rows.json") else { continue }
                let data = try Data(contentsOf: URL(fileURLWithPath: (runs as NSString).appendingPathComponent(f)))
                for r in try JSONDecoder().decode([ResultRow].self, from: data) {
                    let key = "\(r.variant)|\(r.epochs)|\(r.cellKey)"
                    if seen.insert(key).inserted { rows.append(r) }
                }
            }
        }
        let names = config.variants.map(\.name)
        return rows.sorted { ResultRow.sortKey($0, variants: names) < ResultRow.sortKey($1, variants: names) }
    }

    /// `medaug experiment collect`: shards' rows into one results, summary and report.
    public func collect(_ dirs: [String]) throws -> [ResultRow] {
        let rows = try collectRows(dirs)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try AtomicWrite.write(ResultRow.csv(rows), to: (out as NSString).appendingPathComponent("results.csv"))
        try Summary.write(rows: rows, config: config, into: out)
        try ReportWriter.write(config: config, rows: rows, dirs: dirs, into: out, datasetOptions: datasetOptions)
        return rows
    }
}
