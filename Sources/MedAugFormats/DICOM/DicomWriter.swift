import CDicom
import Foundation
import MedAugCore
import MedAugImage

/// Writes single-frame DICOM files through GDCM, for synthetic test and
/// demo data: MedAug reads DICOM for real work, it writes it only so that
/// every reading path can be exercised without patient data.
public enum DicomWriter {
    /// Transfer syntaxes GDCM encodes, by UID.
    public enum Syntax: String, Sendable, CaseIterable {
        case explicitLittle = "1.2.840.10008.1.2.1"
        case implicitLittle = "1.2.840.10008.1.2"
        case explicitBig = "1.2.840.10008.1.2.2"
        case rle = "1.2.840.10008.1.2.5"
        case jpegLossless = "1.2.840.10008.1.2.4.70"
        case jpegLS = "1.2.840.10008.1.2.4.80"
        case jpeg2000Lossless = "1.2.840.10008.1.2.4.90"
    }

    /// One attribute: tag, VR and text value.
    public struct Attribute: Sendable {
        /// Group and element.
        public var group: UInt16, element: UInt16
        /// The value representation ("CS", "DS", "LO", "PN", "UI", ...).
        public var vr: String
        /// The value; several values joined by `\`.
        public var value: String

        /// Makes an attribute.
        public init(_ group: UInt16, _ element: UInt16, _ vr: String, _ value: String) {
            self.group = group
            self.element = element
            self.vr = vr
            self.value = value
        }
    }

    /// A VOI LUT Sequence item to add.
    public struct VOILUT: Sendable {
        /// First input (modality) value mapped, bits per entry and the entries.
        public var first: Int, bits: Int, entries: [UInt16]
        /// Makes a table.
        public init(first: Int, bits: Int, entries: [UInt16]) {
            self.first = first
            self.bits = bits
            self.entries = entries
        }
    }

    /// Writes `samples` (gray, `bitsStored` significant bits in 16-bit words,
    /// or 8-bit values in the low byte when `bitsAllocated` is 8) to `path`
    /// atomically (written beside it, then renamed).
    public static func write(path: String, width: Int, height: Int, samplesPerPixel: Int = 1,
                             bitsAllocated: Int, bitsStored: Int, signed: Bool = false,
                             photometric: String, samples: [UInt16], syntax: Syntax,
                             attributes: [Attribute], voiLUT: VOILUT? = nil) throws {
        guard width > 0, height > 0, samples.count == width * height * samplesPerPixel else {
            throw ImageError(.unsupported, path: path,
                             reason: "\(samples.count) samples for a \(width)x\(height) image of \(samplesPerPixel) per pixel")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let tmp = ((folder.isEmpty ? "." : folder) as NSString)
            .appendingPathComponent(".tmp-\(getpid())-" + (path as NSString).lastPathComponent)
        var err = [CChar](repeating: 0, count: 512)
        let bytes: [UInt8] = bitsAllocated == 8 ? samples.map { UInt8(truncatingIfNeeded: $0) } : []
        // The C strings must outlive the call: keep them in arrays of arrays.
        let vrs = attributes.map { Array($0.vr.utf8CString) }
        let values = attributes.map { Array($0.value.utf8CString) }
        let rc: Int32 = vrs.withUnsafeBufferPointers { vrPointers in
            values.withUnsafeBufferPointers { valuePointers in
                var list = [mc_dicom_attribute]()
                for i in attributes.indices {
                    list.append(mc_dicom_attribute(group: attributes[i].group, element: attributes[i].element,
                                                   vr: vrPointers[i], value: valuePointers[i]))
                }
                let lut = voiLUT?.entries ?? []
                let run: (UnsafeRawPointer) -> Int32 = { pixels in
                    mc_dicom_write(tmp, Int32(height), Int32(width), Int32(samplesPerPixel), Int32(bitsAllocated),
                                   Int32(bitsStored), signed ? 1 : 0, photometric, pixels, syntax.rawValue,
                                   list, list.count, lut.isEmpty ? nil : lut, lut.count,
                                   Int32(voiLUT?.first ?? 0), Int32(voiLUT?.bits ?? 0), &err, err.count)
                }
                return bitsAllocated == 8 ? bytes.withUnsafeBytes { run($0.baseAddress!) }
                    : samples.withUnsafeBytes { run($0.baseAddress!) }
            }
        }
        if rc != 0 {
            try? FileManager.default.removeItem(atPath: tmp)
            throw ImageError(.unsupported, path: path, reason: String(cString: err))
        }
        guard rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: tmp)
            throw ImageError(.unreadable, path: path, reason: "cannot move the new file into place: \(reason)")
        }
    }
}

extension Array where Element == [CChar] {
    /// Calls `body` with a pointer to each inner array's storage.
    func withUnsafeBufferPointers<R>(_ body: ([UnsafePointer<CChar>]) -> R) -> R {
        func step(_ index: Int, _ acc: [UnsafePointer<CChar>]) -> R {
            if index == count { return body(acc) }
            return self[index].withUnsafeBufferPointer { step(index + 1, acc + [$0.baseAddress!]) }
        }
        return step(0, [])
    }
}
