/// A network part. Parameters and buffers are found by walking the stored
/// properties, never registered by hand: a `Tensor` property is a parameter
/// (or a buffer, when its name is in `bufferNames`), a `Module` property is a
/// child, and an array of modules names its elements 0, 1, 2, ... The dotted
/// paths equal PyTorch's state_dict keys when the properties carry PyTorch's
/// names, so weights move between MedAug and PyTorch unchanged.
public protocol Module: AnyObject {
    /// Names of this module's own tensors that are state but not trained (BatchNorm's running stats).
    var bufferNames: Set<String> { get }
    /// Train/eval mode of this module alone; use `train(_:)` to set a whole tree.
    var isTraining: Bool { get set }
}

extension Module {
    public var bufferNames: Set<String> { [] }

    /// Every child module with its dotted path ("" for self), depth first in property order.
    public func namedModules(prefix: String = "") -> [(String, Module)] {
        var out: [(String, Module)] = [(prefix, self)]
        for (name, value) in Self.storedProperties(of: self) {
            let path = prefix.isEmpty ? name : "\(prefix).\(name)"
            if let m = value as? Module {
                out += m.namedModules(prefix: path)
            } else if let ms = value as? [Module] {
                // nn.Sequential names its children 0, 1, ... right under its own path.
                let base = self is NamesChildrenByPosition ? prefix : path
                for (i, m) in ms.enumerated() { out += m.namedModules(prefix: base.isEmpty ? "\(i)" : "\(base).\(i)") }
            }
        }
        return out
    }

    /// (path, tensor, isBuffer) for every tensor of the tree, in property order.
    public func namedTensors() -> [(name: String, tensor: Tensor, isBuffer: Bool)] {
        var out: [(String, Tensor, Bool)] = []
        for (prefix, module) in namedModules() {
            for (name, value) in Self.storedProperties(of: module) {
                guard let t = value as? Tensor else { continue }
                out.append((prefix.isEmpty ? name : "\(prefix).\(name)", t, module.bufferNames.contains(name)))
            }
        }
        return out
    }

    /// Trainable tensors (those that are not buffers), with their PyTorch names.
    public func namedParameters() -> [(String, Tensor)] {
        namedTensors().filter { !$0.isBuffer }.map { ($0.name, $0.tensor) }
    }

    public func parameters() -> [Tensor] { namedParameters().map(\.1) }

    /// Parameters and buffers: what a checkpoint holds (PyTorch's state_dict).
    public func stateDict() -> [(String, Tensor)] { namedTensors().map { ($0.name, $0.tensor) } }

    /// Sets train (true) or eval (false) mode on the whole tree.
    public func train(_ on: Bool = true) {
        for (_, m) in namedModules() { m.isTraining = on }
    }

    public func eval() { train(false) }

    /// Moves every tensor of the tree; build optimizers after moving.
    public func move(to device: Device) throws(TorchError) {
        for t in namedTensors() { try t.tensor.move(to: device) }
    }

    /// Copies values in by name. Missing, unexpected or mis-shaped keys are
    /// one error listing all of them.
    public func load(stateDict: [String: Tensor], strict: Bool = true) throws(TorchError) {
        let mine = namedTensors()
        let names = Set(mine.map(\.name))
        var problems: [String] = []
        let missing = mine.map(\.name).filter { stateDict[$0] == nil }
        let unexpected = stateDict.keys.filter { !names.contains($0) }.sorted()
        if strict, !missing.isEmpty { problems.append("missing keys: \(missing.joined(separator: ", "))") }
        if strict, !unexpected.isEmpty { problems.append("unexpected keys: \(unexpected.joined(separator: ", "))") }
        for t in mine {
            guard let src = stateDict[t.name] else { continue }
            if src.shape != t.tensor.shape {
                problems.append("shape mismatch for \(t.name): checkpoint \(src.shape), model \(t.tensor.shape)")
            }
        }
        if !problems.isEmpty { throw TorchError("state dict does not fit the model: " + problems.joined(separator: "; ")) }
        for t in mine {
            guard let src = stateDict[t.name] else { continue }
            try t.tensor.assign(src)
        }
    }

    /// Freezes or unfreezes every parameter of the tree.
    public func setRequiresGrad(_ on: Bool) throws(TorchError) {
        for (_, p) in namedParameters() { try p.requiresGrad(on) }
    }

    static func storedProperties(of object: AnyObject) -> [(String, Any)] {
        var out: [(String, Any)] = []
        var mirror: Mirror? = Mirror(reflecting: object)
        var chain: [Mirror] = []
        while let m = mirror {
            chain.append(m)
            mirror = m.superclassMirror
        }
        for m in chain.reversed() {
            for child in m.children {
                guard let label = child.label else { continue }
                // Optional properties hold their value one level down.
                let inner = Mirror(reflecting: child.value)
                if inner.displayStyle == .optional {
                    if let some = inner.children.first { out.append((label, some.value)) }
                } else {
                    out.append((label, child.value))
                }
            }
        }
        return out
    }
}

/// A container whose module array is PyTorch's nn.Sequential: children are
/// named by position directly under the container (`main.0.weight`).
public protocol NamesChildrenByPosition {}

/// A module whose forward pass takes one tensor.
public protocol Layer: Module {
    func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor
}
