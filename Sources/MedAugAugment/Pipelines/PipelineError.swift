import MedAugCore

/// A pipeline file that cannot be used: the file (`source`), where in it
/// (`location`: entry, augmenter and key) and why (`message`).
///
/// A pipeline file is a configuration text like any other, so its errors are
/// MedAugCore's `ConfigError`: a YAML syntax error and an out-of-range
/// parameter are caught the same way.
public typealias PipelineError = ConfigError
