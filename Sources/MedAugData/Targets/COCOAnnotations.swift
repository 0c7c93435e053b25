import Foundation
import MedAugCore
import MedAugFormats
import MedAugImage

/// An entry of a COCO file's `images`.
public struct COCOImage: Sendable, Equatable {
    /// The `id` annotations refer to.
    public let id: Int
    /// `file_name`, relative to the images root.
    public let fileName: String
    /// `width` in pixels.
    public let width: Int
    /// `height` in pixels.
    public let height: Int
    /// The image file: the images root joined with `file_name`.
    public let path: String
}

/// An entry of a COCO file's `categories`.
public struct COCOCategory: Sendable, Equatable {
    /// The `id` annotations give as `category_id`.
    public let id: Int
    /// `name`.
    public let name: String
    /// `keypoints`: the names of the points an annotation of this category
    /// lists (empty for categories without keypoints).
    public let keypointNames: [String]
}

/// An entry of a COCO file's `annotations`.
public struct COCOAnnotation: Sendable, Equatable {
    /// `id`.
    public let id: Int
    /// `image_id`.
    public let imageID: Int
    /// `category_id`.
    public let categoryID: Int
    /// `bbox` as written: x, y, width, height in pixels.
    public let bbox: [Double]
    /// `iscrowd` (0 or 1), written back as read.
    public let isCrowd: Int
    /// `keypoints` as written: x, y, v for each of the category's points; nil when absent.
    public let keypoints: [Double]?
    /// True when the annotation has a `segmentation` (polygon or RLE), which the writer drops.
    public let hasSegmentation: Bool

    /// The box in MedAug's form: corners, `category_id` as the label and
    /// `index` (the annotation's place in ``COCODataset/annotations``) as the id.
    public func box(index: Int) -> BoundingBox {
        BoundingBox(x1: bbox[0], y1: bbox[1], x2: bbox[0] + bbox[2], y2: bbox[1] + bbox[3], label: categoryID, id: index)
    }
}

/// Where a keypoint of ``ImageTargets/keypoints`` came from, so that a
/// writer can put the moved point back into its annotation and slot.
public struct COCOKeypointSlot: Sendable, Equatable {
    /// The annotation's place in ``COCODataset/annotations``.
    public let annotation: Int
    /// The point's place among its category's keypoints (0-based).
    public let slot: Int
    /// The visibility flag read (1 labelled but hidden, 2 visible).
    public let visibility: Int

    /// A slot of `annotation`.
    public init(annotation: Int, slot: Int, visibility: Int) {
        self.annotation = annotation
        self.slot = slot
        self.visibility = visibility
    }
}

/// The targets of one COCO image, with the table that ties each keypoint to its annotation.
public struct COCOTargets: Sendable, Equatable {
    /// Boxes (one per annotation, in file order) and the labelled keypoints (v > 0).
    public var targets: ImageTargets
    /// One slot per keypoint of ``targets``, in the same order.
    public var keypointSlots: [COCOKeypointSlot]
}

/// A COCO detection or keypoint dataset: an `instances.json` (`images`,
/// `annotations`, `categories`) and the folder its `file_name`s are under.
public struct COCODataset: Sendable {
    /// How far (in pixels) a box may reach past an image edge before it is
    /// refused: COCO tools round boxes to the pixel and float sums overshoot.
    public static let edgeTolerance = 1.0

    /// The annotations file.
    public let annotationsPath: String
    /// The folder `file_name`s are relative to.
    public let imagesRoot: String
    /// The usable images, in file order.
    public let images: [COCOImage]
    /// The categories, in file order.
    public let categories: [COCOCategory]
    /// The usable annotations, in file order; boxes' ids are places in this list.
    public let annotations: [COCOAnnotation]
    /// The `categories` list as written, copied to outputs unchanged (supercategory, skeleton).
    public let categoriesJSON: ConfigValue
    /// Top-level entries other than images, annotations and categories (`info`, `licenses`), copied to outputs.
    public let otherJSON: [(String, ConfigValue)]
    /// Things the user should know that are not errors (segmentations the writer will drop).
    public let notes: [String]
    /// What was left out under skip-bad (empty otherwise: the first problem is thrown).
    public let problems: [TargetDataError]
    /// For each image (by place in ``images``), the places of its annotations.
    public let annotationsOfImage: [[Int]]

    /// Reads `annotations` and checks it against the files under `imagesRoot`.
    ///
    /// Reports, naming the file and the key: an annotation whose `image_id`
    /// is not an image, a `category_id` not in `categories`, a `bbox` with a
    /// negative size or reaching outside its image by more than
    /// ``edgeTolerance``, keypoints that are not three numbers per point of
    /// the category, and a `file_name` that does not exist under `imagesRoot`.
    /// Without `skipBad` the first problem is thrown; with it the annotation
    /// (or the image with its annotations) is left out and listed in ``problems``.
    public static func read(annotations path: String, imagesRoot: String, skipBad: Bool = false) throws(TargetDataError) -> COCODataset {
        try read(annotations: path, imagesRoots: [imagesRoot], skipBad: skipBad)
    }

    /// `read`, with the images root the first of `imagesRoots` under which
    /// the first image's `file_name` exists (the first when none has it):
    /// datasets put the images beside the JSON or in an `images/` folder.
    static func read(annotations path: String, imagesRoots: [String], skipBad: Bool) throws(TargetDataError) -> COCODataset {
        let top = try COCOJSON.read(path)
        guard case .map(let topPairs) = top else {
            throw TargetDataError(.badSyntax, path: path, reason: "a COCO file is a JSON object with 'images', 'annotations' "
                + "and 'categories', found \(top.kindName)")
        }
        guard let imageList = try COCOJSON.list(top, "images", path: path) else {
            throw TargetDataError(.badSyntax, path: path, reason: "no 'images' list: not a COCO annotations file")
        }
        var log = ProblemLog(skipBad: skipBad)
        let firstName = imageList.first?["file_name"]?.string ?? ""
        let imagesRoot = imagesRoots.first { FileManager.default.fileExists(atPath: StemListing.join($0, firstName)) }
            ?? imagesRoots[0]

        var categories: [COCOCategory] = []
        var categoryIndex: [Int: Int] = [:]
        for (i, c) in (try COCOJSON.list(top, "categories", path: path) ?? []).enumerated() {
            let place = "categories[\(i)]"
            let id = try COCOJSON.int(c, "id", at: place, path: path)
            if categoryIndex[id] != nil {
                throw TargetDataError(.badSyntax, path: path, reason: "\(place).id \(id) is used by an earlier category too")
            }
            var names: [String] = []
            if case .list(let l)? = c["keypoints"] { names = l.map { $0.string ?? COCOJSON.compact($0) } }
            categoryIndex[id] = categories.count
            categories.append(COCOCategory(id: id, name: c["name"]?.string ?? String(id), keypointNames: names))
        }

        var images: [COCOImage] = []
        var imageIndex: [Int: Int] = [:]
        var droppedImages = Set<Int>()
        for (i, m) in imageList.enumerated() {
            let place = "images[\(i)]"
            let id = try COCOJSON.int(m, "id", at: place, path: path)
            if imageIndex[id] != nil || droppedImages.contains(id) {
                throw TargetDataError(.badSyntax, path: path, reason: "\(place).id \(id) is used by an earlier image too")
            }
            guard let name = m["file_name"]?.string, !name.isEmpty else {
                throw TargetDataError(.badSyntax, path: path, reason: "\(place) has no 'file_name' string")
            }
            let width = try COCOJSON.int(m, "width", at: place, path: path)
            let height = try COCOJSON.int(m, "height", at: place, path: path)
            // Outputs are named after file_name under the output folder: a name
            // that climbs out of its root would make a writer write outside it.
            if name.hasPrefix("/") || name.split(separator: "/").contains("..") {
                droppedImages.insert(id)
                try log.report(.badSyntax, path: path, "\(place).file_name '\(ConfigError.excerpt(name))' (image id \(id)) must be a "
                    + "path relative to the images folder, without '..'")
                continue
            }
            let file = StemListing.join(imagesRoot, name)
            var isDir: ObjCBool = false
            if !FileManager.default.fileExists(atPath: file, isDirectory: &isDir) || isDir.boolValue {
                droppedImages.insert(id)
                try log.report(.missingImage, path: path, "\(place).file_name '\(ConfigError.excerpt(name))' (image id \(id)) "
                    + "does not exist under the images folder '\(imagesRoot)'")
                continue
            }
            if width <= 0 || height <= 0 {
                droppedImages.insert(id)
                try log.report(.badSyntax, path: path, "\(place) (image id \(id)) has size \(width)x\(height); width and height must be positive")
                continue
            }
            imageIndex[id] = images.count
            images.append(COCOImage(id: id, fileName: name, width: width, height: height, path: file))
        }

        var annotations: [COCOAnnotation] = []
        var ofImage = [[Int]](repeating: [], count: images.count)
        var segmented = 0
        for (i, a) in (try COCOJSON.list(top, "annotations", path: path) ?? []).enumerated() {
            let place = "annotations[\(i)]"
            do {
                let ann = try annotation(a, place: place, path: path, images: images, imageIndex: imageIndex,
                                         droppedImages: droppedImages, categories: categories, categoryIndex: categoryIndex)
                guard let ann else { continue }
                if ann.hasSegmentation { segmented += 1 }
                ofImage[imageIndex[ann.imageID]!].append(annotations.count)
                annotations.append(ann)
            } catch {
                try log.report(error)
            }
        }
        var notes: [String] = []
        if segmented > 0 {
            notes.append("\(path): \(segmented) annotation\(segmented == 1 ? " has" : "s have") a 'segmentation'; polygons and RLE "
                + "cannot follow the geometric transforms here, so augmented outputs leave 'segmentation' out (boxes and keypoints are kept)")
        }
        let known: Set<String> = ["images", "annotations", "categories"]
        return COCODataset(annotationsPath: path, imagesRoot: imagesRoot, images: images, categories: categories,
                           annotations: annotations, categoriesJSON: top["categories"] ?? .list([]),
                           otherJSON: topPairs.filter { !known.contains($0.0) }, notes: notes, problems: log.problems,
                           annotationsOfImage: ofImage)
    }

    /// One annotation checked; nil for one of an image left out earlier (already reported).
    private static func annotation(_ a: ConfigValue, place: String, path: String, images: [COCOImage], imageIndex: [Int: Int],
                                   droppedImages: Set<Int>, categories: [COCOCategory],
                                   categoryIndex: [Int: Int]) throws(TargetDataError) -> COCOAnnotation? {
        let id = try COCOJSON.int(a, "id", at: place, path: path)
        let imageID = try COCOJSON.int(a, "image_id", at: place, path: path)
        if droppedImages.contains(imageID) { return nil }
        guard let image = imageIndex[imageID].map({ images[$0] }) else {
            throw TargetDataError(.unknownImage, path: path, reason: "\(place).image_id \(imageID) (annotation id \(id)) "
                + "is not the id of any entry of 'images'")
        }
        let categoryID = try COCOJSON.int(a, "category_id", at: place, path: path)
        guard let category = categoryIndex[categoryID].map({ categories[$0] }) else {
            let ids = categories.map(\.id)
            let known = ids.isEmpty ? "there are no categories" : "the category ids are \(rangeText(ids))"
            throw TargetDataError(.unknownClass, path: path, reason: "\(place).category_id \(categoryID) (annotation id \(id)) "
                + "is not in 'categories': \(known)")
        }
        guard let bbox = try COCOJSON.numbers(a, "bbox", at: place, path: path) else {
            throw COCOJSON.missing("bbox", at: place, path: path)
        }
        guard bbox.count == 4 else {
            throw TargetDataError(.badSyntax, path: path, reason: "\(place).bbox must be [x, y, width, height], found \(bbox.count) numbers")
        }
        let shown = "[" + bbox.map(COCOJSON.number).joined(separator: ", ") + "]"
        if bbox[2] < 0 || bbox[3] < 0 {
            throw TargetDataError(.badBox, path: path, reason: "\(place).bbox \(shown) (annotation id \(id)) has a negative "
                + "\(bbox[2] < 0 ? "width" : "height")")
        }
        let tol = edgeTolerance
        if bbox[0] < -tol || bbox[1] < -tol || bbox[0] + bbox[2] > Double(image.width) + tol
            || bbox[1] + bbox[3] > Double(image.height) + tol {
            throw TargetDataError(.badBox, path: path, reason: "\(place).bbox \(shown) (annotation id \(id)) reaches outside its image "
                + "'\(ConfigError.excerpt(image.fileName))' (\(image.width)x\(image.height)) by more than \(COCOJSON.number(tol)) pixel")
        }
        let keypoints = try COCOJSON.numbers(a, "keypoints", at: place, path: path)
        if let keypoints {
            let expected = category.keypointNames.isEmpty ? nil : 3 * category.keypointNames.count
            if keypoints.count % 3 != 0 || (expected.map { $0 != keypoints.count } ?? false) {
                let want = expected.map { "\($0) (x, y, v for the \($0 / 3) keypoints of category \(categoryID))" } ?? "a multiple of 3 (x, y, v)"
                throw TargetDataError(.badKeypoints, path: path, reason: "\(place).keypoints (annotation id \(id)) has \(keypoints.count) "
                    + "numbers; expected \(want)")
            }
        }
        let crowd = a["iscrowd"].flatMap { $0.number }.map { Int($0) } ?? 0
        let segmentation = a["segmentation"]
        let hasSegmentation: Bool
        switch segmentation {
        case nil, .null?: hasSegmentation = false
        case .list(let l)?: hasSegmentation = !l.isEmpty
        default: hasSegmentation = true
        }
        return COCOAnnotation(id: id, imageID: imageID, categoryID: categoryID, bbox: bbox, isCrowd: crowd,
                              keypoints: keypoints, hasSegmentation: hasSegmentation)
    }

    /// Ids for a message: a range when they are consecutive, else the first few.
    static func rangeText(_ ids: [Int]) -> String {
        let s = ids.sorted()
        if s.count > 1, s.last! - s.first! == s.count - 1 { return "\(s.first!)...\(s.last!)" }
        let head = s.prefix(12).map(String.init).joined(separator: ", ")
        return s.count > 12 ? head + ", ... (\(s.count) in all)" : head
    }

    /// The targets of the image at `index` (a place in ``images``): a box per
    /// annotation, and each labelled keypoint (v > 0) with its slot.
    public func targets(forImage index: Int) -> COCOTargets {
        var t = ImageTargets()
        var slots: [COCOKeypointSlot] = []
        for a in annotationsOfImage[index] {
            let ann = annotations[a]
            t.boxes.append(ann.box(index: a))
            guard let k = ann.keypoints else { continue }
            for s in 0..<(k.count / 3) where k[3 * s + 2] > 0 {
                t.keypoints.append(Keypoint(x: k[3 * s], y: k[3 * s + 1]))
                slots.append(COCOKeypointSlot(annotation: a, slot: s, visibility: Int(k[3 * s + 2])))
            }
        }
        return COCOTargets(targets: t, keypointSlots: slots)
    }

    /// The image at `index` (read as ``MedicalImageFile`` reads it) with its
    /// targets; refuses an image whose size is not the one `images` gives,
    /// since the boxes are in those pixels.
    public func load(imageAt index: Int) throws(TargetDataError) -> (sample: AnnotatedImage, keypointSlots: [COCOKeypointSlot]) {
        let entry = images[index]
        let image: Image
        do { image = try MedicalImageFile.read(entry.path) } catch { throw TargetDataError(.badImage, error) }
        if image.width != entry.width || image.height != entry.height {
            throw TargetDataError(.sizeMismatch, path: entry.path, reason: "the image is \(image.width)x\(image.height) but "
                + "'\(annotationsPath)' gives it (image id \(entry.id)) as \(entry.width)x\(entry.height)")
        }
        let t = targets(forImage: index)
        return (AnnotatedImage(image, targets: t.targets), t.keypointSlots)
    }
}
