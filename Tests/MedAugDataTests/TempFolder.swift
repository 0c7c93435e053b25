import Foundation
import MedAugImage
import XCTest

/// A fresh folder under the system temporary folder, removed when the test ends.
final class TempFolder {
    let path: String

    init(_ test: XCTestCase) throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("medaugdata-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let p = path
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: p) }
    }

    func at(_ relative: String) -> String { path + "/" + relative }

    @discardableResult
    func folder(_ relative: String) throws -> String {
        let p = at(relative)
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    /// A small valid image, written the way MedAug writes images.
    @discardableResult
    func image(_ relative: String, width: Int = 4, height: Int = 3, channels: Int = 1, fill: UInt8 = 7) throws -> String {
        let p = at(relative)
        try ImageFile.write(Image(width: width, height: height, channels: channels, fill: fill), to: p)
        return p
    }

    @discardableResult
    func bytes(_ relative: String, _ data: [UInt8]) throws -> String {
        let p = at(relative)
        try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(data).write(to: URL(fileURLWithPath: p))
        return p
    }

    @discardableResult
    func text(_ relative: String, _ s: String) throws -> String { try bytes(relative, Array(s.utf8)) }

    @discardableResult
    func symlink(_ relative: String, to target: String) throws -> String {
        let p = at(relative)
        try FileManager.default.createSymbolicLink(atPath: p, withDestinationPath: target)
        return p
    }
}

/// Image file bytes of a small PNG, for corrupting.
func pngBytes(width: Int = 32, height: Int = 32) throws -> [UInt8] {
    var px = [UInt8](repeating: 0, count: width * height * 3)
    for i in 0..<px.count { px[i] = UInt8(truncatingIfNeeded: i &* 37) }
    return try ImageCodec.encodePNG(Image(width: width, height: height, channels: 3, bytes: px))
}

func jpegBytes(width: Int = 32, height: Int = 32) throws -> [UInt8] {
    var px = [UInt8](repeating: 0, count: width * height * 3)
    for i in 0..<px.count { px[i] = UInt8(truncatingIfNeeded: i &* 13) }
    return try ImageCodec.encodeJPEG(Image(width: width, height: height, channels: 3, bytes: px))
}
