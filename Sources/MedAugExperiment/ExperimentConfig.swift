import Foundation
import MedAugAugment
import MedAugData
import MedAugCore
import MedAugModels
import MedAugTrain

/// One training-set variant: the original set plus any of offline
/// augmentation, extra superpixel images and extra GAN images.
public struct Variant: Codable, Equatable, Sendable {
    public var name: String
    /// Offline augmentation of every training image: a preset or pipeline file, and copies per image.
    public var augment: String?
    public var copies: Int = 3
    /// Extra images made with `superpixelPreset` from randomly chosen training images, as a share of the training set.
    public var superpixel: Double = 0
    /// Extra GAN images as a share of the training set, split across classes in the original proportions.
    public var gan: Double = 0

    public var isOriginal: Bool { augment == nil && superpixel == 0 && gan == 0 }

    /// A folder-safe name.
    public var slug: String {
        let s = name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(s).split(separator: "-").joined(separator: "-")
    }
}

/// An experiment: which data, which classifier, which variants, how many repeats.
public struct ExperimentConfig: Codable, Equatable, Sendable {
    public var name: String
    /// Dataset root with train/ and test/ (relative paths are relative to the config file).
    public var data: String
    public var recipe: Recipe
    public var overrides: [String: String] = [:]
    public var positive: String?
    public var epochs: [Int]
    public var repeats: Int
    public var seed: UInt64
    public var variants: [Variant]
    public var superpixelPreset: String = "aug2"
    /// Settings of the per-class DCGANs that GAN variants draw from.
    public var gan: GANShape = GANShape()
    /// Which weights are scored at each listed epoch: "last" (the study's Keras fit) or "best".
    public var checkpoint: CheckpointChoice = .last
    /// Optional: a synthetic dataset to generate first when `data` is missing (the demo).
    public var synth: SynthSettings?
    /// The share of each class's images (whole patients where known) held
    /// out as the test set when `data` has no test part (a flat folder, a
    /// labels CSV without a split column); nil: ``defaultTestSplit``.
    public var testSplit: Double?
    /// The figures the verdict compares (`metrics:`); nil: ``ComparedMetric/defaults``.
    public var metrics: [ComparedMetric]?
    /// k-fold cross-validation inside the training set (`folds:`): each
    /// repeat trains once per fold, validating on it; the test set is untouched.
    public var folds: Int?

    /// The verdict's metrics, as configured or the defaults.
    public var comparedMetrics: [ComparedMetric] { metrics ?? ComparedMetric.defaults }

    /// Folds per repeat: 2 to 20 (each is a full training run).
    public static let foldsRange = 2...20

    /// The test share of a flat dataset unless `test_split` says otherwise.
    public static let defaultTestSplit = 0.2

    public struct SynthSettings: Codable, Equatable, Sendable {
        public var kind: SyntheticKind
        public var scale: Double
    }

    public static func load(_ path: String) throws -> ExperimentConfig {
        let text: String
        do { text = try RegularFile.readText(path) } catch {
            throw ExperimentConfigError(path, "", "cannot read the experiment file: \(error.reason)")
        }
        let v = try ConfigCoding.parse(text, format: ConfigCoding.format(forPath: path), source: path)
        var c = try parse(v, source: path)
        c.data = relative(c.data, to: path)
        return c
    }

    /// Repeats per variant, in a config or from `--repeats`: each is a full training run.
    public static let repeatsRange = 1...1000

    static let topKeys = ["name", "data", "recipe", "overrides", "positive", "epochs", "repeats", "seed", "variants",
                          "superpixel_preset", "gan", "checkpoint", "synth", "test_split", "metrics", "folds"]

    /// Reads an experiment from its parsed file; every error names the file and key.
    public static func parse(_ v: ConfigValue, source: String) throws -> ExperimentConfig {
        guard case .map(let top) = v else { throw ExperimentConfigError(source, "", "an experiment file is a mapping of settings") }
        for (k, _) in top where !topKeys.contains(k) {
            throw ExperimentConfigError(source, k, "unknown setting; allowed: \(topKeys.joined(separator: ", "))")
        }
        let r = KeyReader(value: v, source: source)
        var c = ExperimentConfig(
            name: try r.required("name", \.string), data: try r.required("data", \.string),
            recipe: try recipe(try r.required("recipe", \.string), source),
            epochs: try r.required("epochs") { x -> [Int]? in
                if let i = x.int { return [i] }
                if case .list(let l) = x { let a = l.compactMap(\.int); return a.count == l.count ? a : nil }
                return nil
            },
            repeats: try r.required("repeats", \.int), seed: try seed(v["seed"], source), variants: [])
        guard !c.epochs.isEmpty, c.epochs.allSatisfy({ $0 >= 1 }) else { throw ExperimentConfigError(source, "epochs", "must be positive integers") }
        c.epochs = Array(Set(c.epochs)).sorted()
        guard repeatsRange.contains(c.repeats) else {
            throw ExperimentConfigError(source, "repeats", "must be \(repeatsRange.lowerBound) to \(repeatsRange.upperBound), got \(c.repeats)")
        }
        if let p = v["positive"] {
            guard let s = p.string else { throw ExperimentConfigError(source, "positive", "must be a class name") }
            c.positive = s
        }
        c.overrides = try overrides(v["overrides"], source)
        if v["superpixel_preset"] != nil {
            c.superpixelPreset = resolved(try r.required("superpixel_preset", \.string), beside: source)
            do { _ = try PipelineSource(c.superpixelPreset).load() } catch {
                throw ExperimentConfigError(source, "superpixel_preset", "is not a usable preset or pipeline file: \(error)")
            }
        }
        if let ck = v["checkpoint"] {
            guard let s = ck.string, ["last", "best"].contains(s) else { throw ExperimentConfigError(source, "checkpoint", "must be last or best") }
            c.checkpoint = CheckpointChoice(s)
        }
        c.gan = try ganShape(v["gan"], source)
        if case .map? = v["synth"] {
            guard let kind = v["synth"]?["kind"]?.string.flatMap(SyntheticKind.init(rawValue:)),
                  let scale = v["synth"]?["scale"]?.number, scale.isFinite, scale > 0 else {
                throw ExperimentConfigError(source, "synth", "needs kind (chest-xray or skin-lesion) and scale")
            }
            c.synth = SynthSettings(kind: kind, scale: scale)
        }
        c.variants = try variants(v["variants"], source)
        if v["test_split"] != nil {
            let share = try self.share(v["test_split"], source, "test_split")
            guard share > 0, share < 1 else { throw ExperimentConfigError(source, "test_split", "must be a share between 0 and 1, such as 20% or 0.2") }
            c.testSplit = share
        }
        if let m = v["metrics"] {
            let allowed = ComparedMetric.allCases.map(\.rawValue).joined(separator: ", ")
            guard case .list(let items) = m, !items.isEmpty else { throw ExperimentConfigError(source, "metrics", "must be a non-empty list of \(allowed)") }
            c.metrics = try items.map { item in
                guard let name = item.string, let metric = ComparedMetric(rawValue: name) else {
                    throw ExperimentConfigError(source, "metrics", "'\(item.string ?? item.kindName)' is not a metric; allowed: \(allowed)")
                }
                return metric
            }
        }
        if let f = v["folds"] {
            guard let k = f.int, foldsRange.contains(k) else {
                throw ExperimentConfigError(source, "folds", "must be an integer from \(foldsRange.lowerBound) to \(foldsRange.upperBound)")
            }
            c.folds = k
        }
        // Overrides are checked now, not when the first cell trains.
        do { try c.trainOptions(epochs: 1, seed: 0, source: source).validate() } catch let e as TrainError {
            throw ExperimentConfigError(source, "overrides", e.message)
        }
        return c
    }

    /// Typed access to one mapping's keys, with errors naming the key.
    struct KeyReader {
        let value: ConfigValue
        let source: String

        func required<T>(_ k: String, _ f: (ConfigValue) -> T?) throws -> T {
            guard let raw = value[k] else { throw ExperimentConfigError(source, k, "required") }
            guard let x = f(raw) else { throw ExperimentConfigError(source, k, "has the wrong type (\(raw.kindName))") }
            return x
        }
    }

    /// `seed:`: an integer from 0. A negative or fractional seed is refused,
    /// not read as 0, which would silently repeat another run's draws.
    static func seed(_ v: ConfigValue?, _ source: String) throws -> UInt64 {
        guard let v else { return 0 }
        guard let i = v.int, i >= 0 else {
            let shown = v.number.map(ConfigValue.format) ?? v.kindName
            throw ExperimentConfigError(source, "seed", "must be an integer from 0, got \(shown)")
        }
        return UInt64(i)
    }

    /// `overrides:`: recipe settings by their command-line names, kept as text until applied.
    static func overrides(_ v: ConfigValue?, _ source: String) throws -> [String: String] {
        guard case .map(let o)? = v else { return [:] }
        var out: [String: String] = [:]
        for (k, x) in o {
            guard Overrides.allowed.contains(k) else {
                throw ExperimentConfigError(source, "overrides.\(k)", "unknown; allowed: \(Overrides.allowed.joined(separator: ", "))")
            }
            switch x {
            case .string(let s): out[k] = s
            case .int(let i): out[k] = String(i)
            case .double(let d): out[k] = String(d)
            case .bool(let b): out[k] = String(b)
            default: throw ExperimentConfigError(source, "overrides.\(k)", "must be a number, string or boolean")
            }
        }
        return out
    }

    /// `gan:`: the per-class DCGANs' shape.
    static func ganShape(_ v: ConfigValue?, _ source: String) throws -> GANShape {
        var shape = GANShape()
        guard case .map(let g)? = v else { return shape }
        for (k, x) in g {
            guard let i = x.int else { throw ExperimentConfigError(source, "gan.\(k)", "must be an integer") }
            do { try shape.set(k, i) } catch { throw ExperimentConfigError(source, "gan.\(k)", error.message) }
        }
        do { try shape.check() } catch { throw ExperimentConfigError(source, "gan", error.message) }
        return shape
    }

    /// `variants:`: a non-empty list with unique names and unique folders.
    static func variants(_ v: ConfigValue?, _ source: String) throws -> [Variant] {
        guard case .list(let vs)? = v, !vs.isEmpty else { throw ExperimentConfigError(source, "variants", "a non-empty list is required") }
        var out: [Variant] = []
        for (i, item) in vs.enumerated() {
            let at = "variants[\(i + 1)]"
            guard case .map(let m) = item else { throw ExperimentConfigError(source, at, "each variant is a mapping with a name") }
            for (k, _) in m where !["name", "augment", "preset", "pipeline", "copies", "superpixel", "gan"].contains(k) {
                throw ExperimentConfigError(source, "\(at).\(k)", "unknown; allowed: name, preset, pipeline, copies, superpixel, gan")
            }
            guard let name = item["name"]?.string else { throw ExperimentConfigError(source, "\(at).name", "required") }
            var variant = Variant(name: name)
            variant.augment = item["preset"]?.string ?? item["pipeline"]?.string ?? item["augment"]?.string
            if let a = variant.augment, item["pipeline"] == nil, case .file = PipelineSource(a), !a.contains(".") {
                throw ExperimentConfigError(source, "\(at).preset", "'\(a)' is not a preset; allowed: \(Presets.names.joined(separator: ", "))")
            }
            if let a = variant.augment, case .file = PipelineSource(a) {
                // Like `data`, a pipeline file is found beside the config, and read
                // now: a mistake in it must not wait until earlier cells trained.
                variant.augment = resolved(a, beside: source)
                do { _ = try PipelineSource(variant.augment!).load() } catch {
                    throw ExperimentConfigError(source, "\(at).pipeline", "is not a usable pipeline file: \(error)")
                }
            }
            if let k = item["copies"] {
                guard let n = k.int, (1...1000).contains(n) else { throw ExperimentConfigError(source, "\(at).copies", "must be an integer from 1 to 1000") }
                variant.copies = n
            }
            variant.superpixel = try share(item["superpixel"], source, "\(at).superpixel")
            variant.gan = try share(item["gan"], source, "\(at).gan")
            if let twin = out.first(where: { $0.slug == variant.slug }) {
                let what = twin.name == variant.name ? "variant names must be unique" : "'\(twin.name)' and '\(name)' would share the folder runs/\(variant.slug)/; rename one"
                throw ExperimentConfigError(source, "\(at).name", what)
            }
            out.append(variant)
        }
        return out
    }

    /// A relative path taken relative to the folder of the file that names it.
    static func relative(_ path: String, to source: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        let base = (source as NSString).deletingLastPathComponent
        return (((base.isEmpty ? "." : base) as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }

    /// A pipeline file found beside the config; a preset name stays a name.
    static func resolved(_ pipeline: String, beside source: String) -> String {
        guard case .file = PipelineSource(pipeline) else { return pipeline }
        return relative(pipeline, to: source)
    }

    static func recipe(_ name: String, _ source: String) throws -> Recipe {
        guard let r = Recipe(rawValue: name) else {
            throw ExperimentConfigError(source, "recipe", "'\(name)' is not a recipe; allowed: \(Recipe.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return r
    }

    /// `10%`, `0.1` or `10` (a share above 1 is read as a percentage).
    static func share(_ v: ConfigValue?, _ source: String, _ key: String) throws -> Double {
        guard let v else { return 0 }
        var x: Double?
        switch v {
        case .string(let s) where s.hasSuffix("%"): x = Double(s.dropLast()).map { $0 / 100 }
        case .int, .double: x = v.number.map { $0 > 1 ? $0 / 100 : $0 }
        default: x = nil
        }
        guard let r = x, r >= 0, r <= 10 else { throw ExperimentConfigError(source, key, "must be a share such as 10% or 0.1") }
        return r
    }

    /// The same questions at the smallest size: one epoch, one repeat, a one-epoch GAN.
    /// For checking that a config runs end to end before committing hours to it.
    public func smoke() -> ExperimentConfig {
        var c = self
        c.epochs = [1]
        c.repeats = 1
        c.gan.epochs = 1
        return c
    }

    /// Where every cell and the GANs compute: the `device` override, checked
    /// when the file was read, or auto.
    public var device: DeviceSetting { overrides["device"].flatMap(DeviceSetting.init) ?? .auto }

    /// The classifier options of one cell.
    public func trainOptions(epochs: Int, seed: UInt64) throws -> TrainOptions {
        try trainOptions(epochs: epochs, seed: seed, source: "experiment")
    }

    /// The same, with override errors naming `source` (the file being read).
    func trainOptions(epochs: Int, seed: UInt64, source: String) throws -> TrainOptions {
        var o = TrainOptions(recipe: recipe)
        try Overrides.apply(overrides, to: &o, source: source)
        o.epochs = epochs
        o.seed = seed
        return o
    }
}

/// An experiment file that cannot be used: which file, which key, and why.
public struct ExperimentConfigError: MedAugError {
    public let source: String, key: String, message: String
    init(_ source: String, _ key: String, _ message: String) {
        self.source = source
        self.key = key
        self.message = message
    }
    public var description: String { key.isEmpty ? "\(source): \(message)" : "\(source): '\(key)' \(message)" }
}

/// Recipe settings an experiment may override, by their command-line names.
enum Overrides {
    static let allowed = ["model", "batch_size", "image_size", "optimizer", "lr", "momentum", "decay", "weight_decay",
                          "val_split", "dropout", "device", "pretrained", "freeze_backbone", "class_weights",
                          "mixup", "cutmix", "mix_switch_prob"]

    /// Applies `o` to `t`; errors name `source` and the key `overrides.<name>`.
    static func apply(_ o: [String: String], to t: inout TrainOptions, source: String) throws {
        func shown(_ k: String) -> String { ConfigError.excerpt(o[k]!) }
        func d(_ k: String) throws -> Double {
            guard let v = Double(o[k]!), v.isFinite else { throw ExperimentConfigError(source, "overrides.\(k)", "must be a finite number, got \(shown(k))") }
            return v
        }
        func i(_ k: String) throws -> Int {
            guard let v = Int(o[k]!), v >= 1 else { throw ExperimentConfigError(source, "overrides.\(k)", "must be a positive integer, got \(shown(k))") }
            return v
        }
        func parse<T>(_ k: String, _ make: (String) -> T?, _ allowed: [String]) throws -> T {
            guard let v = make(o[k]!) else {
                throw ExperimentConfigError(source, "overrides.\(k)", "'\(shown(k))' is not allowed; allowed: \(allowed.joined(separator: ", "))")
            }
            return v
        }
        if o["mix_switch_prob"] != nil, o["mixup"] == nil || o["cutmix"] == nil {
            throw ExperimentConfigError(source, "overrides.mix_switch_prob", "chooses between MixUp and CutMix; give it with both mixup and cutmix")
        }
        for k in o.keys.sorted() {
            switch k {
            case "model": t.model = try parse(k, ModelArchitecture.init(rawValue:), ModelArchitecture.allCases.map(\.rawValue))
            case "batch_size": t.batchSize = try i(k)
            case "image_size": t.imageSize = try i(k)
            case "optimizer": t.optimizer = try parse(k, OptimizerKind.init(rawValue:), OptimizerKind.allCases.map(\.rawValue))
            case "lr": t.lr = try d(k)
            case "momentum": t.momentum = try d(k)
            case "decay": t.decay = try d(k)
            case "weight_decay": t.weightDecay = try d(k)
            case "val_split": t.valSplit = try d(k)
            case "dropout": t.dropout = try d(k)
            case "device": t.device = try parse(k, DeviceSetting.init, DeviceSetting.forms)
            case "pretrained": t.pretrained = o[k]!
            case "freeze_backbone": t.freezeBackbone = o[k]! == "true"
            case "class_weights": t.classWeights = o[k]! == "true"
            case "mixup": t.mix = MixSettings(mixup: try d(k), cutmix: t.mix?.cutmix, switchProbability: t.mix?.switchProbability ?? 0.5)
            case "cutmix": t.mix = MixSettings(mixup: t.mix?.mixup, cutmix: try d(k), switchProbability: t.mix?.switchProbability ?? 0.5)
            case "mix_switch_prob": t.mix = MixSettings(mixup: t.mix?.mixup, cutmix: t.mix?.cutmix, switchProbability: try d(k))
            default: break
            }
        }
    }
}
