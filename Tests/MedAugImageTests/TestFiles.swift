import Foundation
import MedAugImage
import XCTest

/// A fresh folder per test, removed afterwards: tests write real files because
/// `ImageFile` is what the rest of MedAug calls.
class TempFolderTestCase: XCTestCase {
    private(set) var folder = ""

    override func setUpWithError() throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("medaug-image-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        folder = base.path
    }

    override func tearDownWithError() throws {
        if !folder.isEmpty { try? FileManager.default.removeItem(atPath: folder) }
    }

    func path(_ name: String) -> String { folder + "/" + name }

    /// Writes raw bytes (bypassing ImageFile) and returns the path.
    @discardableResult
    func save(_ bytes: [UInt8], as name: String) throws -> String {
        let p = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }
}

/// Asserts that `body` throws an `ImageError` of `kind` whose message names `path`.
@discardableResult
func expectImageError(_ kind: ImageError.Kind, path: String,
                      file: StaticString = #filePath, line: UInt = #line,
                      _ body: () throws -> Any) -> ImageError? {
    do {
        let result = try body()
        XCTFail("expected ImageError.\(kind), got \(result)", file: file, line: line)
    } catch let e as ImageError {
        XCTAssertEqual(e.kind, kind, "wrong kind; message: \(e)", file: file, line: line)
        XCTAssertTrue(e.description.contains(path), "message does not name \(path): \(e)", file: file, line: line)
        return e
    } catch {
        XCTFail("expected ImageError.\(kind), got \(type(of: error)): \(error)", file: file, line: line)
    }
    return nil
}

/// Deterministic, irregular sample values (so that swapped bytes, channels or
/// rows show up), each in 0...maxValue.
func testSamples(count: Int, maxValue: Int, seed: UInt64 = 1) -> [Int] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(maxValue + 1))
    }
}

/// Mean absolute difference of two equally long 8-bit sample arrays.
func meanAbsDiff(_ a: [UInt8], _ b: [UInt8]) -> Double {
    precondition(a.count == b.count && !a.isEmpty)
    let total = zip(a, b).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
    return Double(total) / Double(a.count)
}
