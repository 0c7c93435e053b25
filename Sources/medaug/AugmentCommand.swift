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
        abstract: "Expand a dataset (class folders, or images with masks, boxes or keypoints) with augmented copies.",
        discussion: """
        Every training image gives K augmented copies named <stem>_aug<k>.<ext> beside a copy of the original, in the same class folders. A train/ + test/ root expands only train/; test/ is copied unchanged (test images are never augmented). manifest.csv maps each output to its source and lists the augmenters applied with the values sampled. The seed fixes every byte, whatever --jobs is; an interrupted run picks up where it stopped when started again with the same arguments (another pipeline, seed, --copies, --format or --no-original is refused), and removes the temporary files a kill left.

        A val/ (or validation/) folder is copied unchanged like test/. With --labels, the output is a class-folder tree ([train|validation|test/]<class>/<file>) and manifest.csv names each output's source; when images have patient keys, manifest.csv gets a group column with each output's key (a salted hash unless --keep-ids), so that training on the output keeps a patient's images and their copies on one side.

        Output names are unique by construction: when two inputs would give the same output name (x.png and x.jpg both give x_aug1.png, y.png and y.PNG both give y_aug1.png, and an input already named x_aug1.png would be copied to the name of x.png's first copy), nothing is written and the error names both sources: rename one of them (in the last case --no-original also avoids the clash). --output may neither lie inside --input nor hold it.

        Datasets with targets (masks, boxes, keypoints) are augmented together with them, each target moved by the same sampled values as its image (imgaug's rules: masks by nearest neighbour with fill 0, points and box corners through the same transform, boxes re-fitted, then removed when they leave the image or show less than --min-visibility of their area, and clipped). The layout is recognised and written back the same way, with the originals (unless --no-original) and a manifest.csv listing each copy's augmenters and the boxes kept and removed:

        Segmentation: <root>/images/ and <root>/masks/ with the same stems (8/16-bit PNG label maps, 0/255 or class values) give out/images/<stem>_aug<k>.<ext> and out/masks/<stem>_aug<k>.png.

        YOLO: <root>/images/ and <root>/labels/<stem>.txt (with classes.txt or data.yaml) give out/images/ and out/labels/.

        COCO: --annotations instances.json (found by itself as instances.json or annotations.json at the root) gives out/images/ and out/<same name>.json with new ids; a keypoint that leaves the image gets v=0.

        Pixel-only augmenters leave targets alone; pillike.Affine and RandAugment (imgaug takes images only there) and torchvision's policies (TrivialAugmentWide, AutoAugment) cannot move them and are refused. A mask without an image, sizes that differ, a box outside its image or a class id out of range stop the run naming the file; --skip-bad lists them in skipped_files.csv and goes on. Images keep their format (PNG for DICOM, TIFF and 16-bit sources); --format applies to class-folder datasets.

        Examples:
          medaug augment --input data/covid --output data/covid-aug3 --preset aug3
          medaug augment --input data/skin --output x4 --pipeline my.yaml --copies 3
          medaug augment --input isic --labels isic/truth.csv --output x --preset aug1
          medaug augment --input kvasir-seg --output kvasir-aug --pipeline geometric.yaml
          medaug augment --input nodules --annotations nodules/instances.json --output nodules-aug --preset medical-xray --min-visibility 0.3
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
    @OptionGroup(title: "Targets (masks, boxes, keypoints)") var targets: TargetArguments

    func validate() throws {
        try targets.validate()
        try CommandLimits.check("--copies", copies, CommandLimits.copies)
        try CommandLimits.check("--png-compression", pngCompression, ImageCodec.pngCompressionLevels)
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }

    func run() throws {
        if targets.isTargetDataset(input) {
            try targets.refuseClassOptions(dataset, format: format)
            var a = TargetDatasetAugmenter(pipeline: try choice.load())
            a.copies = copies
            a.seed = seed
            a.keepOriginal = !noOriginal
            a.minVisibility = targets.minVisibility
            a.annotations = targets.annotations
            a.jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
            a.skipBad = skipBad
            let r = try a.run(input: input, output: output)
            let removed = r.removedBoxes > 0 ? ", \(r.removedBoxes) box(es) removed" : ""
            print(String(format: "wrote %d %@ outputs (%d already there%@) in %.1f s -> %@",
                         r.written, r.layout.rawValue, r.reused, removed, r.seconds, output))
            return
        }
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

        With a dataset that has targets (images/ + masks/, images/ + labels/, or a COCO file; see `medaug augment --help`), every cell shows them over the image: masks in translucent colours per class with an outline, boxes in their class colour, keypoints as dots, so that one look tells whether the targets follow.

        Examples:
          medaug preview --input data/skin --preset aug3 --out a3.png --rows 4 --cols 6
          medaug preview --input kvasir-seg --pipeline geometric.yaml --out seg.png
          medaug preview --input nodules --annotations nodules/instances.json --preset medical-xray --out boxes.png
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
    @OptionGroup(title: "Targets (masks, boxes, keypoints)") var targets: TargetArguments

    func validate() throws {
        try targets.validate()
        try CommandLimits.check("--rows", rows, CommandLimits.rows)
        try CommandLimits.check("--cols", cols, CommandLimits.cols)
        try CommandLimits.check("--cell", cell, CommandLimits.cell)
    }

    func run() throws {
        if targets.isTargetDataset(input) {
            try targets.refuseClassOptions(dataset)
            let grid = try AugmentPreview.writeWithTargets(to: out, input: input, annotations: targets.annotations,
                                                           pipeline: try choice.load(), rows: rows, cols: cols, seed: seed,
                                                           cell: cell, minVisibility: targets.minVisibility)
            print("wrote \(out) (\(grid.width)x\(grid.height))")
            return
        }
        let grid = try AugmentPreview.write(to: out, input: input, pipeline: try choice.load(),
                                            rows: rows, cols: cols, seed: seed, cell: cell)
        print("wrote \(out) (\(grid.width)x\(grid.height))")
    }
}

/// The options of datasets whose targets follow the image.
struct TargetArguments: ParsableArguments {
    @Option(help: ArgumentHelp("A COCO annotations file (instances.json): boxes and keypoints of the images under --input (or --input/images).",
                               valueName: "file"), completion: .file(extensions: ["json"]))
    var annotations: String?
    @Option(name: .customLong("min-visibility"), parsing: .unconditional,
            help: ArgumentHelp("Remove a box when less than this fraction of its area stays on the augmented image (0 to 1; 0 removes only boxes that left it).",
                               valueName: "fraction"))
    var minVisibility: Double = 0

    func validate() throws {
        guard minVisibility.isFinite, (0...1).contains(minVisibility) else {
            throw ValidationError("--min-visibility must be between 0 and 1, got \(minVisibility)")
        }
        if let annotations, !FileManager.default.fileExists(atPath: annotations) {
            throw ValidationError("--annotations: no such file '\(annotations)'")
        }
    }

    /// True when `input` is a dataset with targets: --annotations is given, or
    /// the folder has images/ with masks/ or labels/, or a COCO file at its root.
    func isTargetDataset(_ input: String) -> Bool {
        annotations != nil || (try? TargetLayout.detect(root: input)) != nil
    }

    /// Refuses class-folder options a dataset with targets has no use for,
    /// rather than ignore them.
    func refuseClassOptions(_ dataset: DatasetArguments, format: ImageFormat? = nil) throws {
        if dataset.labels != nil || dataset.groupColumn != nil || dataset.groupPattern != nil {
            throw ValidationError("--labels, --group-column and --group-pattern describe class-folder datasets; a dataset with targets (masks, YOLO labels, COCO) takes its labels from them")
        }
        if let format, format != .png {
            throw ValidationError("--format applies to class-folder datasets; with targets, copies keep their source's format (PNG for DICOM, TIFF and 16-bit images) and masks are PNG")
        }
    }
}
