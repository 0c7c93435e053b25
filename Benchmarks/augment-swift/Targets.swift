// `targets`: images with the targets that follow them (label maps, heatmaps,
// keypoints, boxes) through a pipeline, for parity/target_parity.py, which
// runs the same cases through imgaug 0.4.0 and compares.
//
//   targets CASES.json OUT.json
//
// CASES.json is a list of cases:
//   {"pipeline": [ENTRY, ...] (a pipeline file's content, inline) or "PATH",
//    "image": "IN.png", "mask": "MASK.png" or [PATH, ...] (optional label maps, 8 or 16 bits),
//    "heatmap": "HM.png" (optional 16-bit gray: value/65535 in 0...1),
//    "keypoints": [[x, y], ...], "boxes": [[x1, y1, x2, y2], ...],
//    "seed": S, "identity": "NAME" (default "case<i>"),
//    "min_visibility": V or [V, ...] (default 0),
//    "out_image": "OUT.png", "out_mask": PATH or [PATH, ...] (one per mask), "out_heatmap": "OUT_HM.png" (optional),
//    "fixed": {...} (optional: a random warp with the values imgaug drew,
//             instead of "pipeline"; see fixedWarp below)}
// OUT.json holds one object per case: {"width", "height", "channels",
// "keypoints": [[x, y], ...], "boxes": [[x1, y1, x2, y2, id], ...] (before
// `finished`; id = the input index), "finished": [{"min_visibility": V,
// "boxes": [[x1, y1, x2, y2, id], ...], "removed": [id, ...]}, ...]}, or
// {"error": MESSAGE} for a case MedAug refused.
import Foundation
import MedAugAugment
import MedAugImage

private struct CaseError: Error, CustomStringConvertible {
    let description: String
    init(_ s: String) { description = s }
}

private func doubles(_ v: Any?, _ what: String) throws -> [Double] {
    guard let v else { return [] }
    guard let list = v as? [Any] else { throw CaseError("\(what): expected a list of numbers") }
    return try list.map {
        guard let n = $0 as? NSNumber else { throw CaseError("\(what): not a number: \($0)") }
        return n.doubleValue
    }
}

private func pairs(_ v: Any?, _ what: String, width: Int) throws -> [[Double]] {
    guard let v else { return [] }
    guard let list = v as? [Any] else { throw CaseError("\(what): expected a list") }
    return try list.enumerated().map { i, item in
        let xs = try doubles(item, "\(what)[\(i)]")
        guard xs.count >= width else { throw CaseError("\(what)[\(i)]: expected \(width) numbers") }
        return xs
    }
}

/// The pipeline of a case: inline entries (written to a scratch file and read
/// as a pipeline file is) or a path.
private func casePipeline(_ value: Any?, scratch: String) throws -> Sequential {
    if let path = value as? String { return try PipelineReader.load(path: path) }
    guard let value, value is [Any] else { throw CaseError("pipeline: expected a list of entries or a path") }
    let data = try JSONSerialization.data(withJSONObject: value)
    try data.write(to: URL(fileURLWithPath: scratch))
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    return try PipelineReader.load(path: scratch)
}

/// One path or a list of paths (nothing when absent).
private func paths(_ v: Any?, _ what: String) throws -> [String] {
    guard let v else { return [] }
    if let s = v as? String { return [s] }
    guard let list = v as? [String] else { throw CaseError("\(what): expected a path or a list of paths") }
    return list
}

private func boxRow(_ b: BoundingBox) -> [Double] { [b.x1, b.y1, b.x2, b.y2, Double(b.id)] }

/// One case: read, augment, write the maps, report points and boxes.
private func runCase(_ c: [String: Any], index i: Int, scratch: String) throws -> [String: Any] {
    guard let imagePath = c["image"] as? String else { throw CaseError("image: a path is required") }
    let image = try ImageFile.read(imagePath)
    var targets = ImageTargets()
    targets.masks = try paths(c["mask"], "mask").map { try ImageFile.read($0) }
    if let p = c["heatmap"] as? String {
        let hm = try ImageFile.read(p)
        guard hm.channels == 1 else { throw CaseError("heatmap: expected a 1-channel PNG") }
        targets.heatmaps = [Heatmap(channels16: [hm])]
    }
    targets.keypoints = try pairs(c["keypoints"], "keypoints", width: 2).map { Keypoint(x: $0[0], y: $0[1]) }
    targets.boxes = try pairs(c["boxes"], "boxes", width: 4).enumerated().map { k, b in
        BoundingBox(x1: b[0], y1: b[1], x2: b[2], y2: b[3], label: b.count > 4 ? Int(b[4]) : 0, id: k)
    }
    let sample = AnnotatedImage(image, targets: targets)
    let seed = UInt64((c["seed"] as? NSNumber)?.int64Value ?? 0)
    let identity = c["identity"] as? String ?? "case\(i)"

    let out: AnnotatedImage
    if let fixed = c["fixed"] as? [String: Any] {
        out = try fixedWarp(sample, fixed)
    } else {
        let pipeline = try casePipeline(c["pipeline"], scratch: scratch)
        out = try pipeline(sample, seed: seed, identity: identity)
    }

    if let p = c["out_image"] as? String { try ImageFile.write(out.image, to: p) }
    let outMasks = try paths(c["out_mask"], "out_mask")
    guard outMasks.count <= out.targets.masks.count else { throw CaseError("more out_mask paths than masks") }
    for (m, p) in zip(out.targets.masks, outMasks) { try ImageFile.write(m, to: p) }
    if let p = c["out_heatmap"] as? String {
        guard let h = out.targets.heatmaps.first else { throw CaseError("out_heatmap given but the case has no heatmap") }
        try ImageFile.write(h.channel16(0), to: p)
    }
    let w = out.image.width, h = out.image.height
    var visibilities = try doubles(c["min_visibility"] is NSNumber ? [c["min_visibility"]!] : c["min_visibility"],
                                   "min_visibility")
    if visibilities.isEmpty { visibilities = [0] }
    let finished: [[String: Any]] = visibilities.map { v in
        let (kept, removed) = out.targets.finished(width: w, height: h, minVisibility: v)
        return ["min_visibility": v, "boxes": kept.boxes.map(boxRow), "removed": removed.map(\.id)]
    }
    var result: [String: Any] = [
        "width": w, "height": h, "channels": out.image.channels,
        "keypoints": out.targets.keypoints.map { [$0.x, $0.y] },
        "boxes": out.targets.boxes.map(boxRow),
        "finished": finished,
    ]
    result["mask_sizes"] = out.targets.masks.map { [$0.width, $0.height] }
    if let hm = out.targets.heatmaps.first { result["heatmap_size"] = [hm.width, hm.height] }
    return result
}

/// Random warps with the values imgaug drew (what a seed cannot reproduce
/// across the two libraries), through the augmenters' fixed-value entry
/// points for images with targets (`ElasticKernel.apply`,
/// `PiecewiseAffineKernel.apply`, `PerspectiveKernel.apply` on an
/// `AnnotatedImage`). `fixed` is {"augmenter": NAME, ...}, the values as the
/// image-only subcommands take them (remap, piecewise-affine, warp-perspective):
///   ElasticTransformation: "dx", "dy" (float32 files, row-major, one per
///     pixel), "alpha", "sigma", "order", "mode" (constant|nearest|reflect|wrap), "cval"
///   PiecewiseAffine: "rows", "cols", "jitter" (float32 file, 2·rows·cols, y
///     then x per point), "triangles" (optional int32 file of index triples),
///     "order", "mode" (constant|edge|symmetric|reflect|wrap), "cval", "absolute_scale"
///   PerspectiveTransform: "jitter" (8 numbers), "mode" (constant|replicate),
///     "cval" (3 numbers), "keep_size", "fit_output"
private func fixedWarp(_ sample: AnnotatedImage, _ fixed: [String: Any]) throws -> AnnotatedImage {
    let name = fixed["augmenter"] as? String ?? "?"
    func number(_ key: String, _ fallback: Double? = nil) throws -> Double {
        if let n = fixed[key] as? NSNumber { return n.doubleValue }
        if let fallback { return fallback }
        throw CaseError("\(name): \(key) is required")
    }
    func flag(_ key: String, _ fallback: Bool) -> Bool { (fixed[key] as? NSNumber)?.boolValue ?? fallback }
    let w = sample.image.width, h = sample.image.height
    switch name {
    case "ElasticTransformation":
        let dx = try readFloats(fixed["dx"] as? String, count: w * h)
        let dy = try readFloats(fixed["dy"] as? String, count: w * h)
        guard let mode = ElasticMode(rawValue: fixed["mode"] as? String ?? "constant") else { throw CaseError("\(name): bad mode") }
        return ElasticKernel.apply(sample, dx: dx, dy: dy, alpha: try number("alpha"), sigma: try number("sigma"),
                                   order: Int(try number("order", 3)), mode: mode.borderMode, cval: Int(try number("cval", 0)))
    case "PiecewiseAffine":
        let rows = Int(try number("rows")), cols = Int(try number("cols"))
        guard (2...1024).contains(rows), (2...1024).contains(cols) else { throw CaseError("\(name): rows and cols take 2 to 1024") }
        let jitter = try readFloats(fixed["jitter"] as? String, count: 2 * rows * cols)
        var triangles: [PiecewiseAffineKernel.Triangle]?
        if let path = fixed["triangles"] as? String {
            let v = try readInt32s(path)
            guard v.count % 3 == 0, v.allSatisfy({ $0 >= 0 && Int($0) < rows * cols }) else {
                throw CaseError("\(name): triangles: expected int32 triples of point indices below \(rows * cols)")
            }
            triangles = stride(from: 0, to: v.count, by: 3).map {
                PiecewiseAffineKernel.Triangle(Int(v[$0]), Int(v[$0 + 1]), Int(v[$0 + 2]))
            }
        }
        guard let mode = BorderMode(rawValue: fixed["mode"] as? String ?? "constant") else { throw CaseError("\(name): bad mode") }
        return PiecewiseAffineKernel.apply(sample, rows: rows, cols: cols, jitter: jitter, triangles: triangles,
                                           order: Int(try number("order", 1)), mode: mode, cval: try number("cval", 0),
                                           absoluteScale: flag("absolute_scale", false))
    case "PerspectiveTransform":
        let jitter = try doubles(fixed["jitter"], "\(name): jitter")
        guard jitter.count == 8 else { throw CaseError("\(name): jitter takes 8 values") }
        guard let mode = PerspectiveMode(rawValue: fixed["mode"] as? String ?? "constant") else { throw CaseError("\(name): bad mode") }
        var cval = try doubles(fixed["cval"], "\(name): cval")
        if cval.isEmpty { cval = [0, 0, 0] }
        return PerspectiveKernel.apply(sample, jitter: jitter, mode: mode.borderMode, cval: cval,
                                       keepSize: flag("keep_size", true), fitOutput: flag("fit_output", false))
    default:
        throw CaseError("fixed: unknown augmenter '\(name)' (ElasticTransformation, PiecewiseAffine, PerspectiveTransform)")
    }
}

func targets(_ a: Arguments) throws {
    guard a.positional.count == 3 else { throw Usage(usage) }
    let data = try Data(contentsOf: URL(fileURLWithPath: a.positional[1]))
    guard let cases = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
        throw Usage("\(a.positional[1]): expected a JSON list of cases")
    }
    let scratch = (NSTemporaryDirectory() as NSString)
        .appendingPathComponent("medaug-targets-\(ProcessInfo.processInfo.processIdentifier).json")
    var results: [[String: Any]] = []
    for (i, c) in cases.enumerated() {
        do {
            results.append(try runCase(c, index: i, scratch: scratch))
        } catch {
            results.append(["error": "\(error)"])
        }
    }
    let out = try JSONSerialization.data(withJSONObject: results)
    try out.write(to: URL(fileURLWithPath: a.positional[2]), options: .atomic)
}
