import Foundation
import CDicom
import MedAugImage

/// One parsed DICOM file: its image attributes and, on request, the stored
/// values of a frame. Decoding goes through GDCM (see CDicom); the display
/// steps (modality LUT, VOI, inversion) are ``DicomDisplay``'s.
public final class DicomFile {
    /// Rows, columns and frames.
    public let rows: Int, columns: Int, frames: Int
    /// Samples per pixel (1 gray, 3 colour).
    public let samplesPerPixel: Int
    /// Bits Allocated, Bits Stored and High Bit.
    public let bitsAllocated: Int, bitsStored: Int, highBit: Int
    /// True when Pixel Representation is 1 (two's complement).
    public let isSigned: Bool
    /// Photometric Interpretation as the header gives it.
    public let photometric: String
    /// The transfer syntax UID.
    public let transferSyntax: String
    /// True for encapsulated (compressed) pixel data.
    public let isCompressed: Bool
    /// The file name used in messages.
    public let path: String

    private let handle: OpaquePointer

    /// Parses `bytes` (the whole file). Throws `.notAnImage` for data that is
    /// not DICOM or holds no pixel data (`noPixelData` tells the two apart),
    /// `.corrupt` for a damaged image part.
    public init(bytes: [UInt8], path: String) throws(ImageError) {
        var h: OpaquePointer?
        var info = mc_dicom_info()
        var err = [CChar](repeating: 0, count: 512)
        let status = bytes.withUnsafeBufferPointer { b in
            mc_dicom_open_bytes(b.baseAddress, b.count, &h, &info, &err, err.count)
        }
        guard status == MC_DICOM_OK, let h else {
            let reason = err.cText
            switch status {
            case MC_DICOM_NOT_DICOM: throw ImageError(.notAnImage, path: path, reason: reason)
            case MC_DICOM_NO_PIXELS: throw ImageError(.notAnImage, path: path, reason: DicomFile.noPixelDataReason)
            default: throw ImageError(.corrupt, path: path, reason: reason)
            }
        }
        handle = h
        self.path = path
        rows = Int(info.rows)
        columns = Int(info.columns)
        frames = max(1, Int(info.frames))
        samplesPerPixel = Int(info.samples_per_pixel)
        bitsAllocated = Int(info.bits_allocated)
        bitsStored = Int(info.bits_stored)
        highBit = Int(info.high_bit)
        isSigned = info.pixel_representation == 1
        photometric = withUnsafeBytes(of: info.photometric) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        transferSyntax = withUnsafeBytes(of: info.transfer_syntax) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        isCompressed = info.compressed != 0
    }

    deinit { mc_dicom_close(handle) }

    /// The reason given for a valid DICOM file without Pixel Data; `medaug info`
    /// counts such files as non-images instead of bad files.
    public static let noPixelDataReason = "a DICOM file without pixel data (a report, RT plan or other non-image object)"

    /// True when an error says the file is DICOM without pixel data.
    public static func isNoPixelData(_ error: ImageError) -> Bool {
        error.kind == .notAnImage && error.reason == noPixelDataReason
    }

    /// A top-level attribute as text (several values joined by `\`), or nil when absent or empty.
    public func string(_ group: UInt16, _ element: UInt16) -> String? {
        var buf = [CChar](repeating: 0, count: 256)
        var n = mc_dicom_string(handle, group, element, &buf, buf.count)
        if n < 0 { return nil }
        if n >= buf.count {
            buf = [CChar](repeating: 0, count: Int(n) + 1)
            n = mc_dicom_string(handle, group, element, &buf, buf.count)
        }
        let s = buf.cText
        return s.isEmpty ? nil : s
    }

    /// The values of a multi-valued decimal attribute (DS, IS), or [] when absent.
    public func numbers(_ group: UInt16, _ element: UInt16) -> [Double] {
        guard let s = string(group, element) else { return [] }
        // NaN, infinities and absurd magnitudes would poison every table built from them.
        return s.split(separator: "\\").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            .filter { $0.isFinite && abs($0) < 1e12 }
    }

    /// A lookup table: `sequence` 0x0028_3000 (Modality LUT) or 0x0028_3010 (VOI LUT),
    /// or `sequence` 0 for the palette channel `channel`. Nil when there is none.
    public func lookupTable(sequence: UInt32, channel: Int = 0) throws(ImageError) -> LookupTable? {
        var desc = [Int32](repeating: 0, count: 3)
        var data = [UInt16](repeating: 0, count: 65536)
        var err = [CChar](repeating: 0, count: 256)
        let n = mc_dicom_lut(handle, sequence, Int32(channel), &desc, &data, data.count, &err, err.count)
        if n == -1 { return nil }
        if n < 0 { throw ImageError(.corrupt, path: path, reason: err.cText) }
        data.removeSubrange(Int(n)...)
        return LookupTable(firstMapped: Int(desc[1]), bits: Int(desc[2]), entries: data)
    }

    /// The stored values of `frame` (0-based), interleaved, sign-extended,
    /// with YBR_FULL_422 expanded to one chroma pair per pixel; and the
    /// photometric interpretation of those values (a codec may have turned
    /// YBR into RGB already).
    public func storedValues(frame: Int) throws(ImageError) -> (values: [Int32], photometric: String) {
        let count = rows * columns * samplesPerPixel
        var values = [Int32](repeating: 0, count: count)
        var pi = [CChar](repeating: 0, count: 32)
        var err = [CChar](repeating: 0, count: 512)
        let rc = values.withUnsafeMutableBufferPointer { out in
            mc_dicom_decode(handle, Int32(frame), out.baseAddress, &pi, pi.count, &err, err.count)
        }
        if rc != 0 {
            let reason = err.cText
            throw ImageError(reason.hasPrefix("Bits Allocated") ? .unsupported : .corrupt, path: path, reason: reason)
        }
        return (values, pi.cText)
    }
}

/// A DICOM lookup table (LUT Descriptor and LUT Data).
public struct LookupTable: Sendable, Equatable {
    /// The first input value mapped (the descriptor's second value).
    public var firstMapped: Int
    /// Bits per entry (the descriptor's third value).
    public var bits: Int
    /// The entries, as stored (16-bit words).
    public var entries: [UInt16]

    /// Makes a table.
    public init(firstMapped: Int, bits: Int, entries: [UInt16]) {
        self.firstMapped = firstMapped
        self.bits = bits
        self.entries = entries
    }

    /// The entry for `value`: inputs below the first mapped value take the
    /// first entry, inputs past the end the last (PS3.3 C.11.1.1).
    @inline(__always)
    public func callAsFunction(_ value: Int) -> Int {
        let i = min(max(value - firstMapped, 0), entries.count - 1)
        return Int(entries[i])
    }

    /// The largest value an entry can hold.
    public var maxValue: Double { Double((1 << min(max(bits, 1), 16)) - 1) }
}
