import ArgumentParser
import Foundation
import MedAugCore
import MedAugData
import MedAugFormats
import MedAugImage

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert DICOM, TIFF, PNG and JPEG files or folders to PNG or JPEG.",
        discussion: """
        Folders are converted whole, keeping their structure: IN/a/b.dcm becomes OUT/a/b.png. Files without an extension are read when they hold DICOM (as PACS exports name them). OUT/conversion.csv has a row per image written: source, output, frame, frames, window used, bits, modality, photometric interpretation and patient key (a salted hash of the Patient ID unless --keep-ids).

        DICOM goes through the display pipeline: Modality LUT (rescale slope/intercept or a LUT), VOI (--window), MONOCHROME1 inverted so that bone is bright, then --bits. YBR colour is converted to RGB and palettes are applied.

        --window none --bits 16 writes the stored values unchanged (signed data offset by 32768), for checking the decoding against another reader.

        Files without pixel data (structured reports, RT plans) are listed and skipped. A bad file stops the run with its path and the reason; --skip-bad lists bad files and goes on. An interrupted run started again with the same arguments skips the images it already wrote.

        Examples:
          medaug convert dicom-export/ --out pngs/
          medaug convert ct/ --out ct-png/ --window 40,400
          medaug convert cine.dcm --out frames/ --frames all
          medaug convert scans/ --out raw16/ --window none --bits 16
        """
    )

    @Argument(help: ArgumentHelp("Files or folders to convert.", valueName: "input"))
    var inputs: [String]

    @Option(help: ArgumentHelp("Folder to write into (outside every input).", valueName: "dir"))
    var out: String

    @Option(help: "Output format: png (lossless, 8 or 16 bits) or jpg (8 bits).")
    var format: ImageFormat = .png

    @Option(help: WindowSetting.help)
    var window: WindowSetting = .dicom

    @Option(help: ArgumentHelp("Bits per sample written: 8 or 16 (PNG only).", valueName: "bits"))
    var bits: Int = 8

    @Option(help: ArgumentHelp("Frames of a multi-frame DICOM (or pages of a TIFF): first, middle, or all (one file each, name_f01.png ...).",
                               valueName: "frames"))
    var frames: FrameChoice = .first

    @Option(help: ArgumentHelp("JPEG quality, 1 to 100.", valueName: "q"))
    var jpegQuality: Int = 95

    @Flag(help: "List bad files and go on, instead of stopping at the first one.")
    var skipBad = false

    @Flag(help: "Write Patient IDs in clear in conversion.csv (default: a salted hash).")
    var keepIds = false

    @Option(help: ArgumentHelp("Worker threads.", valueName: "n"))
    var jobs: Int = min(256, ProcessInfo.processInfo.activeProcessorCount)

    @Option(name: .customLong("max-file-bytes"), parsing: .unconditional,
            help: ArgumentHelp("Largest file read, in bytes; bigger files are bad files.", valueName: "bytes"))
    var maxFileBytes: Int = RegularFile.defaultMaxBytes

    func validate() throws {
        guard ReadOptions.bitChoices.contains(bits) else { throw ValidationError("--bits must be 8 or 16, got \(bits)") }
        if bits == 16 && format == .jpeg { throw ValidationError("--bits 16 needs --format png (JPEG holds 8 bits)") }
        try CommandLimits.check("--jpeg-quality", jpegQuality, 1...100)
        try CommandLimits.check("--jobs", jobs, 1...256)
        guard maxFileBytes >= 1 else { throw ValidationError("--max-file-bytes must be at least 1, got \(maxFileBytes)") }
        RegularFile.maxBytes = maxFileBytes
    }

    func run() throws {
        var converter = FolderConverter(inputs: inputs, out: out)
        converter.format = format
        converter.options = ReadOptions(window: window, bits: bits, frames: frames)
        converter.jpegQuality = jpegQuality
        converter.skipBad = skipBad
        converter.jobs = jobs
        let keep = keepIds
        // This machine's salt, made now if need be, so the keys match every later command's.
        if !keep { try PatientKey.prepare() }
        converter.patientKey = { id in keep ? id : PatientKey.hashed(id) }
        let progress = ProgressLine(label: "converting")
        let report: FolderConverter.Report
        do {
            report = try converter.run(progress: progress.update)
            progress.finish()
        } catch {
            progress.finish()
            throw error
        }
        var line = "wrote \(report.written) image(s) to \(out)"
        if report.resumed > 0 { line += " (\(report.resumed) source file(s) kept from an interrupted run)" }
        print(line + "; table: \((out as NSString).appendingPathComponent(FolderConverter.tableName))")
        if !report.nonImages.isEmpty {
            print("skipped \(report.nonImages.count) DICOM file(s) without pixel data:")
            for p in report.nonImages.prefix(10) { print("  \(p)") }
            if report.nonImages.count > 10 { print("  ... and \(report.nonImages.count - 10) more") }
        }
        if !report.bad.isEmpty {
            print("skipped \(report.bad.count) bad file(s):")
            for e in report.bad { print("  \(e.description)") }
        }
    }
}
