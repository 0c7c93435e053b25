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
    /// Returns the augmented image.
    ///
    /// Draw every random value from `context.rng`, in a fixed order, and
    /// record what was drawn with ``AugmentContext/record(_:_:)``. Throw
    /// ``AugmentError`` for an image the augmenter cannot take (a 16-bit image
    /// for an 8-bit-only operation, say); never trap on user input.
    func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image
}

/// What an augmenter needs while it runs: the image's random stream and,
/// when asked for, a record of what was sampled (for manifests and previews).
public struct AugmentContext: Sendable {
    /// The image's random stream; every draw advances it.
    public var rng: AugmentRandom
    /// What ran and what it drew, in order, when tracing; nil otherwise.
    public private(set) var trace: [AppliedStep]?

    /// A context around an existing stream.
    public init(rng: AugmentRandom, recordTrace: Bool = false) {
        self.rng = rng
        self.trace = recordTrace ? [] : nil
    }

    /// A context whose stream is derived from the run's seed and the image's
    /// identity (for example its path plus the copy number): the same pair
    /// always gives the same stream, whatever thread runs it.
    public init(seed: UInt64, identity: String, recordTrace: Bool = false) {
        self.init(rng: AugmentRandom(seed: seed, identity: identity), recordTrace: recordTrace)
    }

    /// True when ``trace`` is being recorded.
    public var isTracing: Bool { trace != nil }

    /// Notes that `augmenter` ran with these sampled values.
    public mutating func record(_ augmenter: String, _ values: @autoclosure () -> [(String, String)]) {
        guard trace != nil else { return }
        trace!.append(AppliedStep(augmenter: augmenter, values: values()))
    }
}

/// One entry of a trace: an augmenter that ran and the values it drew,
/// formatted for people (for manifests and previews).
public struct AppliedStep: Equatable, Sendable, CustomStringConvertible {
    /// The augmenter's name, as in pipeline files.
    public let augmenter: String
    /// The drawn values as (name, formatted value) pairs, in drawing order.
    public let values: [(String, String)]

    /// Steps are equal when the names and every value pair match, in order.
    public static func == (a: AppliedStep, b: AppliedStep) -> Bool {
        a.augmenter == b.augmenter && a.values.count == b.values.count
            && zip(a.values, b.values).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    /// `Name(key=value key=value)`, or just the name when nothing was drawn.
    public var description: String {
        values.isEmpty ? augmenter : "\(augmenter)(" + values.map { "\($0.0)=\($0.1)" }.joined(separator: " ") + ")"
    }
}

/// Refusals at run time: an image an augmenter cannot take.
public struct AugmentError: MedAugError {
    /// The name of the augmenter that refused.
    public let augmenter: String
    /// What is wrong with the input and, where possible, how to fix it.
    public let message: String
    /// An error for `augmenter` (its pipeline name) with a message for people.
    public init(_ augmenter: String, _ message: String) {
        self.augmenter = augmenter
        self.message = message
    }
    /// `"Name: message"`.
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
