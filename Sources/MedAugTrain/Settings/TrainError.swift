import MedAugCore

/// A failure of the training layer that is not libtorch's: a setting out of
/// range, a run folder that cannot be used, data that cannot train, a run
/// that diverged. Its description is one line naming the option, file or
/// value, so a typo never reads as a libtorch failure.
public struct TrainError: MedAugError, Equatable {
    /// What kind of failure, for callers that react differently. (The CLI
    /// finds setting mistakes it can see in `validate()`, exit 64; those only
    /// a run can find, such as a class name, exit 1 like other failures.)
    public enum Kind: Sendable, Equatable {
        /// A setting (command-line option or config key) out of range or unknown.
        case setting
        /// A run folder that is missing, already used, or holds unreadable records.
        case runFolder
        /// A dataset that cannot train or evaluate (too few classes, no images, unknown classes).
        case data
        /// Training produced non-finite losses.
        case diverged
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// The one-line message.
    public let message: String

    /// Creates an error of `kind`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message, as printed to the user.
    public var description: String { message }
}
