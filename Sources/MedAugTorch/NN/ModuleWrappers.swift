/// The value a wrapper holds, in a box that the module's discovery keeps: a
/// reassigned property is then seen by the next `stateDict()` without walking
/// the properties again.
final class WrappedStorage<Value> {
    /// nil until the owning module's `init` sets the property.
    var value: Value? { didSet { children = nil } }
    /// For `ModuleInfo`: the children found in `value`, kept until it is set again.
    var children: [(name: String?, module: Module)]?
    init(_ value: Value?) { self.value = value }
}

/// Reads a wrapped property, stopping with its name when `init` never set it:
/// the mistake is in the module's declaration, not a runtime condition.
@inline(__always)
func readWrapped<Value>(_ storage: WrappedStorage<Value>, _ wrapper: String, _ key: String?) -> Value {
    guard let v = storage.value else {
        preconditionFailure("@\(wrapper)\(key.map { "(key: \"\($0)\")" } ?? "") property read before its module's init set it")
    }
    return v
}

/// A child module property whose state_dict key differs from its Swift
/// name, after mlx-swift's `@ModuleInfo(key:)`: `@ModuleInfo(key: "downsample")`.
/// It holds what a plain property may: a module, an optional one, `[M]`,
/// `[String: M]` or `[(String, M)]` for a `Module` subclass or `any Layer`
/// as `M` (see `Module` for how each names its children). The empty key puts
/// the children directly under the owner's path (nn.Sequential). Set the
/// property in `init` after `super.init()`, or through `_name.wrappedValue`
/// before it; reassigning it later replaces the subtree in every later walk.
@propertyWrapper
public struct ModuleInfo<Value>: ModuleItemWrapper {
    let storage: WrappedStorage<Value>
    /// The saved name; nil keeps the Swift property name.
    public let key: String?

    /// The child (or children) this property holds.
    public var wrappedValue: Value {
        get { readWrapped(storage, "ModuleInfo", key) }
        nonmutating set { storage.value = newValue }
    }

    /// A child (or children) given at the declaration.
    public init(wrappedValue: Value, key: String? = nil) {
        storage = WrappedStorage(wrappedValue)
        self.key = key
    }

    /// A child (or children) set in `init`.
    public init(key: String? = nil) {
        storage = WrappedStorage(nil)
        self.key = key
    }

    func moduleItem(propertyName: String) -> ModuleItem {
        let storage = storage, key = key ?? propertyName
        return .children(key: key, read: {
            if let found = storage.children { return found }
            guard let value = storage.value else { return [] }
            guard let found = Module.children(in: value) else {
                preconditionFailure("@ModuleInfo property '\(propertyName)' holds \(type(of: value)), not modules")
            }
            storage.children = found
            return found
        })
    }
}

/// What a wrapped tensor is to its module: trained (a parameter) or saved
/// state an optimizer never updates (a buffer). A type, not a flag, so that
/// `@ParameterInfo` and `@BufferInfo` are two spellings of one wrapper.
public protocol TensorRole {
    /// True for buffers: in `stateDict()`, not in `parameters()`.
    static var isBuffer: Bool { get }
    /// The attribute's name, for messages.
    static var attribute: String { get }
}

/// The role of `@ParameterInfo` tensors: trained.
public enum TrainedTensor: TensorRole {
    public static let isBuffer = false
    public static let attribute = "ParameterInfo"
}

/// The role of `@BufferInfo` tensors: saved, never trained.
public enum SavedTensor: TensorRole {
    public static let isBuffer = true
    public static let attribute = "BufferInfo"
}

/// A tensor property whose state_dict key differs from its Swift name, after
/// mlx-swift's `@ParameterInfo(key:)`. Spelled `@ParameterInfo(key:)` for a
/// trained tensor (`@ParameterInfo(key: "in_proj_weight") var inProjWeight`)
/// and `@BufferInfo(key:)` for state a checkpoint saves but an optimizer
/// never updates (PyTorch's `register_buffer`, as BatchNorm's
/// `@BufferInfo(key: "running_mean") var runningMean`). Works on `Tensor` and
/// `Tensor?` (nil contributes nothing). Reassigning it is seen by the next walk.
@propertyWrapper
public struct TensorInfo<Value, Role: TensorRole>: ModuleItemWrapper {
    let storage: WrappedStorage<Value>
    let tensor: (Value) -> Tensor?
    /// The saved name; nil keeps the Swift property name.
    public let key: String?

    /// The tensor this property holds.
    public var wrappedValue: Value {
        get { readWrapped(storage, Role.attribute, key) }
        nonmutating set { storage.value = newValue }
    }

    init(_ value: Value?, key: String?, tensor: @escaping (Value) -> Tensor?) {
        storage = WrappedStorage(value)
        self.key = key
        self.tensor = tensor
    }

    func moduleItem(propertyName: String) -> ModuleItem {
        tensorItem(storage, key ?? propertyName, isBuffer: Role.isBuffer, tensor)
    }
}

/// A trained tensor under its own state_dict key (see `TensorInfo`).
public typealias ParameterInfo<Value> = TensorInfo<Value, TrainedTensor>
/// A buffer under its own state_dict key (see `TensorInfo`).
public typealias BufferInfo<Value> = TensorInfo<Value, SavedTensor>

extension TensorInfo where Value == Tensor {
    /// A tensor given at the declaration.
    public init(wrappedValue: Tensor, key: String? = nil) { self.init(wrappedValue, key: key) { $0 } }
    /// A tensor set in `init`.
    public init(key: String? = nil) { self.init(nil, key: key) { $0 } }
}

extension TensorInfo where Value == Tensor? {
    /// An optional tensor given at the declaration.
    public init(wrappedValue: Tensor?, key: String? = nil) { self.init(wrappedValue, key: key) { $0 } }
    /// An optional tensor set in `init`.
    public init(key: String? = nil) { self.init(nil, key: key) { $0 } }
}

/// The live accessor of a wrapped tensor.
private func tensorItem<Value>(_ storage: WrappedStorage<Value>, _ key: String, isBuffer: Bool,
                               _ tensor: @escaping (Value) -> Tensor?) -> ModuleItem {
    precondition(!key.isEmpty, "a tensor needs a non-empty state_dict key")
    return .tensor(key: key, isBuffer: isBuffer, read: { storage.value.flatMap(tensor) })
}
