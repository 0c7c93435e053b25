/// The error protocol every MedAug layer's errors conform to.
///
/// Each module throws its own error types (images, datasets, pipelines,
/// training, libtorch); what they share is that `description` is one line a
/// user can act on, naming the file, key or value at fault. Front ends (the
/// `medaug` command) print that line and exit 1 without a stack dump.
public protocol MedAugError: Error, CustomStringConvertible, Sendable {}
