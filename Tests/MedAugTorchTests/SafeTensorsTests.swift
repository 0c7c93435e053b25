import XCTest
import Foundation
@testable import MedAugTorch

final class SafeTensorsTests: XCTestCase {
    func testRoundTripIsBitIdentical() throws {
        let f = try Tensor([1.5, -0, .infinity, .nan, 3.4028235e38, 1e-45] as [Float], shape: [2, 3])
        let d = try Tensor([Double.pi, -1e300] as [Double], shape: [2])
        let i = try Tensor([Int64.min, 0, Int64.max] as [Int64], shape: [3])
        let u = try Tensor([0, 7, 255] as [UInt8], shape: [3, 1])
        let bytes = try SafeTensors.encode([("a.weight", f), ("b", d), ("c", i), ("d", u)], metadata: ["kind": "test", "classes": "[\"x\"]"])
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(headerLength % 8, 0, "the header is padded so the data starts 8-byte aligned")
        let file = try SafeTensors.decode(bytes)
        XCTAssertEqual(file.names, ["a.weight", "b", "c", "d"])
        XCTAssertEqual(file.metadata, ["kind": "test", "classes": "[\"x\"]"])
        let f2 = file.tensors["a.weight"]!
        XCTAssertEqual(f2.shape, [2, 3])
        XCTAssertEqual(try f2.values(as: Float.self).map(\.bitPattern), try f.values(as: Float.self).map(\.bitPattern))
        XCTAssertEqual(try file.tensors["b"]!.values(as: Double.self).map(\.bitPattern), [Double.pi.bitPattern, (-1e300).bitPattern])
        XCTAssertEqual(try file.tensors["c"]!.values(as: Int64.self), [Int64.min, 0, Int64.max])
        XCTAssertEqual(try file.tensors["d"]!.values(as: UInt8.self), [0, 7, 255])
        XCTAssertEqual(file.tensors["d"]!.dtype, .uint8)
        // Re-encoding the decoded file gives the same bytes.
        XCTAssertEqual(try SafeTensors.encode(file.names.map { ($0, file.tensors[$0]!) }, metadata: file.metadata), bytes)
    }

    private func header(_ json: String, data: [UInt8] = []) -> [UInt8] {
        var h = Array(json.utf8)
        var n = UInt64(h.count).littleEndian
        var out = withUnsafeBytes(of: &n) { Array($0) }
        out += h
        h.removeAll()
        return out + data
    }

    private func assertRejects(_ bytes: [UInt8], _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SafeTensors.decode(bytes, source: "bad.safetensors"), file: file, line: line) { e in
            let m = "\(e)"
            XCTAssertTrue(e is CheckpointError, "not a CheckpointError: \(type(of: e)) \(m)", file: file, line: line)
            XCTAssertTrue(m.hasPrefix("bad.safetensors: "), m, file: file, line: line)
            XCTAssertTrue(m.contains(fragment), "expected '\(fragment)' in: \(m)", file: file, line: line)
        }
    }

    func testHostileAndDamagedFilesAreErrors() throws {
        assertRejects([], "shorter than")
        assertRejects([1, 2, 3], "shorter than")
        // A header length of 2^63 must not be trusted.
        assertRejects([0, 0, 0, 0, 0, 0, 0, 0x80] + Array(repeating: 0x20, count: 16), "exceeds the limit")
        assertRejects(header("{}").dropLast(2) + [], "runs past the end")
        assertRejects(header("not json"), "not JSON")
        assertRejects(header("[1,2]"), "not a JSON object")
        assertRejects(header(#"{"w":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}"#, data: [0, 0]), "unsupported dtype 'F16'")
        assertRejects(header(#"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: [0, 0, 0, 0]), "outside")
        assertRejects(header(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), "needs 8")
        assertRejects(header(#"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), "invalid dimension")
        assertRejects(header(#"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), "invalid dimension")
        assertRejects(header(#"{"w":{"dtype":"F32","shape":[1000000,1000000],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), "larger than the file")
        assertRejects(header(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, data: [0, 0, 0, 0]), "outside")
        assertRejects(header(#"{"__metadata__":{"a":1}}"#), "not a string")
        // A valid file cut short.
        let good = try SafeTensors.encode([("w", Tensor([1, 2, 3, 4] as [Float], shape: [4]))])
        assertRejects(Array(good.dropLast(3)), "outside")
    }

    func testFileWriteAndRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.safetensors").path
        try SafeTensors.write([("x", Tensor([1, 2] as [Float], shape: [1, 2]))], metadata: ["model": "t"], to: path)
        let f = try SafeTensors.read(path)
        XCTAssertEqual(try f.tensors["x"]!.values(as: Float.self), [1, 2])
        XCTAssertThrowsError(try SafeTensors.read(dir.appendingPathComponent("missing").path)) { e in
            XCTAssertTrue(e is CheckpointError, "\(e)")
            XCTAssertTrue("\(e)".contains("missing: cannot read checkpoint file"), "\(e)")
        }
    }

    /// A damaged file on disk is our reader's finding, not libtorch's: the
    /// error names the file and says what is wrong, with no "libtorch:" prefix.
    func testCorruptFileErrorNamesTheFileNotLibtorch() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("cut.safetensors").path
        let good = try SafeTensors.encode([("w", Tensor([1, 2, 3, 4] as [Float], shape: [4]))])
        try Data(good.dropLast(3)).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try SafeTensors.read(path)) { e in
            guard let e = e as? CheckpointError else { return XCTFail("not a CheckpointError: \(e)") }
            XCTAssertEqual(e.file, path)
            XCTAssertEqual(e.description, "\(path): \(e.message)")
            XCTAssertTrue(e.message.hasPrefix("not a valid safetensors file: entry 'w'"), e.message)
            XCTAssertFalse(e.description.hasPrefix("libtorch:"), e.description)
        }
    }
}
