import Foundation
import MedAugCore
import MedAugData
import MedAugTrain

/// The experiment's dataset as the plain layout every cell works on:
/// `train/<class>/`, `test/<class>/` and, when the data has one,
/// `validation/<class>/`.
///
/// A split class-folder dataset without patient keys or a validation folder
/// is used where it is. Any other (a labels CSV, a flat folder, patient keys,
/// a val/ folder) is laid out once under the cache as hard links (copies
/// where links cannot be made), each part with a manifest.csv carrying the
/// patient keys, so that augmented sets and validation splits keep patients
/// together. A flat dataset's test part is drawn here: stratified, by
/// patient, with the experiment's seed, so every repeat scores the same images.
enum ExperimentData {
    /// How the prepared folders are read: class folders, keys from their manifests.
    static let folders = DatasetOptions()

    /// The root the cells train and evaluate on: `config.data`, or its prepared copy under `cache`.
    static func prepare(_ config: ExperimentConfig, cache: String, options: DatasetOptions,
                        log: (String) -> Void) throws -> String {
        let ds = try Dataset.load(root: config.data, options: options)
        if ds.labels == nil && ds.layout == .split && !ds.splits.contains(.validation) && !ds.hasGroups { return config.data }
        let parts: [(DataSplit, [Sample])]
        if ds.layout == .split {
            parts = [DataSplit.train, .validation, .test].map { ($0, ds.samples(in: $0)) }.filter { !$0.1.isEmpty || $0.0 != .validation }
        } else {
            // Split by patient, else by source image (an augmented copy goes with its
            // original); GAN images only ever train. The written samples keep their own keys.
            let manifest = AugmentManifest.sources(in: config.data) ?? [:]
            let keyed = LabeledSamples.grouped(ds.samples, base: config.data, manifest: manifest)
            var own: [String: String?] = [:]
            for s in ds.samples { own[s.path] = s.group }
            let synthetic = keyed.filter { $0.group?.hasPrefix(SourceGroup.syntheticPrefix) ?? false }
            let real = keyed.filter { !($0.group?.hasPrefix(SourceGroup.syntheticPrefix) ?? false) }
            let r = try StratifiedSplit.split(real, testFraction: config.testSplit ?? ExperimentConfig.defaultTestSplit, seed: config.seed)
            func restored(_ samples: [Sample], _ split: DataSplit) -> [Sample] {
                samples.map { var s = $0; s.group = own[s.path] ?? nil; s.split = split; return s }
            }
            parts = [(.train, restored(r.train + synthetic, .train)), (.test, restored(r.test, .test))]
        }
        for c in ds.classes { try ClassFolderName.check(c) }
        let key = hashKey(parts, root: config.data)
        let dir = (cache as NSString).appendingPathComponent("data-\(key)")
        let stamp = (dir as NSString).appendingPathComponent(".complete")
        if FileManager.default.fileExists(atPath: stamp) { return dir }
        try? FileManager.default.removeItem(atPath: dir)
        log("preparing the data as train/ and test/ class folders in \(dir)")
        for (split, samples) in parts {
            try write(samples, part: (dir as NSString).appendingPathComponent(split.rawValue), root: config.data,
                      classes: ds.classes)
        }
        try AtomicWrite.write(key, to: stamp)
        return dir
    }

    /// One part's class folders and its manifest (output, source, copy, augmenters, group).
    static func write(_ samples: [Sample], part: String, root: String, classes: [String]) throws {
        var taken: [ScalarKey: String] = [:]
        var rows: [[String]] = []
        for c in classes {
            try FileManager.default.createDirectory(atPath: (part as NSString).appendingPathComponent(c), withIntermediateDirectories: true)
        }
        for s in samples {
            let rel = "\(s.className)/\((s.path as NSString).lastPathComponent)"
            if let other = taken[ScalarKey(rel)] {
                throw DatasetError.invalidArgument("'\(other)' and '\(s.path)' would both be \(rel) in the experiment's "
                    + "class folders; rename one of them")
            }
            taken[ScalarKey(rel)] = s.path
            let dest = (part as NSString).appendingPathComponent(rel)
            do { try FileManager.default.linkItem(atPath: s.path, toPath: dest) } catch {
                try FileManager.default.copyItem(atPath: s.path, toPath: dest)
            }
            rows.append([rel, relative(s.path, to: root), "0", "", s.group ?? ""])
        }
        let manifest = CSV.text([["output", "source", "copy", "augmenters", "group"]] + rows)
        try AtomicWrite.write(manifest, to: (part as NSString).appendingPathComponent("manifest.csv"))
    }

    /// A hash of what the prepared folders hold: every sample's part, class, path, key and size.
    static func hashKey(_ parts: [(DataSplit, [Sample])], root: String) -> String {
        var text = ["data-v1"]
        for (split, samples) in parts {
            for s in samples {
                let size = (try? FileManager.default.attributesOfItem(atPath: s.path)[.size] as? Int) ?? -1
                text.append("\(split.rawValue)|\(s.className)|\(relative(s.path, to: root))|\(s.group ?? "")|\(size)")
            }
        }
        return String(format: "%016llx", SeedDerivation.hash(text.joined(separator: "\u{1F}")))
    }

    static func relative(_ path: String, to root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
