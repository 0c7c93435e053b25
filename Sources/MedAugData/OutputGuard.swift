import Foundation

/// Keeps outputs out of inputs: writing into a dataset folder would mix
/// generated files into the data (and a later run would read them as input).
public enum OutputGuard {
    /// Refuses an output folder that is an input folder or lies inside one.
    /// Both sides are made absolute, symlinks resolved and `.`/`..` applied
    /// before the paths are compared component by component (so `/data/skin2`
    /// is not taken to be inside `/data/skin`). The output need not exist yet.
    public static func check(output: String, inputs: [String]) throws(DatasetError) {
        let out = resolve(output)
        for input in inputs {
            let inp = resolve(input)
            if isSameOrInside(out, inp) {
                throw .outputInsideInput(output: output, input: input,
                                         resolvedOutput: joined(out), resolvedInput: joined(inp))
            }
        }
    }

    /// Refuses, besides what `check` refuses, an output folder that holds an
    /// input (`--input X/train --output X`): a command that writes a tree of
    /// class folders would put its files beside or over the input's, and the
    /// next reader of the output would take them for one dataset.
    public static func checkApart(output: String, inputs: [String]) throws(DatasetError) {
        try check(output: output, inputs: inputs)
        let out = resolve(output)
        for input in inputs {
            let inp = resolve(input)
            if isSameOrInside(inp, out) {
                let resolved = (joined(out) != output || joined(inp) != input)
                    ? " (resolved: '\(joined(inp))' inside '\(joined(out))')" : ""
                throw .invalidArgument("refusing to write to '\(output)': it holds the input folder '\(input)'\(resolved); "
                    + "MedAug never writes into its input, so choose an output folder that neither holds nor lies inside it")
            }
        }
    }

    /// The absolute path with symlinks resolved as far as the path exists;
    /// the part that does not exist yet is normalised lexically (a folder that
    /// does not exist cannot be a symlink).
    public static func resolvedPath(_ path: String) -> String { joined(resolve(path)) }

    static func resolve(_ path: String) -> [String] {
        let absolute = path.hasPrefix("/") ? path
            : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        let parts = absolute.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var cut = parts.count
        var base: [String] = []
        while cut >= 0 {
            if let real = realPath("/" + parts.prefix(cut).joined(separator: "/")) {
                base = real.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
                break
            }
            cut -= 1
        }
        for part in parts.dropFirst(max(cut, 0)) {
            switch part {
            case ".": continue
            case "..": if !base.isEmpty { base.removeLast() }
            default: base.append(part)
            }
        }
        return base
    }

    static func isSameOrInside(_ path: [String], _ folder: [String]) -> Bool {
        guard path.count >= folder.count else { return false }
        // Byte equality: the file system does not treat NFC and NFD names as the same folder.
        return zip(path, folder).allSatisfy { UnicodeOrder.equal($0, $1) }
    }

    private static func joined(_ parts: [String]) -> String { "/" + parts.joined(separator: "/") }

    private static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
