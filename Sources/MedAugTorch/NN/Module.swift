/// A network part, as PyTorch's nn.Module. Parameters, buffers and children
/// are found, never registered by hand, so a layer cannot forget to register
/// one: the stored properties are read once (by reflection, on first use) and
/// what was found is kept. Each tensor's dotted path is PyTorch's state_dict
/// key, so weights move between MedAug and PyTorch unchanged.
///
/// What a stored property contributes, and under which key:
/// - a `Tensor` (or `Tensor?` holding one): a parameter, keyed by the property name;
/// - `@ParameterInfo(key:)` / `@BufferInfo(key:)` on a `Tensor`: a parameter or a buffer
///   (state that is saved but not trained), under `key` when the saved name
///   differs from the Swift name (`runningMean` is saved as `running_mean`);
/// - a `Module` (or `Module?` holding one): a child, keyed by the property name;
/// - `[M]`: children `name.0`, `name.1`, ... (nn.ModuleList);
/// - `[String: M]`: children `name.<key>`, in sorted key order (a Swift
///   dictionary has no insertion order to keep);
/// - `[(String, M)]`: children `name.<key>` in array order (an OrderedDict,
///   as torchvision's `features.denseblock1.denselayer1` nests them);
/// - `@ModuleInfo(key:)` on any of these: the same, under `key`; the empty
///   key puts the children directly under this module's own path, which is
///   how nn.Sequential names its layers (`main.0.weight`).
///
/// A state_dict lists a module's own tensors (in property order) before its
/// children's, depth first, as PyTorch does.
///
/// Wrapped properties are read live at every walk, so reassigning one
/// (`downsample = ...`, `runningMean = ...`) is seen at once. Plain
/// properties are captured when first found: declare them with `let`, and
/// use a wrapper for any tensor or child that is reassigned after `init`.
///
/// The first walk fills that cache, so a module belongs to one thread at a
/// time (it is not `Sendable`), as a network being trained does anyway.
open class Module {
    /// Train (true) or eval (false) mode of this module alone: dropout and
    /// batch norm read it at every call. Use `train(_:)` to set a whole tree.
    public var isTraining = true

    /// What discovery found on this module (its own tensors and its child
    /// slots, not the whole tree), kept after the first walk.
    private var discovered: [ModuleItem]?

    /// How often this module's properties were read by reflection: once, for tests to check.
    private(set) var discoveries = 0

    /// Modules have no state of their own beyond their properties. Called
    /// as `init()`; the unnamed `Void` parameter only keeps the plain
    /// `init()` free for subclasses, so that a layer may declare
    /// `init() throws` (building its children throws) without overriding this.
    public init(_: Void = ()) {}

    /// This module's own tensors and child slots, found on first use.
    final var items: [ModuleItem] {
        if let discovered { return discovered }
        let found = Module.discoverItems(of: self)
        discovered = found
        discoveries += 1
        return found
    }
}

/// One thing a module holds: a tensor read through an accessor, or a slot
/// with zero or more children. Accessors, not values, are kept, so that a
/// wrapped property that is reassigned is read anew.
enum ModuleItem {
    case tensor(key: String, isBuffer: Bool, read: () -> Tensor?)
    /// Children under `key`; each has an optional name below it (an index or a dictionary key).
    case children(key: String, read: () -> [(name: String?, module: Module)])
}

/// The discovery hook of `ModuleInfo`, `ParameterInfo` and `BufferInfo`.
protocol ModuleItemWrapper {
    func moduleItem(propertyName: String) -> ModuleItem
}

extension Module {
    /// Every module of the tree with its dotted path ("" for self), depth first in property order.
    public func namedModules(prefix: String = "") -> [(String, Module)] {
        var out: [(String, Module)] = []
        walk(prefix: prefix, modules: { out.append(($0, $1)) }, tensors: { _, _, _ in })
        return out
    }

    /// (path, tensor, isBuffer) for every tensor of the tree, in PyTorch's state_dict order.
    public func namedTensors() -> [(name: String, tensor: Tensor, isBuffer: Bool)] {
        var out: [(name: String, tensor: Tensor, isBuffer: Bool)] = []
        walk(prefix: "", modules: { _, _ in }, tensors: { out.append(($0, $1, $2)) })
        return out
    }

    /// Trainable tensors (those that are not buffers), with their PyTorch names.
    public func namedParameters() -> [(String, Tensor)] {
        namedTensors().filter { !$0.isBuffer }.map { ($0.name, $0.tensor) }
    }

    /// What an optimizer updates: every tensor that is not a buffer.
    public func parameters() -> [Tensor] { namedParameters().map(\.1) }

    /// Parameters and buffers: what a checkpoint holds (PyTorch's state_dict).
    public func stateDict() -> [(String, Tensor)] { namedTensors().map { ($0.name, $0.tensor) } }

    /// Sets train (true) or eval (false) mode on the whole tree.
    public func train(_ on: Bool = true) {
        for (_, m) in namedModules() { m.isTraining = on }
    }

    /// Eval mode on the whole tree: dropout off, batch norm on its running statistics.
    public func eval() { train(false) }

    /// Moves every tensor of the tree; build optimizers after moving.
    public func move(to device: Device) throws(TorchError) {
        for t in namedTensors() { try t.tensor.move(to: device) }
    }

    /// Copies values in by name. Missing, unexpected, mis-shaped or
    /// mis-typed keys, and floating-point values that are not finite, are one
    /// `CheckpointError` listing them (a few of each kind, then a count); a
    /// failure while copying is libtorch's (`TorchError`).
    public func load(stateDict: [String: Tensor], strict: Bool = true) throws {
        let mine = namedTensors()
        let names = Set(mine.map(\.name))
        var problems: [String] = []
        let missing = mine.map(\.name).filter { stateDict[$0] == nil }
        let unexpected = stateDict.keys.filter { !names.contains($0) }.sorted()
        if strict, !missing.isEmpty { problems.append("missing keys: " + Self.listed(missing)) }
        if strict, !unexpected.isEmpty { problems.append("unexpected keys: " + Self.listed(unexpected)) }
        var misfits: [String] = []
        for t in mine {
            guard let src = stateDict[t.name] else { continue }
            if src.shape != t.tensor.shape {
                misfits.append("shape mismatch for \(t.name): checkpoint \(src.shape), model \(t.tensor.shape)")
            } else if src.dtype.isFloatingPoint != t.tensor.dtype.isFloatingPoint {
                // An integer tensor converted into a weight is never what was trained.
                misfits.append("type mismatch for \(t.name): checkpoint \(src.dtype), model \(t.tensor.dtype)")
            } else if src.dtype.isFloatingPoint, try !Self.allFinite(src) {
                // A diverged run's weights: evaluating them gives NaN probabilities, not a score.
                misfits.append("\(t.name) holds NaN or infinite values")
            }
        }
        if !misfits.isEmpty {
            problems.append(misfits.prefix(5).joined(separator: "; ") + (misfits.count > 5 ? "; and \(misfits.count - 5) more" : ""))
        }
        if !problems.isEmpty { throw CheckpointError("state dict does not fit the model: " + problems.joined(separator: "; ")) }
        for t in mine {
            guard let src = stateDict[t.name] else { continue }
            try t.tensor.assign(src)
        }
    }

    /// Up to five names, then how many more: a mismatched file can hold
    /// hundreds of thousands of keys, and the message stays one line.
    static func listed(_ keys: [String]) -> String {
        keys.prefix(5).joined(separator: ", ") + (keys.count > 5 ? " and \(keys.count - 5) more" : "")
    }

    /// x - x is 0 for finite x and NaN for NaN or ±inf, so one sum tells.
    static func allFinite(_ t: Tensor) throws(TorchError) -> Bool {
        if t.count == 0 { return true }
        let diff = try t - t
        return try diff.sum().item().isFinite
    }

    /// Freezes or unfreezes every parameter of the tree.
    public func setRequiresGrad(_ on: Bool) throws(TorchError) {
        for (_, p) in namedParameters() { try p.requiresGrad(on) }
    }

    /// Depth first over the kept items: a module, its own tensors, then each child's subtree.
    private func walk(prefix: String, modules: (String, Module) -> Void, tensors: (String, Tensor, Bool) -> Void) {
        modules(prefix, self)
        let items = self.items
        for case let .tensor(key, isBuffer, read) in items {
            if let t = read() { tensors(Module.join(prefix, key), t, isBuffer) }
        }
        for case let .children(key, read) in items {
            let base = Module.join(prefix, key)
            for (name, child) in read() {
                child.walk(prefix: Module.join(base, name ?? ""), modules: modules, tensors: tensors)
            }
        }
    }

    /// Joins path segments with dots; an empty segment adds nothing.
    static func join(_ a: String, _ b: String) -> String {
        a.isEmpty ? b : b.isEmpty ? a : "\(a).\(b)"
    }

    /// Reads the stored properties of `module`'s class and its superclasses
    /// (base first, stopping at `Module`) into items, in property order.
    static func discoverItems(of module: Module) -> [ModuleItem] {
        var chain: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: module)
        while let m = mirror, m.subjectType != Module.self {
            chain.append(m)
            mirror = m.superclassMirror
        }
        var items: [ModuleItem] = []
        for m in chain.reversed() {
            for child in m.children {
                guard let label = child.label else { continue }
                if let wrapper = child.value as? any ModuleItemWrapper {
                    // A wrapper's backing storage is labelled `_name`.
                    let name = label.hasPrefix("_") ? String(label.dropFirst()) : label
                    items.append(wrapper.moduleItem(propertyName: name))
                } else if let item = plainItem(key: label, value: child.value) {
                    items.append(item)
                }
            }
        }
        var seen = Set<String>()
        for item in items {
            let key: String
            switch item {
            case let .tensor(k, _, _): key = k
            case let .children(k, _): key = k
            }
            // Two items under one key would collide in every state_dict: a mistake in the module's declaration.
            precondition(key.isEmpty || seen.insert(key).inserted,
                         "\(type(of: module)) declares two tensors or children under the key '\(key)'")
        }
        return items
    }

    /// The item of an unwrapped property, its value captured now; nil for
    /// properties that hold no tensor or module (sizes, flags, configs) and
    /// for optionals that are nil.
    private static func plainItem(key: String, value: Any) -> ModuleItem? {
        guard let value = unwrapped(value) else { return nil }
        if let t = value as? Tensor { return .tensor(key: key, isBuffer: false, read: { t }) }
        guard let found = children(in: value) else { return nil }
        return .children(key: key, read: { found })
    }

    /// The children a property value holds, named below the property's key
    /// (nil name: the value is the child itself); nil when it holds no
    /// modules. A nil optional holds none.
    static func children(in value: Any) -> [(name: String?, module: Module)]? {
        guard let value = unwrapped(value) else { return [] }
        if let m = value as? Module { return [(nil, m)] }
        if let list = value as? [Module] {
            return list.enumerated().map { (String($0.offset), $0.element) }
        }
        if let pairs = value as? [(String, Module)] { return pairs.map { ($0.0, $0.1) } }
        if let dict = value as? [String: Module] {
            return dict.keys.sorted().compactMap { k in dict[k].map { (k, $0) } }
        }
        return nil
    }

    /// The value inside an optional (nil when it is nil), or the value itself.
    private static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.map { unwrapped($0.value) } ?? nil
    }
}

/// A module whose forward pass takes one tensor: what `Sequential` chains
/// and what a classifier is.
public protocol Layer: Module {
    /// The forward pass; PyTorch's `forward`.
    func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor
}
