import Foundation
import MedAugCore
import MedAugData

/// The images a classifier trains or is evaluated on, with the source image
/// (or patient) each one came from, so that validation never sees a
/// relative of a training image.
public struct LabeledSamples: Sendable {
    public var root: String
    public var classes: [String]
    public var samples: [Sample]
    /// The dataset's own validation set (a `val/` folder, or `val` rows of a
    /// split column), loaded with the train part; empty when it has none.
    public var validation: [Sample] = []

    /// `dir` is a dataset root (its `train/` or `test/` part is used) or a
    /// class-folder tree (used whole), labelled and grouped as `options` say.
    ///
    /// Each sample's group is its patient key when the dataset gives one (a
    /// CSV group column, `--group-pattern`, DICOM PatientID, a manifest's
    /// `group` column), else its source image (manifest.csv, or the name
    /// without `_aug<k>`); GAN images keep a synthetic group of their own.
    public static func load(_ dir: String, part: DataSplit, options: DatasetOptions = .current) throws -> LabeledSamples {
        let ds = try Dataset.load(root: dir, options: options)
        let chosen = ds.layout == .split ? ds.samples(in: part) : ds.samples
        let base = ds.layout == .split && ds.labels == nil ? (dir as NSString).appendingPathComponent(part.rawValue) : dir
        let manifest = AugmentManifest.sources(in: base) ?? AugmentManifest.sources(in: dir) ?? [:]
        var set = LabeledSamples(root: dir, classes: ds.classes, samples: grouped(chosen, base: base, manifest: manifest))
        if ds.layout == .split && part == .train {
            set.validation = grouped(ds.samples(in: .validation), base: dir, manifest: [:])
        }
        return set
    }

    /// Training and validation samples: the dataset's own validation set
    /// when it has one, else a share `fraction` of the sources (or patients)
    /// drawn with `seed` (see ``ValidationSplit``).
    public func split(fraction: Double, seed: UInt64) throws -> (train: [Sample], validation: [Sample]) {
        if !validation.isEmpty { return (samples, validation) }
        return try ValidationSplit.split(samples, fraction: fraction, seed: seed)
    }

    /// Group keys: the patient when known, else the source image. A copy
    /// without a patient key of its own (an experiment's superpixel extras)
    /// takes that of its source, so a patient's copies never cross the split.
    public static func grouped(_ samples: [Sample], base: String, manifest: [String: String]) -> [Sample] {
        let sources = samples.map { SourceGroup.key(for: $0.path, base: base, manifest: manifest) }
        // The name-derived key too: a copy made later (an experiment's superpixel
        // extras) knows its source only by name, not by the manifest's path.
        let names = samples.map { SourceGroup.key(for: $0.path, base: base, manifest: [:]) }
        var patientOf: [String: String] = [:]
        for i in samples.indices where !sources[i].hasPrefix(SourceGroup.syntheticPrefix) {
            guard let p = samples[i].group else { continue }
            patientOf[sources[i]] = p
            patientOf[names[i]] = p
        }
        return samples.indices.map { i in
            var s = samples[i]
            let source = sources[i]
            s.group = source.hasPrefix(SourceGroup.syntheticPrefix) ? source
                : (s.group ?? patientOf[source] ?? patientOf[names[i]] ?? source)
            return s
        }
    }
}

/// Which source image a file stands for.
public enum SourceGroup {
    /// GAN images are synthetic: they form their own group and only ever train.
    public static let syntheticPrefix = "synthetic:"

    public static func isSynthetic(_ path: String) -> Bool {
        (path as NSString).lastPathComponent.hasPrefix("gan_")
    }

    /// The manifest's source when known, else the name with `_aug<k>` removed.
    public static func key(for path: String, base: String, manifest: [String: String]) -> String {
        let rel = relative(path, to: base)
        if isSynthetic(path) { return syntheticPrefix + rel }
        if let src = manifest[rel] { return src }
        let url = URL(fileURLWithPath: rel)
        let stem = url.deletingPathExtension().lastPathComponent
        let dir = url.deletingLastPathComponent().relativePath
        if let r = stem.range(of: #"_aug[0-9]+$"#, options: .regularExpression) {
            let source = String(stem[..<r.lowerBound])
            return dir == "." ? source : "\(dir)/\(source)"
        }
        return dir == "." ? stem : "\(dir)/\(stem)"
    }

    static func relative(_ path: String, to base: String) -> String {
        let b = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(b) ? String(path.dropFirst(b.count)) : path
    }
}

/// The `manifest.csv` that `medaug augment` writes: output and source paths,
/// relative to the output root.
public enum AugmentManifest {
    public static let fileName = "manifest.csv"

    /// output -> source-group key (the source's path without extension), or nil without a manifest.
    public static func sources(in dir: String) -> [String: String]? {
        let path = (dir as NSString).appendingPathComponent(fileName)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let rows = CSV.parse(text)
        guard let header = rows.first, let o = header.firstIndex(of: "output"), let s = header.firstIndex(of: "source") else { return nil }
        var map: [String: String] = [:]
        for row in rows.dropFirst() where row.count > max(o, s) {
            var out = row[o]
            if out.hasPrefix("train/") { out = String(out.dropFirst(6)) }
            var src = row[s]
            if src.hasPrefix("train/") { src = String(src.dropFirst(6)) }
            map[out] = (src as NSString).deletingPathExtension
        }
        return map
    }
}

/// Validation drawn by source image: an original and its augmented copies
/// land on the same side; synthetic images stay in training.
public enum ValidationSplit {
    public static func split(_ samples: [Sample], fraction: Double, seed: UInt64) throws -> (train: [Sample], validation: [Sample]) {
        let real = samples.filter { !($0.group ?? "").hasPrefix(SourceGroup.syntheticPrefix) }
        let synthetic = samples.filter { ($0.group ?? "").hasPrefix(SourceGroup.syntheticPrefix) }
        guard fraction > 0 else { return (samples, []) }
        let r = try StratifiedSplit.split(real, testFraction: fraction, seed: seed, trainSplit: .train, testSplit: .validation)
        return (r.train + synthetic, r.test)
    }
}
