import Foundation
import MedAugAugment
import MedAugCore
import MedAugData
import MedAugImage
import XCTest
@testable import MedAugTrain

/// What `medaug augment` and `medaug preview` write, checked on the files:
/// no two outputs share a name, the count reported is the count on disk,
/// manifest.csv reads back whatever the names hold, a resumed run keeps to
/// its settings and clears what a kill left, and nothing lands in the input.
final class AugmentOutputTests: XCTestCase {
    var tmp: String!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-augout-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: tmp)
    }

    func at(_ rel: String) -> String { (tmp as NSString).appendingPathComponent(rel) }

    /// A small image at `rel` (PNG or JPEG after its extension), different for each `fill`.
    @discardableResult
    func image(_ rel: String, fill: UInt8 = 90) throws -> String {
        let p = at(rel)
        try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let px = (0..<(12 * 10 * 3)).map { UInt8(truncatingIfNeeded: Int(fill) &+ $0 &* 7) }
        let format = ImageFormat(fileExtension: (p as NSString).pathExtension) ?? .png
        try ImageFile.write(Image(width: 12, height: 10, channels: 3, bytes: px), to: p, format: format)
        return p
    }

    func augmenter(copies: Int = 2, seed: UInt64 = 0, p: Double = 0.5) throws -> DatasetAugmenter {
        var a = DatasetAugmenter(pipeline: try PipelineReader.parse("- Fliplr: {p: \(p)}\n", format: .yaml))
        a.copies = copies
        a.seed = seed
        a.jobs = 2
        a.log = { _ in }
        a.showProgress = false
        return a
    }

    /// Every regular file under `dir`, relative to it, hidden ones included.
    func files(_ dir: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent(rel), isDirectory: &isDir), !isDir.boolValue {
                out.append(rel)
            }
        }
        return out.sorted(by: UnicodeOrder.precedes)
    }

    func images(_ dir: String) -> [String] { files(dir).filter { ImageFormat.isImageFileName($0) } }

    // MARK: - A. names unique by construction

    func testCollidingOutputNamesAreRefusedBeforeAnyWrite() throws {
        let cases: [(String, [String], String)] = [
            ("ext", ["a/x.png", "a/x.jpg"], "a/x_aug1.png"),
            ("case", ["a/y.png", "a/y.PNG"], "a/y_aug1.png"),
            ("copyname", ["a/x.png", "a/x_aug1.png"], "a/x_aug1.png"),
        ]
        for (name, sources, clash) in cases {
            let input = at("\(name)/in"), output = at("\(name)/out")
            for (i, s) in sources.enumerated() { try image("\(name)/in/\(s)", fill: UInt8(40 * i)) }
            try image("\(name)/in/b/other.png")
            XCTAssertThrowsError(try augmenter().run(input: input, output: output), name) { e in
                XCTAssertTrue(e is TrainError, "\(name): \(e)")
                for s in sources { XCTAssertTrue("\(e)".contains("'\(input)/\(s)'"), "\(name): names \(s): \(e)") }
                XCTAssertTrue("\(e)".contains("'\(output)/\(clash)' would be written twice"), "\(name): \(e)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: output), "\(name): nothing written, not even the folder")
        }
    }

    func testWithoutOriginalsAnInputNamedLikeACopyIsNoClash() throws {
        try image("in/a/x.png")
        try image("in/a/x_aug1.png", fill: 10)
        var a = try augmenter(copies: 2)
        a.keepOriginal = false
        let r = try a.run(input: at("in"), output: at("out"))
        XCTAssertEqual(images(at("out")), ["a/x_aug1.png", "a/x_aug1_aug1.png", "a/x_aug1_aug2.png", "a/x_aug2.png"])
        XCTAssertEqual(r.written, 4)
    }

    // MARK: - B. manifest.csv with hostile names

    /// File names a dataset may hold: CSV delimiters, a line break, CR LF,
    /// a quote with a combining mark, and one name in NFC and NFD.
    static let hostile = ["p,q.png", "r\"s.png", "n\nl.png", "c\r\nr.png", "q\"\u{301}.png", "\u{F6}.png", "o\u{308}.png"]

    func testManifestRoundTripsHostileNamesAndCountIsFilesWritten() throws {
        for (i, n) in Self.hostile.enumerated() { try image("in/a/\(n)", fill: UInt8(20 * i)) }
        try image("in/b/plain.png")
        let r = try augmenter(copies: 2).run(input: at("in"), output: at("out"))
        let written = images(at("out"))
        XCTAssertEqual(written.count, (Self.hostile.count + 1) * 3)
        XCTAssertEqual(r.written, written.count, "the count reported is the count on disk")
        let text = try String(contentsOfFile: at("out/manifest.csv"), encoding: .utf8)
        let rows = CSV.parse(text)
        XCTAssertEqual(rows.first, ["output", "source", "copy", "augmenters"])
        let body = Array(rows.dropFirst())
        XCTAssertEqual(body.map { $0.count }, Array(repeating: 4, count: written.count), "one whole record per output")
        XCTAssertEqual(body.map { ScalarKey($0[0]) }, written.map(ScalarKey.init), "every output, in scalar order, exactly as named")
        for n in Self.hostile {
            let stem = (n as NSString).deletingPathExtension
            let row = body.first { UnicodeOrder.equal($0[0], "a/\(stem)_aug2.png") }
            XCTAssertTrue(row.map { UnicodeOrder.equal($0[1], "a/\(n)") && $0[2] == "2" } ?? false, "source of \(n.debugDescription)")
        }
    }

    func testResumeReusesRecordsWithLineBreaksAndDropsACutRecord() throws {
        for (i, n) in Self.hostile.enumerated() { try image("in/a/\(n)", fill: UInt8(20 * i)) }
        let a = try augmenter(copies: 1)
        let first = try a.run(input: at("in"), output: at("out"))
        let manifest = try String(contentsOfFile: at("out/manifest.csv"), encoding: .utf8)
        // What a kill while writing n\nl_aug1.png's record leaves: the settings,
        // every other record, half of that one, and no file for it.
        let rows = CSV.parse(manifest).dropFirst().filter { !UnicodeOrder.equal($0[0], "a/n\nl_aug1.png") }
        try RunFolder(at("out"), settings: DatasetAugmenter.settingsName, holds: "an unfinished augmentation")
            .record(settings(a))
        try (CSV.text(Array(rows)) + "\"a/n\nl_aug1.png\",\"a/n\n")
            .write(toFile: at("out/" + DatasetAugmenter.journalName), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: at("out/a/n\nl_aug1.png"))
        let second = try a.run(input: at("in"), output: at("out"))
        XCTAssertEqual(second.written, 1)
        XCTAssertEqual(second.reused, first.written - 1)
        XCTAssertEqual(try String(contentsOfFile: at("out/manifest.csv"), encoding: .utf8), manifest)
        XCTAssertTrue(FileManager.default.fileExists(atPath: at("out/a/n\nl_aug1.png")))
    }

    func testResumeKeepsTheJournalWhenACutRecordEndsMidCharacter() throws {
        try image("in/a/\u{F6}.png")
        try image("in/a/x.png", fill: 30)
        let a = try augmenter(copies: 1)
        let first = try a.run(input: at("in"), output: at("out"))
        let rows = CSV.parse(try String(contentsOfFile: at("out/manifest.csv"), encoding: .utf8)).dropFirst()
        try RunFolder(at("out"), settings: DatasetAugmenter.settingsName, holds: "an unfinished augmentation")
            .record(settings(a))
        // Whole records for every output but the last, then the first byte of "ö".
        let kept = CSV.text(Array(rows.dropLast()))
        try Data(Array(kept.utf8) + Array("a/".utf8) + [0xC3]).write(to: URL(fileURLWithPath: at("out/" + DatasetAugmenter.journalName)))
        try FileManager.default.removeItem(atPath: at("out/" + rows.last![0]))
        let second = try a.run(input: at("in"), output: at("out"))
        XCTAssertEqual(second.reused, first.written - 1, "the whole records still count")
        XCTAssertEqual(second.written, 1)
        XCTAssertEqual(CSV.parse(try String(contentsOfFile: at("out/manifest.csv"), encoding: .utf8)).count, first.written + 1)
    }

    // MARK: - C. resuming

    func settings(_ a: DatasetAugmenter) -> DatasetAugmenter.Settings {
        DatasetAugmenter.Settings(pipeline: PipelineWriter.render(a.pipeline, format: .json), copies: a.copies, seed: a.seed,
                                  keepOriginal: a.keepOriginal, format: a.format.fileExtension)
    }

    func testResumeRefusesEachOtherSetting() throws {
        try image("in/a/x.png")
        let base = try augmenter(copies: 2, seed: 3, p: 0.5)
        var others: [(String, DatasetAugmenter)] = []
        others.append(("pipeline", try augmenter(copies: 2, seed: 3, p: 0.25)))
        others.append(("seed", try augmenter(copies: 2, seed: 4)))
        others.append(("copies", try augmenter(copies: 1, seed: 3)))
        var jpeg = base
        jpeg.format = .jpeg
        others.append(("format", jpeg))
        var noOriginal = base
        noOriginal.keepOriginal = false
        others.append(("no-original", noOriginal))
        for (what, other) in others {
            let out = at("out-\(what)")
            let folder = RunFolder(out, settings: DatasetAugmenter.settingsName, holds: "an unfinished augmentation")
            try folder.record(settings(base))
            XCTAssertThrowsError(try other.run(input: at("in"), output: out), what) { e in
                XCTAssertTrue(e is RunFolderError, "\(what): \(e)")
            }
            XCTAssertEqual(images(out), [], "\(what): nothing written")
            XCTAssertNoThrow(try base.run(input: at("in"), output: out), "\(what): the same settings continue")
        }
    }

    func testResumeRemovesTemporaryFilesOfKilledWrites() throws {
        try image("in/a/x.png")
        try image("in/b/y.png")
        let a = try augmenter(copies: 1)
        try RunFolder(at("out"), settings: DatasetAugmenter.settingsName, holds: "an unfinished augmentation").record(settings(a))
        let dead = "999999999", live = String(getppid())
        let stale = ["a/.x_aug1.png.tmp-\(dead)-123", "b/.y.png.tmp-\(dead)-9", ".manifest.csv.tmp-\(dead)-77"]
        let kept = ["a/.x.png.tmp-\(live)-5", "a/.keep", "b/.notes.tmp-x"]
        for f in stale + kept {
            try FileManager.default.createDirectory(atPath: (at("out/" + f) as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            XCTAssertTrue(FileManager.default.createFile(atPath: at("out/" + f), contents: Data([1, 2])))
        }
        let r = try a.run(input: at("in"), output: at("out"))
        XCTAssertEqual(r.written, 4)
        let left = Set(files(at("out")))
        for f in stale { XCTAssertFalse(left.contains(f), "\(f) removed") }
        for f in kept { XCTAssertTrue(left.contains(f), "\(f) left alone (a live writer's, or not a temporary)") }
    }

    // MARK: - D. never into the input

    func testOutputHoldingTheInputIsRefused() throws {
        try image("X/train/a/x.png")
        try image("X/test/a/y.png")
        let before = files(at("X"))
        for output in [at("X"), at("X/train/.."), at("X/test/../")] {
            XCTAssertThrowsError(try augmenter().run(input: at("X/train"), output: output), output) { e in
                XCTAssertTrue("\(e)".contains("'\(output)'") && "\(e)".contains("'\(self.at("X/train"))'"), "names both: \(e)")
            }
        }
        XCTAssertEqual(files(at("X")), before, "nothing written")
    }

    func testOutputClassFolderLinkedIntoTheInputIsRefused() throws {
        try image("in/a/x.png")
        try FileManager.default.createDirectory(atPath: at("out"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: at("out/a"), withDestinationPath: at("in/a"))
        XCTAssertThrowsError(try augmenter().run(input: at("in"), output: at("out"))) { e in
            guard case .outputInsideInput? = e as? DatasetError else { return XCTFail("\(e)") }
            XCTAssertTrue("\(e)".contains(self.at("out/a")), "\(e)")
        }
        XCTAssertEqual(files(at("in")), ["a/x.png"])
    }

    func testPreviewInsideTheDatasetIsRefused() throws {
        try image("DATA/train/a/x.png")
        try image("DATA/test/a/y.png")
        let pipeline = try augmenter().pipeline
        for out in [at("DATA/train/a/p.png"), at("DATA/test/../train/a/p.png")] {
            XCTAssertThrowsError(try AugmentPreview.write(to: out, input: at("DATA"), pipeline: pipeline, rows: 1, cols: 2, seed: 0, cell: 16)) { e in
                XCTAssertTrue("\(e)".contains(out) && "\(e)".contains(self.at("DATA")), "names both: \(e)")
            }
        }
        XCTAssertThrowsError(try AugmentPreview.write(to: at("DATA/train/a/x.png"), input: at("DATA/train/a/x.png"),
                                                      pipeline: pipeline, rows: 1, cols: 2, seed: 0, cell: 16), "over its own input image")
        XCTAssertEqual(files(at("DATA")), ["test/a/y.png", "train/a/x.png"])
        _ = try AugmentPreview.write(to: at("p.png"), input: at("DATA"), pipeline: pipeline, rows: 1, cols: 2, seed: 0, cell: 16)
        XCTAssertNoThrow(try ImageFile.read(at("p.png")), "a preview outside the dataset is written")
    }
    /// One worker takes a source and writes the original and all its copies
    /// from one decode: a bad source costs one failure, is listed once in
    /// skipped_files.csv, and none of its outputs is written; the report counts
    /// exactly the files on disk.
    func testABadSourceIsSkippedOnceWithAllItsOutputs() throws {
        try image("in/a/good1.png", fill: 10)
        try image("in/a/good2.png", fill: 20)
        let bad = at("in/a/broken.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]).write(to: URL(fileURLWithPath: bad))
        var a = try augmenter(copies: 3)
        a.skipBad = true
        let r = try a.run(input: at("in"), output: at("out"))
        XCTAssertEqual(r.skipped.map(\.path), [bad])
        XCTAssertEqual(r.written, 2 * 4)
        let skipped = try String(contentsOfFile: at("out/skipped_files.csv"), encoding: .utf8)
        XCTAssertEqual(skipped.components(separatedBy: "broken.png").count - 1, 1, skipped)
        XCTAssertEqual(files(at("out")).filter { $0.hasPrefix("a/broken") }, [])
        XCTAssertEqual(files(at("out")).filter { $0.hasPrefix("a/") }.count, 8)
    }

    /// The PNG level changes the bytes, never the pixels.
    func testPNGCompressionKeepsThePixels() throws {
        try image("in/a/x.png", fill: 33)
        var fast = try augmenter(copies: 2), small = try augmenter(copies: 2)
        fast.pngCompression = 0
        small.pngCompression = 9
        _ = try fast.run(input: at("in"), output: at("fast"))
        _ = try small.run(input: at("in"), output: at("small"))
        for k in 1...2 {
            let f = at("fast/a/x_aug\(k).png"), s = at("small/a/x_aug\(k).png")
            XCTAssertEqual(try ImageFile.read(f), try ImageFile.read(s))
            XCTAssertGreaterThan(try FileManager.default.attributesOfItem(atPath: f)[.size] as! Int,
                                 try FileManager.default.attributesOfItem(atPath: s)[.size] as! Int)
        }
    }
}
