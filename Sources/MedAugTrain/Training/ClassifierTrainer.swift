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
    public struct Outcome: Sendable {
        public var history: [EpochRecord]
        public var interrupted: Bool
        public var run: RunFiles
    }

    public let options: TrainOptions
    public var log: (String) -> Void = { print($0) }
    public var showProgress = isatty(STDERR_FILENO) != 0
    /// Called after each epoch's checkpoints are written, with the epoch number (1-based).
    public var onEpochEnd: ((Int, RunFiles) throws -> Void)?

    public init(options: TrainOptions) { self.options = options }

    public func run(data: String, out: String, resume: Bool) throws -> Outcome {
        try OutputGuard.check(output: out, inputs: [data])
        let files = RunFiles(out)
        var options = self.options
        var state = TrainState(epochsDone: 0, iteration: 0, bestValLoss: nil, bestEpoch: nil)
        var history: [EpochRecord] = []
        if resume {
            let saved = try RunConfig.read(files.config)
            options = saved.options
            state = try JSONDecoder().decode(TrainState.self, from: Data(contentsOf: URL(fileURLWithPath: files.state)))
            history = try HistoryFile.read(files.history)
            if self.options.epochs != saved.options.epochs {
                options.epochs = max(self.options.epochs, state.epochsDone)
            }
        } else if FileManager.default.fileExists(atPath: files.config) {
            throw TorchError("\(out) already holds a run; add --resume to continue it, or choose another --out")
        }
        try options.validate()
        let device = try Device.parse(options.device)

        let all = try LabeledSamples.load(data, part: .train)
        guard all.classes.count >= 2 else { throw TorchError("\(data): need at least 2 classes to train a classifier, found \(all.classes.count)") }
        let (trainSet, valSet) = try ValidationSplit.split(all.samples, fraction: options.valSplit, seed: options.seed)
        guard !trainSet.isEmpty else { throw TorchError("\(data): no training images") }
        let pre = Preprocessing(imageSize: options.imageSize, scaling: options.scaling)
        let config = RunConfig(medaugVersion: MedAugVersion.string, torchVersion: Torch.version, data: data,
                               classes: all.classes, preprocessing: pre, options: options,
                               trainCount: trainSet.count, validationCount: valSet.count, device: device.description)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        if !resume { try config.write(files.config) }

        let augment: MedAugAugment.Sequential? = try options.augment.map { a in
            Presets.text(a) != nil ? try Presets.pipeline(a) : try PipelineReader.load(path: a)
        }

        try Torch.manualSeed(options.seed)
        let model = try ClassifierFactory.make(options, classes: all.classes.count)
        if let p = options.pretrained, !resume { try ClassifierFactory.loadPretrained(p, into: model) }
        if resume { try model.load(stateDict: try SafeTensors.read(files.last).tensors) }
        var trainable = model.parameters()
        if options.freezeBackbone, let r = model as? ResNet {
            for t in r.backboneParameters() { try t.requiresGrad(false) }
            trainable = r.fc.parameters()
        }
        try model.move(to: device)
        let opt = options.optimizer == "adam"
            ? try Optimizer.adam(trainable, lr: options.lr, betas: (options.beta1, options.beta2), weightDecay: options.weightDecay)
            : try Optimizer.sgd(trainable, lr: options.lr, momentum: options.momentum, weightDecay: options.weightDecay)
        opt.decay = options.decay
        if resume {
            try opt.loadState(try [UInt8](Data(contentsOf: URL(fileURLWithPath: files.optimizerState))))
            try opt.setIteration(state.iteration)
        }
        let weight: Tensor? = options.classWeights ? try classWeights(trainSet, classes: all.classes.count).to(device) : nil

        log("training \(options.model) on \(trainSet.count) images (\(valSet.count) for validation), "
            + "\(all.classes.count) classes, \(options.epochs) epochs, batch \(options.batchSize), device \(device)")
        if state.epochsDone >= options.epochs {
            log("nothing to do: \(state.epochsDone) of \(options.epochs) epochs already done")
            return Outcome(history: history, interrupted: false, run: files)
        }
        let started = Date()
        let firstEpoch = state.epochsDone
        for epoch in firstEpoch..<options.epochs {
            let t0 = Date()
            // Per-epoch seeds make a resumed run draw exactly what an uninterrupted one would.
            try Torch.manualSeed(SeedDerivation.derive(options.seed, [0x4550_4F43_48, UInt64(epoch)]))
            var order = trainSet
            var rng = Xoshiro256(seed: options.seed, path: [0x5348_5546, UInt64(epoch)])
            rng.shuffle(&order)
            // A last batch of one sample would make BatchNorm's unbiased running
            // variance divide by zero (PyTorch refuses such a batch): leave it out
            // this epoch; the shuffle puts another image last next time.
            if order.count > 1 && order.count % options.batchSize == 1 { order.removeLast() }
            model.train()
            let loader = BatchLoader(samples: order, batchSize: options.batchSize, preprocessing: pre, augment: augment,
                                     seed: options.seed, epoch: epoch)
            let progress = ProgressLine(label: "epoch \(epoch + 1)/\(options.epochs)", enabled: showProgress)
            var lossSum = 0.0, correct = 0, seen = 0, b = 0
            while let batch = try loader.nextBatch() {
                if Interrupt.requested {
                    loader.stop()
                    progress.finish()
                    log("interrupted: epochs 1-\(epoch) are saved in \(out); continue with --resume")
                    return Outcome(history: history, interrupted: true, run: files)
                }
                let x = try batch.images.to(device), y = try batch.labels.to(device)
                try opt.zeroGrad()
                let logits = try model(x)
                let loss = try Loss.crossEntropy(logits, y, weight: weight)
                try loss.backward()
                try opt.step()
                let n = batch.samples.count
                lossSum += try loss.item() * Double(n)
                correct += Int(try logits.argmax(dim: 1).eq(y).to(dtype: .int64).sum().item())
                seen += n
                b += 1
                progress.update(b, loader.batchCount)
            }
            progress.finish()
            state.iteration = opt.iteration
            var record = EpochRecord(epoch: epoch + 1, trainLoss: lossSum / Double(seen), trainAcc: Double(correct) / Double(seen),
                                     valLoss: nil, valAcc: nil, lr: opt.learningRate, seconds: Date().timeIntervalSince(t0))
            if !valSet.isEmpty {
                let (vl, va) = try evaluate(model, valSet, pre: pre, device: device, weight: weight)
                record.valLoss = vl
                record.valAcc = va
                record.seconds = Date().timeIntervalSince(t0)
            }
            guard record.trainLoss.isFinite, record.valLoss?.isFinite ?? true else {
                throw TorchError("training diverged at epoch \(epoch + 1) (loss \(record.trainLoss), validation loss \(record.valLoss.map { "\($0)" } ?? "n/a")); "
                    + "epochs 1-\(epoch) are kept in \(out). Try a lower --lr.")
            }
            history.append(record)
            state.epochsDone = epoch + 1
            let score = record.valLoss ?? record.trainLoss
            if state.bestValLoss == nil || score < state.bestValLoss! {
                state.bestValLoss = score
                state.bestEpoch = epoch + 1
                try ClassifierCheckpoint.write(model, config: config, epoch: epoch + 1, to: files.best)
            }
            try ClassifierCheckpoint.write(model, config: config, epoch: epoch + 1, to: files.last)
            try AtomicWrite.write(Data(try opt.stateBytes()), to: files.optimizerState)
            try AtomicWrite.write(try JSONEncoder().encode(state), to: files.state)
            try HistoryFile.write(history, to: files.history)
            try onEpochEnd?(epoch + 1, files)
            try AtomicWrite.write(Charts.learningCurves(history, title: "\(options.model) on \((data as NSString).lastPathComponent)"), to: files.curves)
            let elapsed = Date().timeIntervalSince(started)
            let per = elapsed / Double(epoch + 1 - firstEpoch)
            let eta = per * Double(options.epochs - epoch - 1)
            var line = String(format: "epoch %d/%d  loss %.4f  acc %.3f", epoch + 1, options.epochs, record.trainLoss, record.trainAcc)
            if let vl = record.valLoss, let va = record.valAcc { line += String(format: "  val_loss %.4f  val_acc %.3f", vl, va) }
            line += String(format: "  %.1fs", record.seconds) + "  ETA \(ProgressLine.duration(eta))"
            log(line)
        }
        return Outcome(history: history, interrupted: false, run: files)
    }

    func evaluate(_ model: Layer, _ samples: [Sample], pre: Preprocessing, device: Device, weight: Tensor?) throws -> (Double, Double) {
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
