import MedAugCore
import XCTest
import Foundation
@testable import MedAugTorch

/// The fixtures come from parity/make_pth_fixtures.py (torch 2.15); each `.json`
/// sidecar holds what torch.load returned for its `.pth`.
final class PyTorchStateDictTests: XCTestCase {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    private func fixture(_ name: String) -> String { Self.fixtures.appendingPathComponent(name).path }

    private func fixtureBytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture(name))))
    }

    // MARK: Parity with torch.load

    func testSmallModelMatchesTorch() throws {
        try assertMatchesSidecar(PyTorchStateDict.read(fixture("small_model.pth")), "small_model.json")
    }

    func testViewsDtypesAndParametersMatchTorch() throws {
        let got = try PyTorchStateDict.read(fixture("mixed.pth"))
        try assertMatchesSidecar(got, "mixed.json")
        let t = Dictionary(uniqueKeysWithValues: got)
        XCTAssertEqual(t["half"]!.dtype, .float32, "float16 widens to float32")
        XCTAssertEqual(t["bfloat16"]!.dtype, .float32)
        XCTAssertEqual(t["scalar_long"]!.shape, [])
        XCTAssertEqual(t["empty"]!.shape, [0, 3])
    }

    func testZip64RecordsFromAnotherWriter() throws {
        try assertMatchesSidecar(PyTorchStateDict.read(fixture("small_model_zip64.pth")), "small_model.json")
    }

    func testPickleProtocol4() throws {
        try assertMatchesSidecar(PyTorchStateDict.read(fixture("protocol4.pth")), "protocol4.json")
    }

    func testLoadsIntoAModuleWithTheSameNames() throws {
        final class Small: Module, Layer {
            let conv: Conv2d, bn: BatchNorm2d, fc: Linear
            init() throws {
                conv = try Conv2d(2, 3, kernelSize: 3, padding: 1)
                bn = try BatchNorm2d(3)
                fc = try Linear(3, 2)
            }
            func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor { x }
        }
        let model = try Small()
        let state = try PyTorchStateDict.read(fixture("small_model.pth"))
        try model.load(stateDict: Dictionary(uniqueKeysWithValues: state))
        XCTAssertEqual(model.stateDict().map(\.0), state.map(\.0))
        XCTAssertEqual(try model.bn.numBatchesTracked.values(as: Int64.self), [2])
        XCTAssertEqual(try model.fc.weight.values(as: Float.self), try state.first { $0.0 == "fc.weight" }!.1.values(as: Float.self))
    }

    // MARK: Damaged and hostile files

    func testForbiddenGlobalIsRefusedByName() throws {
        let path = fixture("forbidden_global.pth")
        XCTAssertThrowsError(try PyTorchStateDict.read(path)) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains(path) && m.contains("os.system") && m.contains("never runs code"), m)
        }
    }

    func testEveryTruncationIsAnError() throws {
        let good = try fixtureBytes("small_model.pth")
        for n in 0..<good.count {
            assertRejects(Array(good.prefix(n)), n < 22 ? "too short" : "")
        }
        // Bytes cut from the middle, with the end records kept.
        for cut in Swift.stride(from: 0, to: good.count - 200, by: 97) {
            assertRejects(Array(good[..<cut] + good[(cut + 50)...]), "")
        }
    }

    func testEveryFlippedByteIsAnErrorOrChangesNothing() throws {
        let good = try fixtureBytes("small_model.pth")
        let baseline = try snapshot(PyTorchStateDict.decode(good))
        // The pickle and the storage records: damage there must never go unnoticed.
        let needed: [Range<Int>] = try good.withUnsafeBytes { raw in
            let zip = try PyTorchZip(raw)
            return try zip.entries.filter { $0.name.hasSuffix("data.pkl") || $0.name.contains("/data/") }.map { e in
                let body = try zip.data(e.name)
                let start = body.baseAddress! - raw.baseAddress!
                return start..<(start + body.count)
            }
        }
        XCTAssertEqual(needed.count, 10)
        for i in good.indices {
            var bad = good
            bad[i] ^= 0xFF
            do {
                // Elsewhere only bytes no reader needs (timestamps, alignment padding, unused records) may change.
                let got = try snapshot(PyTorchStateDict.decode(bad, source: "flipped.pth"))
                XCTAssertEqual(got, baseline, "byte \(i)")
                XCTAssertFalse(needed.contains { $0.contains(i) }, "damage at byte \(i) went unnoticed")
            } catch {
                XCTAssertTrue("\(error)".contains("flipped.pth"), "\(error)")
            }
        }
    }

    func testMutatedPicklesNeverCrash() throws {
        let original = try fixtureBytes("mixed.pth")
        let entries: [(String, [UInt8])] = try original.withUnsafeBytes { raw in
            let zip = try PyTorchZip(raw)
            return try zip.entries.map { ($0.name, Array(try zip.data($0.name))) }
        }
        let pickleIndex = entries.firstIndex { $0.0.hasSuffix("/data.pkl") }!
        let pickle = entries[pickleIndex].1
        func attempt(_ p: [UInt8]) {
            var files = entries
            files[pickleIndex].1 = p
            do {
                _ = try PyTorchStateDict.decode(makeZip(files), source: "fuzz.pth")
            } catch {
                XCTAssertTrue("\(error)".contains("fuzz.pth"), "\(error)")
            }
        }
        for n in 0..<pickle.count { attempt(Array(pickle.prefix(n))) }
        var rng = SplitMix64(seed: 7)
        for _ in 0..<3000 {
            var p = pickle
            for _ in 0...(rng.next() % 3) {
                let i = Int(rng.next() % UInt64(p.count))
                p[i] = rng.next() % 2 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : [0x85, 0x74, 0x28, 0x52, 0x68, 0x73, 0x2E, 0xFF][Int(rng.next() % 8)]
            }
            attempt(p)
        }
    }

    func testHostilePicklesAreNamedErrors() throws {
        func refuses(_ pickle: [UInt8], _ fragment: String, storages: [(String, [UInt8])] = [], line: UInt = #line) {
            assertRejects(makeZip([("a/data.pkl", pickle)] + storages.map { ("a/data/\($0.0)", $0.1) }), fragment, line: line)
        }
        let stop: [UInt8] = [0x2E]
        refuses(P.proto + P.global("os", "system") + P.str("true") + [0x85, 0x52] + stop, "os.system")
        refuses(P.proto + P.global("builtins", "eval") + stop, "builtins.eval")
        refuses(P.proto + P.str("os") + P.str("system") + [0x93] + stop, "os.system") // STACK_GLOBAL
        refuses(P.proto + P.global("torch._utils", "_rebuild_tensor_v3") + stop, "_rebuild_tensor_v3")
        refuses(P.proto + P.global("torch", "CharStorage") + stop, "CharStorage")
        refuses(P.proto + Array("(i__main__\nX\n".utf8) + stop, "INST")
        refuses(P.proto + [0x4E] + [UInt8](repeating: 0x85, count: 100) + stop, "nested deeper")
        refuses(P.proto + [0x5D, 0x71, 0x00, 0x68, 0x00, 0x61] + stop, "changes after being nested") // l.append(l)
        refuses(P.proto + [0x68, 0x05] + stop, "memo entry 5")
        refuses(P.proto + [0x52] + stop, "stack underflow")
        refuses(P.proto + [0x58, 0xFF, 0xFF, 0xFF, 0xFF, 0x41], "runs past the end")
        refuses(P.proto + [0x4E], "before its STOP")
        refuses(P.proto + [0x4E, 0x4E] + stop, "STOP with 2 values")
        refuses(P.proto + P.global("collections", "OrderedDict") + [0x4E, 0x52] + stop, "REDUCE with None as arguments")
        refuses(P.proto + P.global("collections", "OrderedDict") + [0x29, 0x52, 0x29, 0x52] + stop, "REDUCE calls a dict")
        refuses(P.proto + [0x7D] + P.str("epoch") + P.int(3) + [0x73] + stop, "entry 'epoch' holds an int, not a tensor")
        refuses(P.proto + [0x5D] + stop, "holds a list, not a dict")

        let four = floats([1, 2, 3, 4])
        refuses(P.dict([("w", P.tensor("FloatStorage", key: "0", numel: 4, offset: 2, size: [3], stride: [1]))]),
                "reach element 4", storages: [("0", four)])
        refuses(P.dict([("w", P.tensor("FloatStorage", key: "0", numel: 4, offset: 0, size: [2, 4], stride: [0, 1]))]),
                "expanded views", storages: [("0", four)])
        refuses(P.dict([("w", P.tensor("FloatStorage", key: "0", numel: 8, offset: 0, size: [8], stride: [1]))]),
                "fewer than its 8 elements", storages: [("0", four)])
        refuses(P.dict([("w", P.tensor("FloatStorage", key: "7", numel: 4, offset: 0, size: [4], stride: [1]))]),
                "tensor 'w': the archive has no entry 'a/data/7'", storages: [("0", four)])
        refuses(P.dict([("w", P.tensor("FloatStorage", key: "../x", numel: 4, offset: 0, size: [4], stride: [1]))]),
                "storage key", storages: [("0", four)])
        refuses(P.dict([("w", P.tensor("FloatStorage", key: "0", numel: 4, offset: 0, size: [4], stride: [1], neg: true))]),
                "lazy 'neg' bit", storages: [("0", four)])
        refuses(P.dict([("w", P.tensor("FloatStorage", key: "0", numel: 4, offset: 0, size: [4, 1], stride: [1]))]),
                "differ in length", storages: [("0", four)])
        refuses(P.dict([("w", P.tensor("FloatStorage", key: "0", numel: 4, offset: [0x8A, 0x01, 0xFF], size: [1], stride: [1]))]),
                "invalid storage offset", storages: [("0", four)]) // LONG1 -1
        refuses(P.dict([("w", P.tensor("FloatStorage", key: "0", numel: 4, offset: [0x8A, 0x09] + Array(repeating: 0, count: 9), size: [1], stride: [1]))]),
                "9 bytes is out of range", storages: [("0", four)])
        // LONG1 2: a positive LONG1 whose top byte has its sign bit clear.
        let long = P.dict([("w", P.tensor("FloatStorage", key: "0", numel: 4, offset: [0x8A, 0x02, 0x02, 0x00], size: [2], stride: [1]))])
        XCTAssertEqual(try PyTorchStateDict.decode(makeZip([("a/data.pkl", long), ("a/data/0", four)]))[0].1.values(as: Float.self), [3, 4])
    }

    func testContainerErrors() throws {
        let good = P.dict([("w", P.tensor("FloatStorage", key: "0", numel: 2, offset: 0, size: [2], stride: [1]))])
        let data = floats([1, 2])
        XCTAssertEqual(try PyTorchStateDict.decode(makeZip([("a/data.pkl", good), ("a/data/0", data)]))[0].1.values(as: Float.self), [1, 2])
        assertRejects([], "too short")
        assertRejects(Array(repeating: 0, count: 100), "no zip end-of-central-directory")
        assertRejects([0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19] + Array(repeating: 0, count: 30), "legacy")
        assertRejects(makeZip([("a/data.pkl", good), ("a/data/0", data)], method: 8), "'a/data.pkl' is deflate-compressed")
        var corrupt = makeZip([("a/data.pkl", good), ("a/data/0", data)])
        corrupt[corrupt.count - 22 - (46 + 10) - (46 + 8) - 1] ^= 1 // the last data byte of a/data/0, before the central directory
        assertRejects(corrupt, "'a/data/0' fails its CRC-32 check")
        assertRejects(makeZip([("a/constants.pkl", good)]), "TorchScript")
        assertRejects(makeZip([("a/data.pkl", good), ("b/data.pkl", good)]), "2 data.pkl entries")
        assertRejects(makeZip([("a/data.pkl", good), ("a/data/0", data), ("a/byteorder", Array("middle".utf8))]), "byteorder")
    }

    func testOneStorageReadAsManyTensorsHitsTheSizeLimit() throws {
        let view = P.tensor("FloatStorage", key: "0", numel: 4, offset: 0, size: [4], stride: [1])
        let zip = makeZip([("a/data.pkl", P.dict((0..<10).map { ("w\($0)", view) })), ("a/data/0", floats([1, 2, 3, 4]))])
        let ok = try zip.withUnsafeBytes { try PyTorchStateDict.decode($0, source: "views.pth", maxTensorBytes: 160) }
        XCTAssertEqual(ok.count, 10)
        XCTAssertThrowsError(try zip.withUnsafeBytes { try PyTorchStateDict.decode($0, source: "views.pth", maxTensorBytes: 159) }) { e in
            XCTAssertTrue("\(e)".contains("more than 159 bytes"), "\(e)")
        }
    }

    func testBigEndianRecordsAreSwapped() throws {
        let pickle = P.dict([
            ("f", P.tensor("FloatStorage", key: "0", numel: 2, offset: 0, size: [2], stride: [1])),
            ("h", P.tensor("HalfStorage", key: "1", numel: 2, offset: 0, size: [2], stride: [1])),
            ("l", P.tensor("LongStorage", key: "2", numel: 1, offset: 0, size: [], stride: [])),
        ])
        let f = floats([1.5, -2]).chunked(4).flatMap { $0.reversed() }
        let h: [UInt8] = [0x3C, 0x00, 0xC0, 0x00] // 1.0, -2.0 in big-endian binary16
        let l: [UInt8] = [0, 0, 0, 0, 0, 0, 1, 2]
        let got = try PyTorchStateDict.decode(makeZip([("a/data.pkl", pickle), ("a/byteorder", Array("big".utf8)),
                                                       ("a/data/0", f), ("a/data/1", h), ("a/data/2", l)]))
        XCTAssertEqual(try got[0].1.values(as: Float.self), [1.5, -2])
        XCTAssertEqual(try got[1].1.values(as: Float.self), [1, -2])
        XCTAssertEqual(try got[2].1.values(as: Int64.self), [258])
    }

    func testCRC32CheckValue() {
        let check = Array("123456789".utf8)
        XCTAssertEqual(check.withUnsafeBytes { CRC32.checksum($0) }, 0xCBF4_3926)
        let long = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        XCTAssertEqual(long.withUnsafeBytes { CRC32.checksum($0) }, 0x91F4_3DEC) // zlib.crc32 of the same bytes
    }

    func testHalfToFloatIsExact() {
        XCTAssertEqual(PyTorchStorage.halfToFloat(0x0001), 0x1p-24)
        XCTAssertEqual(PyTorchStorage.halfToFloat(0x03FF), 1023 * 0x1p-24)
        XCTAssertEqual(PyTorchStorage.halfToFloat(0x0400), 0x1p-14)
        XCTAssertEqual(PyTorchStorage.halfToFloat(0x7BFF), 65504)
        XCTAssertEqual(PyTorchStorage.halfToFloat(0x8000).bitPattern, (-Float(0)).bitPattern)
        XCTAssertEqual(PyTorchStorage.halfToFloat(0xFC00), -.infinity)
        XCTAssertTrue(PyTorchStorage.halfToFloat(0x7E00).isNaN)
    }

    func testMissingAndEmptyFilesAreErrors() throws {
        XCTAssertThrowsError(try PyTorchStateDict.read("/nonexistent/x.pth")) { e in
            XCTAssertTrue(e is CheckpointError, "\(e)")
            XCTAssertEqual("\(e)", "/nonexistent/x.pth: cannot read checkpoint file")
        }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString).pth")
        try Data().write(to: empty)
        defer { try? FileManager.default.removeItem(at: empty) }
        XCTAssertThrowsError(try PyTorchStateDict.read(empty.path)) { e in
            XCTAssertTrue("\(e)".contains(empty.path), "\(e)")
        }
    }

    // MARK: Helpers

    private func assertRejects(_ bytes: [UInt8], _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PyTorchStateDict.decode(bytes, source: "bad.pth"), file: file, line: line) { e in
            let m = "\(e)"
            XCTAssertTrue(e is CheckpointError, "not a CheckpointError: \(type(of: e)) \(m)", file: file, line: line)
            XCTAssertTrue(m.hasPrefix("bad.pth: not a readable PyTorch state_dict: "), m, file: file, line: line)
            XCTAssertTrue(fragment.isEmpty || m.contains(fragment), "expected '\(fragment)' in: \(m)", file: file, line: line)
        }
    }

    private func floats(_ v: [Float]) -> [UInt8] { v.withUnsafeBytes { Array($0) } }

    /// Every tensor's name, dtype, shape and bytes, for exact comparison.
    private func snapshot(_ state: [(String, Tensor)]) throws -> [String] {
        try state.map { name, t in
            let bytes: [UInt8]
            switch t.dtype {
            case .float32: bytes = try t.values(as: Float.self).withUnsafeBytes { Array($0) }
            case .float64: bytes = try t.values(as: Double.self).withUnsafeBytes { Array($0) }
            case .int64: bytes = try t.values(as: Int64.self).withUnsafeBytes { Array($0) }
            case .int32: bytes = try t.values(as: Int32.self).withUnsafeBytes { Array($0) }
            case .uint8, .bool: bytes = try t.values(as: UInt8.self)
            }
            return "\(name) \(t.dtype) \(t.shape) \(bytes)"
        }
    }

    private func assertMatchesSidecar(_ got: [(String, Tensor)], _ sidecar: String, line: UInt = #line) throws {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixture(sidecar)))) as! [String: Any]
        let entries = json["entries"] as! [[String: Any]]
        XCTAssertEqual(got.map(\.0), entries.map { $0["name"] as! String }, line: line)
        for (e, (name, t)) in zip(entries, got) {
            let shape = (e["shape"] as! [NSNumber]).map(\.intValue)
            XCTAssertEqual(t.shape, shape, name, line: line)
            XCTAssertEqual("\(t.dtype)", e["dtype"] as! String, name, line: line)
            let values = e["values"] as! [Any]
            func real(_ v: Any) -> Double {
                switch v as? String {
                case "nan": return .nan
                case "inf": return .infinity
                case "-inf": return -.infinity
                default: return (v as! NSNumber).doubleValue
                }
            }
            switch t.dtype {
            case .float32:
                let a = try t.values(as: Float.self), b = values.map { Float(real($0)) }
                XCTAssertEqual(a.count, b.count, name, line: line)
                for (x, y) in zip(a, b) where !(x.isNaN && y.isNaN) {
                    XCTAssertEqual(x.bitPattern, y.bitPattern, "\(name): \(x) vs \(y)", line: line)
                }
            case .float64:
                XCTAssertEqual(try t.values(as: Double.self).map(\.bitPattern), values.map { real($0).bitPattern }, name, line: line)
            case .int64:
                XCTAssertEqual(try t.values(as: Int64.self), values.map { ($0 as! NSNumber).int64Value }, name, line: line)
            case .int32:
                XCTAssertEqual(try t.values(as: Int32.self), values.map { ($0 as! NSNumber).int32Value }, name, line: line)
            case .uint8:
                XCTAssertEqual(try t.values(as: UInt8.self), values.map { ($0 as! NSNumber).uint8Value }, name, line: line)
            case .bool:
                XCTAssertEqual(try t.values(as: UInt8.self), values.map { ($0 as? Bool) == true ? 1 : 0 }, name, line: line)
            }
        }
    }
}

/// Hand-assembled pickle opcodes, as CPython's protocol-2 pickler writes them.
private enum P {
    static let proto: [UInt8] = [0x80, 0x02]
    static func str(_ s: String) -> [UInt8] { [0x58] + le32(s.utf8.count) + Array(s.utf8) }
    static func int(_ v: Int) -> [UInt8] { [0x4A] + le32(v) }
    static func global(_ module: String, _ name: String) -> [UInt8] { [0x63] + Array("\(module)\n\(name)\n".utf8) }
    static func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    static func tensor(_ type: String, key: String, numel: Int, offset: Int, size: [Int], stride: [Int], neg: Bool = false) -> [UInt8] {
        tensor(type, key: key, numel: numel, offset: int(offset), size: size, stride: stride, neg: neg)
    }

    static func tensor(_ type: String, key: String, numel: Int, offset: [UInt8], size: [Int], stride: [Int], neg: Bool = false) -> [UInt8] {
        var b = global("torch._utils", "_rebuild_tensor_v2") + [0x28]
        b += [0x28] + str("storage") + global("torch", type) + str(key) + str("cpu") + int(numel) + [0x74, 0x51]
        b += offset + [0x28] + size.flatMap(int) + [0x74] + [0x28] + stride.flatMap(int) + [0x74]
        b += [0x89] + global("collections", "OrderedDict") + [0x29, 0x52]
        if neg { b += [0x7D] + str("neg") + [0x88, 0x73] }
        return b + [0x74, 0x52]
    }

    /// A whole data.pkl: an OrderedDict of the given items.
    static func dict(_ items: [(String, [UInt8])]) -> [UInt8] {
        var b = proto + global("collections", "OrderedDict") + [0x29, 0x52]
        for (k, v) in items { b += str(k) + v + [0x73] }
        return b + [0x2E]
    }
}

/// A zip of stored entries, laid out as torch.save does minus its alignment padding.
private func makeZip(_ files: [(String, [UInt8])], method: UInt16 = 0) -> [UInt8] {
    func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    var out: [UInt8] = [], central: [UInt8] = []
    for (name, data) in files {
        let crc = data.withUnsafeBytes { Int(CRC32.checksum($0)) }
        let n = Array(name.utf8)
        let common = le(0, 2) + le(Int(method), 2) + le(0, 4) + le(crc, 4) + le(data.count, 4) + le(data.count, 4) + le(n.count, 2) + le(0, 2)
        central += le(0x0201_4b50, 4) + le(20, 2) + le(20, 2) + common + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(out.count, 4) + n
        out += le(0x0403_4b50, 4) + le(20, 2) + common + n + data
    }
    let offset = out.count
    return out + central + le(0x0605_4b50, 4) + le(0, 4) + le(files.count, 2) + le(files.count, 2) + le(central.count, 4) + le(offset, 4) + le(0, 2)
}

private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private extension Array {
    func chunked(_ n: Int) -> [ArraySlice<Element>] {
        Swift.stride(from: 0, to: count, by: n).map { self[$0..<Swift.min($0 + n, count)] }
    }
}
