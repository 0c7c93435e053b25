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
    /// Returns the augmented image with its targets moved by the same sampled
    /// values (imgaug's rules: masks with nearest neighbour and fill 0, points
    /// and box corners through the same transform, boxes re-fitted).
    ///
    /// The default runs ``augment(_:_:)-(Image,_)`` and passes the targets
    /// through unchanged, which is right for every augmenter that keeps pixels
    /// where they are (``targetRule`` `.unchanged`); an augmenter that moves
    /// pixels implements it, drawing exactly what the image-only call draws, so
    /// that the image is the same with or without targets.
    func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage
    /// What the augmenter does to masks, heatmaps, keypoints and boxes.
    var targetRule: TargetRule { get }
}

/// What an augmenter does to the targets that follow an image.
public enum TargetRule: String, Sendable {
    /// Pixels stay where they are (colour, noise, blur...): targets pass through.
    case unchanged
    /// Pixels move (flips, warps, crops, resizes): targets move the same way.
    case moved
    /// Pixels may move but the augmenter cannot move targets: an image with
    /// targets is refused with an error naming the augmenter.
    case refused
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
    /// Pixel-only unless the augmenter says otherwise.
    public var targetRule: TargetRule { .unchanged }

    /// Augments the image; targets pass through unchanged, or the call is
    /// refused when ``targetRule`` is `.refused` and there are targets.
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        if targetRule == .refused && !sample.targets.isEmpty {
            throw AugmentError(name, "cannot move masks, heatmaps, keypoints or boxes; use it on images without targets, or pick a geometric augmenter that moves them (`medaug augmenters` marks which do)")
        }
        return AnnotatedImage(try augment(sample.image, &context), targets: sample.targets)
    }

    /// Applies the augmenter to an image and its targets with its own stream.
    public func callAsFunction(_ sample: AnnotatedImage, seed: UInt64, identity: String) throws -> AnnotatedImage {
        var ctx = AugmentContext(seed: seed, identity: identity)
        return try augment(sample, &ctx)
    }

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
