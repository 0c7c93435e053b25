import Foundation
import MedAugCore
import MedAugImage

/// Writes a synthetic dataset in the study's split layout.
///
/// Every image is a pure function of (kind, seed, split, class, index): its
/// generator is seeded from those values alone, so images come out
/// byte-identical whatever the number of threads, and a larger `scale` only
/// adds images (the first N are the same at every scale).
public enum SyntheticDataset {
    public static let readmeName = "README.txt"
    /// The first line of README.txt; marks a folder MedAug may write into again.
    public static let readmeMarker = "MedAug synthetic dataset"
    /// Raised whenever a generator changes its output, so old sets can be told apart.
    public static let generatorVersion = 1

    public struct Report: Sendable {
        public let out: String
        public let kind: SyntheticKind
        public let written: Int
        /// Files of an earlier run at another scale or format that were removed.
        public let removedStale: [String]
        public let seconds: Double
    }

    /// The image with this identity; `index` starts at 1, like the file names.
    public static func image(kind: SyntheticKind, seed: UInt64, split: DataSplit, classIndex: Int, index: Int) -> Image {
        var rng = Xoshiro256(seed: seed, path: [SeedDerivation.hash(kind.rawValue), splitCode(split),
                                                UInt64(classIndex), UInt64(index)])
        switch kind {
        case .chestXRay:
            return ChestXRaySynth.render(ChestXRaySynth.Finding(rawValue: classIndex)!, rng: &rng)
        case .skinLesion:
            return SkinLesionSynth.render(SkinLesionSynth.Diagnosis(rawValue: classIndex)!, rng: &rng)
        }
    }

    /// `synth_00001.png`; wider numbers only past 99999 images in a class.
    public static func fileName(index: Int, count: Int, format: ImageFormat) -> String {
        fileName(index: index, count: count, format: SyntheticFormat(format))
    }

    /// `synth_00001.png`, `.jpg` or `.dcm`.
    public static func fileName(index: Int, count: Int, format: SyntheticFormat) -> String {
        let digits = max(5, String(count).count)
        let num = String(index)
        return "synth_" + String(repeating: "0", count: max(0, digits - num.count)) + num + "." + format.fileExtension
    }

    /// Generates `out/train/<class>/…`, `out/test/<class>/…` and `out/README.txt`.
    ///
    /// `out` must be new, empty, or an earlier synthetic set of the same kind
    /// (recognised by its README.txt); in the last case files named like ours
    /// that this run does not write are removed, so a smaller scale or another
    /// format does not leave stale images behind. Nothing else is touched.
    public static func generate(kind: SyntheticKind, out: String, seed: UInt64 = 0, scale: Double = 1,
                                format: ImageFormat = .png,
                                progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Report {
        try generate(kind: kind, out: out, seed: seed, scale: scale, format: SyntheticFormat(format), progress: progress)
    }

    /// `generate` in any ``SyntheticFormat``, DICOM included (``SyntheticDicom``).
    public static func generate(kind: SyntheticKind, out: String, seed: UInt64 = 0, scale: Double = 1,
                                format: SyntheticFormat,
                                progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Report {
        guard scale.isFinite, scale > 0 else {
            throw DatasetError.invalidArgument("scale must be a positive number, got \(scale)")
        }
        let started = Date()
        try checkOutputFolder(out, kind: kind)
        // First, so that an interrupted run leaves a folder a rerun may write into.
        try AtomicWrite.write(readme(kind: kind, seed: seed, scale: scale, format: format), to: out + "/" + readmeName)

        struct Job { let split: DataSplit; let label: Int; let index: Int; let path: String }
        var jobs: [Job] = []
        var planned = Set<String>()
        for split in [DataSplit.train, .test] {
            let counts = kind.counts(split, scale: scale)
            for (label, name) in kind.classes.enumerated() {
                let folder = folderPath(out, split, name)
                // Made here, not by concurrent writers racing to create the same folder.
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for index in 1...counts[label] {
                    let path = folder + "/" + fileName(index: index, count: counts[label], format: format)
                    jobs.append(Job(split: split, label: label, index: index, path: path))
                    planned.insert(path)
                }
            }
        }

        let failures = Slots<Error>(count: jobs.count)
        let done = Counter()
        let allJobs = jobs
        DispatchQueue.concurrentPerform(iterations: allJobs.count) { k in
            guard !done.failed else { return }
            let job = allJobs[k]
            do {
                let img = image(kind: kind, seed: seed, split: job.split, classIndex: job.label, index: job.index)
                if let imageFormat = format.imageFormat {
                    try write(img, to: job.path, format: imageFormat)
                } else {
                    try SyntheticDicom.write(img, to: job.path, seed: seed, split: job.split, classIndex: job.label, index: job.index)
                }
            } catch {
                _ = failures.set(k, error)
                done.fail()
                return
            }
            progress?(done.increment(), allJobs.count)
        }
        for k in 0..<jobs.count { if let e = failures[k] { throw e } }

        let stale = try removeStale(out, kind: kind, keeping: planned)
        return Report(out: out, kind: kind, written: jobs.count, removedStale: stale,
                      seconds: Date().timeIntervalSince(started))
    }

    static func write(_ image: Image, to path: String, format: ImageFormat) throws {
        let bytes: [UInt8]
        do {
            bytes = format == .png
                ? try ImageCodec.encodePNG(image)
                : try ImageCodec.encodeJPEG(image, quality: 95)
        } catch {
            throw ImageError(error.kind, path: path, reason: error.reason)
        }
        try AtomicWrite.write(Data(bytes), to: path)
    }

    static func readme(kind: SyntheticKind, seed: UInt64, scale: Double, format: SyntheticFormat) -> String {
        var lines = [
            readmeMarker,
            "",
            "These images are SYNTHETIC. They were drawn procedurally by MedAug and show",
            "no patient. They stand in for the study's Kaggle dataset so that the pipeline",
            "can be run end to end; results on them say nothing about medicine.",
            "",
            "kind:      \(kind.rawValue) (\(kind.imageDescription))",
            "seed:      \(seed)",
            "scale:     \(scale)",
            "format:    \(format.rawValue)",
            "generator: \(generatorVersion)",
            "",
            "images per class (train / test):",
        ]
        let train = kind.counts(.train, scale: scale), test = kind.counts(.test, scale: scale)
        for (i, name) in kind.classes.enumerated() {
            lines.append("  \(name): \(train[i]) / \(test[i])")
        }
        lines.append("")
        lines.append("Same kind, seed, scale and format give byte-identical files:")
        lines.append("  medaug synth --kind \(kind.rawValue) --seed \(seed) --scale \(scale) --format \(format.rawValue) --out DIR")
        return lines.joined(separator: "\n") + "\n"
    }

    static func folderPath(_ out: String, _ split: DataSplit, _ className: String) -> String {
        let base = out.hasSuffix("/") ? String(out.dropLast()) : out
        return base + "/" + split.rawValue + "/" + className
    }

    /// Refuses a folder that holds anything but an earlier set of the same
    /// kind and the same `targets` layout (nil: class folders).
    static func checkOutputFolder(_ out: String, kind: SyntheticKind, targets: TargetLayout? = nil) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: out, isDirectory: &isDir) else { return }
        guard isDir.boolValue else {
            throw DatasetError.invalidArgument("output '\(out)' exists and is a file, not a folder")
        }
        let entries = (try? fm.contentsOfDirectory(atPath: out)) ?? []
        if entries.isEmpty { return }
        let readme = out + "/" + readmeName
        guard let text = try? String(contentsOfFile: readme, encoding: .utf8), text.hasPrefix(readmeMarker) else {
            throw DatasetError.invalidArgument(
                "output folder '\(out)' is not empty and holds no MedAug synthetic set; choose a new or empty folder")
        }
        let kindLine = text.split(separator: "\n").first { $0.hasPrefix("kind:") } ?? ""
        let other = SyntheticKind.allCases.first { $0 != kind && kindLine.contains($0.rawValue) }
        if let other {
            throw DatasetError.invalidArgument(
                "output folder '\(out)' holds a synthetic \(other.rawValue) set; choose another folder for \(kind.rawValue)")
        }
        // Layouts mixed in one folder would make it unreadable as either (class folders beside images/, masks/ beside labels/).
        let earlier = SyntheticTargets.recordedLayout(readme: text)
        if earlier != targets {
            let describe = { (t: TargetLayout?) in t.map { "\($0.rawValue) targets" } ?? "class folders" }
            throw DatasetError.invalidArgument("output folder '\(out)' holds a synthetic set with \(describe(earlier)); "
                + "choose another folder for one with \(describe(targets))")
        }
    }

    static func removeStale(_ out: String, kind: SyntheticKind, keeping planned: Set<String>) throws -> [String] {
        let fm = FileManager.default
        var removed: [String] = []
        for split in [DataSplit.train, .test] {
            for name in kind.classes {
                let folder = folderPath(out, split, name)
                let entries = (try? fm.contentsOfDirectory(atPath: folder)) ?? []
                for e in UnicodeOrder.sorted(entries) where isOurFileName(e) {
                    let path = folder + "/" + e
                    if !planned.contains(path) {
                        try fm.removeItem(atPath: path)
                        removed.append(path)
                    }
                }
            }
        }
        return removed
    }

    static func isOurFileName(_ name: String) -> Bool {
        guard name.hasPrefix("synth_") else { return false }
        let rest = name.dropFirst("synth_".count)
        guard let dot = rest.firstIndex(of: ".") else { return false }
        let digits = rest[..<dot], ext = rest[rest.index(after: dot)...]
        return !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
            && (ext == "png" || ext == "jpg" || ext == "dcm")
    }

    static func splitCode(_ split: DataSplit) -> UInt64 {
        switch split {
        case .train: return 1
        case .test: return 2
        case .validation: return 3
        case .unsplit: return 4
        }
    }
}
