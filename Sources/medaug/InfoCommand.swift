import ArgumentParser
import Foundation
import MedAugCore
import MedAugData
import MedAugFormats

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a dataset: classes, counts, image sizes and modes, ignored files, problems.",
        discussion: """
        DIR holds either train/<class>/ and test/<class>/ (split layout) or one folder per class (flat layout; MedAug splits it later, seeded and stratified). Class names may contain spaces and any letters. Classes are labelled 0, 1, ... in Unicode code-point order of their names, the same on every machine and in every locale.

        Checking: every image is fully decoded by default, so truncated and corrupt files are caught. --quick reads only the headers: much faster on large sets, but a file cut off after its header passes unnoticed.

        A bad file (empty, corrupt, truncated, unreadable, or holding another format than its extension says) stops the command with the file's path and the reason, exit status 1. With --skip-bad all bad files are listed under Problems instead; add --report-dir to also write them to skipped_files.csv (the folder must be outside DIR: nothing is ever written into a dataset).

        Ignored and listed: hidden files (leading '.'), files that are not images MedAug reads (.png, .jpg, .jpeg, .dcm, .tif, .tiff, or extensionless DICOM), DICOM files without pixel data, and folders inside class folders. A val/ (or valid/ or validation/) folder beside train/ and test/ is the validation set.

        Labels from a CSV (--labels): one row per image, naming it relative to DIR (extension optional) with its label; optional patient and split columns. A missing file, a duplicate row, an empty label or an image without a row stops the command with the CSV row; --skip-bad lists them under Problems and goes on.

        Patients: when images have patient keys (a --group-column, --group-pattern, DICOM PatientID, or the group column of a manifest.csv MedAug wrote), info counts patients per class and split and warns, naming up to 5 patients and one file of each, when a patient is on more than one side of the dataset's own split. Keys are salted hashes (p-<16 hex>) unless --keep-ids.

        Examples:
          medaug info data/skin
          medaug info data/covid --skip-bad --report-dir out/covid-check
          medaug info data/skin --quick --json > skin-info.json
          medaug info data/ham10000 --labels data/ham10000/HAM10000_metadata.csv

        Datasets with targets are described by what they hold: a segmentation folder (images/ + masks/) by its masks' label values and their pixel shares, a YOLO folder (images/ + labels/) or a COCO file (--annotations, or instances.json at the root) by boxes per class and keypoints; mismatches (a mask without image, sizes that differ, boxes outside the image, class ids out of range) are named.
          medaug info kvasir-seg
          medaug info nodules --annotations nodules/instances.json
        """
    )

    @Argument(help: ArgumentHelp("The dataset folder.", valueName: "dir"))
    var dir: String

    @Flag(help: "List bad files under Problems and go on, instead of stopping at the first one.")
    var skipBad = false

    @Flag(help: "Print the summary as JSON (on stdout; progress goes to stderr).")
    var json = false

    @Flag(help: "Read image headers only: fast, but truncated image data is not detected.")
    var quick = false

    @Option(help: ArgumentHelp("With --skip-bad: write skipped_files.csv into this folder (outside DIR).",
                               valueName: "folder"))
    var reportDir: String?

    @OptionGroup var reading: ReadingOptions
    @OptionGroup(title: "Labels and patients") var dataset: DatasetArguments
    @Option(help: ArgumentHelp("A COCO annotations file: describe the boxes and keypoints of the images under DIR.",
                               valueName: "file"), completion: .file(extensions: ["json"]))
    var annotations: String?

    func validate() throws {
        if reportDir != nil && !skipBad {
            throw ValidationError("--report-dir lists skipped files, so it needs --skip-bad")
        }
    }

    func run() throws {
        if let reportDir { try OutputGuard.check(output: reportDir, inputs: [dir]) }
        if annotations != nil || (try? TargetLayout.detect(root: dir)) != nil {
            try describeTargets()
            return
        }
        DatasetOptions.current.skipBadRows = skipBad
        let dataset = try Dataset.load(root: dir)
        let depth: ScanDepth = quick ? .header : .decode
        let progress = ProgressLine(label: quick ? "reading headers" : "decoding")
        let scan: ScanResult
        do {
            scan = try ImageScanner.scan(dataset.samples, depth: depth, skipBad: skipBad, progress: progress.update)
            progress.finish()
        } catch {
            progress.finish()
            if case .badFile = error {
                throw InfoFailure(message: "\(error)\nRun with --skip-bad to list every bad file and describe the rest.")
            }
            throw error
        }

        let summary = DatasetSummary(dataset: dataset, scan: scan, depth: depth)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(summary)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(summary.text(), terminator: "")
        }
        if let reportDir {
            let path = try SkippedFilesReport.write(scan.skipped, into: reportDir, inputs: [dir])
            let note = "wrote \(path) (\(scan.skipped.count) skipped file\(scan.skipped.count == 1 ? "" : "s"))\n"
            FileHandle.standardError.write(Data(note.utf8))
        }
    }
}

extension InfoCommand {
    /// A dataset whose targets follow the image: counts of images, masks and
    /// their label values, boxes per class and keypoints; every mask is decoded.
    func describeTargets() throws {
        let ds = try TargetDataset.open(root: dir, annotations: annotations, skipBad: skipBad)
        let summary = try TargetSummary(ds, skipBad: skipBad)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(summary.text)
            if !summary.problems.isEmpty {
                print("\nProblems (left out):")
                for p in summary.problems { print("  \(p)") }
            }
        }
        if let reportDir {
            let skipped = summary.problems.map { SkippedFile(path: $0.path, kind: $0.kind.rawValue, reason: $0.reason) }
            let path = try SkippedFilesReport.write(skipped, into: reportDir, inputs: [dir])
            FileHandle.standardError.write(Data("wrote \(path) (\(skipped.count) skipped)\n".utf8))
        }
    }
}

/// A failure whose message is complete as it stands.
struct InfoFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
