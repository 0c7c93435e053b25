import MedAugCore
import MedAugImage

/// Why a dataset cannot be used. Every case names the path to look at.
public enum DatasetError: MedAugError, Equatable {
    case rootMissing(path: String)
    case rootNotAFolder(path: String)
    case unreadableFolder(path: String, reason: String)
    case noClassFolders(path: String)
    case incompleteSplitLayout(root: String, found: String, missing: String)
    case classMismatch(root: String, onlyInTrain: [String], onlyInTest: [String])
    /// The validation folder (`val/` or `validation/`) has other class folders than train/.
    case validationClassMismatch(root: String, folder: String, onlyInTrain: [String], onlyInValidation: [String])
    /// Both `val/` and `validation/` are there: which one is meant is unclear.
    case twoValidationFolders(root: String, names: [String])
    /// A labels CSV, or one of its rows, cannot be used.
    case labels(LabelsError)
    /// The salt of the patient keys cannot be read or made.
    case idSalt(path: String, reason: String)
    case badFile(ImageError)
    case outputInsideInput(output: String, input: String, resolvedOutput: String, resolvedInput: String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .rootMissing(let p):
            return "dataset folder '\(p)' does not exist"
        case .rootNotAFolder(let p):
            return "dataset path '\(p)' is a file, not a folder"
        case .unreadableFolder(let p, let r):
            return "cannot list folder '\(p)': \(r)"
        case .noClassFolders(let p):
            return "no class folders in '\(p)': expected train/<class>/ and test/<class>/, or one folder per class"
        case .incompleteSplitLayout(let root, let found, let missing):
            return "'\(root)' has a '\(found)' folder but no '\(missing)' folder: a split layout needs both "
                + "\(found)/<class>/ and \(missing)/<class>/ (a flat layout cannot have a class named '\(found)')"
        case .classMismatch(let root, let a, let b):
            var parts: [String] = []
            if !a.isEmpty { parts.append("only in train/: \(a.map { "'\($0)'" }.joined(separator: ", "))") }
            if !b.isEmpty { parts.append("only in test/: \(b.map { "'\($0)'" }.joined(separator: ", "))") }
            return "train/ and test/ in '\(root)' have different class folders; \(parts.joined(separator: "; "))"
        case .validationClassMismatch(let root, let folder, let a, let b):
            var parts: [String] = []
            if !a.isEmpty { parts.append("only in train/: \(a.map { "'\($0)'" }.joined(separator: ", "))") }
            if !b.isEmpty { parts.append("only in \(folder)/: \(b.map { "'\($0)'" }.joined(separator: ", "))") }
            return "train/ and \(folder)/ in '\(root)' have different class folders; \(parts.joined(separator: "; "))"
        case .twoValidationFolders(let root, let names):
            return "'\(root)' has both \(names.map { "\($0)/" }.joined(separator: " and ")): keep one validation folder "
                + "(MedAug reads either name) and move or rename the other"
        case .labels(let e):
            return e.description
        case .idSalt(let path, let reason):
            return "cannot use the patient-key salt '\(path)': \(reason); or set \(PatientKey.saltVariable) to a secret of your own"
        case .badFile(let e):
            return "bad image file \(e.path): \(e.reason)"
        case .outputInsideInput(let o, let i, let ro, let ri):
            let resolved = (ro != o || ri != i) ? " (resolved: '\(ro)' inside '\(ri)')" : ""
            return "refusing to write to '\(o)': it is the input folder '\(i)' or inside it\(resolved); "
                + "MedAug never writes into its input, so choose an output folder outside it"
        case .invalidArgument(let m):
            return m
        }
    }
}
