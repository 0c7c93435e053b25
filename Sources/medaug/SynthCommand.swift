import ArgumentParser
import Foundation
import MedAugCore
import MedAugData
import MedAugImage

extension SyntheticFormat: ExpressibleByArgument {}
extension TargetLayout: ExpressibleByArgument {}

struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a synthetic stand-in for one of the study's datasets.",
        discussion: """
        Writes DIR/train/<class>/ and DIR/test/<class>/ with the class names of the study's Kaggle set and, at --scale 1, its image counts:

          skin-lesion  benign 1440 / 360, malignant 1197 / 300 (train / test),
                       224x224 RGB: a pigmented lesion on skin, with hair;
                       malignant ones are on average larger, asymmetric,
                       irregular and multi-coloured.
          chest-xray   Covid 111 / 26, Normal 70 / 20, Viral Pneumonia 70 / 20,
                       grayscale, 256 to 512 pixels a side: Normal has clear
                       lungs, Viral Pneumonia diffuse haze, Covid patchy
                       peripheral blobs in the lower lobes.

        The classes overlap on purpose (a per-image severity drawn from overlapping distributions), so a classifier cannot be perfect.

        --scale multiplies every count (rounded, at least 1 per class and split). Each image depends only on (kind, seed, split, class, index): the same seed gives byte-identical files on any number of cores, and a larger scale only adds images. Files are named synth_00001.png etc. and written atomically; DIR/README.txt records kind, seed and scale.

        --format dicom writes synth_00001.dcm ...: 12 bits stored, three images per synthetic patient (Patient ID in the file), and, cycling by index, explicit VR with rescale intercept -1024 and a window; JPEG lossless MONOCHROME1; JPEG-LS with a VOI LUT; RLE without a window; JPEG 2000 MONOCHROME1 with a window; implicit VR with signed values. It exercises every DICOM reading path without patient data.

        --targets segmentation|yolo|coco writes, instead of class folders, a flat dataset whose targets follow the image (what `medaug augment`, `preview` and `info` read): DIR/images/synth_00001.png ... (the train and test counts together, classes interleaved) with masks/ (0 background, 255 lesion or lung fields, as ISIC's masks), labels/ + classes.txt (YOLO: a box per lesion or lung, class = the image's class), or instances.json (COCO: the same boxes, categories = classes, keypoints "centre" and "top" per object). Targets come from the drawing itself, so they are exact; PNG or JPEG images, PNG masks.

        DIR must be new, empty, or an earlier synthetic set of the same kind (and the same --targets layout, or class folders), which is then brought up to date (its surplus synth_* files removed).

        Examples:
          medaug synth --kind skin-lesion --out data/skin
          medaug synth --kind chest-xray --out data/covid --seed 7 --scale 0.5
          medaug synth --kind chest-xray --format dicom --out data/covid-dicom
          medaug synth --kind skin-lesion --targets coco --out data/skin-coco
        """
    )

    @Option(help: ArgumentHelp("Which dataset to imitate.", valueName: "kind"))
    var kind: SyntheticKind

    @Option(help: ArgumentHelp("Folder to write the dataset into.", valueName: "dir"))
    var out: String

    @Option(parsing: .unconditional, help: "Seed: the same seed gives the same files.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Dataset size relative to the study's counts.")
    var scale: Double = 1.0

    @Option(help: "File format: png (lossless), jpg, or dicom (chest-xray: 12-bit DICOM with several images per patient, MONOCHROME1 and 2, rescale and window tags, six transfer syntaxes).")
    var format: SyntheticFormat = .png

    @Option(help: ArgumentHelp("Write images with targets in this layout instead of class folders: segmentation (images/ + masks/), yolo (images/ + labels/) or coco (images/ + instances.json with keypoints).", valueName: "layout"))
    var targets: TargetLayout?

    func validate() throws {
        try CommandLimits.check("--scale", scale, CommandLimits.scale)
        if let targets, format == .dicom {
            throw ValidationError("--targets \(targets.rawValue) writes PNG or JPEG images beside their masks or labels; "
                + "--format dicom is for class folders only (leave out --format, or use --format jpg)")
        }
    }

    func run() throws {
        if let targets { return try runWithTargets(targets) }
        let progress = ProgressLine(label: "synth \(kind.rawValue)")
        let report: SyntheticDataset.Report
        do {
            report = try SyntheticDataset.generate(kind: kind, out: out, seed: seed, scale: scale,
                                                   format: format, progress: progress.update)
            progress.finish()
        } catch {
            progress.finish()
            throw error
        }
        let train = kind.counts(.train, scale: scale), test = kind.counts(.test, scale: scale)
        print("wrote \(report.written) synthetic \(kind.rawValue) images to \(out) in "
              + String(format: "%.1f s", report.seconds))
        for (i, name) in kind.classes.enumerated() {
            print("  \(name): train \(train[i]), test \(test[i])")
        }
        if !report.removedStale.isEmpty {
            print("removed \(report.removedStale.count) image(s) left from an earlier run at another scale or format")
        }
    }

    /// `--targets`: the flat layouts, counted per class without a split.
    private func runWithTargets(_ targets: TargetLayout) throws {
        let progress = ProgressLine(label: "synth \(kind.rawValue) \(targets.rawValue)")
        let report: SyntheticDataset.Report
        do {
            report = try SyntheticTargets.generate(kind: kind, out: out, seed: seed, scale: scale, format: format,
                                                   targets: targets, progress: progress.update)
            progress.finish()
        } catch {
            progress.finish()
            throw error
        }
        print("wrote \(report.written) synthetic \(kind.rawValue) images with \(targets.rawValue) targets to \(out) in "
              + String(format: "%.1f s", report.seconds))
        for (i, n) in SyntheticTargets.counts(kind: kind, scale: scale).enumerated() {
            print("  \(kind.classes[i]): \(n)")
        }
        if !report.removedStale.isEmpty {
            print("removed \(report.removedStale.count) file(s) left from an earlier run at another scale or format")
        }
    }
}
