import CTorch

typealias ErrorSlot = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

// Arithmetic reads like the math: `try (a - b) * c`.
extension Tensor {
    public static func + (a: Tensor, b: Tensor) throws(TorchError) -> Tensor { try make { ct_add(a.handle, b.handle, $0) } }
    public static func - (a: Tensor, b: Tensor) throws(TorchError) -> Tensor { try make { ct_sub(a.handle, b.handle, $0) } }
    public static func * (a: Tensor, b: Tensor) throws(TorchError) -> Tensor { try make { ct_mul(a.handle, b.handle, $0) } }
    public static func / (a: Tensor, b: Tensor) throws(TorchError) -> Tensor { try make { ct_div(a.handle, b.handle, $0) } }
    public static func + (a: Tensor, s: Double) throws(TorchError) -> Tensor { try make { ct_add_scalar(a.handle, s, $0) } }
    public static func - (a: Tensor, s: Double) throws(TorchError) -> Tensor { try make { ct_add_scalar(a.handle, -s, $0) } }
    public static func * (a: Tensor, s: Double) throws(TorchError) -> Tensor { try make { ct_mul_scalar(a.handle, s, $0) } }
    public static func / (a: Tensor, s: Double) throws(TorchError) -> Tensor { try make { ct_mul_scalar(a.handle, 1 / s, $0) } }
    public static prefix func - (a: Tensor) throws(TorchError) -> Tensor { try make { ct_neg(a.handle, $0) } }

    public func adding(_ other: Tensor) throws(TorchError) -> Tensor { try self + other }
    public func multiplying(_ other: Tensor) throws(TorchError) -> Tensor { try self * other }

    public func matmul(_ other: Tensor) throws(TorchError) -> Tensor { try Tensor.make { ct_matmul(handle, other.handle, $0) } }
    public func pow(_ e: Double) throws(TorchError) -> Tensor { try Tensor.make { ct_pow_scalar(handle, e, $0) } }
    public func exp() throws(TorchError) -> Tensor { try Tensor.make { ct_exp(handle, $0) } }
    public func log() throws(TorchError) -> Tensor { try Tensor.make { ct_log(handle, $0) } }
    public func sqrt() throws(TorchError) -> Tensor { try Tensor.make { ct_sqrt(handle, $0) } }
    public func abs() throws(TorchError) -> Tensor { try Tensor.make { ct_abs(handle, $0) } }
    public func sum() throws(TorchError) -> Tensor { try Tensor.make { ct_sum(handle, $0) } }
    public func mean() throws(TorchError) -> Tensor { try Tensor.make { ct_mean(handle, $0) } }
    public func sum(dim: Int, keepDim: Bool = false) throws(TorchError) -> Tensor {
        try Tensor.make { ct_sum_dim(handle, Int64(dim), keepDim ? 1 : 0, $0) }
    }
    public func mean(dim: Int, keepDim: Bool = false) throws(TorchError) -> Tensor {
        try Tensor.make { ct_mean_dim(handle, Int64(dim), keepDim ? 1 : 0, $0) }
    }
    public func argmax(dim: Int) throws(TorchError) -> Tensor { try Tensor.make { ct_argmax(handle, Int64(dim), $0) } }
    public func eq(_ other: Tensor) throws(TorchError) -> Tensor { try Tensor.make { ct_eq(handle, other.handle, $0) } }
    public func gt(_ s: Double) throws(TorchError) -> Tensor { try Tensor.make { ct_gt_scalar(handle, s, $0) } }
    public func softmax(dim: Int) throws(TorchError) -> Tensor { try Tensor.make { ct_softmax(handle, Int64(dim), $0) } }
    public func logSoftmax(dim: Int) throws(TorchError) -> Tensor { try Tensor.make { ct_log_softmax(handle, Int64(dim), $0) } }
    public func clamp(_ lo: Double, _ hi: Double) throws(TorchError) -> Tensor { try Tensor.make { ct_clamp(handle, lo, hi, $0) } }

    public func reshaped(_ shape: [Int]) throws(TorchError) -> Tensor {
        let dims = shape.map(Int64.init)
        return try Tensor.make { err in dims.withUnsafeBufferPointer { ct_reshape(handle, $0.baseAddress, Int32(dims.count), err) } }
    }

    public func flattened(from dim: Int = 1) throws(TorchError) -> Tensor { try Tensor.make { ct_flatten(handle, Int64(dim), $0) } }

    public func permuted(_ dims: [Int]) throws(TorchError) -> Tensor {
        let d = dims.map(Int64.init)
        return try Tensor.make { err in d.withUnsafeBufferPointer { ct_permute(handle, $0.baseAddress, Int32(d.count), err) } }
    }

    public func narrow(dim: Int, start: Int, length: Int) throws(TorchError) -> Tensor {
        try Tensor.make { ct_narrow(handle, Int64(dim), Int64(start), Int64(length), $0) }
    }

    public func indexSelect(dim: Int, _ index: Tensor) throws(TorchError) -> Tensor {
        try Tensor.make { ct_index_select(handle, Int64(dim), index.handle, $0) }
    }

    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws(TorchError) -> Tensor {
        let hs: [ct_tensor?] = tensors.map { $0.handle }
        return try make { err in hs.withUnsafeBufferPointer { ct_cat($0.baseAddress, Int32(hs.count), Int64(dim), err) } }
    }

    public func conv2d(weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) throws(TorchError) -> Tensor {
        try Tensor.make { ct_conv2d(handle, weight.handle, bias?.handle, Int64(stride), Int64(padding), $0) }
    }

    /// Copies to `device` and/or converts to `dtype`.
    public func to(_ device: Device, dtype: DType? = nil) throws(TorchError) -> Tensor {
        let (t, i) = device.code
        return try Tensor.make { ct_tensor_to(handle, t, i, dtype.map { $0.rawValue } ?? -1, $0) }
    }

    public func to(dtype: DType) throws(TorchError) -> Tensor { try to(device, dtype: dtype) }
}
