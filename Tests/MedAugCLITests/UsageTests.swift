import XCTest
import Foundation

/// Command-line mistakes are usage errors (exit 64) that name the option and
/// what is allowed, found before any work starts, and never read as libtorch
/// failures; help text reads well at any terminal width.
extension CLITests {
    func testTrainOptionMistakesAreUsageErrorsNamingTheOption() throws {
        let data = tmp.appendingPathComponent("data").path
        let run = tmp.appendingPathComponent("run").path
        let cases: [([String], [String])] = [
            (["--epochs", "0"], ["--epochs", "must be 1 to 100000, got 0"]),
            (["--model", "nosuch"], ["--model", "simple-cnn", "resnet18", "resnet34", "resnet50"]),
            (["--optimizer", "nosuch"], ["--optimizer", "adam", "sgd"]),
            (["--device", "nosuch"], ["--device", "auto", "cpu", "cuda", "cuda:N"]),
            (["--recipe", "nosuch"], ["--recipe", "study-cnn", "study-resnet50"]),
            (["--lr", "-1"], ["--lr"]),
            (["--val-split", "1.5"], ["--val-split"]),
            (["--model", "simple-cnn", "--image-size", "128"], ["--image-size", "64"]),
        ]
        for (extra, words) in cases {
            let r = try medaug(["train", "--data", data, "--out", run] + extra, expect: 64)
            for w in words { XCTAssertTrue(r.err.contains(w), "\(extra): '\(w)' missing from: \(r.err)") }
            XCTAssertFalse(r.err.lowercased().contains("libtorch"), "\(extra): \(r.err)")
            XCTAssertTrue(r.err.contains("Usage:"), "\(extra): usage is shown: \(r.err)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: run), "a refused command writes nothing")
    }

    func testOtherCommandsRefuseBadValuesAsUsageErrors() throws {
        let d = tmp.path
        let cases: [[String]] = [
            ["gan", "train", "--data", d, "--out", d + "/g", "--image-size", "48"],
            ["gan", "train", "--data", d, "--out", d + "/g", "--nz", "0"],
            ["gan", "sample", "--run", d, "--count", "1", "--out", d + "/s", "--device", "tpu"],
            ["gan", "sample", "--run", d, "--count", "0", "--out", d + "/s"],
            ["gan", "sample", "--run", d, "--count", "2", "--out", d + "/s", "--size", "big"],
            ["gan", "score", "--run", d, "--data", d, "--classifier", d, "--samples", "1"],
            ["train", "--data", d, "--out", d + "/r", "--augment", "aug9"],
            ["experiment", "run", d + "/e.yaml", "--out", d + "/x", "--repeats", "0"],
            ["augmenters", "NoSuchAugmenter"],
            ["evaluate", "--run", d, "--data", d, "--device", "gpu0"],
            ["augment", "--input", d, "--output", d + "/o", "--preset", "aug9"],
            ["augment", "--input", d, "--output", d + "/o", "--preset", "aug1", "--format", "gif"],
            ["augment", "--input", d, "--output", d + "/o", "--preset", "aug1", "--jobs", "0"],
            ["augment", "--input", d, "--output", d + "/o"],
            ["synth", "--kind", "mri", "--out", d + "/x"],
        ]
        for args in cases {
            let r = try medaug(args, expect: 64)
            XCTAssertFalse(r.err.lowercased().contains("libtorch"), "\(args): \(r.err)")
        }
    }

    func testHelpHasNoOrphanWordsAndPrintsEachDefaultOnce() throws {
        for command in [["augment"], ["train"], ["info"], ["synth"], ["experiment", "run"], ["experiment", "collect"], ["gan", "train"],
                        ["gan", "sample"], ["gan", "score"], ["evaluate"], ["preview"], ["augmenters"], ["demo"], ["doctor"]] {
            let help = try medaug(command + ["--help"]).out
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            func indent(_ l: String) -> Int { l.prefix { $0 == " " }.count }
            for (a, b) in zip(lines, lines.dropFirst()) {
                // A short line continued at the same indentation is a paragraph broken by hand,
                // which swift-argument-parser's own wrapping turns into orphan words.
                let bt = b.trimmingCharacters(in: .whitespaces), at = a.trimmingCharacters(in: .whitespaces)
                // An example or usage line too wide for the terminal wraps to a line starting with an option.
                XCTAssertFalse(at.hasPrefix("medaug ") && indent(b) == 0 && bt.hasPrefix("-"), "\(command): example wraps: '\(a)' / '\(b)'")
                if at.range(of: #"^\S+\s+- "#, options: .regularExpression) != nil { continue }  // a list of allowed values
                guard !at.isEmpty, !bt.isEmpty, indent(a) == indent(b), !bt.hasPrefix("-"), !at.hasSuffix(":"),
                      !bt.hasPrefix("medaug"), bt.first?.isLowercase == true else { continue }
                XCTAssertGreaterThan(a.count, 50, "\(command): hand-broken line before '\(bt)': '\(a)'")
            }
            for line in lines {
                XCTAssertLessThanOrEqual(line.components(separatedBy: "(default:").count - 1, 1, "\(command): \(line)")
            }
        }
        let augmentHelp = try medaug(["augment", "--help"]).out
        XCTAssertTrue(augmentHelp.contains("aug1") && augmentHelp.contains("png"), augmentHelp)
    }
}
