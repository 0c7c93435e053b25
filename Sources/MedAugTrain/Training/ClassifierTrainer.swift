import Foundation
import MedAugAugment
import MedAugCore
import MedAugData
import MedAugImage
import MedAugModels
import MedAugTorch

/// One epoch's figures, as history.csv holds them.
public struct EpochRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    public var trainLoss: Double
    public var trainAcc: Double
    public var valLoss: Double?
    public var valAcc: Double?
    public var lr: Double
    public var seconds: Double
}

/// Classifier training: the loop, its checkpoints and its records.
public final class ClassifierTrainer {
    /// What a finished (or interrupted) run leaves.
    public struct Outcome: Sendable {
        /// Every finished epoch, resumed ones included.
        public var history: [EpochRecord]
        /// True when Ctrl-C stopped the run; finished epochs are saved.
        public var interrupted: Bool
        /// The run folder's files.
        public var run: RunFiles
    }

    /// The settings asked for (a resumed run takes the saved ones instead).
    public let options: TrainOptions
    /// Whether `options.epochs` was asked for: a resumed run then trains to
    /// that count (fewer than it has done is refused), otherwise to the saved one.
    public var epochsGiven = true
    /// Where progress lines go.
    public var log: (String) -> Void = { print($0) }
    /// Draws a progress bar on stderr.
    public var showProgress = isatty(STDERR_FILENO) != 0
    /// Epochs whose checkpoint stays in the run after later epochs, named in
    /// state.json's `kept` (an experiment scores them when training ends):
    /// the weights of that epoch, or with `keepBest` the best ones so far.
    public var keepEpochs: Set<Int> = []
    /// See `keepEpochs`.
    public var keepBest = false
    /// How the data folder is labelled and grouped (default: the process-wide options when the trainer was made).
    public var datasetOptions: DatasetOptions = .current
    /// A class-folder tree to validate on instead of the data's own
    /// validation set or a share of its training images (an experiment's prepared `validation/`).
    public var validationData: String?

    /// A trainer for `options`.
    public init(options: TrainOptions) { self.options = options }

    /// Everything one run needs between epochs.
    struct Session {
        let files: RunFiles
        let options: TrainOptions
        var state: TrainState
        var history: [EpochRecord]
        let config: RunConfig
        let trainSet: [Sample], valSet: [Sample]
        let preprocessing: Preprocessing
        let augment: MedAugAugment.Sequential?
        let device: Device
        let model: any Classifier
        let optimizer: Optimizer
        let weight: Tensor?
    }

    /// Trains into `out` (a new run, or the one there with `resume`).
    public func run(data: String, out: String, resume: Bool) throws -> Outcome {
        var s = try start(data: data, out: out, resume: resume)
        log("training \(s.options.model) on \(s.trainSet.count) images (\(s.valSet.count) for validation), "
            + "\(s.config.classes.count) classes, \(s.options.epochs) epochs, batch \(s.options.batchSize), device \(s.device)")
        if s.state.epochsDone >= s.options.epochs {
            log("nothing to do: \(s.state.epochsDone) of \(s.options.epochs) epochs already done")
            return Outcome(history: s.history, interrupted: false, run: s.files)
        }
        let started = Date(), firstEpoch = s.state.epochsDone
        for epoch in firstEpoch..<s.options.epochs {
            let t0 = Date()
            guard var record = try trainEpoch(&s, epoch) else {
                log("interrupted: epochs 1-\(epoch) are saved in \(out); continue with --resume")
                return Outcome(history: s.history, interrupted: true, run: s.files)
            }
            if !s.valSet.isEmpty {
                (record.valLoss, record.valAcc) = try evaluate(s.model, s.valSet, pre: s.preprocessing, device: s.device, weight: s.weight)
                record.seconds = Date().timeIntervalSince(t0)
            }
            guard record.trainLoss.isFinite, record.valLoss?.isFinite ?? true else {
                throw TrainError(.diverged, "training diverged at epoch \(epoch + 1) (loss \(record.trainLoss), validation loss \(record.valLoss.map { "\($0)" } ?? "n/a")); "
                    + "epochs 1-\(epoch) are kept in \(out). Try a lower --lr.")
            }
            try commitEpoch(&s, record, data: data)
            let per = Date().timeIntervalSince(started) / Double(epoch + 1 - firstEpoch)
            log(Self.epochLine(record, of: s.options.epochs, eta: per * Double(s.options.epochs - epoch - 1)))
        }
        return Outcome(history: s.history, interrupted: false, run: s.files)
    }

    /// Settings, data, model and optimizer of a new or resumed run.
    func start(data: String, out: String, resume: Bool) throws -> Session {
        try OutputGuard.check(output: out, inputs: [data])
        let files = RunFiles(out)
        let committed = try files.committedState()
        let saved = try files.folder.begin(resume: resume, as: RunConfig.self, committed: committed != nil)
        // Progress counts only with the settings it was made with (a new start ignores what a failed one left).
        let progress = saved == nil ? nil : committed
        let options = try settings(saved: saved, done: progress?.epochsDone, out: out)
        let device = try options.device.resolve()
        let all = try LabeledSamples.load(data, part: .train, options: datasetOptions)
        guard all.classes.count >= 2 else { throw TrainError(.data, "\(data): need at least 2 classes to train a classifier, found \(all.classes.count)") }
        let (trainSet, valSet) = try split(all, options: options)
        guard !trainSet.isEmpty else { throw TrainError(.data, "\(data): no training images") }
        let pre = Preprocessing(imageSize: options.imageSize, scaling: options.scaling)
        let config = RunConfig(medaugVersion: MedAugVersion.string, torchVersion: Torch.version, data: data,
                               classes: all.classes, preprocessing: pre, options: options,
                               trainCount: trainSet.count, validationCount: valSet.count, device: device.description)
        let augment = try options.augment.map { try PipelineSource($0).load() }
        let (model, optimizer) = try buildModel(options, classes: all.classes.count, files: files, resume: progress, device: device)
        // Recorded once everything it names has loaded, so a failed start leaves nothing in the way;
        // again when --epochs changed the target, so that a later --resume goes on to it.
        if saved?.options != options { try files.folder.record(saved.map { var c = $0; c.options = options; return c } ?? config) }
        try AtomicWrite.write(Self.validationCSV(valSet), to: files.validation)
        let weight: Tensor? = options.classWeights ? try classWeights(trainSet, classes: all.classes.count).to(device) : nil
        var state = progress ?? TrainState(epochsDone: 0, iteration: 0, bestValLoss: nil, bestEpoch: nil)
        if progress != nil {
            if state.history == nil { state.history = try HistoryFile.read(files.history) }
            // A kill after the last commit may have left user-facing files of a newer, uncommitted epoch.
            try publish(state, files, model: options.model, data: data)
        }
        return Session(files: files, options: options, state: state, history: state.history ?? [], config: config,
                       trainSet: trainSet, valSet: valSet, preprocessing: pre, augment: augment, device: device,
                       model: model, optimizer: optimizer, weight: weight)
    }

    /// validation.csv: the validation images by path and class name.
    static func validationCSV(_ samples: [Sample]) -> String {
        // Absolute: `evaluate` may run from another folder than `train` did.
        "path,class\n" + samples.map { CSV.field(URL(fileURLWithPath: $0.path).standardizedFileURL.path) + "," + CSV.field($0.className) + "\n" }.joined()
    }

    /// Training and validation sets: `validationData` when set, else the
    /// data's own validation set, else a share drawn by source and patient.
    func split(_ all: LabeledSamples, options: TrainOptions) throws -> (train: [Sample], validation: [Sample]) {
        guard let v = validationData else { return try all.split(fraction: options.valSplit, seed: options.seed) }
        let val = try LabeledSamples.load(v, part: .validation, options: DatasetOptions()).samples.map { s -> Sample in
            var s = s
            s.classIndex = all.classes.firstIndex(of: s.className) ?? -1
            return s
        }
        if let odd = val.first(where: { $0.classIndex < 0 }) {
            throw TrainError(.data, "\(v): class '\(odd.className)' is not among the training classes (\(all.classes.joined(separator: ", ")))")
        }
        return (all.samples, val)
    }

    /// The settings a run goes on with: the saved ones when continuing, with
    /// --epochs when it was given. Fewer epochs than are done cannot be undone.
    func settings(saved: RunConfig?, done: Int?, out: String) throws -> TrainOptions {
        var options = self.options
        if let saved {
            options = saved.options
            if epochsGiven { options.epochs = self.options.epochs }
        }
        try options.validate()
        if let done, done > options.epochs {
            throw TrainError(.setting, "--epochs \(options.epochs): \(out) has already trained \(done) epochs; "
                + "ask for \(done) or more (or leave --epochs out to go on to the saved \(saved?.options.epochs ?? done)), or choose another --out")
        }
        return options
    }

    /// The network (new, pretrained or resumed) on its device, and its optimizer.
    func buildModel(_ options: TrainOptions, classes: Int, files: RunFiles, resume: TrainState?,
                    device: Device) throws -> (any Classifier, Optimizer) {
        try Torch.manualSeed(options.seed)
        let model = try ClassifierFactory.make(options, classes: classes)
        if let p = options.pretrained, resume == nil { try ClassifierFactory.loadPretrained(p, into: model) }
        if let resume { try model.load(safetensors: files.path(resume.weightsFile)) }
        var trainable = model.parameters()
        if options.freezeBackbone {
            for t in model.backboneParameters() { try t.requiresGrad(false) }
            trainable = model.headParameters()
        }
        try model.move(to: device)
        let opt: Optimizer
        switch options.optimizer {
        case .adam: opt = try Optimizer.adam(trainable, lr: options.lr, betas: (options.beta1, options.beta2), weightDecay: options.weightDecay)
        case .sgd: opt = try Optimizer.sgd(trainable, lr: options.lr, momentum: options.momentum, weightDecay: options.weightDecay)
        }
        opt.decay = options.decay
        if let resume {
            try opt.loadState(try [UInt8](Data(contentsOf: URL(fileURLWithPath: files.path(resume.optimizerFile)))))
            try opt.setIteration(resume.iteration)
        }
        return (model, opt)
    }

    /// One pass over the training set; nil when Ctrl-C stopped it.
    func trainEpoch(_ s: inout Session, _ epoch: Int) throws -> EpochRecord? {
        let t0 = Date(), o = s.options
        // Per-epoch seeds make a resumed run draw exactly what an uninterrupted one would.
        try Torch.manualSeed(SeedDerivation.derive(o.seed, [0x4550_4F43_48, UInt64(epoch)]))
        var order = s.trainSet
        var rng = Xoshiro256(seed: o.seed, path: [0x5348_5546, UInt64(epoch)])
        rng.shuffle(&order)
        // A last batch of one sample would make BatchNorm's unbiased running
        // variance divide by zero (PyTorch refuses such a batch): leave it out
        // this epoch; the shuffle puts another image last next time.
        if order.count > 1 && order.count % o.batchSize == 1 { order.removeLast() }
        s.model.train()
        let loader = BatchLoader(samples: order, batchSize: o.batchSize, preprocessing: s.preprocessing, augment: s.augment,
                                 seed: o.seed, epoch: epoch)
        let progress = ProgressLine(label: "epoch \(epoch + 1)/\(o.epochs)", enabled: showProgress)
        defer { progress.finish() }
        var lossSum = 0.0, correct = 0, seen = 0, b = 0
        while let batch = try loader.nextBatch() {
            if Interrupt.requested {
                loader.stop()
                return nil
            }
            var images = batch.images, y = try batch.labels.to(s.device), target = y
            if let mix = o.mix, mix.isOn {
                // Per-batch draws from the run's seed, epoch and batch: a resumed run mixes exactly as before.
                var rng = Xoshiro256(seed: o.seed, path: [0x4D49_5855_50, UInt64(epoch), UInt64(b)])
                var xs = try images.values(as: Float.self)
                var soft = BatchMixing.oneHot(batch.samples.map(\.classIndex), classes: s.config.classes.count)
                _ = BatchMixing.apply(mix, &xs, shape: images.shape, targets: &soft, rng: &rng)
                images = try Tensor(xs, shape: images.shape)
                // libtorch's cross-entropy takes class probabilities as targets too.
                target = try Tensor(soft.flatMap { $0.map(Float.init) }, shape: [soft.count, s.config.classes.count]).to(s.device)
            }
            let x = try images.to(s.device)
            try s.optimizer.zeroGrad()
            let logits = try s.model(x)
            let loss = try Loss.crossEntropy(logits, target, weight: s.weight)
            try loss.backward()
            try s.optimizer.step()
            let n = batch.samples.count
            lossSum += try loss.item() * Double(n)
            correct += Int(try logits.argmax(dim: 1).eq(y).to(dtype: .int64).sum().item())
            seen += n
            b += 1
            progress.update(b, loader.batchCount)
        }
        return EpochRecord(epoch: epoch + 1, trainLoss: lossSum / Double(seen), trainAcc: Double(correct) / Double(seen),
                           valLoss: nil, valAcc: nil, lr: s.optimizer.learningRate, seconds: Date().timeIntervalSince(t0))
    }

    /// Commits a finished epoch: its weights and optimizer state under new
    /// names, then state.json naming them (the commit), then the user-facing
    /// files. A kill before the commit leaves the previous epoch's state and
    /// files untouched; --resume trains this epoch again exactly.
    func commitEpoch(_ s: inout Session, _ record: EpochRecord, data: String) throws {
        let e = record.epoch
        var st = s.state
        st.epochsDone = e
        st.iteration = s.optimizer.iteration
        st.history = s.history + [record]
        st.weights = RunFolder.versioned(e, "safetensors")
        st.optimizer = RunFolder.versioned(e, "optimizer")
        let score = record.valLoss ?? record.trainLoss
        if st.bestValLoss.map({ score < $0 }) ?? true {
            st.bestValLoss = score
            st.bestEpoch = e
            st.best = st.weights
        }
        if keepEpochs.contains(e) { st.kept = (st.kept ?? [:]).merging([e: (keepBest ? st.best : st.weights)!]) { $1 } }
        try ClassifierCheckpoint.write(s.model, config: s.config, epoch: e, to: s.files.path(st.weightsFile))
        try AtomicWrite.write(Data(try s.optimizer.stateBytes()), to: s.files.path(st.optimizerFile))
        try s.files.folder.commit(st, to: "state.json")
        s.state = st
        s.history = st.history ?? []
        try publish(st, s.files, model: s.options.model, data: data)
    }

    /// The user-facing files of a committed state (last and best weights,
    /// history.csv, curves.svg), then the removal of what it no longer names.
    func publish(_ st: TrainState, _ files: RunFiles, model: ModelArchitecture, data: String) throws {
        try files.folder.publish(st.weightsFile, as: "last.safetensors")
        if let best = st.best { try files.folder.publish(best, as: "best.safetensors") }
        let history = st.history ?? []
        try HistoryFile.write(history, to: files.history)
        try AtomicWrite.write(Charts.learningCurves(history, title: "\(model) on \((data as NSString).lastPathComponent)"), to: files.curves)
        try files.folder.sweep(keeping: st.files)
    }

    /// The line logged after each epoch.
    static func epochLine(_ r: EpochRecord, of epochs: Int, eta: Double) -> String {
        var line = String(format: "epoch %d/%d  loss %.4f  acc %.3f", r.epoch, epochs, r.trainLoss, r.trainAcc)
        if let vl = r.valLoss, let va = r.valAcc { line += String(format: "  val_loss %.4f  val_acc %.3f", vl, va) }
        return line + String(format: "  %.1fs", r.seconds) + "  ETA \(ProgressLine.duration(eta))"
    }

    func evaluate(_ model: any Classifier, _ samples: [Sample], pre: Preprocessing, device: Device, weight: Tensor?) throws -> (Double, Double) {
        model.eval()
        defer { model.train() }
        let loader = BatchLoader(samples: samples, batchSize: max(options.batchSize, 32), preprocessing: pre, seed: options.seed, epoch: -1)
        var lossSum = 0.0, correct = 0, seen = 0
        try withNoGrad { () throws in
            while let batch = try loader.nextBatch() {
                let x = try batch.images.to(device), y = try batch.labels.to(device)
                let logits = try model(x)
                lossSum += try Loss.crossEntropy(logits, y, weight: weight).item() * Double(batch.samples.count)
                correct += Int(try logits.argmax(dim: 1).eq(y).to(dtype: .int64).sum().item())
                seen += batch.samples.count
            }
        }
        return (lossSum / Double(max(seen, 1)), Double(correct) / Double(max(seen, 1)))
    }

    func classWeights(_ samples: [Sample], classes: Int) throws -> Tensor {
        var counts = [Double](repeating: 0, count: classes)
        for s in samples { counts[s.classIndex] += 1 }
        let total = counts.reduce(0, +)
        // sklearn's "balanced": n / (k * count_c).
        let w = counts.map { $0 > 0 ? Float(total / (Double(classes) * $0)) : 0 }
        return try Tensor(w, shape: [classes])
    }
}

/// history.csv: epoch, train_loss, train_acc, val_loss, val_acc, lr, seconds.
public enum HistoryFile {
    public static let header = "epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds"

    public static func write(_ h: [EpochRecord], to path: String) throws {
        var out = header + "\n"
        for r in h {
            func f(_ v: Double?) -> String { v.map { String(format: "%.6f", $0) } ?? "" }
            out += "\(r.epoch),\(f(r.trainLoss)),\(f(r.trainAcc)),\(f(r.valLoss)),\(f(r.valAcc)),\(String(format: "%.8g", r.lr)),\(String(format: "%.2f", r.seconds))\n"
        }
        try AtomicWrite.write(out, to: path)
    }

    public static func read(_ path: String) throws -> [EpochRecord] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return CSV.parse(text).dropFirst().compactMap { row in
            guard row.count >= 7, let e = Int(row[0]), let tl = Double(row[1]), let ta = Double(row[2]),
                  let lr = Double(row[5]), let s = Double(row[6]) else { return nil }
            return EpochRecord(epoch: e, trainLoss: tl, trainAcc: ta, valLoss: Double(row[3]), valAcc: Double(row[4]), lr: lr, seconds: s)
        }
    }
}
