import Foundation
import MedAugCore
import MedAugFormats
import MedAugImage

/// The file formats `medaug synth` writes.
public enum SyntheticFormat: String, Sendable, CaseIterable {
    /// Lossless PNG.
    case png
    /// JPEG, quality 95.
    case jpg
    /// DICOM, in the variety a hospital export has (see ``SyntheticDicom``).
    case dicom

    /// The PNG or JPEG format; nil for DICOM.
    public var imageFormat: ImageFormat? {
        switch self {
        case .png: return .png
        case .jpg: return .jpeg
        case .dicom: return nil
        }
    }

    /// The extension of the files written.
    public var fileExtension: String { self == .dicom ? "dcm" : (imageFormat?.fileExtension ?? "png") }

    /// The format for PNG or JPEG.
    public init(_ format: ImageFormat) { self = format == .png ? .png : .jpg }
}

/// The synthetic chest X-rays as DICOM, varied the way real exports vary so
/// that tests and `make demo` cross every reading path: 12 bits stored,
/// several images per patient, MONOCHROME1 and MONOCHROME2, rescale
/// intercepts, window tags or a VOI LUT or neither, signed data, and six
/// transfer syntaxes. The variant is a function of the image index alone.
public enum SyntheticDicom {
    /// Images per synthetic patient (consecutive indices in one class and split).
    public static let imagesPerPatient = 3

    /// The variants, cycled by image index.
    enum Variant: Int, CaseIterable {
        case explicitRescaled, jpegLosslessMono1, jpegLSWithLUT, rleNoWindow, j2kMono1, implicitSigned
    }

    /// The synthetic patient an image belongs to.
    public static func patientID(seed: UInt64, split: DataSplit, classIndex: Int, index: Int) -> String {
        "SYN\(seed)-\(split.rawValue.prefix(2).uppercased())\(classIndex)-\((index - 1) / imagesPerPatient + 1)"
    }

    /// Writes `image` (8-bit gray, or RGB averaged to gray) as one DICOM file.
    static func write(_ image: Image, to path: String, seed: UInt64, split: DataSplit, classIndex: Int, index: Int) throws {
        let gray = image.channels == 1 ? image.to8Bit().bytes! : averaged(image.to8Bit())
        let variant = Variant(rawValue: max(0, index - 1) % Variant.allCases.count) ?? .explicitRescaled
        let mono1 = variant == .jpegLosslessMono1 || variant == .j2kMono1
        let signed = variant == .implicitSigned
        // 8 bits spread over 12: stored = v * 16 (+ a low-order ramp so all 12 bits carry data).
        var stored = [UInt16](repeating: 0, count: gray.count)
        for (i, v) in gray.enumerated() {
            var s = Int(v) * 16 + (i % 16)
            if mono1 { s = 4095 - s }
            if signed { s -= 2048 }
            stored[i] = UInt16(truncatingIfNeeded: s)
        }
        let patient = patientID(seed: seed, split: split, classIndex: classIndex, index: index)
        let uidRoot = "2.25." + String(SeedDerivation.hash("\(seed)/\(split.rawValue)/\(classIndex)"))
        let study = uidRoot + "." + String((index - 1) / imagesPerPatient + 1)
        var attributes: [DicomWriter.Attribute] = [
            .init(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.1"),
            .init(0x0008, 0x0018, "UI", study + ".1." + String(index)),
            // Given, or GDCM stamps the current date and time and the same seed no longer gives the same bytes.
            .init(0x0008, 0x0020, "DA", "20000101"),
            .init(0x0008, 0x0030, "TM", "000000"),
            .init(0x0008, 0x0060, "CS", "CR"),
            .init(0x0010, 0x0010, "PN", "Synthetic^\(patient)"),
            .init(0x0010, 0x0020, "LO", patient),
            .init(0x0018, 0x0015, "CS", "CHEST"),
            .init(0x0020, 0x000D, "UI", study),
            .init(0x0020, 0x000E, "UI", study + ".1"),
        ]
        let intercept = variant == .explicitRescaled ? -1024 : 0
        if variant == .explicitRescaled {
            attributes += [.init(0x0028, 0x1052, "DS", "-1024"), .init(0x0028, 0x1053, "DS", "1")]
        }
        // A window spanning the stored range maps the 8-bit picture back onto itself.
        let low = (signed ? -2048 : 0) + intercept, high = low + 4095
        if variant == .explicitRescaled || variant == .j2kMono1 || variant == .implicitSigned {
            attributes += [.init(0x0028, 0x1050, "DS", String(Double(low + high) / 2 + 0.5)),
                           .init(0x0028, 0x1051, "DS", "4096")]
        }
        var lut: DicomWriter.VOILUT?
        if variant == .jpegLSWithLUT {
            // A gamma curve, as some CR vendors ship instead of a window (16-bit
            // entries: pydicom 3.0.1 indexes 8-bit tables of over 256 entries modulo 256).
            let entries = (0..<4096).map { UInt16((pow(Double($0) / 4095, 0.8) * 65535).rounded()) }
            lut = DicomWriter.VOILUT(first: 0, bits: 16, entries: entries)
        }
        let syntax: DicomWriter.Syntax
        switch variant {
        case .explicitRescaled: syntax = .explicitLittle
        case .jpegLosslessMono1: syntax = .jpegLossless
        case .jpegLSWithLUT: syntax = .jpegLS
        case .rleNoWindow: syntax = .rle
        case .j2kMono1: syntax = .jpeg2000Lossless
        case .implicitSigned: syntax = .implicitLittle
        }
        try DicomWriter.write(path: path, width: image.width, height: image.height, bitsAllocated: 16, bitsStored: 12,
                              signed: signed, photometric: mono1 ? "MONOCHROME1" : "MONOCHROME2", samples: stored,
                              syntax: syntax, attributes: attributes, voiLUT: lut)
    }

    static func averaged(_ image: Image) -> [UInt8] {
        let b = image.bytes!, c = image.channels
        return (0..<image.pixelCount).map { p in
            UInt8((Int(b[p * c]) + Int(b[p * c + min(1, c - 1)]) + Int(b[p * c + min(2, c - 1)]) + 1) / 3)
        }
    }
}
