import Foundation
import MedAugFormats
import XCTest

/// DICOM files the tests write: through GDCM (DicomWriter) for images, and
/// by hand for the malformed and pixel-less cases GDCM would refuse to write.
enum DicomFixtures {
    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "medaug-dicom-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A 12-bit ramp of `width` x `height`: stored value (x + y * width) * 7 mod 4096.
    static func ramp(_ width: Int, _ height: Int) -> [UInt16] {
        (0..<(width * height)).map { UInt16(($0 * 7) % 4096) }
    }

    static func writeGray(_ path: String, width: Int = 24, height: Int = 16, samples: [UInt16]? = nil,
                          bitsStored: Int = 12, signed: Bool = false, photometric: String = "MONOCHROME2",
                          syntax: DicomWriter.Syntax = .explicitLittle, extra: [DicomWriter.Attribute] = [],
                          voiLUT: DicomWriter.VOILUT? = nil) throws {
        try DicomWriter.write(path: path, width: width, height: height, bitsAllocated: 16, bitsStored: bitsStored,
                              signed: signed, photometric: photometric, samples: samples ?? ramp(width, height),
                              syntax: syntax,
                              attributes: [.init(0x0008, 0x0060, "CS", "CT"), .init(0x0010, 0x0020, "LO", "PAT-0042")] + extra,
                              voiLUT: voiLUT)
    }

    /// Explicit VR little endian element bytes.
    static func element(_ group: UInt16, _ element: UInt16, _ vr: String, _ value: [UInt8]) -> [UInt8] {
        var v = value
        if v.count % 2 == 1 { v.append(vr == "UI" ? 0 : 0x20) }
        var out = le16(group) + le16(element) + Array(vr.utf8)
        if ["OB", "OW", "SQ", "UN", "UT"].contains(vr) {
            out += [0, 0] + le32(UInt32(v.count))
        } else {
            out += le16(UInt16(v.count))
        }
        return out + v
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }

    /// Rewrites the value of the (0028,element) US attribute in a file from `grayHeader`.
    static func setUS(_ bytes: inout [UInt8], element: UInt16, _ value: UInt16) {
        let pattern = le16(0x0028) + le16(element) + Array("US".utf8) + [2, 0]
        let at = (0...(bytes.count - pattern.count)).first { Array(bytes[$0..<($0 + pattern.count)]) == pattern }!
        bytes[at + 8] = UInt8(value & 0xff)
        bytes[at + 9] = UInt8(value >> 8)
    }
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xff) } }

    /// A valid DICOM file (preamble, meta group, explicit VR LE) holding the
    /// given data set elements.
    static func file(_ dataSet: [UInt8]) -> [UInt8] {
        let ts = Array("1.2.840.10008.1.2.1".utf8)
        let sop = Array("1.2.840.10008.5.1.4.1.1.88.11".utf8)
        var meta = element(0x0002, 0x0001, "OB", [0, 1])
        meta += element(0x0002, 0x0002, "UI", sop)
        meta += element(0x0002, 0x0003, "UI", Array("2.25.1".utf8))
        meta += element(0x0002, 0x0010, "UI", ts)
        let length = element(0x0002, 0x0000, "UL", le32(UInt32(meta.count)))
        return [UInt8](repeating: 0, count: 128) + Array("DICM".utf8) + length + meta + dataSet
    }

    /// A structured-report-like file: patient and modality, no Pixel Data.
    static func withoutPixels() -> [UInt8] {
        file(element(0x0008, 0x0016, "UI", Array("1.2.840.10008.5.1.4.1.1.88.11".utf8))
             + element(0x0008, 0x0060, "CS", Array("SR".utf8))
             + element(0x0010, 0x0020, "LO", Array("PAT-1".utf8)))
    }

    /// A header claiming `rows` x `columns` 8-bit pixels, with that many bytes of pixel data declared
    /// but only `present` bytes in the file (present == nil: all of them).
    static func grayHeader(rows: UInt16, columns: UInt16, present: Int? = nil, extra: [UInt8] = [],
                           frames: Int = 1) -> [UInt8] {
        let count = Int(rows) * Int(columns) * frames
        var ds = element(0x0008, 0x0016, "UI", Array("1.2.840.10008.5.1.4.1.1.7".utf8))
        ds += element(0x0028, 0x0002, "US", le16(1))
        ds += element(0x0028, 0x0004, "CS", Array("MONOCHROME2".utf8))
        if frames > 1 { ds += element(0x0028, 0x0008, "IS", Array(String(frames).utf8)) }
        ds += element(0x0028, 0x0010, "US", le16(rows))
        ds += element(0x0028, 0x0011, "US", le16(columns))
        ds += element(0x0028, 0x0100, "US", le16(8))
        ds += element(0x0028, 0x0101, "US", le16(8))
        ds += element(0x0028, 0x0102, "US", le16(7))
        ds += element(0x0028, 0x0103, "US", le16(0))
        ds += extra
        let even = count + count % 2
        ds += le16(0x7fe0) + le16(0x0010) + Array("OB".utf8) + [0, 0] + le32(UInt32(even))
        // Frame f holds the value 10 * (f + 1) in every pixel.
        let perFrame = Int(rows) * Int(columns)
        let values = (0..<even).map { UInt8(truncatingIfNeeded: 10 * (min($0 / max(perFrame, 1), frames - 1) + 1)) }
        ds += Array(values.prefix(min(present ?? even, even)))
        return file(ds)
    }
}
