import Foundation
import MedAugCore
import MedAugImage

/// One synthetic image with the targets of what it shows: for skin-lesion
/// the lesion, for chest-xray the two lung fields.
public struct SyntheticTargetSample: Sendable {
    /// One drawn object: its class, its box and its keypoints.
    public struct Object: Sendable, Equatable {
        /// The image's class index (``SyntheticKind/classes``), which each of its objects carries.
        public let classID: Int
        /// The pixel bounds of the object's mask pixels (x2 and y2 exclusive).
        public let box: BoundingBox
        /// One point per ``SyntheticTargets/keypointNames`` entry, on pixel centres (x + 0.5, y + 0.5).
        public let keypoints: [Keypoint]
    }

    /// The image, byte for byte what the renderer drew.
    public let image: Image
    /// One channel, 255 where an object's weight is at least
    /// ``SyntheticTargets/maskThreshold``, 0 elsewhere (ISIC's convention).
    public let mask: Image
    /// The objects, in drawing order.
    public let objects: [Object]
}

/// Synthetic datasets with targets (`medaug synth --targets`): flat
/// `images/synth_00001.png ...` with, by layout, `masks/` (0/255 PNG),
/// `labels/` + `classes.txt` (YOLO), or `instances.json` (COCO, with a box
/// and two keypoints per object).
///
/// The targets come from the renderer's own per-pixel weight, not from
/// looking at the image, so they are exactly where the object is drawn.
/// Images are seeded by (kind, seed, class, index) as in ``SyntheticDataset``,
/// under a split of their own, so they differ from the class-folder set's.
public enum SyntheticTargets {
    /// A pixel belongs to the mask when its object's shape weight is at least
    /// this: the middle of the soft border, where the painted colour is half-way.
    public static let maskThreshold: Float = 0.5

    /// COCO keypoint names: the object's centre (where the lesion's radii
    /// and the lung ellipse are measured from) and the middle of its topmost mask row.
    public static let keypointNames = ["centre", "top"]

    /// The COCO annotations file written at the root.
    public static let cocoFileName = "instances.json"

    /// The image with identity (kind, seed, class, index) and its targets.
    public static func sample(kind: SyntheticKind, seed: UInt64, classIndex: Int, index: Int) -> SyntheticTargetSample {
        var rng = Xoshiro256(seed: seed, path: [SeedDerivation.hash(kind.rawValue), SyntheticDataset.splitCode(.unsplit),
                                                UInt64(classIndex), UInt64(index)])
        let image: Image
        let owner: [UInt8]
        let centres: [(x: Double, y: Double)]
        switch kind {
        case .skinLesion:
            let r = SkinLesionSynth.renderWithLesion(SkinLesionSynth.Diagnosis(rawValue: classIndex)!, rng: &rng)
            image = r.image
            owner = r.weight.map { $0 >= maskThreshold ? 1 : 0 }
            centres = [r.centre]
        case .chestXRay:
            let r = ChestXRaySynth.renderWithLungs(ChestXRaySynth.Finding(rawValue: classIndex)!, rng: &rng)
            image = r.image
            owner = zip(r.weight, r.lung).map { $0 >= maskThreshold ? $1 : 0 }
            centres = r.centres
        }
        let w = image.width, h = image.height
        var objects: [SyntheticTargetSample.Object] = []
        for (k, c) in centres.enumerated() {
            let id = UInt8(k + 1)
            var x0 = Int.max, y0 = Int.max, x1 = -1, y1 = -1
            var topRow: [Int] = []
            for y in 0..<h {
                for x in 0..<w where owner[y * w + x] == id {
                    if y < y0 { topRow = [] }
                    if y <= y0 { topRow.append(x) }
                    x0 = min(x0, x); y0 = min(y0, y); x1 = max(x1, x); y1 = max(y1, y)
                }
            }
            if x1 < 0 { continue }
            let box = BoundingBox(x1: Double(x0), y1: Double(y0), x2: Double(x1 + 1), y2: Double(y1 + 1), label: classIndex, id: k)
            // The rounded centre pixel: keypoints sit on pixel centres, like a marker pixel's.
            let cx = min(max(Int(c.x.rounded()), 0), w - 1), cy = min(max(Int(c.y.rounded()), 0), h - 1)
            let top = topRow[topRow.count / 2]
            objects.append(.init(classID: classIndex, box: box, keypoints: [
                Keypoint(x: Double(cx) + 0.5, y: Double(cy) + 0.5), Keypoint(x: Double(top) + 0.5, y: Double(y0) + 0.5),
            ]))
        }
        let mask = Image(width: w, height: h, channels: 1, bytes: owner.map { $0 == 0 ? 0 : 255 })
        return SyntheticTargetSample(image: image, mask: mask, objects: objects)
    }

    /// Images per class: the kind's train and test counts at `scale` together, since the layouts have no split.
    public static func counts(kind: SyntheticKind, scale: Double) -> [Int] {
        zip(kind.counts(.train, scale: scale), kind.counts(.test, scale: scale)).map { $0 + $1 }
    }

    /// (class, index) of each image in file order: the classes interleaved in
    /// proportion, so that any first few files (a preview's rows) show them all.
    public static func plan(kind: SyntheticKind, scale: Double) -> [(classIndex: Int, index: Int)] {
        let n = counts(kind: kind, scale: scale)
        var all: [(classIndex: Int, index: Int)] = []
        for (c, count) in n.enumerated() { for j in 1...count { all.append((c, j)) } }
        // Position (j - 0.5) / n[c], compared in integers so that ties break by class on every machine.
        return all.sorted { a, b in
            let l = (2 * a.index - 1) * n[b.classIndex], r = (2 * b.index - 1) * n[a.classIndex]
            return l != r ? l < r : a.classIndex < b.classIndex
        }
    }

    /// The layout recorded in a synthetic set's README.txt; nil for class folders.
    static func recordedLayout(readme text: String) -> TargetLayout? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("targets:") }) else { return nil }
        return TargetLayout(rawValue: line.dropFirst("targets:".count).trimmingCharacters(in: .whitespaces))
    }

    /// Writes the set in `targets`' layout into `out` (new, empty, or an
    /// earlier synthetic set of the same kind and layout, whose surplus
    /// synth_* files are removed). `format` is png or jpg for the images;
    /// masks are always PNG, since JPEG would blur their 0/255 edges.
    public static func generate(kind: SyntheticKind, out: String, seed: UInt64 = 0, scale: Double = 1,
                                format: SyntheticFormat = .png, targets: TargetLayout,
                                progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> SyntheticDataset.Report {
        guard scale.isFinite, scale > 0 else {
            throw DatasetError.invalidArgument("scale must be a positive number, got \(scale)")
        }
        guard let imageFormat = format.imageFormat else {
            throw DatasetError.invalidArgument("--targets writes PNG or JPEG images beside their targets; --format \(format.rawValue) "
                + "is for class folders only")
        }
        let started = Date()
        try SyntheticDataset.checkOutputFolder(out, kind: kind, targets: targets)
        // First, so that an interrupted run leaves a folder a rerun may write into.
        try AtomicWrite.write(readme(kind: kind, seed: seed, scale: scale, format: format, targets: targets),
                              to: StemListing.join(out, SyntheticDataset.readmeName))

        let plan = plan(kind: kind, scale: scale)
        let images = StemListing.join(out, "images")
        let side = targets == .segmentation ? StemListing.join(out, SegmentationFolder.masksFolderName)
            : targets == .yolo ? StemListing.join(out, YOLODataset.labelsFolderName) : nil
        for folder in [images] + (side.map { [$0] } ?? []) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let names = plan.indices.map { SyntheticDataset.fileName(index: $0 + 1, count: plan.count, format: format) }
        var planned = Set(names.map { StemListing.join(images, $0) })
        let stems = names.map { String($0.dropLast(format.fileExtension.count + 1)) }
        if let side {
            let ext = targets == .segmentation ? "png" : "txt"
            planned.formUnion(stems.map { StemListing.join(side, $0 + "." + ext) })
        }

        // Each image's objects and size, for the COCO file written after all of them.
        let results = Slots<Result<(objects: [SyntheticTargetSample.Object], width: Int, height: Int), Error>>(count: plan.count)
        let done = Counter()
        DispatchQueue.concurrentPerform(iterations: plan.count) { k in
            guard !done.failed else { return }
            do {
                let s = sample(kind: kind, seed: seed, classIndex: plan[k].classIndex, index: plan[k].index)
                try SyntheticDataset.write(s.image, to: StemListing.join(images, names[k]), format: imageFormat)
                switch targets {
                case .segmentation:
                    try SyntheticDataset.write(s.mask, to: StemListing.join(side!, stems[k] + ".png"), format: .png)
                case .yolo:
                    let text = YOLOLabelFile.text(boxes: s.objects.map(\.box), width: s.image.width, height: s.image.height)
                    try AtomicWrite.write(text, to: StemListing.join(side!, stems[k] + ".txt"))
                case .coco:
                    break
                }
                _ = results.set(k, .success((s.objects, s.image.width, s.image.height)))
            } catch {
                _ = results.set(k, .failure(error))
                done.fail()
                return
            }
            progress?(done.increment(), plan.count)
        }
        var objects: [[SyntheticTargetSample.Object]] = [], sizes: [(Int, Int)] = []
        for k in 0..<plan.count {
            switch results[k] {
            case .success(let o)?: objects.append(o.objects); sizes.append((o.width, o.height))
            case .failure(let e)?: throw e
            case nil: break
            }
        }
        switch targets {
        case .segmentation: break
        case .yolo:
            try AtomicWrite.write(kind.classes.joined(separator: "\n") + "\n", to: StemListing.join(out, YOLOClassNames.classesFileName))
        case .coco:
            try AtomicWrite.write(cocoJSON(kind: kind, fileNames: names, objects: objects, sizes: sizes),
                                  to: StemListing.join(out, cocoFileName))
        }
        let stale = try removeStale(in: [images] + (side.map { [$0] } ?? []), keeping: planned)
        return SyntheticDataset.Report(out: out, kind: kind, written: plan.count, removedStale: stale,
                                       seconds: Date().timeIntervalSince(started))
    }

    /// COCO annotations: category ids 1... in class order (COCO keeps 0 for
    /// none), one annotation per object with its box and both keypoints visible.
    static func cocoJSON(kind: SyntheticKind, fileNames: [String], objects: [[SyntheticTargetSample.Object]],
                         sizes: [(Int, Int)]) -> String {
        var imageLines: [String] = [], annotationLines: [String] = []
        for (i, name) in fileNames.enumerated() {
            let (w, h) = sizes[i]
            imageLines.append("{\"id\": \(i + 1), \"file_name\": \(JSONText.quote(name)), \"width\": \(w), \"height\": \(h)}")
            for o in objects[i] {
                let b = o.box
                let points = o.keypoints.map { "\(COCOJSON.number($0.x)), \(COCOJSON.number($0.y)), 2" }.joined(separator: ", ")
                annotationLines.append("{\"id\": \(annotationLines.count + 1), \"image_id\": \(i + 1), \"category_id\": \(o.classID + 1), "
                    + "\"bbox\": [\(COCOJSON.number(b.x1)), \(COCOJSON.number(b.y1)), \(COCOJSON.number(b.width)), \(COCOJSON.number(b.height))], "
                    + "\"area\": \(COCOJSON.number(b.area)), \"iscrowd\": 0, \"keypoints\": [\(points)], \"num_keypoints\": \(o.keypoints.count)}")
            }
        }
        let names = keypointNames.map(JSONText.quote).joined(separator: ", ")
        let categories = kind.classes.enumerated().map { i, c in
            "{\"id\": \(i + 1), \"name\": \(JSONText.quote(c)), \"supercategory\": \(JSONText.quote(kind.rawValue)), "
                + "\"keypoints\": [\(names)], \"skeleton\": [[1, 2]]}"
        }
        func list(_ key: String, _ lines: [String]) -> String {
            "\"\(key)\": [" + (lines.isEmpty ? "" : "\n" + lines.joined(separator: ",\n") + "\n") + "]"
        }
        let info = "\"info\": {\"description\": \(JSONText.quote("MedAug synthetic \(kind.rawValue) set: no patient data"))}"
        return "{\n" + [info, list("images", imageLines), list("annotations", annotationLines), list("categories", categories)]
            .joined(separator: ",\n") + "\n}\n"
    }

    /// Removes synth_* images, masks and label files of an earlier run that this run did not write.
    static func removeStale(in folders: [String], keeping planned: Set<String>) throws -> [String] {
        var removed: [String] = []
        for folder in folders {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for e in UnicodeOrder.sorted(entries) {
                // A label file is ours when its stem would be our image's.
                let ours = SyntheticDataset.isOurFileName(e)
                    || (e.hasSuffix(".txt") && SyntheticDataset.isOurFileName(String(e.dropLast(4)) + ".png"))
                let path = StemListing.join(folder, e)
                if ours && !planned.contains(path) {
                    try FileManager.default.removeItem(atPath: path)
                    removed.append(path)
                }
            }
        }
        return removed
    }

    static func readme(kind: SyntheticKind, seed: UInt64, scale: Double, format: SyntheticFormat, targets: TargetLayout) -> String {
        let layout: [String]
        switch targets {
        case .segmentation:
            layout = ["images/synth_NNNNN.\(format.fileExtension) with masks/synth_NNNNN.png: 0 background, 255 "
                + (kind == .skinLesion ? "lesion" : "lung fields")]
        case .yolo:
            layout = ["images/ with labels/synth_NNNNN.txt (class cx cy w h, normalised), class names in classes.txt;",
                      "class = the image's class, one box per " + (kind == .skinLesion ? "lesion" : "lung")]
        case .coco:
            layout = ["images/ with \(cocoFileName): a box per " + (kind == .skinLesion ? "lesion" : "lung")
                + ", categories = classes (ids from 1),", "keypoints \(keypointNames.joined(separator: ", "))"]
        }
        var lines = [
            SyntheticDataset.readmeMarker,
            "",
            "These images are SYNTHETIC. They were drawn procedurally by MedAug and show",
            "no patient. Their targets come from the drawing itself, so they are exact.",
            "",
            "kind:      \(kind.rawValue) (\(kind.imageDescription))",
            "seed:      \(seed)",
            "scale:     \(scale)",
            "format:    \(format.rawValue)",
            "targets:   \(targets.rawValue)",
            "generator: \(SyntheticDataset.generatorVersion)",
            "",
        ] + layout + ["", "images per class (no train/test split; classes interleaved in file order):"]
        for (i, n) in counts(kind: kind, scale: scale).enumerated() { lines.append("  \(kind.classes[i]): \(n)") }
        lines.append("")
        lines.append("Same kind, seed, scale, format and targets give byte-identical files:")
        lines.append("  medaug synth --kind \(kind.rawValue) --seed \(seed) --scale \(scale) --format \(format.rawValue) "
            + "--targets \(targets.rawValue) --out DIR")
        return lines.joined(separator: "\n") + "\n"
    }
}
