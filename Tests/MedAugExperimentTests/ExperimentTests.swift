import MedAugCore
import XCTest
import Foundation
import MedAugAugment
import MedAugData
import MedAugImage
import MedAugTrain
@testable import MedAugExperiment

final class ExperimentTests: XCTestCase {
    var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-exp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        Interrupt.set(false)
    }

    override func tearDownWithError() throws {
        Interrupt.set(false)
        try? FileManager.default.removeItem(at: tmp)
    }

    func config(gan: Bool = false) throws -> ExperimentConfig {
        let yaml = """
        name: test experiment
        data: \(tmp.appendingPathComponent("data").path)
        synth: {kind: skin-lesion, scale: 0.012}
        recipe: study-cnn
        overrides: {batch_size: 8, device: cpu}
        positive: malignant
        epochs: [1, 2]
        repeats: 2
        seed: 3
        gan: {epochs: 1, image_size: 32, batch_size: 8, ngf: 8, ndf: 8}
        variants:
          - name: Original
          - name: Flip
            pipeline: \(try pipelineFile())
            copies: 1
        \(gan ? "  - name: GAN\n    gan: 20%\n    superpixel: 10%\n" : "")
        """
        return try ExperimentConfig.parse(try ConfigCoding.parse(yaml, format: .yaml, source: "t.yaml"), source: "t.yaml")
    }

    func pipelineFile() throws -> String {
        let p = tmp.appendingPathComponent("flip.yaml").path
        if !FileManager.default.fileExists(atPath: p) { try "- Fliplr: {p: 0.5}\n".write(toFile: p, atomically: true, encoding: .utf8) }
        return p
    }

    func results(_ dir: URL) throws -> [String] {
        // Every column but the wall-clock seconds.
        try String(contentsOf: dir.appendingPathComponent("results.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") }
    }

    func testKilledAndResumedEqualsUninterruptedAndShardsCollectToTheSame() throws {
        let c = try config()
        let straight = ExperimentRunner(config: c, out: tmp.appendingPathComponent("straight").path)
        straight.log = { _ in }
        let rows = try straight.run()
        XCTAssertEqual(rows.count, 2 * 2 * 2, "variants x epochs x repeats")

        // Killed in the middle of the second cell's training.
        let killed = ExperimentRunner(config: c, out: tmp.appendingPathComponent("resumed").path)
        var cellsSeen = 0
        killed.log = { line in
            if line.contains("cells]") { cellsSeen += 1 }
            if cellsSeen == 1 && line.contains("epoch 1/2") { Interrupt.set(true) }
        }
        XCTAssertThrowsError(try killed.run())
        Interrupt.set(false)
        let again = ExperimentRunner(config: c, out: tmp.appendingPathComponent("resumed").path)
        again.log = { _ in }
        XCTAssertThrowsError(try again.run(), "without --resume an existing experiment is refused")
        again.resume = true
        _ = try again.run()
        XCTAssertEqual(try results(tmp.appendingPathComponent("resumed")), try results(tmp.appendingPathComponent("straight")))

        var shardDirs: [String] = []
        for i in 1...3 {
            let s = ExperimentRunner(config: c, out: tmp.appendingPathComponent("shard\(i)").path)
            s.shard = (i, 3)
            s.log = { _ in }
            _ = try s.run()
            shardDirs.append(s.out)
        }
        let merged = ExperimentRunner(config: c, out: tmp.appendingPathComponent("merged").path)
        _ = try merged.collect(shardDirs)
        XCTAssertEqual(try results(tmp.appendingPathComponent("merged")), try results(tmp.appendingPathComponent("straight")))
        let s1 = try String(contentsOf: tmp.appendingPathComponent("merged/summary.csv"), encoding: .utf8)
        let s2 = try String(contentsOf: tmp.appendingPathComponent("straight/summary.csv"), encoding: .utf8)
        XCTAssertEqual(s1, s2)
    }

    func testReportRendersEverySectionInChromium() throws {
        let c = try config(gan: true)
        let r = ExperimentRunner(config: c, out: tmp.appendingPathComponent("exp").path)
        r.log = { _ in }
        _ = try r.run()
        let report = tmp.appendingPathComponent("exp/report.html")
        let html = try String(contentsOf: report, encoding: .utf8)
        for ref in ["src=\"http", "href=\"http", "url(http", "src=\"//"] {
            XCTAssertFalse(html.contains(ref), "the report must open offline: it refers to \(ref)")
        }
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("headless Chromium is not installed (make test installs it)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: chromium)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(tmp.appendingPathComponent("chrome").path)",
                       "--dump-dom", report.absoluteString]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let dom = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        for id in ReportWriter.sections {
            XCTAssertTrue(dom.contains("<section id=\"\(id)\">"), "section \(id) missing from the rendered page")
        }
        XCTAssertTrue(dom.contains("GAN samples: benign"), "GAN sample grid")
        XCTAssertTrue(dom.contains("data:image/png;base64,"), "embedded thumbnails")
        XCTAssertTrue(dom.contains("<svg"), "inline charts")
        XCTAssertTrue(dom.contains("Recall (malignant)"), "the study's table rows")
        // The answer leads the page: the verdict before everything else, with its forest plot; ROC curves of every variant.
        let verdict = try XCTUnwrap(dom.range(of: "<section id=\"verdict\">")), dataset = try XCTUnwrap(dom.range(of: "<section id=\"dataset\">"))
        XCTAssertLessThan(verdict.lowerBound, dataset.lowerBound)
        XCTAssertTrue(dom.contains("Change against Original"), "forest plot")
        XCTAssertTrue(dom.contains("Flip (AUC") && dom.contains("Original (AUC"), "ROC curves of all variants on one chart")
    }

    func testShippedConfigsParseAndTheDemoMatchesItsFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in ["demo", "skin-gan", "covid-superpixel"] {
            let c = try ExperimentConfig.load(root.appendingPathComponent("configs/\(name).yaml").path)
            XCTAssertFalse(c.variants.isEmpty, name)
        }
        let skin = try ExperimentConfig.load(root.appendingPathComponent("configs/skin-gan.yaml").path)
        XCTAssertEqual(skin.variants.map(\.name), ["Original", "+10% GAN", "+20% GAN", "+10% Superpixel", "+20% Superpixel", "+20% SP + 10% GAN"])
        XCTAssertEqual(skin.repeats, 3)
        let covid = try ExperimentConfig.load(root.appendingPathComponent("configs/covid-superpixel.yaml").path)
        XCTAssertEqual(covid.epochs, [10, 30, 50])
        XCTAssertEqual(try covid.trainOptions(epochs: 10, seed: 0).model, .resnet50)
        let file = try String(contentsOf: root.appendingPathComponent("configs/demo.yaml"), encoding: .utf8)
        XCTAssertEqual(file.trimmingCharacters(in: .whitespacesAndNewlines), DemoConfig.yaml.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func testConfigErrorsNameTheKey() {
        XCTAssertThrowsError(try ExperimentConfig.parse(try ConfigCoding.parse("name: x\ndata: d\nrecipe: nope\nepochs: 1\nrepeats: 1\nvariants: [{name: a}]\n", format: .yaml, source: "e.yaml"), source: "e.yaml")) { e in
            XCTAssertTrue("\(e)".contains("'recipe'") && "\(e)".contains("study-cnn"), "\(e)")
        }
        XCTAssertThrowsError(try ExperimentConfig.parse(try ConfigCoding.parse("name: x\ndata: d\nrecipe: study-cnn\nepochs: 1\nrepeats: 1\nvariants: [{name: a, gann: 10%}]\n", format: .yaml, source: "e.yaml"), source: "e.yaml")) { e in
            XCTAssertTrue("\(e)".contains("variants[1].gann"), "\(e)")
        }
    }
}
