import Foundation
import MedAugCore
import MedAugImage

/// The safetensors format, read and written by MedAug's own code: an 8-byte
/// little-endian header length, a JSON header naming each tensor's dtype,
/// shape and byte range, then the raw little-endian data. Every length and
/// offset from a file is checked before use, so a damaged or hostile file
/// is an error, never a crash or a huge allocation.
public enum SafeTensors {
    /// Headers beyond this are refused before reading them (the format's own reference limit).
    public static let maxHeaderBytes = 100_000_000

    public struct File {
        /// Tensor names in the file's data order.
        public var names: [String]
        public var tensors: [String: Tensor]
        public var metadata: [String: String]
    }

    static func code(_ d: DType) -> String {
        switch d {
        case .float32: return "F32"
        case .float64: return "F64"
        case .int64: return "I64"
        case .int32: return "I32"
        case .uint8: return "U8"
        case .bool: return "BOOL"
        }
    }

    static func dtype(_ s: String) -> DType? {
        switch s {
        case "F32": return .float32
        case "F64": return .float64
        case "I64": return .int64
        case "I32": return .int32
        case "U8": return .uint8
        case "BOOL": return .bool
        default: return nil
        }
    }

    /// Encodes tensors (copied to the CPU) and string metadata.
    public static func encode(_ tensors: [(String, Tensor)], metadata: [String: String] = [:]) throws -> [UInt8] {
        var header: [String] = []
        var data: [UInt8] = []
        for (name, t) in tensors {
            let dt = t.dtype
            let bytes: [UInt8]
            switch dt {
            case .float32: bytes = try t.values(as: Float.self).withUnsafeBytes { Array($0) }
            case .float64: bytes = try t.values(as: Double.self).withUnsafeBytes { Array($0) }
            case .int64: bytes = try t.values(as: Int64.self).withUnsafeBytes { Array($0) }
            case .int32: bytes = try t.values(as: Int32.self).withUnsafeBytes { Array($0) }
            case .uint8, .bool: bytes = try t.values(as: UInt8.self)
            }
            let begin = data.count
            data += bytes
            header.append("\(JSONText.quote(name)):{\"dtype\":\"\(code(dt))\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(begin),\(data.count)]}")
        }
        if !metadata.isEmpty {
            let m = metadata.sorted { $0.key < $1.key }.map { "\(JSONText.quote($0.key)):\(JSONText.quote($0.value))" }
            header.insert("\"__metadata__\":{\(m.joined(separator: ","))}", at: 0)
        }
        var h = Array(("{" + header.joined(separator: ",") + "}").utf8)
        while h.count % 8 != 0 { h.append(0x20) }
        var out = [UInt8]()
        out.reserveCapacity(8 + h.count + data.count)
        var n = UInt64(h.count).littleEndian
        withUnsafeBytes(of: &n) { out += $0 }
        out += h
        out += data
        return out
    }

    public static func write(_ tensors: [(String, Tensor)], metadata: [String: String] = [:], to path: String) throws {
        try AtomicWrite.write(Data(try encode(tensors, metadata: metadata)), to: path)
    }

    public static func read(_ path: String) throws -> File {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CheckpointError(file: path, "cannot read checkpoint file")
        }
        return try decode([UInt8](data), source: path)
    }

    public static func decode(_ bytes: [UInt8], source: String = "<memory>") throws -> File {
        func fail(_ why: String) -> CheckpointError { CheckpointError(file: source, "not a valid safetensors file: \(why)") }
        guard bytes.count >= 8 else { throw fail("\(bytes.count) bytes, shorter than the 8-byte header length") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(maxHeaderBytes) else { throw fail("header length \(n) exceeds the limit of \(maxHeaderBytes) bytes") }
        guard n <= UInt64(bytes.count - 8) else { throw fail("header length \(n) runs past the end of the file (\(bytes.count) bytes)") }
        let headerEnd = 8 + Int(n)
        let obj: Any
        do {
            obj = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
        } catch {
            throw fail("header is not JSON")
        }
        guard let header = obj as? [String: Any] else { throw fail("header is not a JSON object") }
        let dataCount = bytes.count - headerEnd
        var metadata: [String: String] = [:]
        var entries: [(name: String, dtype: DType, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
                for (k, v) in m {
                    guard let s = v as? String else { throw fail("metadata value of '\(k)' is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let e = value as? [String: Any] else { throw fail("entry '\(name)' is not an object") }
            guard let ds = e["dtype"] as? String else { throw fail("entry '\(name)' has no dtype") }
            guard let dt = dtype(ds) else { throw fail("entry '\(name)' has unsupported dtype '\(ds)' (MedAug reads F32, F64, I64, I32, U8, BOOL)") }
            guard let shapeAny = e["shape"] as? [Any], let offs = e["data_offsets"] as? [Any], offs.count == 2 else {
                throw fail("entry '\(name)' lacks a shape or a [begin, end] data_offsets pair")
            }
            var shape: [Int] = []
            var count = 1
            for d in shapeAny {
                guard let v = (d as? NSNumber)?.int64Value, v >= 0, v < Int64(Int32.max) else {
                    throw fail("entry '\(name)' has an invalid dimension \(d)")
                }
                shape.append(Int(v))
                let (m, overflow) = count.multipliedReportingOverflow(by: Int(v))
                guard !overflow, m <= dataCount else { throw fail("entry '\(name)' shape \(shapeAny) is larger than the file") }
                count = m
            }
            guard let b = (offs[0] as? NSNumber)?.int64Value, let en = (offs[1] as? NSNumber)?.int64Value,
                  b >= 0, en >= b, en <= Int64(dataCount) else {
                throw fail("entry '\(name)' data_offsets \(offs) lie outside the \(dataCount) data bytes")
            }
            guard Int(en - b) == count * dt.size else {
                throw fail("entry '\(name)' is \(en - b) bytes but shape \(shape) of \(ds) needs \(count * dt.size)")
            }
            entries.append((name, dt, shape, Int(b), Int(en)))
        }
        entries.sort { $0.begin < $1.begin || ($0.begin == $1.begin && $0.name < $1.name) }
        var tensors: [String: Tensor] = [:]
        for e in entries {
            let t = try bytes.withUnsafeBytes { raw in
                try Tensor(bytes: UnsafeRawBufferPointer(rebasing: raw[(headerEnd + e.begin)..<(headerEnd + e.end)]),
                           dtype: e.dtype, shape: e.shape)
            }
            tensors[e.name] = t
        }
        return File(names: entries.map(\.name), tensors: tensors, metadata: metadata)
    }
}

extension Module {
    /// Loads a safetensors checkpoint by name. A file that cannot be read or
    /// whose tensors do not fit the model is a `CheckpointError` naming the
    /// file, so a user knows which of a run's checkpoints to look at.
    public func load(safetensors path: String) throws {
        let file = try SafeTensors.read(path)
        do { try load(stateDict: file.tensors) } catch let e as CheckpointError where e.file == nil {
            throw CheckpointError(file: path, e.message)
        }
    }
}
