import Foundation
import MedAugData
import MedAugImage
import XCTest

final class DatasetSummaryTests: XCTestCase {
    func testCountsSizesModesAndImbalance() throws {
        let t = try TempFolder(self)
        for i in 0..<4 { try t.image("train/big/\(i).png", width: 10, height: 20, channels: 3) }
        try t.image("train/small/0.png", width: 30, height: 40, channels: 1)
        try t.image("train/small/1.jpg", width: 30, height: 40, channels: 1)
        try t.image("test/big/0.png", width: 8, height: 8, channels: 4)
        try t.image("test/small/0.png", width: 8, height: 8, channels: 2)
        let d = try Dataset.load(root: t.path)
        let s = DatasetSummary(dataset: d, scan: try ImageScanner.scan(d.samples), depth: .decode)

        XCTAssertEqual(s.classes, ["big", "small"])
        XCTAssertEqual(s.splits.map(\.split), [.train, .test])
        XCTAssertEqual(s.splits[0].counts, [4, 2])
        XCTAssertEqual(s.totals, [5, 3])
        XCTAssertEqual(s.total, 8)
        XCTAssertEqual(s.splits[0].imbalanceRatio, 2)
        XCTAssertEqual(s.splits[0].modes, ["RGB": 4, "L": 2])
        XCTAssertEqual(s.splits[0].formats, ["png": 5, "jpeg": 1])
        XCTAssertEqual(s.splits[1].modes, ["RGBA": 1, "LA": 1])
        XCTAssertEqual(s.splits[0].bitDepths, ["8": 6])
        let z = try XCTUnwrap(s.splits[0].sizes)
        XCTAssertEqual([z.width.min, z.width.max, z.width.median], [10, 30, 10])
        XCTAssertEqual([z.height.min, z.height.max, z.height.median], [20, 40, 20])
        XCTAssertEqual(z.common.map { [$0.width, $0.height, $0.count] }, [[10, 20, 4], [30, 40, 2]])
        XCTAssertEqual(s.problems.map(\.kind), [.imbalance])

        let text = s.text()
        XCTAssertTrue(text.contains("split: train/<class>/ and test/<class>/"))
        XCTAssertTrue(text.contains("RGB 4"))
        XCTAssertTrue(text.contains("class imbalance in train/: 2.00"))

        let json = try JSONEncoder().encode(s)
        let back = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        XCTAssertEqual(back?["classes"] as? [String], ["big", "small"])
    }

    func testManySizesGetBuckets() throws {
        let t = try TempFolder(self)
        for w in 1...12 { try t.image("c/\(w).png", width: w, height: 2) }
        let d = try Dataset.load(root: t.path)
        let s = DatasetSummary(dataset: d, scan: try ImageScanner.scan(d.samples, depth: .header), depth: .header)
        let z = try XCTUnwrap(s.splits[0].sizes)
        XCTAssertEqual(z.distinct, 12)
        XCTAssertEqual(z.common.count, 5)
        XCTAssertEqual(z.widthBuckets?.map(\.count), [3, 3, 3, 3])
        XCTAssertEqual(z.widthBuckets?.first?.from, 1)
        XCTAssertEqual(z.widthBuckets?.last?.to, 12)
        XCTAssertTrue(s.text().contains("headers only"))
    }

    func testClassWithOnlyBadFilesIsReported() throws {
        let t = try TempFolder(self)
        try t.image("a/ok.png")
        try t.bytes("b/bad.png", [])
        let d = try Dataset.load(root: t.path)
        let s = DatasetSummary(dataset: d, scan: try ImageScanner.scan(d.samples, skipBad: true), depth: .decode)
        XCTAssertEqual(s.splits[0].counts, [1, 0])
        XCTAssertNil(s.splits[0].imbalanceRatio)
        XCTAssertEqual(Set(s.problems.map(\.kind)), [.badFile, .emptyClass])
    }

    func testWideCharactersLineUp() throws {
        let t = try TempFolder(self)
        try t.image("肺炎/1.png")
        try t.image("Normal/1.png")
        let d = try Dataset.load(root: t.path)
        let text = DatasetSummary(dataset: d, scan: try ImageScanner.scan(d.samples), depth: .decode).text()
        let rows = text.split(separator: "\n").filter { $0.hasSuffix("  1") }
        XCTAssertEqual(rows.count, 2, text)
        // "肺炎" is 4 columns wide, "Normal" 6: the counts end in the same column.
        let widths = rows.map { $0.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 2 : 1) } }
        XCTAssertEqual(widths[0], widths[1], text)
    }
}
