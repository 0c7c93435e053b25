/// A restricted unpickler for the `data.pkl` of a torch.save'd state_dict.
///
/// Python's pickle is a program: GLOBAL names any importable callable and
/// REDUCE calls it. This VM runs only the opcodes a state_dict uses and
/// resolves only the globals such a file needs, into inert Swift values; it
/// calls nothing, and any other opcode or global is an error naming it. It
/// also never lets a container change after it was put inside another one
/// (CPython's pickler never does that for acyclic data), so values are
/// acyclic and their nesting depth is known and bounded: no recursion on a
/// value can run away.
enum StateDictPickle {
    /// Deeper nesting than any state_dict needs (the deepest is about 4).
    static let maxDepth = 64
    /// libtorch allows more, but MedAug's `Tensor.shape` reads at most 16.
    static let maxDims = 16

    /// The torch storage classes a persistent id may name.
    enum StorageType: Equatable {
        case float32, float64, int64, int32, uint8, bool, float16, bfloat16, untyped

        var elementSize: Int {
            switch self {
            case .float64, .int64: return 8
            case .float32, .int32: return 4
            case .float16, .bfloat16: return 2
            case .uint8, .bool, .untyped: return 1
            }
        }

        /// What MedAug holds it as: 16-bit floats widen to float32.
        var dtype: DType {
            switch self {
            case .float32, .float16, .bfloat16: return .float32
            case .float64: return .float64
            case .int64: return .int64
            case .int32: return .int32
            case .uint8, .untyped: return .uint8
            case .bool: return .bool
            }
        }
    }

    enum Global: Equatable {
        case orderedDict, rebuildTensorV2, rebuildParameter
        case storage(StorageType)
    }

    /// A persistent id ('storage', type, key, location, numel).
    struct StorageRef {
        var type: StorageType
        var key: String
        var location: String
        var count: Int
    }

    /// `_rebuild_tensor_v2`'s arguments; a class so that a memoized tensor
    /// used twice stays one tensor.
    final class TensorSpec {
        let storage: StorageRef
        let offset: Int
        let size: [Int]
        let stride: [Int]
        init(storage: StorageRef, offset: Int, size: [Int], stride: [Int]) {
            self.storage = storage; self.offset = offset; self.size = size; self.stride = stride
        }
    }

    final class List {
        var items: [Value] = []
        var depth = 1
        var frozen = false
    }

    /// A dict or OrderedDict: insertion order is kept; a repeated string key
    /// replaces the value in place, as in Python.
    final class Dict {
        var entries: [(key: Value, value: Value)] = []
        var stringKeys: [String: Int] = [:]
        var depth = 1
        var frozen = false
    }

    enum Value {
        case none
        case bool(Bool)
        case int(Int64)
        case float(Double)
        case string(String)
        case tuple([Value], depth: Int)
        case list(List)
        case dict(Dict)
        case global(Global)
        case storage(StorageRef)
        case tensor(TensorSpec)

        var depth: Int {
            switch self {
            case .tuple(_, let d): return d
            case .list(let l): return l.depth
            case .dict(let d): return d.depth
            default: return 0
            }
        }

        var kind: String {
            switch self {
            case .none: return "None"
            case .bool: return "a bool"
            case .int: return "an int"
            case .float: return "a float"
            case .string: return "a string"
            case .tuple: return "a tuple"
            case .list: return "a list"
            case .dict: return "a dict"
            case .global: return "a class or function"
            case .storage: return "a storage"
            case .tensor: return "a tensor"
            }
        }

        /// Marks a container as nested, so it can no longer change.
        func freeze() {
            switch self {
            case .list(let l): l.frozen = true
            case .dict(let d): d.frozen = true
            default: break
            }
        }
    }

    /// Runs `data.pkl` and returns the value STOP left.
    static func load(_ pickle: UnsafeRawBufferPointer) throws(CheckpointError) -> Value {
        var vm = Machine(code: pickle)
        return try vm.run()
    }

    /// Maps a GLOBAL to an allowed value, or refuses it by name.
    static func resolve(module: String, name: String) throws(CheckpointError) -> Global {
        switch (module, name) {
        case ("collections", "OrderedDict"): return .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): return .rebuildTensorV2
        case ("torch._utils", "_rebuild_parameter"): return .rebuildParameter
        // torch.UntypedStorage is what torch.save writes; older files may name the module.
        case ("torch", "UntypedStorage"), ("torch.storage", "UntypedStorage"): return .storage(.untyped)
        default: break
        }
        // Files saved from a GPU by old PyTorch versions name torch.cuda's storage classes.
        if module == "torch" || module == "torch.cuda" {
            switch name {
            case "FloatStorage": return .storage(.float32)
            case "DoubleStorage": return .storage(.float64)
            case "LongStorage": return .storage(.int64)
            case "IntStorage": return .storage(.int32)
            case "ByteStorage": return .storage(.uint8)
            case "BoolStorage": return .storage(.bool)
            case "HalfStorage": return .storage(.float16)
            case "BFloat16Storage": return .storage(.bfloat16)
            default:
                if name.hasSuffix("Storage") {
                    throw CheckpointError("tensors stored as \(module).\(name) are not supported (MedAug reads float64/32/16, bfloat16, int64, int32, uint8 and bool)")
                }
            }
        }
        var hint = ""
        if module == "torch._utils" || module == "torch._tensor" {
            hint = " (a tensor subclass, quantized tensor or new dtype, which MedAug does not read)"
        } else if module.hasPrefix("__torch__") {
            hint = " (this looks like a TorchScript archive from torch.jit.save, not a torch.save state_dict)"
        }
        throw CheckpointError("data.pkl refers to the Python global \(module).\(name)\(hint); MedAug's reader allows only the globals of a plain state_dict and never runs code from a file")
    }

    struct Machine {
        let code: UnsafeRawBufferPointer
        var pc = 0
        var stack: [Value] = []
        var marks: [Int] = []
        var memo: [UInt32: Value] = [:]

        init(code: UnsafeRawBufferPointer) { self.code = code }

        mutating func run() throws(CheckpointError) -> Value {
            while true {
                let at = pc
                let op = try byte()
                switch op {
                case 0x80: // PROTO
                    let v = try byte()
                    guard (2...5).contains(v) else { throw fail(at, "pickle protocol \(v) is not supported") }
                case 0x95: // FRAME: only a read-ahead hint
                    _ = try bytes(8)
                case 0x2E: // STOP
                    guard marks.isEmpty, stack.count == 1 else {
                        throw fail(at, "STOP with \(stack.count) values and \(marks.count) open marks on the stack")
                    }
                    return stack[0]
                case 0x28: // MARK
                    marks.append(stack.count)
                case 0x4E: push(.none)
                case 0x88: push(.bool(true))
                case 0x89: push(.bool(false))
                case 0x4B: push(.int(Int64(try byte()))) // BININT1
                case 0x4D: push(.int(Int64(try uint(2)))) // BININT2
                case 0x4A: push(.int(Int64(Int32(truncatingIfNeeded: try uint(4))))) // BININT
                case 0x8A: // LONG1: little-endian two's complement
                    let n = Int(try byte())
                    guard n <= 8 else { throw fail(at, "an integer of \(n) bytes is out of range") }
                    let raw = try bytes(n)
                    var v: UInt64 = 0
                    for (i, b) in raw.enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
                    if n > 0 && n < 8 && raw[n - 1] & 0x80 != 0 { v |= UInt64.max << (8 * UInt64(n)) }
                    push(.int(Int64(bitPattern: v)))
                case 0x47: // BINFLOAT: big-endian
                    let raw = try bytes(8)
                    push(.float(Double(bitPattern: raw.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })))
                case 0x58: push(.string(try text(at, length: try uint(4)))) // BINUNICODE
                case 0x8C: push(.string(try text(at, length: UInt64(try byte())))) // SHORT_BINUNICODE
                case 0x8D: push(.string(try text(at, length: try uint(8)))) // BINUNICODE8
                case 0x7D: push(.dict(Dict())) // EMPTY_DICT
                case 0x5D: push(.list(List())) // EMPTY_LIST
                case 0x29: push(.tuple([], depth: 1)) // EMPTY_TUPLE
                case 0x74: push(try tuple(at, try popMark(at))) // TUPLE
                case 0x85, 0x86, 0x87: // TUPLE1, TUPLE2, TUPLE3
                    let n = Int(op - 0x84)
                    guard stack.count - (marks.last ?? 0) >= n else { throw fail(at, "TUPLE\(n) on a stack of fewer values") }
                    let items = Array(stack.suffix(n))
                    stack.removeLast(n)
                    push(try tuple(at, items))
                case 0x63: // GLOBAL "module\nname\n"
                    let module = try line(at), name = try line(at)
                    push(.global(try resolve(module: module, name: name)))
                case 0x93: // STACK_GLOBAL
                    let nameValue = try pop(at), moduleValue = try pop(at)
                    guard case .string(let name) = nameValue, case .string(let module) = moduleValue else {
                        throw fail(at, "STACK_GLOBAL needs two strings")
                    }
                    push(.global(try resolve(module: module, name: name)))
                case 0x51: // BINPERSID
                    push(.storage(try storage(at, try pop(at))))
                case 0x52: // REDUCE
                    let args = try pop(at), callable = try pop(at)
                    push(try reduce(at, callable, args))
                case 0x62: // BUILD: only the OrderedDict's `_metadata` attribute comes here; it is dropped
                    let state = try pop(at), target = try top(at)
                    guard case .dict = target else { throw fail(at, "BUILD on \(target.kind)") }
                    guard case .dict = state else { throw fail(at, "BUILD with \(state.kind) as state") }
                case 0x73: // SETITEM
                    let value = try pop(at), key = try pop(at)
                    try setItems(at, [key, value])
                case 0x75: // SETITEMS
                    let items = try popMark(at)
                    guard items.count % 2 == 0 else { throw fail(at, "SETITEMS with an odd number of values") }
                    try setItems(at, items)
                case 0x61: // APPEND
                    try append(at, [try pop(at)])
                case 0x65: // APPENDS
                    try append(at, try popMark(at))
                case 0x71: try put(at, UInt32(try byte())) // BINPUT
                case 0x72: try put(at, UInt32(try uint(4))) // LONG_BINPUT
                case 0x94: try put(at, UInt32(truncatingIfNeeded: memo.count)) // MEMOIZE
                case 0x68: try get(at, UInt32(try byte())) // BINGET
                case 0x6A: try get(at, UInt32(try uint(4))) // LONG_BINGET
                default:
                    throw fail(at, "opcode \(opcodeName(op)) is not allowed in a state_dict")
                }
            }
        }

        func fail(_ at: Int, _ why: String) -> CheckpointError { CheckpointError("data.pkl at byte \(at): \(why)") }

        mutating func byte() throws(CheckpointError) -> UInt8 {
            guard pc < code.count else { throw CheckpointError("data.pkl ends at byte \(code.count) before its STOP opcode") }
            defer { pc += 1 }
            return code[pc]
        }

        mutating func bytes(_ n: Int) throws(CheckpointError) -> UnsafeRawBufferPointer {
            guard n <= code.count - pc else { throw CheckpointError("data.pkl ends at byte \(code.count) inside an opcode's argument") }
            defer { pc += n }
            return UnsafeRawBufferPointer(rebasing: code[pc..<(pc + n)])
        }

        mutating func uint(_ n: Int) throws(CheckpointError) -> UInt64 {
            try bytes(n).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }

        mutating func text(_ at: Int, length: UInt64) throws(CheckpointError) -> String {
            guard length <= UInt64(code.count - pc) else { throw fail(at, "a string of \(length) bytes runs past the end of data.pkl") }
            guard let s = String(validating: try bytes(Int(length)), as: UTF8.self) else { throw fail(at, "a string is not valid UTF-8") }
            return s
        }

        mutating func line(_ at: Int) throws(CheckpointError) -> String {
            let start = pc
            // Python module paths and names are short; a long "line" is not one.
            while pc < code.count, code[pc] != 0x0A {
                guard pc - start < 256 else { throw fail(at, "GLOBAL name longer than 256 bytes") }
                pc += 1
            }
            guard pc < code.count else { throw CheckpointError("data.pkl ends inside a GLOBAL name") }
            let raw = UnsafeRawBufferPointer(rebasing: code[start..<pc])
            pc += 1
            guard raw.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), let s = String(validating: raw, as: UTF8.self) else {
                throw fail(at, "GLOBAL name is not printable ASCII")
            }
            return s
        }

        mutating func push(_ v: Value) { stack.append(v) }

        /// Pops within the innermost mark, as CPython does.
        mutating func pop(_ at: Int) throws(CheckpointError) -> Value {
            guard stack.count > (marks.last ?? 0) else { throw fail(at, "stack underflow") }
            return stack.removeLast()
        }

        func top(_ at: Int) throws(CheckpointError) -> Value {
            guard stack.count > (marks.last ?? 0), let v = stack.last else { throw fail(at, "stack underflow") }
            return v
        }

        mutating func popMark(_ at: Int) throws(CheckpointError) -> [Value] {
            guard let m = marks.popLast() else { throw fail(at, "no MARK to pop to") }
            let items = Array(stack[m...])
            stack.removeSubrange(m...)
            return items
        }

        func tuple(_ at: Int, _ items: [Value]) throws(CheckpointError) -> Value {
            .tuple(items, depth: try nest(at, items))
        }

        /// Freezes `items` as children of a new container and returns its depth.
        func nest(_ at: Int, _ items: [Value], into depth: Int = 1) throws(CheckpointError) -> Int {
            var d = depth
            for v in items {
                v.freeze()
                d = max(d, v.depth + 1)
            }
            guard d <= StateDictPickle.maxDepth else { throw fail(at, "values nested deeper than \(StateDictPickle.maxDepth) levels") }
            return d
        }

        mutating func setItems(_ at: Int, _ items: [Value]) throws(CheckpointError) {
            let target = try top(at)
            guard case .dict(let d) = target else { throw fail(at, "SETITEM on \(target.kind)") }
            let depth = try nest(at, items, into: d.depth)
            // Checked after freezing the items, so a dict cannot be put into itself.
            guard !d.frozen else { throw fail(at, "a dict changes after being nested (recursive data is not a state_dict)") }
            d.depth = depth
            for i in stride(from: 0, to: items.count, by: 2) {
                let key = items[i], value = items[i + 1]
                if case .string(let s) = key {
                    if let j = d.stringKeys[s] { d.entries[j].value = value; continue }
                    d.stringKeys[s] = d.entries.count
                }
                d.entries.append((key, value))
            }
        }

        mutating func append(_ at: Int, _ items: [Value]) throws(CheckpointError) {
            let target = try top(at)
            guard case .list(let l) = target else { throw fail(at, "APPEND on \(target.kind)") }
            let depth = try nest(at, items, into: l.depth)
            guard !l.frozen else { throw fail(at, "a list changes after being nested (recursive data is not a state_dict)") }
            l.depth = depth
            l.items += items
        }

        mutating func put(_ at: Int, _ index: UInt32) throws(CheckpointError) {
            memo[index] = try top(at)
        }

        mutating func get(_ at: Int, _ index: UInt32) throws(CheckpointError) {
            guard let v = memo[index] else { throw fail(at, "memo entry \(index) was never stored") }
            push(v)
        }

        func storage(_ at: Int, _ pid: Value) throws(CheckpointError) -> StorageRef {
            guard case .tuple(let t, _) = pid, t.count == 5, case .string("storage") = t[0] else {
                throw fail(at, "persistent id is \(pid.kind), not ('storage', type, key, location, numel)")
            }
            guard case .global(.storage(let type)) = t[1] else { throw fail(at, "persistent id names \(t[1].kind), not a storage type") }
            guard case .string(let key) = t[2], !key.isEmpty, key.utf8.count <= 64,
                  key.utf8.allSatisfy({ $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
                throw fail(at, "persistent id has a storage key that is not a short alphanumeric name")
            }
            guard case .string(let location) = t[3] else { throw fail(at, "persistent id has no device string") }
            guard case .int(let n) = t[4], n >= 0 else { throw fail(at, "persistent id has no valid element count") }
            return StorageRef(type: type, key: key, location: location, count: Int(n))
        }

        func reduce(_ at: Int, _ callable: Value, _ args: Value) throws(CheckpointError) -> Value {
            guard case .global(let g) = callable else { throw fail(at, "REDUCE calls \(callable.kind)") }
            guard case .tuple(let a, _) = args else { throw fail(at, "REDUCE with \(args.kind) as arguments") }
            switch g {
            case .orderedDict:
                guard a.isEmpty else { throw fail(at, "OrderedDict built from arguments") }
                return .dict(Dict())
            case .rebuildParameter:
                guard a.count == 3, case .tensor = a[0] else { throw fail(at, "_rebuild_parameter without (tensor, requires_grad, hooks)") }
                return a[0]
            case .rebuildTensorV2:
                return .tensor(try rebuildTensor(at, a))
            case .storage:
                throw fail(at, "REDUCE calls a storage class")
            }
        }

        /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])`.
        func rebuildTensor(_ at: Int, _ a: [Value]) throws(CheckpointError) -> TensorSpec {
            guard a.count == 6 || a.count == 7 else { throw fail(at, "_rebuild_tensor_v2 with \(a.count) arguments") }
            guard case .storage(let storage) = a[0] else { throw fail(at, "_rebuild_tensor_v2 on \(a[0].kind), not a storage") }
            guard case .int(let offset) = a[1], offset >= 0 else { throw fail(at, "_rebuild_tensor_v2 with an invalid storage offset") }
            let size = try ints(at, a[2], "size"), stride = try ints(at, a[3], "stride")
            guard size.count == stride.count else { throw fail(at, "tensor size \(size) and stride \(stride) differ in length") }
            guard size.count <= StateDictPickle.maxDims else { throw fail(at, "a tensor of \(size.count) dimensions (MedAug allows \(StateDictPickle.maxDims))") }
            // A neg or conj bit means the stored values are not the tensor's values.
            if a.count == 7, case .dict(let meta) = a[6] {
                for (k, v) in meta.entries {
                    if case .bool(false) = v { continue }
                    let flag: String
                    if case .string(let s) = k { flag = "'\(s)'" } else { flag = k.kind }
                    throw fail(at, "tensor saved with its lazy \(flag) bit set; call .resolve_neg()/.resolve_conj() before saving")
                }
            }
            return TensorSpec(storage: storage, offset: Int(offset), size: size, stride: stride)
        }

        func ints(_ at: Int, _ v: Value, _ what: String) throws(CheckpointError) -> [Int] {
            guard case .tuple(let t, _) = v else { throw fail(at, "tensor \(what) is \(v.kind), not a tuple") }
            var out: [Int] = []
            for x in t {
                guard case .int(let i) = x, i >= 0 else { throw fail(at, "tensor \(what) holds a value that is not a non-negative int") }
                out.append(Int(i))
            }
            return out
        }
    }

    static func opcodeName(_ op: UInt8) -> String {
        let names: [UInt8: String] = [
            0x69: "INST", 0x6F: "OBJ", 0x81: "NEWOBJ", 0x92: "NEWOBJ_EX", 0x50: "PERSID", 0x64: "DICT", 0x6C: "LIST",
            0x49: "INT", 0x4C: "LONG", 0x8B: "LONG4", 0x46: "FLOAT", 0x53: "STRING", 0x54: "BINSTRING",
            0x55: "SHORT_BINSTRING", 0x56: "UNICODE", 0x42: "BINBYTES", 0x43: "SHORT_BINBYTES", 0x8E: "BINBYTES8",
            0x96: "BYTEARRAY8", 0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER", 0x30: "POP", 0x31: "POP_MARK",
            0x32: "DUP", 0x67: "GET", 0x70: "PUT", 0x82: "EXT1", 0x83: "EXT2", 0x84: "EXT4", 0x8F: "EMPTY_SET",
            0x90: "ADDITEMS", 0x91: "FROZENSET",
        ]
        return names[op].map { "\($0) (0x\(String(op, radix: 16)))" } ?? "0x\(String(op, radix: 16))"
    }
}
