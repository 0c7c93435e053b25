/// The zip container of a `torch.save` file, read by MedAug's own code.
///
/// torch.save writes every entry stored (uncompressed), with data
/// descriptors, so the sizes come from the central directory, and it always
/// adds ZIP64 end records. The reader keeps only offsets into the caller's
/// buffer: it must not outlive the `withUnsafeBytes` scope that made it.
/// Every offset and length from the file is checked against the buffer
/// before use; messages carry no file name (the caller adds it).
struct PyTorchZip {
    struct Entry {
        var name: String
        var method: UInt16
        var flags: UInt16
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int
    }

    let bytes: UnsafeRawBufferPointer
    /// Entries in central-directory order.
    private(set) var entries: [Entry] = []
    private var index: [String: Int] = [:]

    init(_ bytes: UnsafeRawBufferPointer) throws(CheckpointError) {
        self.bytes = bytes
        let (cdOffset, cdSize, count) = try endRecords()
        guard cdSize <= bytes.count - cdOffset else {
            throw CheckpointError("central directory (\(cdSize) bytes at \(cdOffset)) runs past the end of the file")
        }
        // Each record is at least 46 bytes: a count above that is a lie, not a reason to allocate.
        guard count <= cdSize / 46 else {
            throw CheckpointError("end record claims \(count) entries, more than a \(cdSize)-byte central directory holds")
        }
        entries.reserveCapacity(count)
        var p = cdOffset
        let cdEnd = cdOffset + cdSize
        for _ in 0..<count {
            guard cdEnd - p >= 46, u32(p) == 0x0201_4b50 else {
                throw CheckpointError("central directory record \(entries.count) is damaged")
            }
            let flags = u16(p + 8), method = u16(p + 10)
            let crc = u32(p + 16)
            var compressed = Int(u32(p + 20)), size = Int(u32(p + 24))
            let nameLength = Int(u16(p + 28)), extraLength = Int(u16(p + 30)), commentLength = Int(u16(p + 32))
            var localOffset = Int(u32(p + 42))
            let variable = nameLength + extraLength + commentLength
            guard cdEnd - p - 46 >= variable else {
                throw CheckpointError("central directory record \(entries.count) runs past the directory's end")
            }
            guard let name = String(validating: UnsafeRawBufferPointer(rebasing: bytes[(p + 46)..<(p + 46 + nameLength)]), as: UTF8.self) else {
                throw CheckpointError("entry \(entries.count) has a name that is not UTF-8")
            }
            // ZIP64 extra field: 8-byte values replace, in this order, the 32-bit fields that are saturated.
            if size == 0xFFFF_FFFF || compressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
                var q = p + 46 + nameLength
                let extraEnd = q + extraLength
                var found = false
                while extraEnd - q >= 4 {
                    let id = u16(q), length = Int(u16(q + 2))
                    guard extraEnd - q - 4 >= length else { break }
                    if id == 0x0001 {
                        var f = q + 4
                        let fieldEnd = f + length
                        func next() throws(CheckpointError) -> Int {
                            guard fieldEnd - f >= 8 else { throw CheckpointError("entry '\(name)' has a short ZIP64 extra field") }
                            let v = u64(f)
                            f += 8
                            guard v <= UInt64(Int.max) else { throw CheckpointError("entry '\(name)' has a ZIP64 size or offset beyond the file") }
                            return Int(v)
                        }
                        if size == 0xFFFF_FFFF { size = try next() }
                        if compressed == 0xFFFF_FFFF { compressed = try next() }
                        if localOffset == 0xFFFF_FFFF { localOffset = try next() }
                        found = true
                        break
                    }
                    q += 4 + length
                }
                guard found else { throw CheckpointError("entry '\(name)' needs a ZIP64 extra field but has none") }
            }
            guard index[name] == nil else { throw CheckpointError("entry '\(name)' appears twice") }
            index[name] = entries.count
            entries.append(Entry(name: name, method: method, flags: flags, crc: crc,
                                 compressedSize: compressed, size: size, localHeaderOffset: localOffset))
            p += 46 + variable
        }
    }

    func entry(_ name: String) -> Entry? { index[name].map { entries[$0] } }

    /// The entry's bytes, after checking its header, method and CRC-32.
    func data(_ name: String) throws(CheckpointError) -> UnsafeRawBufferPointer {
        guard let e = entry(name) else { throw CheckpointError("the archive has no entry '\(name)'") }
        if e.flags & 1 != 0 { throw CheckpointError("entry '\(name)' is encrypted") }
        guard e.method == 0 else {
            let how = e.method == 8 ? "deflate-compressed" : "compressed (method \(e.method))"
            throw CheckpointError("entry '\(name)' is \(how); MedAug reads only stored entries, as torch.save writes them (re-save the file with torch.save)")
        }
        guard e.compressedSize == e.size else {
            throw CheckpointError("stored entry '\(name)' has a compressed size \(e.compressedSize) unlike its size \(e.size)")
        }
        let h = e.localHeaderOffset
        guard h <= bytes.count - 30, u32(h) == 0x0403_4b50 else {
            throw CheckpointError("entry '\(name)' has no local header at offset \(h)")
        }
        // The local extra field differs from the central one (torch pads it to align the data).
        let start = h + 30 + Int(u16(h + 26)) + Int(u16(h + 28))
        guard start <= bytes.count, e.size <= bytes.count - start else {
            throw CheckpointError("entry '\(name)' (\(e.size) bytes at \(start)) runs past the end of the file (\(bytes.count) bytes); is the file truncated?")
        }
        let body = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + e.size)])
        // A download cut or damaged by hand should fail here, not load as wrong weights.
        let actual = CRC32.checksum(body)
        guard actual == e.crc else {
            throw CheckpointError("entry '\(name)' fails its CRC-32 check (stored \(hex(e.crc)), computed \(hex(actual))); the file is damaged")
        }
        return body
    }

    /// (central directory offset, size, entry count) from the end records, ZIP64 when present.
    private func endRecords() throws(CheckpointError) -> (Int, Int, Int) {
        guard bytes.count >= 22 else {
            throw CheckpointError("\(bytes.count) bytes is too short for a zip file; torch.save has written zip files since PyTorch 1.6")
        }
        // The end record is 22 bytes plus a comment of at most 65535.
        var eocd = -1
        var p = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65535)
        while p >= lowest {
            if u32(p) == 0x0605_4b50, Int(u16(p + 20)) == bytes.count - p - 22 { eocd = p; break }
            p -= 1
        }
        guard eocd >= 0 else {
            if bytes[0] == 0x80 {
                throw CheckpointError("not a zip file but a bare pickle: the legacy torch.save format (before PyTorch 1.6) is not supported; load it in PyTorch and save it again")
            }
            throw CheckpointError("no zip end-of-central-directory record (not a torch.save file, or the file is truncated)")
        }
        guard u16(eocd + 4) == 0 || u16(eocd + 4) == 0xFFFF, u16(eocd + 6) == 0 || u16(eocd + 6) == 0xFFFF else {
            throw CheckpointError("multi-part zip archives are not supported")
        }
        var count = Int(u16(eocd + 10)), size = Int(u32(eocd + 12)), offset = Int(u32(eocd + 16))
        // ZIP64 locator: 20 bytes just before the classic end record.
        if eocd >= 20, u32(eocd - 20) == 0x0706_4b50 {
            let at = u64(eocd - 20 + 8)
            guard at <= UInt64(eocd - 20), eocd - 20 - Int(at) >= 56, u32(Int(at)) == 0x0606_4b50 else {
                throw CheckpointError("the ZIP64 end-of-central-directory record is missing or damaged")
            }
            let z = Int(at)
            guard u32(z + 16) == 0, u32(z + 20) == 0 else { throw CheckpointError("multi-part zip archives are not supported") }
            let c = u64(z + 32), s = u64(z + 40), o = u64(z + 48)
            guard c <= UInt64(Int.max), s <= UInt64(z), o <= UInt64(z) else {
                throw CheckpointError("the ZIP64 end record's sizes lie outside the file")
            }
            count = Int(c); size = Int(s); offset = Int(o)
        } else if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            throw CheckpointError("the end record points to ZIP64 records that are missing")
        }
        guard offset <= bytes.count else {
            throw CheckpointError("central directory offset \(offset) is past the end of the file (\(bytes.count) bytes)")
        }
        return (offset, size, count)
    }

    // Little-endian reads; callers have checked the range.
    private func u16(_ p: Int) -> UInt16 { UInt16(bytes[p]) | UInt16(bytes[p + 1]) << 8 }
    private func u32(_ p: Int) -> UInt32 { UInt32(u16(p)) | UInt32(u16(p + 2)) << 16 }
    private func u64(_ p: Int) -> UInt64 { UInt64(u32(p)) | UInt64(u32(p + 4)) << 32 }
    private func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }
}

/// CRC-32 (IEEE 802.3, as zip uses), eight bytes a step (slicing-by-8):
/// every storage is checked, so this runs over the whole checkpoint.
enum CRC32 {
    /// Eight 256-entry tables, one after another: table k advances a byte by k + 1 more positions.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[i] = c
        }
        for k in 1..<8 {
            for i in 0..<256 {
                let prev = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (prev >> 8) ^ t[Int(prev & 0xFF)]
            }
        }
        return t
    }()

    static func checksum(_ data: UnsafeRawBufferPointer) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        tables.withUnsafeBufferPointer { t in
            var i = 0
            while data.count - i >= 8 {
                let lo = UInt32(littleEndian: data.loadUnaligned(fromByteOffset: i, as: UInt32.self)) ^ c
                let hi = UInt32(littleEndian: data.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self))
                c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                i += 8
            }
            while i < data.count {
                c = t[Int((c ^ UInt32(data[i])) & 0xFF)] ^ (c >> 8)
                i += 1
            }
        }
        return c ^ 0xFFFF_FFFF
    }
}
