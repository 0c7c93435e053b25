import Foundation
import MedAugFormats
import MedAugImage

/// How thoroughly `ImageScanner` reads each file.
public enum ScanDepth: String, Sendable, Codable, CaseIterable {
    /// Decode every pixel: catches truncated and corrupt image data.
    case decode
    /// Header only: fast, but a file cut off after its header passes.
    case header
}

/// A file that passed the scan, with what its header says.
public struct ScannedImage: Sendable, Equatable {
    public let sample: Sample
    public let header: ImageHeader
}

/// A file left out under skip-bad, with the reason.
public struct SkippedFile: Sendable, Codable, Equatable, CustomStringConvertible {
    public let path: String
    /// `ImageError.Kind` raw value: unreadable, empty, notAnImage, wrongExtension, corrupt, tooLarge, unsupported.
    public let kind: String
    public let reason: String

    public init(path: String, kind: String, reason: String) {
        self.path = path
        self.kind = kind
        self.reason = reason
    }

    public init(_ error: ImageError) {
        self.init(path: error.path, kind: error.kind.rawValue, reason: error.reason)
    }

    public var description: String { "\(path): \(reason)" }
}

public struct ScanResult: Sendable {
    /// Good files, in the order of the samples given.
    public var images: [ScannedImage]
    /// Bad files (only under skip-bad), in the order of the samples given.
    public var skipped: [SkippedFile]
    /// DICOM files without pixel data (reports, RT plans): not images, so
    /// neither used nor bad, in the order of the samples given.
    public var nonImages: [IgnoredEntry] = []

    public var samples: [Sample] { images.map(\.sample) }
}

/// Opens every file of a dataset before anything depends on it, so a bad file
/// is reported by name up front instead of failing a long run half-way.
public enum ImageScanner {
    /// Checks one file (PNG, JPEG, DICOM or TIFF, read as `ReadOptions.current`
    /// says); the error names the file and says what is wrong.
    public static func check(_ path: String, depth: ScanDepth = .decode) throws(ImageError) -> ImageHeader {
        let header = try MedicalImageFile.header(path)
        if depth == .decode { _ = try MedicalImageFile.read(path) }
        return header
    }

    /// Scans the samples on all cores.
    ///
    /// Without `skipBad` the first bad file in sample order stops the scan
    /// with `DatasetError.badFile`; files are checked in chunks, so the scan
    /// ends soon after the bad file rather than after the whole dataset.
    /// With `skipBad` every bad file is collected in `skipped`.
    /// `progress` gets (done, total) from worker threads.
    public static func scan(_ samples: [Sample], depth: ScanDepth = .decode, skipBad: Bool = false,
                            progress: (@Sendable (Int, Int) -> Void)? = nil) throws(DatasetError) -> ScanResult {
        let total = samples.count
        let results = Slots<Result<ImageHeader, ImageError>>(count: total)
        let chunk = max(64, 16 * ProcessInfo.processInfo.activeProcessorCount)
        var start = 0
        while start < total {
            let end = min(total, start + chunk)
            let base = start
            DispatchQueue.concurrentPerform(iterations: end - start) { k in
                let i = base + k
                let r: Result<ImageHeader, ImageError>
                do throws(ImageError) { r = .success(try check(samples[i].path, depth: depth)) } catch { r = .failure(error) }
                let done = results.set(i, r)
                progress?(done, total)
            }
            if !skipBad {
                for i in start..<end {
                    if case .failure(let e) = results[i], !DicomFile.isNoPixelData(e) { throw .badFile(e) }
                }
            }
            start = end
        }

        var out = ScanResult(images: [], skipped: [])
        out.images.reserveCapacity(total)
        for i in 0..<total {
            switch results[i] {
            case .success(let h): out.images.append(ScannedImage(sample: samples[i], header: h))
            case .failure(let e) where DicomFile.isNoPixelData(e):
                out.nonImages.append(IgnoredEntry(path: samples[i].path, reason: .nonImage))
            case .failure(let e): out.skipped.append(SkippedFile(e))
            case nil: break
            }
        }
        return out
    }
}
