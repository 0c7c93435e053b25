import Foundation
import MedAugFormats
import MedAugAugment
import MedAugCore
import MedAugData
import MedAugImage
import MedAugTrain

/// Training sets made from the original one: built once per (variant, seed),
/// kept under the experiment's cache folder by a hash of what went into them.
public final class DerivedSets: @unchecked Sendable {
    let config: ExperimentConfig
    let cache: String
    var log: (String) -> Void
    private let lock = NSLock()
    private var building: [String: NSLock] = [:]

    init(config: ExperimentConfig, cache: String, log: @escaping (String) -> Void) {
        self.config = config
        self.cache = cache
        self.log = log
    }

    /// The folder of class folders to train on, for a variant and a repeat's seed.
    /// `config.data` is the prepared root (``ExperimentData``), read as class folders.
    func trainingSet(_ v: Variant, seed: UInt64) throws -> String {
        let real = try LabeledSamples.load(config.data, part: .train, options: ExperimentData.folders)
        if v.isOriginal { return (config.data as NSString).appendingPathComponent("train") }
        let key = try hashKey(v, seed: seed, real: real)
        let dir = (cache as NSString).appendingPathComponent("sets/\(v.slug)-\(key)")
        let stamp = (dir as NSString).appendingPathComponent(".complete")
        let l = lockFor(dir)
        l.lock()
        defer { l.unlock() }
        if FileManager.default.fileExists(atPath: stamp) { return dir }
        try? FileManager.default.removeItem(atPath: dir)
        log("building training set '\(v.name)' (seed \(seed)) in \(dir)")
        let trainRoot = (config.data as NSString).appendingPathComponent("train")
        if let a = v.augment {
            _ = try augmenter(a, copies: v.copies, seed: seed).run(input: trainRoot, output: dir)
        } else {
            for s in real.samples { try link(s.path, into: dir, className: s.className) }
            try copyManifest(from: trainRoot, into: dir)
        }
        if v.superpixel > 0 {
            let sp = try pipeline(config.superpixelPreset)
            let n = Int((Double(real.samples.count) * v.superpixel).rounded())
            var rng = Xoshiro256(seed: seed, path: [0x5350, UInt64(n)])
            var order = Array(real.samples.indices)
            rng.shuffle(&order)
            let k = (v.augment != nil ? v.copies : 0) + 1
            for (j, i) in order.prefix(n).enumerated() {
                let s = real.samples[i]
                let img = try MedicalImageFile.read(s.path)
                var ctx = AugmentContext(seed: seed, identity: "superpixel:\(s.path)#\(j)")
                let out = try sp.augment(img, &ctx)
                let stem = ((s.path as NSString).lastPathComponent as NSString).deletingPathExtension
                // Named as an augmented copy, so validation keeps it with its source.
                try ImageFile.write(out, to: (dir as NSString).appendingPathComponent("\(s.className)/\(stem)_aug\(k).png"))
            }
        }
        if v.gan > 0 {
            let ganRun = try gans(seed: seed)
            let total = Int((Double(real.samples.count) * v.gan).rounded())
            let counts = Self.proportional(total, Dataset.counts(real.samples, classCount: real.classes.count))
            for (c, cls) in real.classes.enumerated() where counts[c] > 0 {
                let tmp = (dir as NSString).appendingPathComponent(".gan-\(c)")
                try GANSampler.sample(run: ganRun, classes: [cls], count: counts[c], out: tmp, size: nil,
                                      seed: seed, device: config.device, log: { _ in })
                let src = (tmp as NSString).appendingPathComponent(cls)
                for f in try FileManager.default.contentsOfDirectory(atPath: src) {
                    try FileManager.default.moveItem(atPath: (src as NSString).appendingPathComponent(f),
                                                     toPath: (dir as NSString).appendingPathComponent("\(cls)/\(f)"))
                }
                try FileManager.default.removeItem(atPath: tmp)
            }
        }
        // A manifest with patient keys stays: training on the set keeps each patient on one side.
        Self.removeManifestWithoutKeys(in: dir)
        FileManager.default.createFile(atPath: stamp, contents: Data(key.utf8))
        return dir
    }

    /// Per-class DCGANs trained on the real training set, once per seed.
    func gans(seed: UInt64) throws -> String {
        let dir = (cache as NSString).appendingPathComponent("gan/seed-\(seed)-\(config.gan.imageSize)px-\(config.gan.epochs)ep")
        let stamp = (dir as NSString).appendingPathComponent(".complete")
        let l = lockFor(dir)
        l.lock()
        defer { l.unlock() }
        if FileManager.default.fileExists(atPath: stamp) { return dir }
        var o = GANOptions(shape: config.gan)
        o.seed = seed
        o.nc = 3
        o.device = config.device
        o.sampleEvery = max(1, config.gan.epochs)
        let t = GANTrainer(options: o)
        t.datasetOptions = ExperimentData.folders
        t.log = { [log] in log("  " + $0) }
        t.showProgress = false
        let resume = FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("gan.json"))
        log("training the per-class GANs for seed \(seed) (\(o.epochs) epochs at \(o.imageSize)px)")
        let r = try t.run(data: config.data, out: dir, resume: resume)
        if r.interrupted { throw Interrupted() }
        FileManager.default.createFile(atPath: stamp, contents: nil)
        return dir
    }

    func pipeline(_ name: String) throws -> MedAugAugment.Sequential {
        try PipelineSource(name).load()
    }

    private func lockFor(_ key: String) -> NSLock {
        lock.lock()
        defer { lock.unlock() }
        if let l = building[key] { return l }
        let l = NSLock()
        building[key] = l
        return l
    }

    private func link(_ src: String, into dir: String, className: String) throws {
        let dest = (dir as NSString).appendingPathComponent("\(className)/\((src as NSString).lastPathComponent)")
        try FileManager.default.createDirectory(atPath: (dest as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do { try FileManager.default.linkItem(atPath: src, toPath: dest) } catch {
            try FileManager.default.copyItem(atPath: src, toPath: dest)
        }
    }

    /// A quiet augmenter of the prepared (class-folder) training set.
    func augmenter(_ name: String, copies: Int, seed: UInt64) throws -> DatasetAugmenter {
        var aug = DatasetAugmenter(pipeline: try pipeline(name))
        aug.copies = copies
        aug.seed = seed
        aug.log = { _ in }
        aug.showProgress = false
        aug.datasetOptions = ExperimentData.folders
        return aug
    }

    static func removeManifestWithoutKeys(in dir: String) {
        let manifest = (dir as NSString).appendingPathComponent("manifest.csv")
        if !hasGroupColumn(manifest) { try? FileManager.default.removeItem(atPath: manifest) }
    }

    /// The prepared data's manifest (with its patient keys) for a set of links to the same files under the same names.
    private func copyManifest(from trainRoot: String, into dir: String) throws {
        let source = (trainRoot as NSString).appendingPathComponent("manifest.csv")
        guard Self.hasGroupColumn(source) else { return }
        try AtomicWrite.write(try Data(contentsOf: URL(fileURLWithPath: source)), to: (dir as NSString).appendingPathComponent("manifest.csv"))
    }

    /// True when the manifest at `path` has a group column with a key in it.
    static func hasGroupColumn(_ path: String) -> Bool {
        guard let text = try? RegularFile.readText(path, maxBytes: DatasetOptions.maxLabelsBytes) else { return false }
        let rows = CSV.parse(text)
        guard let g = rows.first?.firstIndex(of: "group") else { return false }
        return rows.dropFirst().contains { $0.count > g && !$0[g].isEmpty }
    }

    /// The GAN settings as keys written before they became `GANShape`, so that
    /// caches of earlier runs stay valid.
    var ganKey: String {
        let g = config.gan
        return "GANSettings(epochs: \(g.epochs), imageSize: \(g.imageSize.rawValue), batchSize: \(g.batchSize), ngf: \(g.ngf), ndf: \(g.ndf))"
    }

    /// Content hash: the variant, the seed, the pipelines' text and every training file's name and size.
    func hashKey(_ v: Variant, seed: UInt64, real: LabeledSamples) throws -> String {
        var parts = ["v1", v.name, v.augment ?? "", String(v.copies), String(v.superpixel), String(v.gan), String(seed),
                     config.superpixelPreset, ganKey]
        for name in [v.augment, v.superpixel > 0 ? config.superpixelPreset : nil].compactMap({ $0 }) {
            parts.append(PipelineSource(name).text ?? name)
        }
        for s in real.samples {
            let size = (try? FileManager.default.attributesOfItem(atPath: s.path)[.size] as? Int) ?? -1
            parts.append("\(s.className)/\((s.path as NSString).lastPathComponent):\(size)")
        }
        return String(format: "%016llx", SeedDerivation.hash(parts.joined(separator: "\u{1F}")))
    }

    /// Splits `total` across classes in proportion to `counts` (largest remainder).
    static func proportional(_ total: Int, _ counts: [Int]) -> [Int] {
        let sum = counts.reduce(0, +)
        guard sum > 0, total > 0 else { return counts.map { _ in 0 } }
        let exact = counts.map { Double(total) * Double($0) / Double(sum) }
        var out = exact.map { Int($0) }
        let order = exact.indices.sorted { (exact[$0] - Double(out[$0])) > (exact[$1] - Double(out[$1])) }
        for i in order.prefix(total - out.reduce(0, +)) { out[i] += 1 }
        return out
    }
}

struct Interrupted: Error, CustomStringConvertible {
    var description: String { "interrupted; finished runs are kept, continue with --resume" }
}
