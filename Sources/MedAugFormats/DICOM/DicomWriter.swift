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
        var err = [CChar](repeating: 0, count: 512)
        let bytes: [UInt8] = bitsAllocated == 8 ? samples.map { UInt8(truncatingIfNeeded: $0) } : []
        // C copies of the attribute texts, alive for the call.
        let texts = attributes.map { (strdup($0.vr)!, strdup($0.value)!) }
        defer { for (vr, value) in texts { free(vr); free(value) } }
        let list = zip(attributes, texts).map { a, t in
            mc_dicom_attribute(group: a.group, element: a.element, vr: t.0, value: t.1)
        }
        let lut = voiLUT?.entries ?? []
        var encoded: UnsafeMutablePointer<UInt8>?
        var count = 0
        let encode: (UnsafeRawPointer) -> Int32 = { pixels in
            mc_dicom_encode(&encoded, &count, Int32(height), Int32(width), Int32(samplesPerPixel), Int32(bitsAllocated),
                            Int32(bitsStored), signed ? 1 : 0, photometric, pixels, syntax.rawValue,
                            list, list.count, lut.isEmpty ? nil : lut, lut.count,
                            Int32(voiLUT?.first ?? 0), Int32(voiLUT?.bits ?? 0), &err, err.count)
        }
        let rc = bitsAllocated == 8 ? bytes.withUnsafeBytes { encode($0.baseAddress!) }
            : samples.withUnsafeBytes { encode($0.baseAddress!) }
        guard rc == 0, let encoded else { throw ImageError(.unsupported, path: path, reason: err.cText) }
        defer { mc_dicom_free(encoded) }
        try AtomicWrite.write(Data(bytes: encoded, count: count), to: path)
    }
}
