import MedAugCore
import MedAugImage

/// One augmenter: imgaug's name and arguments, and a function from an image
/// and its random stream to a new image.
///
/// Augmenters are values: sampling reads `context.rng`, so the same augmenter
/// may run on many images at once on different threads.
public protocol Augmenter: Sendable {
    /// The augmenter's imgaug class name, as written in pipeline files.
    var name: String { get }
    /// The arguments as a pipeline file writes them (imgaug's names).
    var arguments: [(String, ConfigValue)] { get }
    func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image
}

/// What an augmenter needs while it runs: the image's random stream and,
/// when asked for, a record of what was sampled (for manifests and previews).
public struct AugmentContext: Sendable {
    public var rng: AugmentRandom
    public private(set) var trace: [AppliedStep]?

    public init(rng: AugmentRandom, recordTrace: Bool = false) {
        self.rng = rng
        self.trace = recordTrace ? [] : nil
    }

    public init(seed: UInt64, identity: String, recordTrace: Bool = false) {
        self.init(rng: AugmentRandom(seed: seed, identity: identity), recordTrace: recordTrace)
    }

    public var isTracing: Bool { trace != nil }

    /// Notes that `augmenter` ran with these sampled values.
    public mutating func record(_ augmenter: String, _ values: @autoclosure () -> [(String, String)]) {
        guard trace != nil else { return }
        trace!.append(AppliedStep(augmenter: augmenter, values: values()))
    }
}

public struct AppliedStep: Equatable, Sendable, CustomStringConvertible {
    public let augmenter: String
    public let values: [(String, String)]

    public static func == (a: AppliedStep, b: AppliedStep) -> Bool {
        a.augmenter == b.augmenter && a.values.count == b.values.count
            && zip(a.values, b.values).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    public var description: String {
        values.isEmpty ? augmenter : "\(augmenter)(" + values.map { "\($0.0)=\($0.1)" }.joined(separator: " ") + ")"
    }
}

/// Refusals at run time: an image an augmenter cannot take.
public struct AugmentError: Error, CustomStringConvertible, Sendable {
    public let augmenter: String
    public let message: String
    public init(_ augmenter: String, _ message: String) {
        self.augmenter = augmenter
        self.message = message
    }
    public var description: String { "\(augmenter): \(message)" }
}

extension Augmenter {
    /// Applies the augmenter to one image with its own stream.
    public func callAsFunction(_ image: Image, seed: UInt64, identity: String) throws -> Image {
        var ctx = AugmentContext(seed: seed, identity: identity)
        return try augment(image, &ctx)
    }

    /// A pipeline file entry: `{Name: {arguments}}`.
    public var config: ConfigValue { .map([(name, .map(arguments))]) }
}

/// Formats sampled numbers for traces: short and stable.
@inline(__always)
func fmt(_ v: Double) -> String {
    if v == v.rounded(), abs(v) < 1e9 { return String(Int(v)) }
    let s = String(format: "%.4g", v)
    return s
}
