// The Swift side of `make parity-dicom` and `make bench-dicom`.
//
//   medaug-dicomcheck dump OUT FILE...     per file i: OUT/i.json, and raw little-endian arrays
//                                          i.stored.i32, i.modality.f64 (gray), i.display.u8
//   medaug-dicomcheck bench REPEAT FILE... per file: one JSON line with the median seconds of
//                                          parse + decode + modality + window to 8 bits, bytes in memory
import Foundation
import MedAugFormats
import MedAugImage

func json(_ object: [String: Any]) -> String {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

func write<T>(_ values: [T], to path: String) {
    let data = values.withUnsafeBytes { Data($0) }
    try? data.write(to: URL(fileURLWithPath: path))
}

func dump(out: String, files: [String]) {
    try? FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    for (i, path) in files.enumerated() {
        var record: [String: Any] = ["path": path]
        do {
            let bytes = try ImageFile.readBytes(path)
            let file = try DicomFile(bytes: bytes, path: path)
            let (stored, pi) = try file.storedValues(frame: 0)
            record["rows"] = file.rows
            record["columns"] = file.columns
            record["samples"] = file.samplesPerPixel
            record["decoded_photometric"] = pi
            record["transfer_syntax"] = file.transferSyntax
            write(stored, to: "\(out)/\(i).stored.i32")
            if file.samplesPerPixel == 1 && pi.hasPrefix("MONOCHROME") {
                write(try DicomDisplay.modalityValues(file, values: stored), to: "\(out)/\(i).modality.f64")
            }
            let (image, display) = try DicomDisplay.render(file, frame: 0, options: ReadOptions(window: .dicom, bits: 8))
            record["window"] = display.window
            record["channels"] = image.channels
            write(image.bytes ?? [], to: "\(out)/\(i).display.u8")
            record["ok"] = true
        } catch {
            record["ok"] = false
            record["error"] = "\(error)"
        }
        try? Data(json(record).utf8).write(to: URL(fileURLWithPath: "\(out)/\(i).json"))
    }
}

func bench(repeat count: Int, files: [String]) {
    for path in files {
        guard let bytes = try? ImageFile.readBytes(path) else { continue }
        var times: [Double] = []
        var failure: String?
        for _ in 0..<max(1, count) {
            let start = DispatchTime.now().uptimeNanoseconds
            do {
                let file = try DicomFile(bytes: bytes, path: path)
                _ = try DicomDisplay.render(file, frame: 0, options: ReadOptions(window: .dicom, bits: 8))
            } catch {
                failure = "\(error)"
                break
            }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        var record: [String: Any] = ["path": path]
        if let failure { record["error"] = failure } else { record["seconds"] = times[times.count / 2] }
        print(json(record))
    }
}

let args = Array(CommandLine.arguments.dropFirst())
switch args.first {
case "dump" where args.count >= 2:
    dump(out: args[1], files: Array(args.dropFirst(2)))
case "bench" where args.count >= 2:
    bench(repeat: Int(args[1]) ?? 5, files: Array(args.dropFirst(2)))
default:
    FileHandle.standardError.write(Data("usage: medaug-dicomcheck dump OUT FILE... | bench REPEAT FILE...\n".utf8))
    exit(64)
}
