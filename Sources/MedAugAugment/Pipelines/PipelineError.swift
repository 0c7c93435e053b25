import MedAugCore

/// A pipeline file that cannot be used: where (file, entry, key) and why.
public struct PipelineError: MedAugError, Equatable {
    public let source: String
    public let location: String
    public let message: String

    public init(source: String, location: String, message: String) {
        self.source = source
        self.location = location
        self.message = message
    }

    public var description: String {
        [source, location, message].filter { !$0.isEmpty }.joined(separator: ": ")
    }
}
