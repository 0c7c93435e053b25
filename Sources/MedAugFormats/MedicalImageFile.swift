import CDicom
import Foundation
import MedAugCore
import MedAugImage

/// The kinds of file MedAug reads.
public enum ScanFormat: String, Sendable, CaseIterable {
    /// PNG or JPEG, through MedAugImage.
    case png, jpeg
    /// DICOM (any transfer syntax GDCM decodes).
    case dicom
    /// TIFF (libtiff).
    case tiff

    /// The format a file name promises, or nil. DICOM files often have no
    /// extension at all; ``MedicalImageFile/isImageFile(name:path:)`` sniffs those.
    public init?(fileExtension ext: String) {
        switch ext.lowercased() {
        case "dcm", "dicom", "dic": self = .dicom
        case "tif", "tiff": self = .tiff
        default:
            guard let f = ImageFormat(fileExtension: ext) else { return nil }
            self = f == .png ? .png : .jpeg
        }
    }

    /// The format the bytes hold, by signature: DICOM by its `DICM` marker at byte 128.
    public static func sniff(_ bytes: [UInt8]) -> ScanFormat? {
        // DICOM first: its 128-byte preamble may itself hold a TIFF header (dual-format files).
        if bytes.count >= 132 && bytes[128] == 0x44 && bytes[129] == 0x49 && bytes[130] == 0x43 && bytes[131] == 0x4D {
            return .dicom
        }
        if let f = ImageFormat.sniff(bytes) { return f == .png ? .png : .jpeg }
        if TIFFFile.sniff(bytes) { return .tiff }
        return nil
    }
}

/// One decoded frame and how it was made.
public struct ScanImage: Sendable {
    /// The pixels.
    public var image: Image
    /// For DICOM: window, frames, modality; nil for other formats.
    public var display: DisplayRecord?
}

/// Reads every format MedAug accepts: PNG and JPEG as ``ImageFile`` does,
/// DICOM through the display pipeline and TIFF pages, following
/// ``ReadOptions`` (window, bits, frame).
public enum MedicalImageFile {
    /// True when `name` has an extension MedAug reads.
    public static func isImageFileName(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return ScanFormat(fileExtension: String(name[name.index(after: dot)...])) != nil
    }

    /// True for a readable name, or an extensionless regular file that holds
    /// DICOM (how PACS exports and DICOMDIR media name their files).
    public static func isImageFile(name: String, path: String) -> Bool {
        if isImageFileName(name) { return true }
        guard !name.contains("."), !name.hasPrefix(".") else { return false }
        // Non-blocking, and regular files only: a FIFO named like a DICOM file must not hang the scan.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return false }
        var head = [UInt8](repeating: 0, count: 132)
        guard pread(fd, &head, 132, 0) == 132 else { return false }
        return head[128] == 0x44 && head[129] == 0x49 && head[130] == 0x43 && head[131] == 0x4D
    }

    /// Decodes one file with `options`; for a multi-frame file, the frame that
    /// `options.frames` picks (`all` is refused here: see ``frames(_:options:maxPixels:)``).
    public static func read(_ path: String, options: ReadOptions = .current,
                            maxPixels: Int = ImageCodec.defaultMaxPixels) throws(ImageError) -> Image {
        try decode(try ImageFile.readBytes(path), path: path, options: options, maxPixels: maxPixels).image
    }

    /// `read` for bytes already read, with the display record.
    public static func decode(_ bytes: [UInt8], path: String, options: ReadOptions = .current,
                              maxPixels: Int = ImageCodec.defaultMaxPixels) throws(ImageError) -> ScanImage {
        let format = try detect(bytes, path: path)
        switch format {
        case .png, .jpeg:
            return ScanImage(image: try ImageFile.decode(bytes, path: path, maxPixels: maxPixels), display: nil)
        case .tiff:
            let (_, pages) = try TIFFFile.header(bytes, path: path)
            let image = try TIFFFile.decode(bytes, path: path, page: options.frames.index(of: pages),
                                            bits: options.bits, maxPixels: maxPixels)
            return ScanImage(image: image, display: nil)
        case .dicom:
            let file = try DicomFile(bytes: bytes, path: path)
            try checkSize(file, maxPixels: maxPixels)
            let (image, record) = try DicomDisplay.render(file, frame: options.frames.index(of: file.frames), options: options)
            return ScanImage(image: image, display: record)
        }
    }

    /// Every frame (DICOM) or page (TIFF) that `options.frames` selects: one
    /// for `first` and `middle`, all of them for `all`.
    public static func frames(_ bytes: [UInt8], path: String, options: ReadOptions,
                              maxPixels: Int = ImageCodec.defaultMaxPixels) throws(ImageError) -> [ScanImage] {
        let format = try detect(bytes, path: path)
        switch format {
        case .dicom where options.frames == .all:
            let file = try DicomFile(bytes: bytes, path: path)
            try checkSize(file, maxPixels: maxPixels)
            var out: [ScanImage] = []
            for f in 0..<file.frames {
                let (image, record) = try DicomDisplay.render(file, frame: f, options: options)
                out.append(ScanImage(image: image, display: record))
            }
            return out
        case .tiff where options.frames == .all:
            let (_, pages) = try TIFFFile.header(bytes, path: path)
            var out: [ScanImage] = []
            for p in 0..<pages {
                out.append(ScanImage(image: try TIFFFile.decode(bytes, path: path, page: p, bits: options.bits, maxPixels: maxPixels),
                                     display: nil))
            }
            return out
        default:
            return [try decode(bytes, path: path, options: options, maxPixels: maxPixels)]
        }
    }

    /// Size, channels and depth from the header alone (the depth is what
    /// `options.bits` will give for DICOM and TIFF).
    public static func header(_ path: String, options: ReadOptions = .current) throws(ImageError) -> ImageHeader {
        let bytes = try ImageFile.readBytes(path)
        switch try detect(bytes, path: path) {
        case .png, .jpeg:
            return try ImageFile.header(path)
        case .tiff:
            let (h, _) = try TIFFFile.header(bytes, path: path, page: 0)
            return ImageHeader(format: h.format, width: h.width, height: h.height, channels: h.channels,
                               bitDepth: options.bits, sourceBitDepth: h.sourceBitDepth, progressive: false, sourceColor: h.sourceColor)
        case .dicom:
            let file = try DicomFile(bytes: bytes, path: path)
            return ImageHeader(format: .png, width: file.columns, height: file.rows,
                               channels: file.samplesPerPixel >= 3 || file.photometric == "PALETTE COLOR" ? 3 : 1,
                               bitDepth: options.bits, sourceBitDepth: file.bitsStored, progressive: false,
                               sourceColor: file.photometric.lowercased())
        }
    }

    /// The format's name for reports ("png", "jpeg", "dicom", "tiff"), from
    /// the name (a header made by ``header(_:options:)`` says `png` for DICOM
    /// and TIFF, the format they are written in); extensionless files are DICOM.
    public static func formatName(path: String, header: ImageHeader) -> String {
        let ext = (path as NSString).pathExtension
        if ext.isEmpty { return ScanFormat.dicom.rawValue }
        return ScanFormat(fileExtension: ext)?.rawValue ?? header.format.rawValue
    }

    /// The Patient ID (0010,0020) of a DICOM file, or nil for other formats
    /// and files without one.
    ///
    /// Reads the file's first 256 KiB, where a header almost always ends,
    /// and the whole file only when the header runs on past that.
    public static func patientID(_ path: String) throws(ImageError) -> String? {
        if let handle = FileHandle(forReadingAtPath: path) {
            let head = (try? handle.read(upToCount: 256 << 10)).map { [UInt8]($0) } ?? []
            try? handle.close()
            if !head.isEmpty && ScanFormat.sniff(head) != .dicom { return nil }
            var buf = [CChar](repeating: 0, count: 256)
            switch head.withUnsafeBufferPointer({ mc_dicom_patient_id($0.baseAddress, $0.count, &buf, buf.count) }) {
            case 1: return buf.cText
            case 0: return nil
            default: break
            }
        }
        let bytes = try ImageFile.readBytes(path)
        guard ScanFormat.sniff(bytes) == .dicom else { return nil }
        return try DicomFile(bytes: bytes, path: path).string(0x0010, 0x0020)
    }

    static func checkSize(_ file: DicomFile, maxPixels: Int) throws(ImageError) {
        let pixels = file.rows.multipliedReportingOverflow(by: file.columns)
        if file.rows <= 0 || file.columns <= 0 {
            throw ImageError(.corrupt, path: file.path, reason: "DICOM image of \(file.rows)x\(file.columns) pixels")
        }
        if pixels.overflow || pixels.partialValue > maxPixels {
            throw ImageError(.tooLarge, path: file.path,
                             reason: "\(file.columns)x\(file.rows) is over the limit of \(maxPixels) pixels (from the header; nothing was decoded)")
        }
    }

    static func detect(_ bytes: [UInt8], path: String) throws(ImageError) -> ScanFormat {
        if bytes.isEmpty { throw ImageError(.empty, path: path, reason: "file is empty (0 bytes)") }
        let ext = (path as NSString).pathExtension
        let promised = ScanFormat(fileExtension: ext)
        let actual = ScanFormat.sniff(bytes)
        // DICOM without the 128-byte preamble has no signature: trust a .dcm name.
        guard let format = actual ?? (promised == .dicom ? .dicom : nil) else {
            throw ImageError(.notAnImage, path: path, reason: "not a PNG, JPEG, DICOM or TIFF file (unrecognised signature)")
        }
        if let promised, promised != format, !(promised == .dicom && format == .dicom) {
            throw ImageError(.wrongExtension, path: path,
                             reason: "extension '.\(ext)' says \(promised.rawValue.uppercased()) but the file holds \(format.rawValue.uppercased()) data")
        }
        return format
    }
}
