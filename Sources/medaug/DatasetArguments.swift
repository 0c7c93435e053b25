import ArgumentParser
import Foundation
import MedAugData

/// How a dataset is labelled and grouped, for every command that reads one:
/// a labels CSV instead of class folders, and where patient keys come from.
struct DatasetArguments: ParsableArguments {
    @Option(help: ArgumentHelp("Labels from this CSV instead of class folders: one row per image, its path relative to the dataset folder (extension optional) and its label. Example: --labels ham10000.csv (columns image_id, dx, lesion_id).",
                               valueName: "file.csv"), completion: .file(extensions: ["csv"]))
    var labels: String?

    @Option(name: .customLong("path-column"),
            help: ArgumentHelp("The CSV column naming each image (default: the one of image, image_id, image_name, path, file, filename, isic_id, Image Index).",
                               valueName: "name"))
    var pathColumn: String?

    @Option(name: .customLong("label-column"),
            help: ArgumentHelp("The label column (default: the one of label, class, diagnosis, dx, target, Finding Labels); several (repeated, or A,B,C) are one-hot class columns, exactly one 1 per row (ISIC: --label-column MEL,NV,BCC).",
                               valueName: "name"))
    var labelColumns: [String] = []

    @Flag(name: .customLong("one-hot"), help: "One-hot labels: every column but the path, group and split columns is a class (0/1, one set per row).")
    var oneHot = false

    @Option(name: .customLong("group-column"),
            help: ArgumentHelp("The patient column: one patient's images stay on one side of every split (default: the one of patient, patient_id, PatientID, subject, subject_id, group, lesion_id; 'none' for no patient keys from the CSV or from DICOM PatientID).",
                               valueName: "name"))
    var groupColumn: String?

    @Option(name: .customLong("split-column"),
            help: ArgumentHelp("The column saying train, val, validation or test for each row (default: the one of split, fold, set, partition, subset; 'none' for none).",
                               valueName: "name"))
    var splitColumn: String?

    @Option(name: .customLong("group-pattern"),
            help: ArgumentHelp("Patient key from each image's path relative to the dataset folder: the first capture group of this regular expression (or the whole match). Example: --group-pattern '(P[0-9]+)_' gives P0042 for a/P0042_scan1.png.",
                               valueName: "regex"))
    var groupPattern: String?

    @Flag(name: .customLong("keep-ids"), help: "Write patient IDs as they are in manifests and reports, instead of salted hashes (p-<16 hex>).")
    var keepIDs = false

    /// The options as typed; `--label-column A,B` is two columns.
    var options: DatasetOptions {
        DatasetOptions(labels: labels, pathColumn: pathColumn,
                       labelColumns: labelColumns.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                           .filter { !$0.isEmpty },
                       oneHot: oneHot, groupColumn: groupColumn, splitColumn: splitColumn, groupPattern: groupPattern,
                       keepIDs: keepIDs)
    }

    func validate() throws {
        if let labels {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: labels, isDirectory: &isDir) else {
                throw ValidationError("--labels '\(labels)': no such file")
            }
            if isDir.boolValue { throw ValidationError("--labels '\(labels)' is a folder; give the CSV file") }
        }
        if !labelColumns.isEmpty && options.labelColumns.isEmpty {
            throw ValidationError("--label-column: give a column name")
        }
        do { try options.validate() } catch { throw ValidationError(error.description) }
        // Set here, before any command reads: every loader in the process labels and groups alike.
        DatasetOptions.current = options
    }
}
