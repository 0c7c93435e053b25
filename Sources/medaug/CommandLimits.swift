import ArgumentParser
import MedAugCore
import MedAugExperiment
import MedAugFormats

/// The largest values the command line accepts, listed in the README's
/// "Limits". Each bounds memory or time that grows with the value, so a typo
/// (an extra zero, a pasted size) is a usage error instead of an hour of work
/// or an exhausted machine.
enum CommandLimits {
    /// `augment --copies`: augmented copies per image.
    static let copies = 0...1000
    /// `preview --cell`: side of one grid cell in pixels.
    static let cell = 8...2048
    /// `preview --rows` and `--cols`.
    static let rows = 1...100
    static let cols = 2...100
    /// `synth --scale`: 100 is about 330 000 images.
    static let scale = 0.0001...100.0
    /// `gan sample --size`: either side, in pixels.
    static let sampleSide = 1...4096
    /// `gan sample --count`: images per class.
    static let sampleCount = 1...1_000_000
    /// `evaluate --bootstrap`: resamples per interval; each costs one pass over the test predictions.
    static let bootstrap = 0...100_000
    /// `experiment --repeats` (and `repeats:` in a config).
    static let repeats = ExperimentConfig.repeatsRange

    /// Refuses `value` outside `range`, naming the option.
    static func check<T: Comparable>(_ option: String, _ value: T, _ range: ClosedRange<T>) throws {
        if let m = RangeRule.violation(option, value, range) { throw ValidationError(m) }
    }
}

/// `--max-file-bytes` and how DICOM and TIFF files become images, for every
/// command that reads image files.
struct ReadingOptions: ParsableArguments {
    @Option(name: .customLong("max-file-bytes"), parsing: .unconditional,
            help: ArgumentHelp("Largest image file read, in bytes; bigger files are bad files (skipped with --skip-bad).",
                               valueName: "bytes"))
    var maxFileBytes: Int = RegularFile.defaultMaxBytes

    @Option(help: WindowSetting.help)
    var window: WindowSetting = .dicom

    @Option(help: ArgumentHelp("Bits per sample of DICOM and TIFF images: 8 or 16 (16 keeps precision where the augmenters allow it).",
                               valueName: "bits"))
    var bits: Int = 8

    @Option(help: ArgumentHelp("Which frame of a multi-frame DICOM (or page of a TIFF): first or middle. (To use every frame, write them to files with `medaug convert --frames all`.)",
                               valueName: "frame"))
    var frames: FrameChoice = .first

    func validate() throws {
        guard maxFileBytes >= 1 else { throw ValidationError("--max-file-bytes must be at least 1, got \(maxFileBytes)") }
        guard ReadOptions.bitChoices.contains(bits) else { throw ValidationError("--bits must be 8 or 16, got \(bits)") }
        if frames == .all {
            throw ValidationError("--frames all makes several images of one file, which a dataset cannot label; write them to files with `medaug convert --frames all` and use that folder")
        }
        // Set here, before any command reads: every reader in the process applies them.
        RegularFile.maxBytes = maxFileBytes
        ReadOptions.current = ReadOptions(window: window, bits: bits, frames: frames)
    }
}
