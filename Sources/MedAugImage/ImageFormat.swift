/// The file formats MedAug reads and writes.
public enum ImageFormat: String, Sendable, CaseIterable, Codable {
    /// PNG: 1 to 16 bits per sample, gray, gray + alpha, RGB, RGBA or palette.
    case png
    /// JPEG (baseline or progressive): 8-bit gray, RGB or CMYK.
    case jpeg

    /// The format the bytes hold, by signature, or nil.
    public static func sniff<C: Collection>(_ bytes: C) -> ImageFormat? where C.Element == UInt8 {
        let head = Array(bytes.prefix(8))
        if head.count >= 8 && head == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] { return .png }
        if head.count >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF { return .jpeg }
        return nil
    }

    /// The format a file name's extension promises (case-insensitive), or nil.
    public init?(fileExtension ext: String) {
        switch ext.lowercased() {
        case "png": self = .png
        case "jpg", "jpeg", "jpe", "jfif": self = .jpeg
        default: return nil
        }
    }

    /// The extension MedAug writes for this format.
    public var fileExtension: String { self == .png ? "png" : "jpg" }

    /// True when the name's extension is one MedAug reads.
    public static func isImageFileName(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return ImageFormat(fileExtension: String(name[name.index(after: dot)...])) != nil
    }
}
