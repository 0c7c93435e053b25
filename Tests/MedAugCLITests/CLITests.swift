import XCTest
import MedAugTestSupport
import Foundation
import MedAugImage

/// The `medaug` binary as a user runs it.
final class CLITests: XCTestCase {
    static let root = MedaugBinary.root
    var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    var binary: URL { get throws { try MedaugBinary.url } }

    @discardableResult
    func medaug(_ args: [String], expect status: Int32 = 0, killAfter: Double? = nil) throws -> (out: String, err: String, status: Int32) {
        let p = Process()
        p.executableURL = try binary
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        if let killAfter {
            Thread.sleep(forTimeInterval: killAfter)
            kill(p.processIdentifier, SIGKILL)
        }
        let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if killAfter == nil {
            XCTAssertEqual(p.terminationStatus, status, "medaug \(args.joined(separator: " ")): \(e)")
        }
        return (o, e, p.terminationStatus)
    }

    /// class -> split -> count, from `medaug info --json`.
    func counts(_ dir: URL) throws -> [String: [String: Int]] {
        let json = try medaug(["info", dir.path, "--json", "--quick"]).out
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let classes = obj["classes"] as! [String]
        var out: [String: [String: Int]] = [:]
        for s in obj["splits"] as! [[String: Any]] {
            let c = s["counts"] as! [Int]
            for (i, name) in classes.enumerated() { out[name, default: [:]][s["split"] as! String] = c[i] }
        }
        return out
    }

    func testHelpTeachesEveryCommand() throws {
        let h = try medaug(["--help"]).out
        for c in ["info", "synth", "augment", "preview", "train", "evaluate", "gan", "experiment", "demo", "doctor"] {
            XCTAssertTrue(h.contains(c), "--help should list \(c)")
        }
        XCTAssertTrue(try medaug(["train", "--help"]).out.contains("study-resnet50"))
    }

    func testSynthAtScaleOneHasTheStudysCounts() throws {
        let chest = tmp.appendingPathComponent("chest")
        try medaug(["synth", "--kind", "chest-xray", "--out", chest.path])
        XCTAssertEqual(try counts(chest), ["Covid": ["train": 111, "test": 26], "Normal": ["train": 70, "test": 20],
                                           "Viral Pneumonia": ["train": 70, "test": 20]])
        let skin = tmp.appendingPathComponent("skin")
        try medaug(["synth", "--kind", "skin-lesion", "--out", skin.path, "--format", "jpg"])
        XCTAssertEqual(try counts(skin), ["benign": ["train": 1440, "test": 360], "malignant": ["train": 1197, "test": 300]])
        let info = try medaug(["info", chest.path]).out
        XCTAssertTrue(info.contains("Viral Pneumonia"), info)
    }

    func testAugmentIsTheSameForAnyJobCountAndAfterAKill() throws {
        let data = tmp.appendingPathComponent("data")
        try medaug(["synth", "--kind", "chest-xray", "--out", data.path, "--scale", "0.1"])
        let a = tmp.appendingPathComponent("a"), b = tmp.appendingPathComponent("b"), c = tmp.appendingPathComponent("c")
        try medaug(["augment", "--input", data.path, "--output", a.path, "--preset", "aug3", "--copies", "2", "--jobs", "1", "--seed", "7"])
        try medaug(["augment", "--input", data.path, "--output", b.path, "--preset", "aug3", "--copies", "2", "--jobs", "2", "--seed", "7"])
        // Killed part-way (or not at all, if it was quick), then run again.
        try medaug(["augment", "--input", data.path, "--output", c.path, "--preset", "aug3", "--copies", "2", "--jobs", "2", "--seed", "7"], killAfter: 1.5)
        try medaug(["augment", "--input", data.path, "--output", c.path, "--preset", "aug3", "--copies", "2", "--jobs", "2", "--seed", "7"])
        let files = try FileManager.default.subpathsOfDirectory(atPath: a.path).filter { $0.hasSuffix(".png") || $0.hasSuffix(".csv") }.sorted()
        XCTAssertEqual(files.filter { $0.hasPrefix("train/") && $0.contains("_aug") }.count, 2 * (11 + 7 + 7))
        XCTAssertFalse(files.contains { $0.hasPrefix("test/") && $0.contains("_aug") }, "test images are never augmented")
        for f in files {
            let x = try Data(contentsOf: a.appendingPathComponent(f))
            XCTAssertEqual(x, try Data(contentsOf: b.appendingPathComponent(f)), "--jobs 1 vs 2: \(f)")
            XCTAssertEqual(x, try Data(contentsOf: c.appendingPathComponent(f)), "killed and resumed: \(f)")
        }
        let manifest = try String(contentsOf: a.appendingPathComponent("manifest.csv"), encoding: .utf8)
        XCTAssertTrue(manifest.hasPrefix("output,source,copy,augmenters\n"))
        XCTAssertTrue(manifest.contains("_aug2.png,train/"), manifest.prefix(300).description)
    }

    func testOutputInsideInputIsRefusedAndNothingIsWritten() throws {
        let data = tmp.appendingPathComponent("data")
        try medaug(["synth", "--kind", "chest-xray", "--out", data.path, "--scale", "0.05"])
        let before = try FileManager.default.subpathsOfDirectory(atPath: data.path).sorted()
        let r = try medaug(["augment", "--input", data.path, "--output", data.appendingPathComponent("train/aug").path, "--preset", "aug1"], expect: 1)
        XCTAssertTrue(r.err.contains("inside"), r.err)
        XCTAssertEqual(try FileManager.default.subpathsOfDirectory(atPath: data.path).sorted(), before)
        let bad = try medaug(["augment", "--input", data.path, "--output", tmp.appendingPathComponent("o").path, "--pipeline", "/nonexistent.yaml"], expect: 1)
        XCTAssertTrue(bad.err.contains("/nonexistent.yaml"), bad.err)
    }

    func testPreviewAndDoctor() throws {
        let data = tmp.appendingPathComponent("data")
        try medaug(["synth", "--kind", "skin-lesion", "--out", data.path, "--scale", "0.01"])
        let grid = tmp.appendingPathComponent("grid.png")
        try medaug(["preview", "--input", data.path, "--preset", "aug2", "--out", grid.path, "--rows", "2", "--cols", "4", "--cell", "64"])
        let img = try ImageFile.read(grid.path)
        XCTAssertEqual(img.width, 4 * 64 + 5 * 4)
        XCTAssertTrue(try medaug(["doctor"]).out.contains("libtorch check: ok"))
    }
}

extension CLITests {
    /// The study's two configs, unchanged, against synthetic data in the Kaggle layouts.
    func testStudyConfigsRunUnchangedOnKaggleLayouts() throws {
        let covid = tmp.appendingPathComponent("Covid19-dataset")
        try medaug(["synth", "--kind", "chest-xray", "--out", covid.path, "--scale", "0.04"])
        let configs = Self.root.appendingPathComponent("configs")
        try medaug(["experiment", configs.appendingPathComponent("covid-superpixel.yaml").path, "--data", covid.path,
                    "--out", tmp.appendingPathComponent("covid-out").path, "--smoke"])
        let covidResults = try String(contentsOf: tmp.appendingPathComponent("covid-out/results.csv"), encoding: .utf8)
        for v in ["Original", "Aug 1", "Aug 2", "Aug 3"] { XCTAssertTrue(covidResults.contains("\n\(v),1,1,"), covidResults) }

        let skin = tmp.appendingPathComponent("skin-cancer-malignant-vs-benign")
        try medaug(["synth", "--kind", "skin-lesion", "--out", skin.path, "--scale", "0.01"])
        try medaug(["experiment", configs.appendingPathComponent("skin-gan.yaml").path, "--data", skin.path,
                    "--out", tmp.appendingPathComponent("skin-out").path, "--smoke"])
        let summary = try String(contentsOf: tmp.appendingPathComponent("skin-out/summary.md"), encoding: .utf8)
        XCTAssertTrue(summary.contains("+20% SP + 10% GAN") && summary.contains("Recall (malignant)"), summary)
        // Unchanged configs gain the verdict, its forest plot and the medical figures.
        XCTAssertTrue(summary.hasPrefix("# Skin cancer - GAN and superpixel mixtures (small CNN): summary\n\n## Verdict: did augmentation help?"), summary)
        for f in ["forest_plot.svg", "roc_curves.svg", "pr_curves.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: tmp.appendingPathComponent("skin-out/\(f)").path), f)
        }
        let header = covidResults.split(separator: "\n")[0]
        XCTAssertTrue(header.contains("roc_auc,average_precision,balanced_accuracy,sensitivity,specificity"), String(header))
        let covidEval = tmp.appendingPathComponent("covid-out/runs/original/repeat-1/eval-epoch-1")
        for f in ["roc_curve.svg", "pr_curve.svg", "reliability.svg", "metrics.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: covidEval.appendingPathComponent(f).path), f)
        }
        let metrics = try String(contentsOf: covidEval.appendingPathComponent("metrics.json"), encoding: .utf8)
        XCTAssertTrue(metrics.contains("\"Viral Pneumonia\" : {") && metrics.contains("\"roc_auc\""), "per-class AUC of the three classes")
        XCTAssertTrue(FileManager.default.fileExists(atPath: tmp.appendingPathComponent("skin-out/report.html").path))
    }
}
