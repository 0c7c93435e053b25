import ArgumentParser
import Foundation
import MedAugAugment
import MedAugData
import MedAugImage
import MedAugTrain

/// The pipeline a command runs: a built-in preset or a YAML/JSON file.
struct PipelineChoice: ParsableArguments {
    @Option(help: "A built-in pipeline (aug1-aug3 are the study's three settings).") var preset: PresetName?
    @Option(help: ArgumentHelp("A pipeline file (YAML or JSON): a list of imgaug-named augmenters; `medaug augmenters` lists them.",
                               valueName: "file"), completion: .file(extensions: ["yaml", "yml", "json"])) var pipeline: String?

    func validate() throws {
        switch (preset, pipeline) {
        case (nil, nil): throw ValidationError("give --preset NAME or --pipeline FILE")
        case (.some, .some): throw ValidationError("give either --preset or --pipeline, not both")
        default: break
        }
    }

    /// The chosen pipeline, read and checked.
    func load() throws -> MedAugAugment.Sequential {
        try (preset.map { PipelineSource.preset($0.name) } ?? PipelineSource.file(pipeline ?? "")).load()
    }
}

struct AugmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "augment",
        abstract: "Expand a class-folder dataset with augmented copies.",
        discussion: """
        Every training image gives K augmented copies named <stem>_aug<k>.<ext> beside a copy of the original, in the same class folders. A train/ + test/ root expands only train/; test/ is copied unchanged (test images are never augmented). manifest.csv maps each output to its source and lists the augmenters applied with the values sampled. The seed fixes every byte, whatever --jobs is; an interrupted run picks up where it stopped when started again with the same arguments (another pipeline, seed, --copies, --format or --no-original is refused), and removes the temporary files a kill left.

        A val/ (or validation/) folder is copied unchanged like test/. With --labels, the output is a class-folder tree ([train|validation|test/]<class>/<file>) and manifest.csv names each output's source; when images have patient keys, manifest.csv gets a group column with each output's key (a salted hash unless --keep-ids), so that training on the output keeps a patient's images and their copies on one side.

        Output names are unique by construction: when two inputs would give the same output name (x.png and x.jpg both give x_aug1.png, y.png and y.PNG both give y_aug1.png, and an input already named x_aug1.png would be copied to the name of x.png's first copy), nothing is written and the error names both sources: rename one of them (in the last case --no-original also avoids the clash). --output may neither lie inside --input nor hold it.

        Examples:
          medaug augment --input data/covid --output data/covid-aug3 --preset aug3
          medaug augment --input data/skin --output x4 --pipeline my.yaml --copies 3
          medaug augment --input isic --labels isic/truth.csv --output x --preset aug1
        """
    )

    @Option(help: "Dataset root or class-folder tree (never written to).") var input: String
    @Option(help: "Output folder (neither inside --input nor holding it).") var output: String
    @OptionGroup var choice: PipelineChoice
    @Option(parsing: .unconditional, help: "Augmented copies per image.") var copies: Int = 3
    @Option(parsing: .unconditional, help: "Seed of every random draw: the same seed gives the same bytes.") var seed: UInt64 = 0
    @Flag(name: .customLong("no-original"), help: "Do not copy the originals.") var noOriginal = false
    @Option(help: "File format of the augmented copies.") var format: ImageFormat = .png
    @Option(name: .customLong("png-compression"), parsing: .unconditional,
            help: "PNG compression, 0 (stored) to 9 (smallest, slowest); 1 writes files as small as OpenCV's in less time.")
    var pngCompression: Int = ImageCodec.defaultPNGCompression
    @Option(parsing: .unconditional, help: "Worker threads (default: all cores).") var jobs: Int?
    @Flag(name: .customLong("skip-bad"), help: "Skip unreadable images (and bad rows of --labels) and list them.") var skipBad = false
    @OptionGroup var reading: ReadingOptions
    @OptionGroup(title: "Labels and patients") var dataset: DatasetArguments

    func validate() throws {
        try CommandLimits.check("--copies", copies, CommandLimits.copies)
        try CommandLimits.check("--png-compression", pngCompression, ImageCodec.pngCompressionLevels)
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }

    func run() throws {
        DatasetOptions.current.skipBadRows = skipBad
        var a = DatasetAugmenter(pipeline: try choice.load())
        a.copies = copies
        a.seed = seed
        a.keepOriginal = !noOriginal
        a.format = format
        a.pngCompression = pngCompression
        a.jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        a.skipBad = skipBad
        let r = try a.run(input: input, output: output)
        print(String(format: "wrote %d files (%d already there) in %.1f s -> %@", r.written, r.reused, r.seconds, output))
    }
}

struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Draw originals beside augmented samples in one PNG grid.",
        discussion: """
        Each row is one image: the original on the left, then augmented samples. With a folder, rows are spread evenly over its images (classes included).

        Example:
          medaug preview --input data/skin --preset aug3 --out a3.png --rows 4 --cols 6
        """
    )

    @Option(help: "An image file or a dataset folder.") var input: String
    @OptionGroup var choice: PipelineChoice
    @Option(help: "The PNG to write (not inside --input).") var out: String
    @Option(parsing: .unconditional, help: "Rows, one image each.") var rows: Int = 4
    @Option(parsing: .unconditional, help: "Columns, the original included.") var cols: Int = 6
    @Option(parsing: .unconditional, help: "Seed of the augmented samples.") var seed: UInt64 = 0
    @Option(parsing: .unconditional, help: "Side of each cell in pixels.") var cell: Int = 160
    @OptionGroup var reading: ReadingOptions
    @OptionGroup(title: "Labels and patients") var dataset: DatasetArguments

    func validate() throws {
        try CommandLimits.check("--rows", rows, CommandLimits.rows)
        try CommandLimits.check("--cols", cols, CommandLimits.cols)
        try CommandLimits.check("--cell", cell, CommandLimits.cell)
    }

    func run() throws {
        let grid = try AugmentPreview.write(to: out, input: input, pipeline: try choice.load(),
                                            rows: rows, cols: cols, seed: seed, cell: cell)
        print("wrote \(out) (\(grid.width)x\(grid.height))")
    }
}
