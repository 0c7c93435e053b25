import CTorch

public enum DType: Int32, Sendable {
    case float32 = 0, float64 = 1, int64 = 2, uint8 = 3, int32 = 4, bool = 5

    /// True for float32 and float64.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        case .uint8, .bool: return 1
        }
    }
}

/// Element types that move between Swift arrays and tensors.
public protocol TensorScalar: Sendable {
    static var dtype: DType { get }
    init()
}
extension Float: TensorScalar { public static var dtype: DType { .float32 } }
extension Double: TensorScalar { public static var dtype: DType { .float64 } }
extension Int64: TensorScalar { public static var dtype: DType { .int64 } }
extension Int32: TensorScalar { public static var dtype: DType { .int32 } }
extension UInt8: TensorScalar { public static var dtype: DType { .uint8 } }

/// A libtorch tensor. The Swift object owns its handle and frees it on deinit.
///
/// The handle is replaceable so that a model's parameters can move to
/// another device or take loaded weights while every reference to the
/// parameter (the model, an optimizer built later) stays the same object.
public final class Tensor: @unchecked Sendable {
    var handle: ct_tensor

    init(handle: ct_tensor) { self.handle = handle }

    deinit { ct_tensor_free(handle) }

    /// A tensor of `values` in row-major order. A count that does not match
    /// `shape` is a `TensorInputError`; a failure inside libtorch a `TorchError`.
    public convenience init<T: TensorScalar>(_ values: [T], shape: [Int]) throws {
        let dims = shape.map(Int64.init)
        let n = shape.reduce(1, *)
        guard n == values.count else {
            throw TensorInputError("shape \(shape) holds \(n) elements but \(values.count) values were given")
        }
        let h = try torchCall { err in
            values.withUnsafeBytes { v in
                dims.withUnsafeBufferPointer { s in
                    ct_tensor_from_data(v.baseAddress, T.dtype.rawValue, s.baseAddress, Int32(dims.count), err)
                }
            }
        }
        self.init(handle: h!)
    }

    /// A tensor from raw little-endian bytes of `dtype` (checkpoint loading).
    /// A byte count that does not match `shape` is a `TensorInputError`; a
    /// failure inside libtorch a `TorchError`.
    public convenience init(bytes: UnsafeRawBufferPointer, dtype: DType, shape: [Int]) throws {
        let n = shape.reduce(1, *)
        guard n * dtype.size == bytes.count else {
            throw TensorInputError("shape \(shape) of \(dtype) needs \(n * dtype.size) bytes, got \(bytes.count)")
        }
        let dims = shape.map(Int64.init)
        let h = try torchCall { err in
            dims.withUnsafeBufferPointer { s in
                ct_tensor_from_data(bytes.baseAddress, dtype.rawValue, s.baseAddress, Int32(dims.count), err)
            }
        }
        self.init(handle: h!)
    }

    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32) throws(TorchError) -> Tensor {
        let dims = shape.map(Int64.init)
        return try make { err in dims.withUnsafeBufferPointer { ct_tensor_full($0.baseAddress, Int32(dims.count), value, dtype.rawValue, err) } }
    }

    public static func zeros(_ shape: [Int], dtype: DType = .float32) throws(TorchError) -> Tensor {
        try full(shape, 0, dtype: dtype)
    }

    public static func ones(_ shape: [Int], dtype: DType = .float32) throws(TorchError) -> Tensor {
        try full(shape, 1, dtype: dtype)
    }

    /// Standard normal, from libtorch's generator (seeded by `Torch.manualSeed`).
    public static func randn(_ shape: [Int], dtype: DType = .float32) throws(TorchError) -> Tensor {
        let dims = shape.map(Int64.init)
        return try make { err in dims.withUnsafeBufferPointer { ct_tensor_randn($0.baseAddress, Int32(dims.count), dtype.rawValue, err) } }
    }

    public static func rand(_ shape: [Int], dtype: DType = .float32) throws(TorchError) -> Tensor {
        let dims = shape.map(Int64.init)
        return try make { err in dims.withUnsafeBufferPointer { ct_tensor_rand($0.baseAddress, Int32(dims.count), dtype.rawValue, err) } }
    }

    public var shape: [Int] {
        var dims = [Int64](repeating: 0, count: 16)
        let n = (try? torchCall { err in ct_tensor_shape(handle, &dims, 16, err) }) ?? 0
        return dims.prefix(Int(n)).map(Int.init)
    }

    public var count: Int { Int((try? torchCall { err in ct_tensor_numel(handle, err) }) ?? 0) }

    public var dtype: DType {
        DType(rawValue: (try? torchCall { err in ct_tensor_dtype(handle, err) }) ?? 0) ?? .float32
    }

    public var device: Device {
        var index: Int32 = 0
        let type = (try? torchCall { err in ct_tensor_device(handle, &index, err) }) ?? 0
        return type == Int32(CT_CUDA) ? .cuda(Int(index)) : .cpu
    }

    /// The values in row-major order, converted to `T` (copied to the CPU).
    public func values<T: TensorScalar>(as: T.Type = T.self) throws(TorchError) -> [T] {
        let n = count
        var out = [T](repeating: T(), count: n)
        var failure: TorchError?
        out.withUnsafeMutableBytes { p in
            do throws(TorchError) {
                try torchCall { err in ct_tensor_copy_to(handle, p.baseAddress, T.dtype.rawValue, Int64(n), err) }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return out
    }

    /// The single value of a one-element tensor.
    public func item() throws(TorchError) -> Double {
        try torchCall { ct_tensor_item(handle, $0) }
    }

    /// Wraps a shim call that returns a new tensor.
    static func make(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> ct_tensor?) throws(TorchError) -> Tensor {
        let h = try torchCall(body)
        guard let h else { throw TorchError("libtorch returned no tensor") }
        return Tensor(handle: h)
    }
}
