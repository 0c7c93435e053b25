import Foundation
import MedAugFormats
import MedAugImage
import XCTest

/// DICOM files written through GDCM in every transfer syntax MedAug's
/// synthetic data uses, read back: stored values exactly, and the display
/// pipeline step by step.
final class DicomReadingTests: XCTestCase {
    func testEveryTransferSyntaxRoundTripsStoredValues() throws {
        let dir = try DicomFixtures.folder()
        let ramp = DicomFixtures.ramp(24, 16)
        for syntax in DicomWriter.Syntax.allCases {
            let path = dir + "/\(syntax).dcm"
            try DicomFixtures.writeGray(path, syntax: syntax)
            let file = try DicomFile(bytes: try ImageFile.readBytes(path), path: path)
            XCTAssertEqual(file.transferSyntax, syntax.rawValue)
            XCTAssertEqual([file.rows, file.columns], [16, 24], "\(syntax)")
            // GDCM's JPEG 2000 encoder declares all 16 bits stored; the values are still 12-bit.
            XCTAssertEqual(file.bitsStored, syntax == .jpeg2000Lossless ? 16 : 12, "\(syntax)")
            let (values, pi) = try file.storedValues(frame: 0)
            XCTAssertEqual(pi, "MONOCHROME2")
            XCTAssertEqual(values.map { UInt16($0) }, ramp, "stored values of \(syntax)")
        }
    }

    func testWindowNoneSixteenBitsKeepsStoredValuesAndOffsetsSigned() throws {
        let dir = try DicomFixtures.folder()
        let unsigned = dir + "/u.dcm", signed = dir + "/s.dcm"
        try DicomFixtures.writeGray(unsigned)
        let negative = DicomFixtures.ramp(24, 16).map { UInt16(bitPattern: Int16(Int($0) - 2048)) }
        try DicomFixtures.writeGray(signed, samples: negative, signed: true)
        let raw = ReadOptions(window: WindowSetting.none, bits: 16)
        let u = try MedicalImageFile.read(unsigned, options: raw)
        XCTAssertEqual(u.samples16, DicomFixtures.ramp(24, 16))
        let s = try MedicalImageFile.read(signed, options: raw)
        XCTAssertEqual(s.samples16, DicomFixtures.ramp(24, 16).map { UInt16(Int($0) - 2048 + 32768) })
    }

    func testRescaleAndFileWindowFollowTheStandardLinearFunction() throws {
        let dir = try DicomFixtures.folder()
        let path = dir + "/ct.dcm"
        // Stored 0...4095, rescale -1024: modality -1024...3071; window 40/400 (soft tissue).
        try DicomFixtures.writeGray(path, extra: [.init(0x0028, 0x1052, "DS", "-1024"), .init(0x0028, 0x1053, "DS", "1"),
                                                  .init(0x0028, 0x1050, "DS", "40"), .init(0x0028, 0x1051, "DS", "400")])
        let bytes = try ImageFile.readBytes(path)
        let scan = try MedicalImageFile.decode(bytes, path: path, options: ReadOptions())
        XCTAssertEqual(scan.display?.window, "40,400")
        XCTAssertEqual(scan.display?.modality, "CT")
        let ramp = DicomFixtures.ramp(24, 16)
        let out = try XCTUnwrap(scan.image.bytes)
        for (i, s) in ramp.enumerated() {
            let x = Double(s) - 1024
            // PS3.3 C.11.2.1.2.1 with c = 40, w = 400.
            let expected: Double = x <= 39.5 - 199.5 ? 0 : x > 39.5 + 199.5 ? 255 : ((x - 39.5) / 399 + 0.5) * 255
            XCTAssertEqual(Double(out[i]), expected.rounded(), accuracy: 0.5, "pixel \(i), modality \(x)")
        }
        // An explicit window overrides the file's.
        let wide = try MedicalImageFile.decode(bytes, path: path, options: ReadOptions(window: .explicit(center: 1000, width: 4000)))
        XCTAssertEqual(wide.display?.window, "1000,4000")
        XCTAssertNotEqual(wide.image.bytes, out)
    }

    func testMonochrome1IsInvertedSoThatHighValuesAreDark() throws {
        let dir = try DicomFixtures.folder()
        let m1 = dir + "/m1.dcm", m2 = dir + "/m2.dcm"
        let window: [DicomWriter.Attribute] = [.init(0x0028, 0x1050, "DS", "2048"), .init(0x0028, 0x1051, "DS", "4096")]
        try DicomFixtures.writeGray(m1, photometric: "MONOCHROME1", extra: window)
        try DicomFixtures.writeGray(m2, extra: window)
        let a = try XCTUnwrap(MedicalImageFile.read(m1, options: ReadOptions()).bytes)
        let b = try XCTUnwrap(MedicalImageFile.read(m2, options: ReadOptions()).bytes)
        for i in a.indices { XCTAssertEqual(Int(a[i]) + Int(b[i]), 255, accuracy: 1, "pixel \(i)") }
    }

    func testVOILUTSequenceIsPreferredAndScaledByItsBits() throws {
        let dir = try DicomFixtures.folder()
        let path = dir + "/lut.dcm"
        let entries = (0..<4096).map { UInt16(4095 - $0) >> 4 }  // 8-bit entries, inverted ramp
        try DicomFixtures.writeGray(path, syntax: .jpegLS, extra: [.init(0x0028, 0x1050, "DS", "100"), .init(0x0028, 0x1051, "DS", "10")],
                                    voiLUT: DicomWriter.VOILUT(first: 0, bits: 8, entries: entries))
        let scan = try MedicalImageFile.decode(try ImageFile.readBytes(path), path: path, options: ReadOptions())
        XCTAssertEqual(scan.display?.window, "voi-lut")
        let out = try XCTUnwrap(scan.image.bytes)
        for (i, s) in DicomFixtures.ramp(24, 16).enumerated() {
            XCTAssertEqual(out[i], UInt8(entries[Int(s)]), "pixel \(i)")
        }
    }

    func testAutoWindowWhenTheFileHasNoneAndSixteenBitOutput() throws {
        let dir = try DicomFixtures.folder()
        let path = dir + "/plain.dcm"
        try DicomFixtures.writeGray(path, syntax: .rle)
        let scan = try MedicalImageFile.decode(try ImageFile.readBytes(path), path: path, options: ReadOptions(bits: 16))
        XCTAssertTrue(scan.display?.window.hasPrefix("auto ") ?? false, scan.display?.window ?? "")
        let out = try XCTUnwrap(scan.image.samples16)
        XCTAssertEqual(out.min(), 0)
        XCTAssertEqual(out.max(), 65535)
        // Monotone in the stored value.
        let ramp = DicomFixtures.ramp(24, 16)
        let order = ramp.indices.sorted { ramp[$0] < ramp[$1] }
        for k in 1..<order.count { XCTAssertLessThanOrEqual(out[order[k - 1]], out[order[k]]) }
    }

    func testWindowSettingParsing() {
        XCTAssertEqual(WindowSetting("dicom"), .dicom)
        XCTAssertEqual(WindowSetting("NONE"), WindowSetting.none)
        XCTAssertEqual(WindowSetting("auto"), .auto)
        XCTAssertEqual(WindowSetting("40,400"), .explicit(center: 40, width: 400))
        XCTAssertEqual(WindowSetting("-600, 1500"), .explicit(center: -600, width: 1500))
        XCTAssertNil(WindowSetting("40"))
        XCTAssertNil(WindowSetting("40,0"))
        XCTAssertNil(WindowSetting("a,b"))
        XCTAssertEqual(WindowSetting.explicit(center: 40, width: 400).description, "40,400")
    }

    func testMultiFrameFirstMiddleAndAll() throws {
        let dir = try DicomFixtures.folder()
        let path = dir + "/cine.dcm"
        try Data(DicomFixtures.grayHeader(rows: 4, columns: 6, frames: 5)).write(to: URL(fileURLWithPath: path))
        let raw = ReadOptions(window: WindowSetting.none, bits: 8)
        func value(_ options: ReadOptions) throws -> UInt8 { try XCTUnwrap(MedicalImageFile.read(path, options: options).bytes?.first) }
        XCTAssertEqual(try value(raw), 10)
        var middle = raw
        middle.frames = .middle
        XCTAssertEqual(try value(middle), 30)
        var all = raw
        all.frames = .all
        let frames = try MedicalImageFile.frames(try ImageFile.readBytes(path), path: path, options: all)
        XCTAssertEqual(frames.map { $0.image.bytes?.first }, [10, 20, 30, 40, 50])
        XCTAssertEqual(frames.map { $0.display?.frame }, [0, 1, 2, 3, 4])
        XCTAssertEqual(frames.first?.display?.frames, 5)
        // Cut inside the last frame: truncated, named.
        try Data(DicomFixtures.grayHeader(rows: 4, columns: 6, present: 100, frames: 5)).write(to: URL(fileURLWithPath: dir + "/cut.dcm"))
        XCTAssertThrowsError(try MedicalImageFile.read(dir + "/cut.dcm", options: raw)) { error in
            XCTAssertEqual((error as? ImageError)?.kind, .corrupt)
        }
    }

    func testPatientIDFromTheHeader() throws {
        let dir = try DicomFixtures.folder()
        try DicomFixtures.writeGray(dir + "/p.dcm", syntax: .jpegLS)
        XCTAssertEqual(try MedicalImageFile.patientID(dir + "/p.dcm"), "PAT-0042")
        try Data(DicomFixtures.grayHeader(rows: 4, columns: 4)).write(to: URL(fileURLWithPath: dir + "/anon.dcm"))
        XCTAssertNil(try MedicalImageFile.patientID(dir + "/anon.dcm"))
        try ImageFile.write(Image(width: 2, height: 2, channels: 1), to: dir + "/x.png")
        XCTAssertNil(try MedicalImageFile.patientID(dir + "/x.png"))
        // A file cut inside its header: an error naming it, not a guess.
        let whole = try ImageFile.readBytes(dir + "/p.dcm")
        try Data(whole.prefix(200)).write(to: URL(fileURLWithPath: dir + "/cut.dcm"))
        XCTAssertThrowsError(try MedicalImageFile.patientID(dir + "/cut.dcm")) { error in
            XCTAssertEqual((error as? ImageError)?.path, dir + "/cut.dcm")
        }
    }

    func testFrameChoiceIndex() {
        XCTAssertEqual(FrameChoice.first.index(of: 9), 0)
        XCTAssertEqual(FrameChoice.middle.index(of: 9), 4)
        XCTAssertEqual(FrameChoice.middle.index(of: 1), 0)
    }
}
