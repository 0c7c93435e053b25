import Foundation

/// Reads a PyTorch state_dict saved with `torch.save(model.state_dict(), path)`,
/// e.g. torchvision's published weights, without Python or libtorch's loader
/// (which cannot read an OrderedDict state_dict).
///
/// The file is a zip holding `<archive>/data.pkl` and one `<archive>/data/<key>`
/// record per storage. The pickle runs on a restricted VM
/// (`StateDictPickle`) that builds only dicts, tensors and plain values and
/// never executes code. float16 and bfloat16 tensors come back as float32
/// (MedAug has no 16-bit float dtype); every other supported dtype is kept.
/// A damaged, truncated or hostile file is a `CheckpointError` naming the
/// file; only a failure inside libtorch (building a tensor) is a `TorchError`.
public enum PyTorchStateDict {
    /// The state_dict's tensors, in the file's key order.
    public static func read(_ path: String) throws -> [(String, Tensor)] {
        let data: Data
        do {
            // Mapped, so a large checkpoint is not held twice while its tensors are built.
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw CheckpointError(file: path, "cannot read checkpoint file")
        }
        return try data.withUnsafeBytes { raw in try decode(raw, source: path) }
    }

    /// The same from bytes in memory; `source` names them in errors.
    public static func decode(_ bytes: [UInt8], source: String = "<memory>") throws -> [(String, Tensor)] {
        try bytes.withUnsafeBytes { raw in try decode(raw, source: source) }
    }

    /// `maxTensorBytes` defaults to 4 times the file plus 64 MiB: room for
    /// tied weights and 16-bit floats widened to float32.
    static func decode(_ raw: UnsafeRawBufferPointer, source: String, maxTensorBytes: Int? = nil) throws -> [(String, Tensor)] {
        do {
            return try parse(raw, maxTensorBytes: maxTensorBytes ?? (4 * raw.count + (64 << 20)))
        } catch let error as CheckpointError {
            throw CheckpointError(file: source, "not a readable PyTorch state_dict: \(error.message)")
        }
    }

    private static func parse(_ raw: UnsafeRawBufferPointer, maxTensorBytes: Int) throws -> [(String, Tensor)] {
        let zip = try PyTorchZip(raw)
        let archive = try archiveName(zip)
        var bigEndian = false
        if zip.entry("\(archive)/byteorder") != nil {
            let mark = Array(try zip.data("\(archive)/byteorder"))
            switch mark {
            case Array("little".utf8): bigEndian = false
            case Array("big".utf8): bigEndian = true
            default: throw CheckpointError("byteorder record is neither 'little' nor 'big'")
            }
        }
        let root = try StateDictPickle.load(try zip.data("\(archive)/data.pkl"))
        guard case .dict(let dict) = root else { throw CheckpointError("data.pkl holds \(root.kind), not a dict of tensors") }

        var out: [(String, Tensor)] = []
        out.reserveCapacity(dict.entries.count)
        var built: [ObjectIdentifier: Tensor] = [:]
        var storageTypes: [String: StateDictPickle.StorageType] = [:]
        // Each tensor is at most its storage, but a small pickle can name one storage many times.
        var tensorBytes = 0
        for (key, value) in dict.entries {
            guard case .string(let name) = key else { throw CheckpointError("the dict has a key that is \(key.kind), not a string") }
            guard case .tensor(let spec) = value else {
                throw CheckpointError("entry '\(name)' holds \(value.kind), not a tensor (MedAug reads a plain state_dict; a training checkpoint keeps one under a key such as 'state_dict' or 'model')")
            }
            // The same pickled tensor under two names (tied weights) stays one tensor.
            if let t = built[ObjectIdentifier(spec)] {
                out.append((name, t))
                continue
            }
            let storage = spec.storage
            if let seen = storageTypes[storage.key], seen != storage.type {
                throw CheckpointError("storage '\(storage.key)' is read as two different types")
            }
            storageTypes[storage.key] = storage.type
            let t: Tensor
            do {
                let record = try zip.data("\(archive)/data/\(storage.key)")
                t = try PyTorchStorage.tensor(spec, record: record, bigEndian: bigEndian)
            } catch let error as CheckpointError {
                throw CheckpointError("tensor '\(name)': \(error.message)")
            } catch let error as TensorInputError {
                throw CheckpointError("tensor '\(name)': \(error.message)")
            }
            tensorBytes += t.count * t.dtype.size
            guard tensorBytes <= maxTensorBytes else {
                throw CheckpointError("its tensors take more than \(maxTensorBytes) bytes, far more than the file holds (one storage read as many tensors)")
            }
            built[ObjectIdentifier(spec)] = t
            out.append((name, t))
        }
        return out
    }

    /// The top folder that holds data.pkl (torch.save names it after the file).
    private static func archiveName(_ zip: PyTorchZip) throws(CheckpointError) -> String {
        let tops = zip.entries.compactMap { e -> String? in
            let parts = e.name.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == 2 && parts[1] == "data.pkl" ? String(parts[0]) : nil
        }
        guard tops.count == 1 else {
            if tops.count > 1 { throw CheckpointError("the archive holds \(tops.count) data.pkl entries") }
            if zip.entries.contains(where: { $0.name.hasSuffix("/constants.pkl") }) {
                throw CheckpointError("this is a TorchScript archive (torch.jit.save), not a torch.save state_dict")
            }
            throw CheckpointError("the zip has no <archive>/data.pkl entry, so it was not written by torch.save")
        }
        return tops[0]
    }
}
