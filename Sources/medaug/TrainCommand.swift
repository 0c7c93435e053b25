import ArgumentParser
import Foundation
import MedAugAugment
import MedAugModels
import MedAugTorch
import MedAugTrain

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a classifier on a class-folder dataset.",
        discussion: """
        DIR is a dataset root (its train/ part is used) or a folder of class folders, or, with --labels, images labelled by a CSV. A val/ (or validation/) folder beside train/ and test/, or the val rows of a split column, is the validation set. Otherwise a validation split is drawn by source image: an original and its augmented copies (from manifest.csv or <stem>_aug<k> names) stay on one side, and GAN images (gan_*) only ever train. When images have patient keys (--group-column, --group-pattern, DICOM PatientID, or the group column of manifest.csv), it is drawn by patient: all of a patient's images and their copies stay on one side.

        A recipe carries the study's settings for one network (listed under --recipe); flags given beside it override them. --model alone picks the network with its own input size.

        RUN receives best.safetensors (lowest validation loss), last.safetensors, history.csv, config.json and curves.svg. Each finished epoch is committed by state.json, which names its files under checkpoints/. Ctrl-C stops after the current batch; after Ctrl-C or a kill, --resume continues from the last committed epoch with the saved settings and ends where an uninterrupted run would. --epochs with --resume trains on to that count. A run killed before its first epoch was committed blocks nothing: start it again, with or without --resume.

        --mixup and --cutmix mix each training batch with itself rolled by one image, as torchvision.transforms.v2's MixUp and CutMix do: MixUp blends whole images, CutMix pastes a box, and the one-hot labels are blended by the same weight (the area kept, for CutMix), so the loss is cross-entropy on soft targets. With both, each batch gets one of them (CutMix with --mix-switch-prob). The draws come from --seed, the epoch and the batch, so a resumed run mixes as an uninterrupted one. Training accuracy is counted against the unmixed labels. With --class-weights, a mixed batch's loss is divided by the batch size (libtorch's rule for soft targets), not by the summed weights as for plain labels. In an experiment: overrides {mixup: 0.2, cutmix: 1.0, mix_switch_prob: 0.5}.

        Examples:
          medaug train --data data/skin --out runs/cnn --recipe study-cnn
          medaug train --data data/covid --out runs/r50 --recipe study-resnet50
          medaug train --data data/skin --out runs/cnn --resume
          medaug train --data data/ham --labels data/ham/meta.csv --out runs/ham
          medaug train --data data/skin --out runs/mix --mixup 0.2 --cutmix 1.0
        """
    )

    @Option(help: "Dataset root or class-folder tree.") var data: String
    @OptionGroup var reading: ReadingOptions
    @OptionGroup(title: "Labels and patients") var dataset: DatasetArguments
    @Option(help: "Run folder for checkpoints and records.") var out: String
    @Option(help: "The network (default: the recipe's).") var model: ModelArchitecture?
    @Option(help: "The study's settings to start from (default: study-cnn).") var recipe: Recipe?
    @Option(parsing: .unconditional, help: "Epochs to train in all (default: the recipe's; with --resume, the saved count).") var epochs: Int?
    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Images per batch (default: the recipe's).") var batchSize: Int?
    @Option(name: .customLong("image-size"), parsing: .unconditional, help: "Side of the square network input.") var imageSize: Int?
    @Option(help: "The optimizer (default: the recipe's).") var optimizer: OptimizerKind?
    @Option(parsing: .unconditional, help: "Learning rate (default: the recipe's).") var lr: Double?
    @Option(parsing: .unconditional, help: "SGD momentum.") var momentum: Double?
    @Option(parsing: .unconditional, help: "Keras-style learning-rate time decay per iteration: lr / (1 + decay * t).") var decay: Double?
    @Option(name: .customLong("weight-decay"), parsing: .unconditional, help: "L2 weight decay.") var weightDecay: Double?
    @Option(name: .customLong("val-split"), parsing: .unconditional, help: "Share of source images held out for validation.") var valSplit: Double?
    @Option(parsing: .unconditional, help: "Dropout rate of the small CNN (CS230: 0.8).") var dropout: Double?
    @Option(parsing: .unconditional, help: "Seed of every random draw (default 0).") var seed: UInt64?
    @Option(help: "Where to compute.") var device: DeviceSetting?
    @Option(help: "Backbone weights: a torchvision state_dict (.pth) or .safetensors; the head is new.",
            completion: .file(extensions: ["pth", "safetensors"])) var pretrained: String?
    @Flag(name: .customLong("freeze-backbone"), help: "Train only the classifier head.") var freezeBackbone = false
    @Option(help: "Augment training images on the fly: a preset (aug1, aug2, aug3, medical-xray) or a pipeline file.",
            completion: .file(extensions: ["yaml", "yml", "json"])) var augment: String?
    @Flag(name: .customLong("class-weights"), help: "Weight the loss by inverse class frequency.") var classWeights = false
    @Option(parsing: .unconditional, help: ArgumentHelp("MixUp training batches, λ ~ Beta(alpha, alpha) (torchvision's MixUp; 0.2 to 1 are common).", valueName: "alpha"))
    var mixup: Double?
    @Option(parsing: .unconditional, help: ArgumentHelp("CutMix training batches, λ ~ Beta(alpha, alpha) (torchvision's CutMix; 1 is common).", valueName: "alpha"))
    var cutmix: Double?
    @Option(name: .customLong("mix-switch-prob"), parsing: .unconditional, help: ArgumentHelp("With both --mixup and --cutmix: the chance a batch gets CutMix (default 0.5).", valueName: "p"))
    var mixSwitchProb: Double?
    @Flag(help: "Continue the run in --out with its saved settings.") var resume = false

    /// The recipe with every flag given on the command line applied.
    var options: TrainOptions {
        var o = TrainOptions(recipe: recipe ?? .studyCNN)
        // A network picked on its own gets the input size and scaling it was made for; --image-size overrides.
        if let model { o.select(model) }
        if let epochs { o.epochs = epochs }
        if let batchSize { o.batchSize = batchSize }
        if let imageSize { o.imageSize = imageSize }
        if let optimizer { o.optimizer = optimizer }
        if let lr { o.lr = lr }
        if let momentum { o.momentum = momentum }
        if let decay { o.decay = decay }
        if let weightDecay { o.weightDecay = weightDecay }
        if let valSplit { o.valSplit = valSplit }
        if let dropout { o.dropout = dropout }
        if let seed { o.seed = seed }
        if let device { o.device = device }
        o.pretrained = pretrained
        o.freezeBackbone = freezeBackbone
        o.augment = augment
        o.classWeights = classWeights
        if mixup != nil || cutmix != nil || mixSwitchProb != nil {
            o.mix = MixSettings(mixup: mixup, cutmix: cutmix, switchProbability: mixSwitchProb ?? 0.5)
        }
        return o
    }

    /// The flags that set what a run is (all but --epochs and --device), as typed.
    var settingFlags: [String] {
        let given: [(String, Bool)] = [
            ("--recipe", recipe != nil), ("--model", model != nil), ("--batch-size", batchSize != nil),
            ("--image-size", imageSize != nil), ("--optimizer", optimizer != nil), ("--lr", lr != nil),
            ("--momentum", momentum != nil), ("--decay", decay != nil), ("--weight-decay", weightDecay != nil),
            ("--val-split", valSplit != nil), ("--dropout", dropout != nil), ("--seed", seed != nil),
            ("--pretrained", pretrained != nil), ("--freeze-backbone", freezeBackbone), ("--augment", augment != nil),
            ("--class-weights", classWeights), ("--mixup", mixup != nil), ("--cutmix", cutmix != nil),
            ("--mix-switch-prob", mixSwitchProb != nil),
        ]
        return given.filter(\.1).map(\.0)
    }

    func validate() throws {
        // A resumed run keeps the settings it was started with; a flag that
        // would change them is refused rather than silently ignored.
        if resume, !settingFlags.isEmpty {
            throw ValidationError("--resume continues the run with its saved settings; \(settingFlags.joined(separator: ", ")) cannot change them (only --epochs and --device may be given with --resume)")
        }
        do { try options.validate() } catch { throw error.usage }
        // A pipeline or weights file that cannot be used is found before any run folder is made.
        if let augment {
            do { _ = try PipelineSource(augment).load() } catch { throw ValidationError("--augment: \(error)") }
        }
        if mixSwitchProb != nil, mixup == nil || cutmix == nil {
            throw ValidationError("--mix-switch-prob chooses between MixUp and CutMix; give it with both --mixup and --cutmix")
        }
        if let pretrained, !FileManager.default.isReadableFile(atPath: pretrained) {
            throw ValidationError("--pretrained: cannot read '\(pretrained)'")
        }
    }

    func run() throws {
        Interrupt.install()
        let trainer = ClassifierTrainer(options: options)
        trainer.epochsGiven = epochs != nil
        let outcome = try trainer.run(data: data, out: out, resume: resume)
        if outcome.interrupted { throw ExitCode(130) }
        print("run saved in \(out): best.safetensors, last.safetensors, history.csv, config.json, curves.svg")
    }
}

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a trained run: ROC-AUC, sensitivity and specificity with intervals, calibration, per-class report, confusion matrix.",
        discussion: """
        DIR is a dataset root (its test/ part is used) or a class-folder tree, or, with --labels, images labelled by a CSV (its test rows when it has a split column). Writes into --out (default RUN/eval): predictions.csv, metrics.json, classification_report.txt (scikit-learn's layout), confusion_matrix.csv/.svg (counts and row percentages), roc_curve.svg, pr_curve.svg and reliability.svg.

        metrics.json holds, beside accuracy and the per-class report, the figures medical papers report, each equal to scikit-learn's on the same predictions: roc_auc and average_precision (two classes: the positive class's; more: one-vs-rest macro average, per class under per_class), balanced_accuracy, sensitivity and specificity (two classes: the positive class's; more: per class, macro average at the top), brier and expected_calibration_error. Each comes with a 95% interval under confidence_intervals, its method named: DeLong on the logit scale for a two-class AUC (it never leaves [0, 1]); a seeded stratified percentile bootstrap (--bootstrap resamples, class counts kept) for the rest.

        With two classes the positive class defaults to the second name in sorted order, and an image is called positive when its probability reaches the threshold: 0.5 unless --threshold is given, or chosen on the run's own validation images with --threshold-from-validation (youden, or sensitivity=0.95 for the highest threshold that keeps that sensitivity). The threshold is fixed before the test images are scored and recorded in metrics.json.

        --tta averages each image's probabilities with those of augmented copies of it: `flips` adds the horizontal mirror (--tta-copies 2: and the vertical, 3: and both), a preset or pipeline file adds --tta-copies random draws (default 4). predictions.csv then holds the averaged probabilities, and metrics.json says what was averaged.

        Examples:
          medaug evaluate --run runs/cnn --data data/skin --positive malignant
          medaug evaluate --run runs/cnn --data data/skin --tta flips
          medaug evaluate --run runs/cnn --data data/skin --threshold-from-validation sensitivity=0.95
          medaug evaluate --run runs/cnn --data data/skin --threshold 0.3 --bootstrap 5000
        """
    )

    @Option(name: .customLong("run"), help: "A `medaug train` run folder.") var runDir: String
    @Option(help: "Dataset root or class-folder tree.") var data: String
    @OptionGroup var reading: ReadingOptions
    @OptionGroup(title: "Labels and patients") var dataset: DatasetArguments
    @Option(help: "best, last, or a checkpoint file.") var checkpoint: CheckpointChoice = .best
    @Option(help: "The class whose recall matters most.") var positive: String?
    @Option(help: "Folder for the outputs (default RUN/eval).") var out: String?
    @Option(help: "Where to compute.") var device: DeviceSetting = .auto
    @Option(parsing: .unconditional, help: ArgumentHelp("Two classes: call an image positive when its probability is at least this (default 0.5).", valueName: "probability"))
    var threshold: Double?
    @Option(help: ArgumentHelp("Two classes: choose the threshold on the run's validation images, by \(ThresholdRule.forms).", valueName: "rule"))
    var thresholdFromValidation: ThresholdRule?
    @Option(parsing: .unconditional, help: "Bootstrap resamples for the intervals without a closed form (0: none).") var bootstrap: Int = 1000
    @Option(name: .customLong("bootstrap-seed"), parsing: .unconditional, help: "Seed of the bootstrap resampling.") var bootstrapSeed: UInt64 = 0
    @Option(name: .customLong("tta-seed"), parsing: .unconditional, help: "Seed of a --tta pipeline's draws (recorded in metrics.json).") var ttaSeed: UInt64 = 0
    @Option(help: ArgumentHelp("Test-time augmentation: `flips` (mirrors) or a preset or pipeline file; probabilities are averaged over each image and its copies.", valueName: "flips|pipeline"))
    var tta: String?
    @Option(name: .customLong("tta-copies"), parsing: .unconditional, help: ArgumentHelp("Augmented copies per image with --tta (flips: 1 to 3, default 1; a pipeline: default 4).", valueName: "k"))
    var ttaCopies: Int?

    func validate() throws {
        try CommandLimits.check("--bootstrap", bootstrap, CommandLimits.bootstrap)
        if let threshold, !(0...1).contains(threshold) {
            throw ValidationError("--threshold must be a probability between 0 and 1, got \(threshold)")
        }
        if threshold != nil, thresholdFromValidation != nil {
            throw ValidationError("--threshold and --threshold-from-validation both set the operating point; give one")
        }
        if ttaCopies != nil, tta == nil { throw ValidationError("--tta-copies needs --tta") }
        // A pipeline that cannot be used is found before any model loads.
        if let tta {
            do { _ = try TestTimeAugmentation(tta, copies: ttaCopies).passes() } catch { throw ValidationError("\(error)") }
        }
    }

    func run() throws {
        var settings = EvaluationSettings(threshold: threshold, thresholdRule: thresholdFromValidation, bootstrap: bootstrap, seed: bootstrapSeed,
                                          tta: try tta.map { try TestTimeAugmentation($0, copies: ttaCopies) })
        settings.ttaSeed = ttaSeed
        _ = try Evaluator.run(run: runDir, data: data, checkpoint: checkpoint, positive: positive, out: out, device: device, settings: settings)
    }
}
