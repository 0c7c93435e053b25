import MedAugFormats
import MedAugImage

/// What `medaug info` reports: counts, sizes, modes, ignored files, problems.
/// Codable so that `--json` prints exactly what the text shows.
public struct DatasetSummary: Codable, Sendable {
    public struct Stat: Codable, Sendable, Equatable {
        public let min: Int
        public let max: Int
        /// The lower median, so it is always a size that occurs.
        public let median: Int
    }

    public struct SizeCount: Codable, Sendable, Equatable {
        public let width: Int
        public let height: Int
        public let count: Int
    }

    public struct Bucket: Codable, Sendable, Equatable {
        /// Inclusive bounds, in pixels.
        public let from: Int
        public let to: Int
        public let count: Int
    }

    public struct Sizes: Codable, Sendable, Equatable {
        public let width: Stat
        public let height: Stat
        public let distinct: Int
        /// The most common sizes, most frequent first (all of them when few).
        public let common: [SizeCount]
        /// When sizes vary a lot: how widths and heights spread over a few equal ranges.
        public let widthBuckets: [Bucket]?
        public let heightBuckets: [Bucket]?
    }

    public struct SplitSummary: Codable, Sendable {
        public let split: DataSplit
        /// Usable images per class, in label order (skipped files not counted).
        public let counts: [Int]
        public let total: Int
        /// Largest class over smallest; nil when a class is empty.
        public let imbalanceRatio: Double?
        public let sizes: Sizes?
        /// "L", "LA", "RGB", "RGBA" after decoding.
        public let modes: [String: Int]
        /// Bits per sample as stored in the file.
        public let bitDepths: [String: Int]
        public let formats: [String: Int]
        /// Distinct patient (group) keys per class, in label order; nil when no image has one.
        public let patients: [Int]?
        /// Distinct patient keys in this split; nil when no image has one.
        public let patientTotal: Int?
    }

    public struct IgnoredGroup: Codable, Sendable {
        public let reason: IgnoredEntry.Reason
        public let count: Int
        /// Relative to the root.
        public let paths: [String]
    }

    public let root: String
    public let layout: Dataset.Layout
    /// The labels CSV and its columns; nil for class folders.
    public let labels: LabelSource?
    public let scan: ScanDepth
    public let classes: [String]
    public let splits: [SplitSummary]
    /// Per class over all splits.
    public let totals: [Int]
    public let total: Int
    public let ignored: [IgnoredGroup]
    public let skipped: [SkippedFile]
    public let problems: [DatasetProblem]
    /// Patients over the whole dataset and those on two sides of its split; nil when no image has a patient key.
    public let patients: PatientSummary?

    /// Above this largest/smallest class ratio an imbalance is listed as a problem.
    public static let imbalanceThreshold = 1.5
    /// Sizes listed one by one; beyond this only the most common are.
    public static let sizesListed = 8

    public init(dataset: Dataset, scan: ScanResult, depth: ScanDepth) {
        root = dataset.root
        layout = dataset.layout
        labels = dataset.labels
        self.scan = depth
        classes = dataset.classes
        skipped = scan.skipped

        var problems: [DatasetProblem] = []
        var summaries: [SplitSummary] = []
        for split in dataset.splits {
            let images = scan.images.filter { $0.sample.split == split }
            let counts = Dataset.counts(images.map(\.sample), classCount: dataset.classes.count)
            let listed = dataset.counts(in: split)
            let lo = counts.min() ?? 0, hi = counts.max() ?? 0
            let ratio: Double? = lo > 0 ? Double(hi) / Double(lo) : nil

            for (label, n) in counts.enumerated() where n == 0 && listed[label] > 0 {
                let name = dataset.classes[label]
                problems.append(DatasetProblem(kind: .emptyClass, path: nil,
                    message: "class '\(name)' has no usable images\(Self.inSplit(split)): all \(listed[label]) files were skipped"))
            }
            if let ratio, ratio >= Self.imbalanceThreshold, let big = counts.firstIndex(of: hi), let small = counts.firstIndex(of: lo) {
                problems.append(DatasetProblem(kind: .imbalance, path: nil,
                    message: "class imbalance\(Self.inSplit(split)): \(Self.ratioText(ratio)) ('\(dataset.classes[big])' \(hi) vs '\(dataset.classes[small])' \(lo)); "
                        + "look at per-class recall, not accuracy alone"))
            }

            var modes: [String: Int] = [:], depths: [String: Int] = [:], formats: [String: Int] = [:]
            for im in images {
                modes[im.header.mode.rawValue, default: 0] += 1
                depths[String(im.header.sourceBitDepth), default: 0] += 1
                formats[MedicalImageFile.formatName(path: im.sample.path, header: im.header), default: 0] += 1
            }
            let grouped = dataset.hasGroups
            summaries.append(SplitSummary(split: split, counts: counts, total: images.count, imbalanceRatio: ratio,
                                          sizes: Self.sizes(images.map(\.header)),
                                          modes: modes, bitDepths: depths, formats: formats,
                                          patients: grouped ? PatientSummary.perClass(images.map(\.sample), classCount: dataset.classes.count) : nil,
                                          patientTotal: grouped ? Set(images.compactMap { $0.sample.group.map(ScalarKey.init) }).count : nil))
        }
        splits = summaries
        totals = (0..<dataset.classes.count).map { c in summaries.reduce(0) { $0 + $1.counts[c] } }
        total = summaries.reduce(0) { $0 + $1.total }

        let allIgnored = dataset.ignored + scan.nonImages
        ignored = IgnoredEntry.Reason.allCases.compactMap { reason in
            let paths = allIgnored.filter { $0.reason == reason }.map { Self.relative($0.path, to: dataset.root) }
            return paths.isEmpty ? nil : IgnoredGroup(reason: reason, count: paths.count, paths: paths)
        }

        let bad = scan.skipped.map {
            DatasetProblem(kind: .badFile, path: $0.path, message: "\($0.path): \($0.reason)")
        }
        patients = dataset.hasGroups ? PatientSummary(dataset: dataset) : nil
        self.problems = bad + dataset.problems + problems + (patients?.problem(root: dataset.root) .map { [$0] } ?? [])
    }

    static func sizes(_ headers: [ImageHeader]) -> Sizes? {
        guard !headers.isEmpty else { return nil }
        func stat(_ v: [Int]) -> Stat {
            let s = v.sorted()
            return Stat(min: s.first!, max: s.last!, median: s[(s.count - 1) / 2])
        }
        var tally: [Int: Int] = [:]
        var dims: [Int: (Int, Int)] = [:]
        for h in headers {
            let key = h.width &* 1_000_003 &+ h.height
            tally[key, default: 0] += 1
            dims[key] = (h.width, h.height)
        }
        let all = tally.map { SizeCount(width: dims[$0.key]!.0, height: dims[$0.key]!.1, count: $0.value) }
            .sorted { ($1.count, $0.width, $0.height) < ($0.count, $1.width, $1.height) }
        let few = all.count <= sizesListed
        let widths = headers.map(\.width), heights = headers.map(\.height)
        return Sizes(width: stat(widths), height: stat(heights), distinct: all.count,
                     common: few ? all : Array(all.prefix(5)),
                     widthBuckets: few ? nil : buckets(widths), heightBuckets: few ? nil : buckets(heights))
    }

    static func buckets(_ values: [Int], count: Int = 4) -> [Bucket] {
        guard let lo = values.min(), let hi = values.max() else { return [] }
        let step = max(1, (hi - lo + count) / count)
        var tally = [Int](repeating: 0, count: count)
        for v in values { tally[min((v - lo) / step, count - 1)] += 1 }
        return (0..<count).compactMap { k in
            let from = lo + k * step
            guard from <= hi else { return nil }
            let to = k == count - 1 ? hi : min(hi, from + step - 1)
            return Bucket(from: from, to: to, count: tally[k])
        }
    }

    static func relative(_ path: String, to root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    static func inSplit(_ split: DataSplit) -> String {
        split == .unsplit ? "" : " in \(split.rawValue)/"
    }

    static func ratioText(_ r: Double) -> String {
        let hundredths = Int((r * 100).rounded())
        let frac = hundredths % 100
        return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}
