import XCTest
import Foundation
import MedAugImage
import MedAugTestSupport

/// Issue #12's reproductions, as a user would meet them: each bad input must
/// end in a one-line error naming the file, key or value (or a listed skip
/// with --skip-bad), never a trap, an abort, a hang or a silent change.
extension CLITests {
    /// A small chest-X-ray set (2-3 images per class and split).
    func tinyData(_ name: String = "data") throws -> URL {
        let d = tmp.appendingPathComponent(name)
        try medaug(["synth", "--kind", "chest-xray", "--out", d.path, "--scale", "0.02"])
        return d
    }

    /// Runs `args`, expects `status`, and checks that stderr names every
    /// `needle`, has no crash report and no Foundation error dump.
    @discardableResult
    func refused(_ args: [String], status: Int32 = 1, naming needles: [String],
                 file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try MedaugBinary.run(args, bounded: true)
        XCTAssertEqual(r.status, status, "medaug \(args.joined(separator: " ")): \(r.err.suffix(400))", file: file, line: line)
        for n in needles { XCTAssertTrue(r.err.contains(n), "\(args.joined(separator: " ")): '\(n)' not in: \(r.err)", file: file, line: line) }
        for bad in ["Fatal error", "Crash", "NSCocoaErrorDomain", "Backtrace"] {
            XCTAssertFalse(r.err.contains(bad), "\(args.joined(separator: " ")): \(r.err.prefix(400))", file: file, line: line)
        }
        return r.err
    }

    // 1. Numbers out of range: refused by the parameter tables, naming entry and key.
    func testOutOfRangePipelineNumbersAreRefusedNamingEntryAndKey() throws {
        let data = try tinyData()
        let cases: [(String, String, String)] = [
            ("MedianBlur", "k", ".nan"), ("MedianBlur", "k", "1.0e19"), ("AverageBlur", "k", ".nan"),
            ("GaussianBlur", "sigma", ".inf"), ("GaussianBlur", "sigma", "1.0e300"), ("GaussianBlur", "sigma", "1.0e9"),
            ("Superpixels", "n_segments", "1.0e300"), ("MotionBlur", "angle", ".nan"), ("CoarseDropout", "size_percent", ".nan"),
            ("MedianBlur", "k", "1000000001"), ("AverageBlur", "k", "1000000000"), ("BilateralBlur", "d", "1000000"),
            ("MotionBlur", "k", "100000"), ("CoarseDropout", "size_px", "1000000000"), ("CropAndPad", "px", "1000000000"),
            ("CropAndPad", "percent", "1000000"), ("Multiply", "mul", ".nan"), ("Affine", "rotate", ".nan"), ("Add", "value", "1.0e300"),
        ]
        let pipeline = tmp.appendingPathComponent("p.yaml")
        for (aug, key, value) in cases {
            try "- \(aug): {\(key): \(value)}\n".write(to: pipeline, atomically: true, encoding: .utf8)
            try refused(["augment", "--input", data.path, "--output", tmp.appendingPathComponent("o").path, "--pipeline", pipeline.path],
                        naming: [pipeline.path, "entry 1 (\(aug)), key '\(key)'", "allowed"])
        }
        try "- Affine: {scale: 1000000, fit_output: true}\n".write(to: pipeline, atomically: true, encoding: .utf8)
        try refused(["preview", "--input", data.path, "--pipeline", pipeline.path, "--out", tmp.appendingPathComponent("g.png").path],
                    naming: ["key 'scale'"])
        try "- SomeOf: {n: .nan, children: [Fliplr: {}]}\n".write(to: pipeline, atomically: true, encoding: .utf8)
        try refused(["augment", "--input", data.path, "--output", tmp.appendingPathComponent("o").path, "--pipeline", pipeline.path],
                    naming: ["key 'n'"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: tmp.appendingPathComponent("o").path), "nothing is written for a refused pipeline")
    }

    // 1. Command-line sizes and counts past the documented limits are usage errors.
    func testCommandLineLimitsAreUsageErrors() throws {
        let data = try tinyData()
        let g = tmp.appendingPathComponent("g.png").path
        try refused(["preview", "--input", data.path, "--preset", "aug1", "--out", g, "--cell", "0"], status: 64, naming: ["--cell must be 8 to 2048, got 0"])
        try refused(["preview", "--input", data.path, "--preset", "aug1", "--out", g, "--cell", "100000"], status: 64, naming: ["--cell must be 8 to 2048"])
        try refused(["gan", "sample", "--run", tmp.path, "--count", "1", "--out", tmp.appendingPathComponent("s").path, "--size", "100000x100000"],
                    status: 64, naming: ["--size width must be 1 to 4096"])
        try refused(["synth", "--kind", "chest-xray", "--out", tmp.appendingPathComponent("s").path, "--scale", "1e9"], status: 64, naming: ["--scale must be"])
        let o = tmp.appendingPathComponent("o").path
        try refused(["augment", "--input", data.path, "--output", o, "--preset", "aug1", "--copies", "1000000000"], status: 64,
                    naming: ["--copies must be 0 to 1000"])
        // A negative number is read as the option's value and refused by range, not "Missing value".
        try refused(["augment", "--input", data.path, "--output", o, "--preset", "aug1", "--copies", "-3"], status: 64,
                    naming: ["--copies must be 0 to 1000, got -3"])
        try refused(["gan", "train", "--data", data.path, "--out", o, "--nz", "0"], status: 64, naming: ["--nz must be 1 to 4096, got 0"])
        let config = tmp.appendingPathComponent("e.yaml")
        try "name: t\ndata: \(data.path)\nrecipe: study-cnn\nepochs: [1]\nrepeats: 1\nvariants:\n  - name: Original\n"
            .write(to: config, atomically: true, encoding: .utf8)
        try refused(["experiment", config.path, "--out", o, "--repeats", "0"], status: 64, naming: ["--repeats must be 1 to 1000, got 0"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: o), "a refused command leaves no output folder")
    }

    // 1. A run's config.json edited to values no network takes: refused naming the key.
    func testEvaluateRefusesAnEditedRunConfiguration() throws {
        let data = try tinyData()
        let run = tmp.appendingPathComponent("run")
        try medaug(["train", "--data", data.path, "--out", run.path, "--epochs", "1", "--batch-size", "4", "--device", "cpu"])
        let configURL = run.appendingPathComponent("config.json")
        let original = try String(contentsOf: configURL, encoding: .utf8)
        for (from, to, key) in [("\"channels\" : 3", "\"channels\" : 0", "channels"), ("\"imageSize\" : 64", "\"imageSize\" : -64", "imageSize")] {
            XCTAssertTrue(original.contains(from), original)
            try original.replacingOccurrences(of: from, with: to).write(to: configURL, atomically: true, encoding: .utf8)
            try refused(["evaluate", "--run", run.path, "--data", data.path], naming: [configURL.path, "key 'preprocessing.\(key)'"])
        }
    }

    // 3. Dataset entries that are not regular files: refused by name, skipped with --skip-bad, never read.
    func testDevicesAndFIFOsInADatasetAreBadFilesNotHangs() throws {
        let data = try tinyData()
        let covid = data.appendingPathComponent("train/Covid")
        try FileManager.default.createSymbolicLink(atPath: covid.appendingPathComponent("zero.png").path, withDestinationPath: "/dev/zero")
        try refused(["info", data.path, "--quick"], naming: ["zero.png", "not a regular file (a character device)"])
        try FileManager.default.removeItem(at: covid.appendingPathComponent("zero.png"))
        let fifo = covid.appendingPathComponent("f.png").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        try refused(["info", data.path], naming: [fifo, "not a regular file (a FIFO)"])
        let out = tmp.appendingPathComponent("o")
        let r = try MedaugBinary.run(["augment", "--input", data.path, "--output", out.path, "--preset", "aug1", "--copies", "1", "--skip-bad"],
                                     bounded: true)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("skipped"), r.out)
        let skipped = try String(contentsOf: out.appendingPathComponent("skipped_files.csv"), encoding: .utf8)
        XCTAssertTrue(skipped.contains("f.png") && skipped.contains("FIFO"), skipped)
        XCTAssertEqual(skipped.components(separatedBy: "f.png").count - 1, 1, "one line per bad file, not per output: \(skipped)")
        // A FIFO given as the pipeline file is refused too, not waited on.
        let pipe = tmp.appendingPathComponent("p.yaml").path
        XCTAssertEqual(mkfifo(pipe, 0o644), 0)
        try refused(["augment", "--input", data.path, "--output", tmp.appendingPathComponent("o2").path, "--pipeline", pipe],
                    naming: [pipe, "not a regular file (a FIFO)"])
    }

    // 3. --max-file-bytes: a file over the limit is a bad file.
    func testFilesOverTheSizeLimitAreBadFiles() throws {
        let data = try tinyData()
        try refused(["info", data.path, "--max-file-bytes", "100"], naming: ["bytes, over the limit of 100 (--max-file-bytes)"])
        try medaug(["info", data.path, "--max-file-bytes", "100000000"])
    }

    // 4. A tiny PNG declaring 2147483647x1 pixels is refused from its header, without taking the memory.
    func testAHugeDeclaredPNGIsRefusedFromItsHeader() throws {
        let data = try tinyData()
        let huge = data.appendingPathComponent("train/Covid/huge.png")
        try Data(Self.pngHeaderOnly(width: 2147483647, height: 1)).write(to: huge)
        // Under the bounded run's 4 GB address-space limit (the binary's
        // libraries map about 2 GB of it): reading the header must not take
        // memory in proportion to the declared width (2.5 GB of row buffer).
        let r = try refused(["info", data.path], naming: [huge.path, "2147483647x1", "over the limit"])
        XCTAssertFalse(r.contains("Out of memory"), r)
    }

    /// A PNG with a valid IHDR for `width` x `height` gray pixels and one tiny IDAT.
    static func pngHeaderOnly(width: UInt32, height: UInt32) -> [UInt8] {
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            let t = Array(type.utf8)
            return be(UInt32(body.count)) + t + body + be(crc32(t + body))
        }
        let ihdr = be(width) + be(height) + [8, 0, 0, 0, 0]
        let idat: [UInt8] = [0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]
        return [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] + chunk("IHDR", ihdr) + chunk("IDAT", idat) + chunk("IEND", [])
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xffff_ffff
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xedb8_8320 ^ (c >> 1) : c >> 1 }
        }
        return c ^ 0xffff_ffff
    }

    // 12. A JPEG whose entropy-coded data has extraneous bytes is corrupt, not accepted.
    func testJPEGWithCorruptScanDataIsABadFile() throws {
        let data = try tinyData()
        let jpg = data.appendingPathComponent("train/Covid/odd.jpg")
        try ImageFile.write(Image(width: 32, height: 32, channels: 1, fill: 120), to: jpg.path)
        var bytes = [UInt8](try Data(contentsOf: jpg))
        XCTAssertEqual(Array(bytes.suffix(2)), [0xff, 0xd9])
        bytes.insert(contentsOf: [0x12, 0x34, 0x56], at: bytes.count - 2)
        try Data(bytes).write(to: jpg)
        try refused(["info", data.path], naming: [jpg.path, "Corrupt JPEG data"])
    }

    // 13. 16-bit images work with every preset (converted where a step needs 8 bits).
    func testSixteenBitImagesWorkWithEveryPreset() throws {
        let data = tmp.appendingPathComponent("d16")
        for cls in ["a", "b"] {
            let dir = data.appendingPathComponent(cls)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for i in 0..<2 {
                let px = (0..<(48 * 40 * 3)).map { UInt16(truncatingIfNeeded: $0 &* 977 &+ i * 31) }
                try ImageFile.write(Image(width: 48, height: 40, channels: 3, samples16: px), to: dir.appendingPathComponent("x\(i).png").path)
            }
        }
        for preset in ["aug1", "aug2", "aug3"] {
            let out = tmp.appendingPathComponent("o-\(preset)")
            try medaug(["augment", "--input", data.path, "--output", out.path, "--preset", preset, "--copies", "1"])
            let aug = try ImageFile.read(out.appendingPathComponent("a/x0_aug1.png").path)
            XCTAssertEqual([aug.width, aug.height], [48, 40], preset)
        }
    }

    // 14. Experiment configs: pipeline files are found beside the config and checked before any training.
    func testExperimentPipelinePathsAreRelativeToTheConfigAndCheckedFirst() throws {
        let data = try tinyData()
        let dir = tmp.appendingPathComponent("cfg")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "- Fliplr: {p: 0.5}\n".write(to: dir.appendingPathComponent("flip.yaml"), atomically: true, encoding: .utf8)
        try "- GaussianBlur: {sigma: 1.0e9}\n".write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let head = "name: t\ndata: \(data.path)\nrecipe: study-cnn\nepochs: [1]\nrepeats: 1\noverrides: {batch_size: 4}\nvariants:\n  - name: Original\n"
        let bad = dir.appendingPathComponent("bad-exp.yaml")
        try (head + "  - name: Blur\n    pipeline: bad.yaml\n").write(to: bad, atomically: true, encoding: .utf8)
        let out = tmp.appendingPathComponent("out")
        try refused(["experiment", bad.path, "--out", out.path, "--smoke"], naming: [bad.path, "variants[2].pipeline", "key 'sigma'"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("runs").path), "no cell trained before the error")
        let good = dir.appendingPathComponent("exp.yaml")
        try (head + "  - name: Flip\n    pipeline: flip.yaml\n    copies: 1\n").write(to: good, atomically: true, encoding: .utf8)
        // Run from another working directory: flip.yaml is found beside the config.
        let r = try MedaugBinary.run(["experiment", good.path, "--out", out.path, "--smoke"], in: tmp)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(try String(contentsOf: out.appendingPathComponent("results.csv"), encoding: .utf8).contains("\nFlip,"))
    }

    // 8. --resume keeps the saved settings: a flag that would change them is refused, not ignored.
    func testResumeRefusesFlagsThatWouldChangeTheSavedSettings() throws {
        let data = try tinyData()
        let run = tmp.appendingPathComponent("run").path
        try refused(["train", "--data", data.path, "--out", run, "--resume", "--lr", "0.5", "--dropout", "0.1"], status: 64,
                    naming: ["--lr, --dropout cannot change them"])
        try refused(["gan", "train", "--data", data.path, "--out", run, "--resume", "--nz", "50"], status: 64,
                    naming: ["--nz cannot change them"])
    }

    // Messages: asking for a GPU where there is none says so in the user's own words.
    func testAskingForAGPUWithoutOneSaysSo() throws {
        let data = try tinyData()
        let r = try MedaugBinary.run(["train", "--data", data.path, "--out", tmp.appendingPathComponent("r").path, "--device", "gpu", "--epochs", "1"])
        guard r.status != 0 else { throw XCTSkip("a CUDA device is visible here") }
        let e = r.err
        XCTAssertTrue(e.contains("asks for a GPU (cuda and gpu are the same)"), e)
    }
}
