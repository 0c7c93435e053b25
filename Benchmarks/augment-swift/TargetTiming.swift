// `time-targets`: the cost of the targets that follow an image (label maps,
// boxes, keypoints) on top of the image's own augmentation, one thread, for
// Benchmarks/targets_bench.py (which runs AlbumentationsX side by side).
//
//   time-targets PIPELINE IMAGES [--mode M[,M...]] [--targets FILE.json]
//                [--boxes N] [--keypoints N] [--min-visibility V]
//                [--trials N] [--min-seconds S] [--warmup W] [--seed S]
//
// PIPELINE: a pipeline file (.json, else YAML), or the pipeline inline: text
// that starts with `[` (JSON) or holds a newline or starts with `- ` (YAML).
// IMAGES: a folder of PNG/JPEG files, a comma-separated list of image paths,
// or `synthetic:WxH` / `synthetic:WxHxN` (N made-up RGB images, default 8).
// Modes (default image,image+mask,image+boxes):
//   image            the image alone (the image-only call, as `time` does);
//   image+mask       the image with one 1-channel 8-bit label map of its size;
//   image+boxes      the image with --boxes boxes (default 5), then
//                    `ImageTargets.finished(width:height:minVisibility:)` (the
//                    filtering and clipping a data loader does, as
//                    AlbumentationsX's BboxParams does in its call);
//   image+keypoints  the image with --keypoints points (default 10).
// Targets: from --targets FILE.json, {"NAME": {"mask": "PATH.png",
// "boxes": [[x1, y1, x2, y2(, label)], ...], "keypoints": [[x, y], ...]}, ...}
// keyed by the image's file name; without it (or for a name it lacks) they
// are made up, deterministically per image: --boxes boxes of 10-40% of each
// side at uniform positions, the label map painting an ellipse inside each box
// with its label (1, 2, ...) on 0, --keypoints points uniform on the image.
//
// Timing: every input (image, map, points) is built before the clock starts;
// each call gets AugmentContext(seed: S, identity: "NAME#PASS") as `time` does,
// and its result is dropped after the boxes are finished. A trial cycles over
// the images until at least --min-seconds (default 0.3) have gone by and a
// pass is complete (or 3 x --min-seconds have); the modes take turns within a
// trial (image, image+mask, ..., then again), so that a busy machine slows all
// modes alike, and each mode's figure is its best of --trials (default 5).
// Prints one JSON object: per mode images_per_s and seconds_per_image (best
// trial), the per-trial rates, and, when `image` is among the modes, each
// other mode's overhead = (t(mode) - t(image)) / t(image) (per image, best
// trials). A mode the pipeline refuses gets {"error": MESSAGE}.
import Foundation
import MedAugAugment
import MedAugImage

private let targetModes = ["image", "image+mask", "image+boxes", "image+keypoints"]

/// A deterministic stream for the made-up targets (SplitMix64).
private struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [a, b).
    mutating func uniform(_ a: Double, _ b: Double) -> Double {
        a + (b - a) * Double(next() >> 11) / Double(1 << 53)
    }
}

/// The pipeline argument: a file, or inline JSON/YAML written to a scratch file.
private func loadPipeline(_ arg: String) throws -> Sequential {
    let trimmed = arg.trimmingCharacters(in: .whitespacesAndNewlines)
    let isJSON = trimmed.hasPrefix("[")
    let isYAML = trimmed.hasPrefix("- ") || trimmed.contains("\n")
    guard isJSON || isYAML else { return try PipelineReader.load(path: arg) }
    let scratch = (NSTemporaryDirectory() as NSString).appendingPathComponent(
        "medaug-time-targets-\(ProcessInfo.processInfo.processIdentifier)" + (isJSON ? ".json" : ".yaml"))
    try Data(trimmed.utf8).write(to: URL(fileURLWithPath: scratch))
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    return try PipelineReader.load(path: scratch)
}

/// A made-up RGB image: smooth gradients with a little texture.
private func syntheticImage(width w: Int, height h: Int, index: Int) -> Image {
    var rng = SplitMix(state: 0xC0FFEE &+ UInt64(index))
    var px = [UInt8](repeating: 0, count: w * h * 3)
    let phase = rng.uniform(0, 64)
    for y in 0..<h {
        for x in 0..<w {
            let o = (y * w + x) * 3
            let t = UInt8(truncatingIfNeeded: Int(rng.next() & 15))
            px[o] = UInt8(truncatingIfNeeded: x * 255 / max(1, w - 1)) &+ t
            px[o + 1] = UInt8(truncatingIfNeeded: y * 255 / max(1, h - 1)) &+ t
            px[o + 2] = UInt8(truncatingIfNeeded: Int(phase) + (x + y) / 2)
        }
    }
    return Image(width: w, height: h, channels: 3, bytes: px)
}

/// The images argument: a folder, a list of paths, or synthetic:WxH[xN].
private func loadImages(_ arg: String) throws -> [(name: String, image: Image)] {
    if arg.hasPrefix("synthetic:") {
        let dims = arg.dropFirst("synthetic:".count).split(separator: "x").compactMap { Int($0) }
        guard dims.count == 2 || dims.count == 3, dims[0] > 0, dims[1] > 0, dims.count == 2 || dims[2] > 0 else {
            throw Usage("images: expected synthetic:WxH or synthetic:WxHxN, got '\(arg)'")
        }
        let n = dims.count == 3 ? dims[2] : 8
        return (0..<n).map { i in
            (String(format: "synthetic%04d", i), syntheticImage(width: dims[0], height: dims[1], index: i))
        }
    }
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: arg, isDirectory: &isDir), isDir.boolValue {
        return try readAll(arg)
    }
    let paths = arg.split(separator: ",").map(String.init)
    return try paths.map { (($0 as NSString).lastPathComponent, try ImageFile.read($0)) }
}

/// Made-up boxes, label map and points for one image (see the header).
private func syntheticTargets(width w: Int, height h: Int, index: Int, boxes nb: Int, keypoints nk: Int)
    -> (mask: Image, boxes: [BoundingBox], keypoints: [Keypoint]) {
    var rng = SplitMix(state: 0x5EED_0000 &+ UInt64(index))
    let W = Double(w), H = Double(h)
    var boxes: [BoundingBox] = []
    for k in 0..<nb {
        let bw = rng.uniform(0.1, 0.4) * W, bh = rng.uniform(0.1, 0.4) * H
        let x1 = rng.uniform(0, W - bw), y1 = rng.uniform(0, H - bh)
        boxes.append(BoundingBox(x1: x1, y1: y1, x2: x1 + bw, y2: y1 + bh, label: k + 1, id: k))
    }
    var m = [UInt8](repeating: 0, count: w * h)
    for b in boxes {
        let cx = (b.x1 + b.x2) / 2, cy = (b.y1 + b.y2) / 2, rx = b.width / 2, ry = b.height / 2
        for y in max(0, Int(b.y1))..<min(h, Int(b.y2.rounded(.up))) {
            for x in max(0, Int(b.x1))..<min(w, Int(b.x2.rounded(.up))) {
                let dx = (Double(x) + 0.5 - cx) / rx, dy = (Double(y) + 0.5 - cy) / ry
                if dx * dx + dy * dy <= 1 { m[y * w + x] = UInt8(truncatingIfNeeded: b.label) }
            }
        }
    }
    let points = (0..<nk).map { _ in Keypoint(x: rng.uniform(0, W), y: rng.uniform(0, H)) }
    return (Image(width: w, height: h, channels: 1, bytes: m), boxes, points)
}

private func numbers(_ v: Any, _ what: String, count: Int) throws -> [Double] {
    guard let list = v as? [Any], list.count >= count else { throw Usage("\(what): expected \(count) numbers") }
    return try list.map {
        guard let n = $0 as? NSNumber else { throw Usage("\(what): not a number: \($0)") }
        return n.doubleValue
    }
}

/// One image's inputs for every mode.
private struct TargetInputs {
    var image: Image
    var name: String
    var mask: Image
    var boxes: [BoundingBox]
    var keypoints: [Keypoint]
}

private func buildInputs(_ images: [(name: String, image: Image)], targetsFile: String?,
                         boxes nb: Int, keypoints nk: Int) throws -> [TargetInputs] {
    var given: [String: [String: Any]] = [:]
    if let targetsFile {
        let data = try Data(contentsOf: URL(fileURLWithPath: targetsFile))
        guard let obj = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else {
            throw Usage("\(targetsFile): expected a JSON object {image name: {mask, boxes, keypoints}}")
        }
        given = obj
    }
    return try images.enumerated().map { i, item in
        let (name, image) = item
        let made = syntheticTargets(width: image.width, height: image.height, index: i, boxes: nb, keypoints: nk)
        var t = TargetInputs(image: image, name: name, mask: made.mask, boxes: made.boxes, keypoints: made.keypoints)
        if let g = given[name] {
            if let p = g["mask"] as? String {
                var m = try ImageFile.read(p)
                if m.channels != 1 { throw Usage("\(p): the label map must have 1 channel, has \(m.channels)") }
                if m.width != image.width || m.height != image.height {
                    throw Usage("\(p): the label map is \(m.width)x\(m.height), "
                                + "the image \(image.width)x\(image.height)")
                }
                if m.bitDepth != 8 { m = m.to8Bit() }
                t.mask = m
            }
            if let bs = g["boxes"] as? [Any] {
                t.boxes = try bs.enumerated().map { k, b in
                    let v = try numbers(b, "\(name) boxes[\(k)]", count: 4)
                    return BoundingBox(x1: v[0], y1: v[1], x2: v[2], y2: v[3], label: v.count > 4 ? Int(v[4]) : k + 1,
                                       id: k)
                }
            }
            if let ks = g["keypoints"] as? [Any] {
                t.keypoints = try ks.enumerated().map { k, p in
                    let v = try numbers(p, "\(name) keypoints[\(k)]", count: 2)
                    return Keypoint(x: v[0], y: v[1])
                }
            }
        }
        return t
    }
}

func timeTargets(_ a: Arguments) throws {
    guard a.positional.count == 3 else { throw Usage(usage) }
    let pipeline = try loadPipeline(a.positional[1])
    let images = try loadImages(a.positional[2])
    guard !images.isEmpty else { throw Usage("no images") }
    let modes = (a.options["--mode"] ?? "image,image+mask,image+boxes").split(separator: ",").map(String.init)
    for m in modes where !targetModes.contains(m) {
        throw Usage("--mode: unknown mode '\(m)'; one or more of \(targetModes.joined(separator: ", "))")
    }
    let trials = max(1, try a.int("--trials", 5))
    let minSeconds = try a.double("--min-seconds", 0.3)
    let warmup = max(0, try a.int("--warmup", 1))
    let nb = max(0, try a.int("--boxes", 5))
    let nk = max(0, try a.int("--keypoints", 10))
    let minVisibility = try a.double("--min-visibility", 0)
    let seed = try a.seed()
    let inputs = try buildInputs(images, targetsFile: a.options["--targets"], boxes: nb, keypoints: nk)
    let samples: [String: [AnnotatedImage]] = [
        "image+mask": inputs.map { AnnotatedImage($0.image, targets: ImageTargets(masks: [$0.mask])) },
        "image+boxes": inputs.map { AnnotatedImage($0.image, targets: ImageTargets(boxes: $0.boxes)) },
        "image+keypoints": inputs.map { AnnotatedImage($0.image, targets: ImageTargets(keypoints: $0.keypoints)) },
    ]
    let n = inputs.count
    let names = inputs.map(\.name)

    // What the results come to, so that nothing is optimised away and the
    // report can say how many boxes were kept.
    var sink = 0
    var boxesKept = 0, boxCalls = 0

    /// One call on image i, pass `rep`: `annotated` holds the mode's inputs
    /// (looked up once per trial), nil for `image` (the image-only call).
    func call(_ annotated: [AnnotatedImage]?, _ i: Int, _ rep: Int) throws {
        var ctx = AugmentContext(seed: seed, identity: "\(names[i])#\(rep)")
        guard let annotated else {
            let out = try pipeline.augment(inputs[i].image, &ctx)
            sink &+= out.width
            return
        }
        let out = try pipeline.augment(annotated[i], &ctx)
        sink &+= out.image.width &+ out.targets.masks.count &+ out.targets.keypoints.count
        if !out.targets.boxes.isEmpty {
            let kept = out.targets.finished(width: out.image.width, height: out.image.height,
                                            minVisibility: minVisibility).targets.boxes
            boxesKept += kept.count
            boxCalls += 1
        }
    }

    /// One trial: images/s over at least minSeconds, whole passes where possible.
    var next = [String: Int]()  // the next (pass, image) per mode, as pass * n + i
    func trial(_ mode: String, seconds: Double) throws -> Double {
        var j = next[mode] ?? 0
        let annotated = samples[mode]
        var count = 0
        let t0 = now()
        var dt = 0.0
        while true {
            try call(annotated, j % n, j / n)
            count += 1
            j += 1
            dt = now() - t0
            if dt >= seconds && (j % n == 0 || dt >= 3 * seconds) { break }
        }
        next[mode] = j
        return Double(count) / dt
    }

    var errors: [String: String] = [:]
    var rates: [String: [Double]] = [:]
    var live = modes
    for m in modes {
        do {
            // Warm-up: `warmup` passes, cut short after minSeconds.
            let t0 = now()
            for w in 0..<warmup {
                for i in 0..<n {
                    try call(samples[m], i, -1 - w)
                    if now() - t0 > minSeconds { break }
                }
            }
            if warmup == 0 { try call(samples[m], 0, -1) }  // the mode must work at all
        } catch {
            errors[m] = "\(error)"
            live.removeAll { $0 == m }
        }
    }
    boxesKept = 0
    boxCalls = 0
    for _ in 0..<trials {
        for m in live {
            do {
                rates[m, default: []].append(try trial(m, seconds: minSeconds))
            } catch {
                errors[m] = "\(error)"
                live.removeAll { $0 == m }
            }
        }
    }

    var out: [String: Any] = [
        "images": n, "width": images[0].image.width, "height": images[0].image.height,
        "channels": images[0].image.channels, "trials": trials, "min_seconds": minSeconds, "threads": 1,
        "boxes_per_image": nb, "keypoints_per_image": nk, "min_visibility": minVisibility,
    ]
    var perMode: [String: Any] = [:]
    for m in modes {
        if let e = errors[m] { perMode[m] = ["error": e]; continue }
        let r = rates[m] ?? []
        let best = r.max() ?? 0
        var entry: [String: Any] = ["images_per_s": best, "seconds_per_image": best > 0 ? 1 / best : 0,
                                    "per_trial_images_per_s": r]
        if m == "image+boxes", boxCalls > 0 {
            entry["boxes_kept_per_image"] = Double(boxesKept) / Double(boxCalls)
        }
        if let base = rates["image"]?.max(), base > 0, m != "image", best > 0 {
            entry["overhead"] = (1 / best - 1 / base) / (1 / base)
        }
        perMode[m] = entry
    }
    out["modes"] = perMode
    if modes.count == 1, let only = perMode[modes[0]] as? [String: Any] {
        for (k, v) in only { out[k] = v }
    }
    out["checksum"] = sink
    emit(out)
}
