/// Which part of a dataset a sample belongs to.
public enum DataSplit: String, Sendable, Codable, CaseIterable, Comparable {
    case train
    case validation
    case test
    /// A flat-layout sample before any split was made.
    case unsplit

    private var order: Int {
        switch self {
        case .train: return 0
        case .validation: return 1
        case .test: return 2
        case .unsplit: return 3
        }
    }

    public static func < (a: DataSplit, b: DataSplit) -> Bool { a.order < b.order }
}

/// One image file with its label.
public struct Sample: Hashable, Sendable, Codable {
    public var path: String
    public var classIndex: Int
    public var className: String
    public var split: DataSplit
    /// Samples sharing a group (e.g. augmented copies of one source image)
    /// must stay on one side of any split, or the test set leaks into training.
    public var group: String?

    public init(path: String, classIndex: Int, className: String, split: DataSplit, group: String? = nil) {
        self.path = path
        self.classIndex = classIndex
        self.className = className
        self.split = split
        self.group = group
    }
}
