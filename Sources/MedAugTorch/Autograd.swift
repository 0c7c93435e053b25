import CTorch

extension Tensor {
    public var requiresGrad: Bool {
        (try? torchCall { ct_tensor_requires_grad(handle, $0) }) == 1
    }

    /// Marks the tensor as a leaf whose gradient is wanted (or not).
    @discardableResult
    public func requiresGrad(_ on: Bool) throws(TorchError) -> Tensor {
        try torchCall { ct_tensor_set_requires_grad(handle, on ? 1 : 0, $0) }
        return self
    }

    /// The accumulated gradient, or nil before any backward pass.
    public var grad: Tensor? {
        let r: ct_tensor? = try? torchCall({ ct_tensor_grad(handle, $0) })
        guard let h = r else { return nil }
        return Tensor(handle: h)
    }

    public func zeroGrad() throws(TorchError) { try torchCall { ct_tensor_zero_grad(handle, $0) } }

    public func backward() throws(TorchError) { try torchCall { ct_tensor_backward(handle, $0) } }

    public func detached() throws(TorchError) -> Tensor { try Tensor.make { ct_tensor_detach(handle, $0) } }

    public func cloned() throws(TorchError) -> Tensor { try Tensor.make { ct_tensor_clone(handle, $0) } }

    /// Overwrites the values in place without recording autograd (loading weights).
    public func assign(_ source: Tensor) throws(TorchError) {
        try torchCall { ct_tensor_copy_(handle, source.handle, $0) }
    }

    /// Moves this tensor object to `device`, keeping its identity (parameters held elsewhere follow).
    public func move(to device: Device) throws(TorchError) {
        guard device != self.device else { return }
        let wasLeaf = requiresGrad
        let moved = try to(device)
        try torchCall { ct_tensor_set_requires_grad(moved.handle, 0, $0) }
        let detached = try moved.detached()
        swap(&handle, &detached.handle)
        if wasLeaf { try requiresGrad(true) }
    }
}

/// Runs `body` without recording autograd (evaluation, weight updates by hand).
public func withNoGrad<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
    let previous = ct_set_grad_enabled(0)
    defer { _ = ct_set_grad_enabled(previous) }
    return try body()
}
