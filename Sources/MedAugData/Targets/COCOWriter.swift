import Foundation
import MedAugCore
import MedAugImage

/// Writes augmented images as a new COCO dataset: the images under
/// `out/images/` (each `file_name`'s folders kept, `<stem>_aug<k>.<ext>`)
/// and one annotations file, `out/<source file name>`, with new image and
/// annotation ids, the kept boxes and keypoints, and the source's categories.
///
/// `segmentation` is not written: polygons and RLE cannot follow the
/// geometric transforms here (``COCODataset/notes`` says so when reading).
///
/// A reference, safe to share between threads: images are written outside
/// the lock, so several workers can encode at once; ids follow the order in
/// which images are recorded.
public final class COCOWriter: @unchecked Sendable {
    /// The output root.
    public let output: String
    /// The annotations file ``finish()`` writes.
    public let annotationsPath: String
    /// The folder the written images' `file_name`s are relative to.
    public var imagesRoot: String { StemListing.join(output, "images") }

    /// The dataset whose images are copied.
    public var sourceDataset: COCODataset { source }

    private let source: COCODataset
    private let lock = NSLock()
    private var imageLines: [String] = []
    private var annotationLines: [String] = []

    /// A writer into `output` for copies of `source`'s images; refuses an
    /// output that is one of `inputs`, lies inside one or holds one.
    /// `annotationsFileName` defaults to the source's file name.
    public init(output: String, inputs: [String], source: COCODataset, annotationsFileName: String? = nil) throws {
        try OutputGuard.checkApart(output: output, inputs: inputs)
        self.output = output
        self.source = source
        annotationsPath = StemListing.join(output, annotationsFileName ?? (source.annotationsPath as NSString).lastPathComponent)
    }

    /// Writes the `k`-th augmented copy of the source image at `index` (a
    /// place in ``COCODataset/images``) and records its annotations. `sample`'s
    /// boxes should be ``ImageTargets/finished(width:height:minVisibility:)``'s
    /// (boxes that left the image are dropped and the rest clipped here too);
    /// `keypointSlots` are the ones ``COCODataset/targets(forImage:)`` gave,
    /// matching `sample.targets.keypoints`. Returns the image's path.
    @discardableResult
    public func write(_ sample: AnnotatedImage, sourceImage index: Int, index k: Int,
                               keypointSlots: [COCOKeypointSlot], durable: Bool = true) throws -> String {
        let entry = source.images[index]
        let ext = (entry.fileName as NSString).pathExtension
        let stem = ext.isEmpty ? entry.fileName : String(entry.fileName.dropLast(ext.count + 1))
        let path = try AugmentedFileName.writeImage(sample.image, folder: imagesRoot, stem: stem, index: k,
                                                    sourceExtension: ext, durable: durable)
        let fileName = String(path.dropFirst(imagesRoot.count + 1))
        record(fileName: fileName, width: sample.image.width, height: sample.image.height,
               targets: sample.targets, keypointSlots: keypointSlots)
        return path
    }

    /// Records an image written by the caller (`file_name` relative to
    /// ``imagesRoot``) with its targets; returns its new image id.
    @discardableResult
    public func record(fileName: String, width: Int, height: Int, targets: ImageTargets,
                                keypointSlots: [COCOKeypointSlot]) -> Int {
        precondition(keypointSlots.count == targets.keypoints.count, "one keypoint slot per keypoint")
        lock.lock()
        defer { lock.unlock() }
        let imageID = imageLines.count + 1
        imageLines.append("{\"id\": \(imageID), \"file_name\": \(JSONText.quote(fileName)), \"width\": \(width), \"height\": \(height)}")
        var pointsOf: [Int: [(slot: Int, point: Keypoint, visibility: Int)]] = [:]
        for (i, s) in keypointSlots.enumerated() {
            pointsOf[s.annotation, default: []].append((s.slot, targets.keypoints[i], s.visibility))
        }
        // Finishing again is harmless and keeps a box off the image out of the file, where a reader would refuse it.
        for box in targets.finished(width: width, height: height).targets.boxes {
            let ann = source.annotations[box.id]
            var fields = "\"id\": \(annotationLines.count + 1), \"image_id\": \(imageID), \"category_id\": \(box.label), "
                + "\"bbox\": [\(num(box.x1)), \(num(box.y1)), \(num(box.width)), \(num(box.height))], "
                + "\"area\": \(num(box.area)), \"iscrowd\": \(ann.isCrowd)"
            if let k = ann.keypoints {
                var out = [Double](repeating: 0, count: k.count)
                for p in pointsOf[box.id] ?? [] where p.point.isInside(width: width, height: height) {
                    out[3 * p.slot] = p.point.x
                    out[3 * p.slot + 1] = p.point.y
                    out[3 * p.slot + 2] = Double(p.visibility)
                }
                let visible = stride(from: 2, to: out.count, by: 3).filter { out[$0] > 0 }.count
                fields += ", \"keypoints\": [" + out.map(num).joined(separator: ", ") + "], \"num_keypoints\": \(visible)"
            }
            annotationLines.append("{" + fields + "}")
        }
        return imageID
    }

    /// Writes the annotations file atomically (images recorded so far, their
    /// annotations, the source's categories, `info` and `licenses`); returns its path.
    @discardableResult
    public func finish() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        try AtomicWrite.write(to: annotationsPath) { append in
            func list(_ key: String, _ lines: [String]) -> String {
                "\(JSONText.quote(key)): [" + (lines.isEmpty ? "" : "\n" + lines.joined(separator: ",\n") + "\n") + "]"
            }
            var parts = source.otherJSON.map { JSONText.quote($0.0) + ": " + COCOJSON.compact($0.1) }
            parts.append(list("images", imageLines))
            parts.append(list("annotations", annotationLines))
            let categories: [String]
            if case .list(let l) = source.categoriesJSON { categories = l.map(COCOJSON.compact) } else { categories = [] }
            parts.append(list("categories", categories))
            append(Data(("{\n" + parts.joined(separator: ",\n") + "\n}\n").utf8))
        }
        return annotationsPath
    }

    private func num(_ d: Double) -> String { COCOJSON.number(d) }
}
