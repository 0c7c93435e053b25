/// What `medaug info` says about patients (group keys): how many, and which
/// ones the dataset's own split puts on two sides, where a model would be
/// tested on patients it trained on.
public struct PatientSummary: Codable, Sendable, Equatable {
    /// One patient found in several splits.
    public struct Leak: Codable, Sendable, Equatable {
        /// The key as MedAug keeps it (a salted hash unless `--keep-ids`).
        public let key: String
        /// The splits holding the patient's images, in report order.
        public let splits: [DataSplit]
        /// One of the patient's files in each of those splits, relative to the root.
        public let files: [String]
    }

    /// Distinct keys over the whole dataset.
    public let total: Int
    /// Patients with images in more than one split.
    public let leaked: Int
    /// The first few of them, in sample order.
    public let examples: [Leak]

    /// Leaking patients named in a report.
    public static let examplesListed = 5

    /// The summary of `dataset`'s keys.
    public init(dataset: Dataset) {
        var splitsOf: [ScalarKey: [DataSplit: String]] = [:]
        var order: [(ScalarKey, String)] = []
        for s in dataset.samples {
            guard let g = s.group else { continue }
            let k = ScalarKey(g)
            if splitsOf[k] == nil { order.append((k, g)) }
            if splitsOf[k, default: [:]][s.split] == nil {
                splitsOf[k, default: [:]][s.split] = DatasetSummary.relative(s.path, to: dataset.root)
            }
        }
        total = order.count
        let leaking = dataset.layout == .split ? order.filter { splitsOf[$0.0]!.count > 1 } : []
        leaked = leaking.count
        examples = leaking.prefix(Self.examplesListed).map { k, g in
            let files = splitsOf[k]!.sorted { $0.key < $1.key }
            return Leak(key: g, splits: files.map(\.key), files: files.map(\.value))
        }
    }

    /// Distinct keys per class, in label order.
    static func perClass(_ samples: [Sample], classCount: Int) -> [Int] {
        var keys = [Set<ScalarKey>](repeating: [], count: classCount)
        for s in samples where s.classIndex >= 0 && s.classIndex < classCount {
            if let g = s.group { keys[s.classIndex].insert(ScalarKey(g)) }
        }
        return keys.map(\.count)
    }

    /// The warning `info` lists under Problems when patients leak.
    func problem(root: String) -> DatasetProblem? {
        guard leaked > 0 else { return nil }
        let shown = examples.map { leak in
            "\(leak.key) (" + zip(leak.splits, leak.files).map { "\($0.rawValue): \($1)" }.joined(separator: ", ") + ")"
        }.joined(separator: "; ")
        let sides = Set(examples.flatMap(\.splits)).sorted().map(\.rawValue).joined(separator: "/")
        return DatasetProblem(kind: .patientLeak, path: nil,
            message: "\(leaked) patient(s) have images on more than one side of the split (\(sides)), so the model is "
                + "tested or validated on patients it trained on; e.g. \(shown)\(leaked > examples.count ? "; ..." : ""). "
                + "Move each patient's images to one side, or drop the split (a flat layout, or no split column) and "
                + "let MedAug split by patient")
    }
}
