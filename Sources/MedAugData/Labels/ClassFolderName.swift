/// Whether a class name from a labels CSV can name a class folder, for the
/// commands that write a CSV-labelled dataset out as class folders (augment,
/// an experiment's prepared data).
public enum ClassFolderName {
    /// Refuses a name that is no single visible folder name: empty, '.' or
    /// '..', holding '/' or NUL, or starting with '.' (the loader would skip it as hidden).
    public static func check(_ name: String) throws(DatasetError) {
        let why: String?
        if name.isEmpty || name == "." || name == ".." {
            why = "it is not a folder name"
        } else if name.contains("/") || name.unicodeScalars.contains("\0") {
            why = "it holds '/' or NUL, which a folder name cannot"
        } else if name.hasPrefix(".") {
            why = "it starts with '.', so the folder would be hidden and skipped"
        } else {
            why = nil
        }
        if let why {
            throw .invalidArgument("class '\(name)' cannot be written as a class folder: \(why); rename the label in the labels CSV")
        }
    }
}
