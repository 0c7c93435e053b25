import Foundation
import MedAugData
import MedAugImage
import MedAugTestSupport
import XCTest

/// A DICOM dataset as a hospital export ships it: one folder of .dcm files
/// (several per patient, six transfer syntaxes), labels and patient ids in a
/// CSV. Every dataset command runs on it, patient ids never appear in clear,
/// and no split the project draws puts a patient on both sides.
final class DicomDatasetCLITests: IsolatedCLITestCase {
    /// The synthetic DICOM chest set flattened into export/ with a labels CSV
    /// (image id without extension, finding, patient id); returns the patient of each image id.
    func writeExport() throws -> [String: String] {
        try medaug(["synth", "--kind", "chest-xray", "--format", "dicom", "--scale", "0.1", "--out", at("synth")])
        try FileManager.default.createDirectory(atPath: at("export"), withIntermediateDirectories: true)
        var rows = ["image,finding,patient"]
        var patientOf: [String: String] = [:]
        for split in [DataSplit.train, .test] {
            for (label, name) in SyntheticKind.chestXRay.classes.enumerated() {
                let folder = at("synth/\(split.rawValue)/\(name)")
                for file in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where file.hasSuffix(".dcm") {
                    let index = Int(file.dropFirst(6).prefix(5))!
                    let id = "\(split.rawValue)-\(label)-\(index)"
                    try FileManager.default.copyItem(atPath: folder + "/" + file, toPath: at("export/\(id).dcm"))
                    let patient = SyntheticDicom.patientID(seed: 0, split: split, classIndex: label, index: index)
                    patientOf[id] = patient
                    rows.append("\(id),\(name),\(patient)")
                }
            }
        }
        try (rows.joined(separator: "\n") + "\n").write(toFile: at("labels.csv"), atomically: true, encoding: .utf8)
        return patientOf
    }

    func testEveryDatasetCommandRunsOnADicomExportWithPatientsKeptApart() throws {
        let patientOf = try writeExport()
        let labels = ["--labels", at("labels.csv"), "--label-column", "finding"]
        let clear = Set(patientOf.values)

        let info = try medaug(["info", at("export")] + labels)
        XCTAssertTrue(info.out.contains("Patients"), info.out)
        XCTAssertTrue(info.out.contains("Checked   32 files"), info.out)
        for id in clear { XCTAssertFalse(info.out.contains(id), "patient id \(id) in clear in info") }

        try medaug(["augment", "--input", at("export"), "--output", at("aug"), "--copies", "1", "--preset", "aug1"] + labels)
        let manifest = try String(contentsOfFile: at("aug/manifest.csv"), encoding: .utf8)
        for id in clear { XCTAssertFalse(manifest.contains(id), "patient id \(id) in clear in the manifest") }

        try medaug(["train", "--data", at("export"), "--out", at("run"), "--epochs", "1", "--image-size", "64",
                    "--batch-size", "8", "--val-split", "0.3"] + labels)
        try medaug(["evaluate", "--run", at("run"), "--data", at("export")] + labels)
        XCTAssertTrue(FileManager.default.fileExists(atPath: at("run/eval/metrics.json"))
                      || FileManager.default.fileExists(atPath: at("run/eval")))

        let config = """
        name: dicom-check
        data: \(at("export"))
        recipe: study-cnn
        overrides: {batch_size: 8}
        epochs: [1]
        repeats: 1
        seed: 0
        variants:
          - name: Original
          - name: Aug 1
            preset: aug1
            copies: 1
        """
        try config.write(toFile: at("exp.yaml"), atomically: true, encoding: .utf8)
        let exp = try medaug(["experiment", at("exp.yaml"), "--out", at("exp"), "--smoke"] + labels, expect: 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: at("exp/results.csv")), exp.err)
        // --resume and collect reuse the recorded labelling; other options are refused.
        try medaug(["experiment", at("exp.yaml"), "--out", at("exp"), "--smoke", "--resume"])
        try medaug(["experiment", "collect", at("exp")])
        let other = try medaug(["experiment", at("exp.yaml"), "--out", at("exp"), "--smoke", "--resume", "--labels", at("labels.csv"),
                                "--label-column", "finding", "--group-column", "none"], expect: 1)
        XCTAssertTrue(other.err.contains("other dataset options"), other.err)
    }

    func testConvertWritesStoredValuesAndHashedPatients() throws {
        try medaug(["synth", "--kind", "chest-xray", "--format", "dicom", "--scale", "0.05", "--out", at("synth")])
        let r = try medaug(["convert", at("synth"), "--out", at("png"), "--window", "none", "--bits", "16"])
        XCTAssertTrue(r.out.contains("wrote"), r.out)
        let table = try String(contentsOfFile: at("png/conversion.csv"), encoding: .utf8)
        let rows = table.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(rows[0], ["source", "output", "frame", "frames", "window", "bits", "modality", "photometric", "patient"])
        XCTAssertGreaterThan(rows.count, 10)
        XCTAssertFalse(table.contains("SYN0-"), "patient ids in clear")
        for row in rows.dropFirst() {
            XCTAssertTrue(row[8].hasPrefix("p-"), row.joined(separator: ","))
            XCTAssertEqual(row[4], "none")
            // The 16-bit PNG holds the stored values: 12-bit data, so nothing above 4095 unless signed (offset 32768).
            let png = try ImageFile.read(at("png/" + row[1]))
            XCTAssertEqual(png.bitDepth, 16)
            let values = try XCTUnwrap(png.samples16)
            let signed = values.contains { $0 > 4095 }
            if signed { XCTAssertTrue(values.allSatisfy { $0 >= 32768 - 2048 && $0 < 32768 + 2048 }, row[1]) }
        }
        // Mirrored folders, and the input untouched.
        XCTAssertTrue(FileManager.default.fileExists(atPath: at("png/train/Covid/synth_00001.png")))
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: at("synth/train/Covid")).contains { $0.hasSuffix(".png") })
        // A second run keeps what is there.
        let again = try medaug(["convert", at("synth"), "--out", at("png"), "--window", "none", "--bits", "16"])
        XCTAssertTrue(again.out.contains("wrote"), again.out)
    }

    func testConvertRefusesClashingInputsAndResumingWithOtherSettings() throws {
        try medaug(["synth", "--kind", "chest-xray", "--format", "dicom", "--scale", "0.03", "--out", at("a/scans")])
        try FileManager.default.createDirectory(atPath: at("b"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: at("a/scans"), toPath: at("b/scans"))
        let clash = try medaug(["convert", at("a/scans"), at("b/scans"), "--out", at("both")], expect: 1)
        XCTAssertTrue(clash.err.contains("same output"), clash.err)
        // An interrupted run (its journal left behind) is not continued with other settings.
        try FileManager.default.createDirectory(atPath: at("half"), withIntermediateDirectories: true)
        try "format=png window=dicom bits=8 frames=first quality=95\n".write(toFile: at("half/.conversion-settings"), atomically: true, encoding: .utf8)
        try "source,output,frame,frames,window,bits,modality,photometric,patient\n".write(toFile: at("half/.conversion-journal.csv"), atomically: true, encoding: .utf8)
        let other = try medaug(["convert", at("a/scans"), "--out", at("half"), "--bits", "16"], expect: 1)
        XCTAssertTrue(other.err.contains("other settings"), other.err)
        try medaug(["convert", at("a/scans"), "--out", at("half")])
        XCTAssertTrue(FileManager.default.fileExists(atPath: at("half/conversion.csv")))
    }

    func testConvertNamesBadFilesAndSkipsNonImages() throws {
        try FileManager.default.createDirectory(atPath: at("in"), withIntermediateDirectories: true)
        try Data("not a scan".utf8).write(to: URL(fileURLWithPath: at("in/broken.dcm")))
        let r = try medaug(["convert", at("in"), "--out", at("out")], expect: 1)
        XCTAssertTrue(r.err.contains(at("in/broken.dcm")) && r.err.contains("not a DICOM file"), r.err)
        let skip = try medaug(["convert", at("in"), "--out", at("out"), "--skip-bad"])
        XCTAssertTrue(skip.out.contains("skipped 1 bad file"), skip.out)
    }
}
