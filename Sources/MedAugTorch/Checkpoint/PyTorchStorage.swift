/// Turns one `_rebuild_tensor_v2` call into a MedAug tensor: the storage
/// record's bytes, read at the given offset, size and stride.
///
/// The tensor may hold no more elements than its storage, so one tensor
/// never costs more than the file holds (an expanded view with stride 0 is
/// refused; state_dicts do not hold them). The caller bounds the total.
enum PyTorchStorage {
    /// A view that does not fit its storage is a `CheckpointError`; building
    /// the tensor can fail in libtorch (`TorchError`).
    static func tensor(_ spec: StateDictPickle.TensorSpec, record: UnsafeRawBufferPointer, bigEndian: Bool) throws -> Tensor {
        let type = spec.storage.type
        let es = type.elementSize
        let n = spec.storage.count
        guard n <= record.count / es else {
            throw CheckpointError("storage '\(spec.storage.key)' is \(record.count) bytes, fewer than its \(n) elements of \(es) bytes need")
        }
        let size = spec.size, stride = spec.stride
        var count = 1
        if !size.contains(0) {
            for d in size {
                let (m, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow, m <= n else {
                    throw CheckpointError("size \(size) has more elements than its storage's \(n) (expanded views are not supported)")
                }
                count = m
            }
        } else {
            count = 0
        }
        guard count > 0 else {
            return try Tensor(bytes: UnsafeRawBufferPointer(start: nil, count: 0), dtype: type.dtype, shape: size)
        }
        // The farthest element the view touches must lie inside the storage.
        var last = spec.offset
        for (d, s) in zip(size, stride) {
            let (step, o1) = (d - 1).multipliedReportingOverflow(by: s)
            let (sum, o2) = last.addingReportingOverflow(step)
            guard !o1, !o2 else { throw CheckpointError("size \(size) with stride \(stride) overflows") }
            last = sum
        }
        guard last < n else {
            throw CheckpointError("offset \(spec.offset), size \(size) and stride \(stride) reach element \(last) of a storage of \(n)")
        }

        var out = [UInt8](repeating: 0, count: count * es)
        out.withUnsafeMutableBytes { dst in
            if isContiguous(size, stride) {
                dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: record[(spec.offset * es)..<((spec.offset + count) * es)]))
            } else {
                gather(record, into: dst, offset: spec.offset, size: size, stride: stride, elementSize: es)
            }
        }
        if bigEndian && es > 1 {
            for i in Swift.stride(from: 0, to: out.count, by: es) { out[i..<(i + es)].reverse() }
        }
        switch type {
        case .float16, .bfloat16:
            var values = [Float](repeating: 0, count: count)
            out.withUnsafeBytes { src in
                values.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<count {
                        let h = UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                        // bfloat16 is the top half of a float32.
                        dst[i] = type == .float16 ? halfToFloat(h) : Float(bitPattern: UInt32(h) << 16)
                    }
                }
            }
            return try Tensor(values, shape: size)
        case .bool:
            // libtorch expects 0 or 1 in a bool tensor; a file may hold any byte.
            for i in out.indices where out[i] > 1 { out[i] = 1 }
        default:
            break
        }
        return try out.withUnsafeBytes { raw in try Tensor(bytes: raw, dtype: type.dtype, shape: size) }
    }

    /// Row-major order, ignoring the stride of size-1 dimensions (torch's own rule).
    static func isContiguous(_ size: [Int], _ stride: [Int]) -> Bool {
        var expected = 1
        for i in size.indices.reversed() where size[i] != 1 {
            if stride[i] != expected { return false }
            expected *= size[i]
        }
        return true
    }

    /// Copies a strided view element by element in row-major order; the caller has bounds-checked the view.
    static func gather(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawBufferPointer,
                       offset: Int, size: [Int], stride: [Int], elementSize es: Int) {
        let inner = size.count - 1
        var index = [Int](repeating: 0, count: inner)
        var base = offset
        var o = 0
        while true {
            var p = base
            for _ in 0..<size[inner] {
                (dst.baseAddress! + o).copyMemory(from: src.baseAddress! + p * es, byteCount: es)
                o += es
                p += stride[inner]
            }
            // Odometer over the outer dimensions.
            var d = inner - 1
            while d >= 0 {
                index[d] += 1
                base += stride[d]
                if index[d] < size[d] { break }
                base -= stride[d] * size[d]
                index[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }

    /// IEEE binary16 to binary32, exact (subnormals, infinities and NaN payloads kept).
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign: UInt32 = UInt32(h >> 15) << 31
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h & 0x3FF)
        switch exponent {
        case 0:
            let magnitude = Float(mantissa) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
        }
    }
}
