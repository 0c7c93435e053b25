// medaug-augbench: the augmentation library on its own (MedAugAugment and
// MedAugImage only, no libtorch). The parity harness (parity/augment_parity.py)
// and the side-by-side benchmark (Benchmarks/augment_bench.py) drive it.
//
//   apply PIPELINE IN.png OUT.png [--seed S]
//   apply-batch PIPELINE IN_DIR OUT_DIR [--seed S]
//   time PIPELINE IN_DIR [--repeat N] [--min-seconds S] [--threads T] [--warmup W] [--seed S]
//   slic IN_DIR --n-segments N [--compactness C] [--threads T] [--out DIR]
//        [--time] [--repeat N] [--min-seconds S]
//   codec IN_DIR --out DIR [--compression N] [--repeat N]
//
// Every image's stream is AugmentContext(seed: S, identity: file name), so a
// result depends on the seed and the file name only. `time` and `slic --time`
// read every image first and time the augmentation alone (no decoding or
// encoding), passing over all images at least N times and until at least S
// seconds have gone by (default 0); each prints one JSON object. `slic` writes, per image, the label
// map as little-endian int32 row-major (NAME.labels.i32) when --out is given,
// and prints one JSON line per image (size, segment count, mean-colour
// reconstruction error).
import Dispatch
import CProcess
import Foundation
import MedAugAugment
import MedAugImage

struct Usage: Error, CustomStringConvertible {
    let description: String
    init(_ s: String) { description = s }
}

let usage = """
    usage: medaug-augbench apply PIPELINE IN.png OUT.png [--seed S]
           medaug-augbench apply-batch PIPELINE IN_DIR OUT_DIR [--seed S]
           medaug-augbench time PIPELINE IN_DIR [--repeat N] [--min-seconds S] [--threads T] [--warmup W] [--seed S]
           medaug-augbench slic IN_DIR --n-segments N [--compactness C] [--threads T] [--out DIR] [--time] [--repeat N] [--min-seconds S]
           medaug-augbench codec IN_DIR --out DIR [--compression N] [--repeat N]
           medaug-augbench warp-perspective IN.png OUT.png --jitter J0,...,J7 [--mode M] [--cval A,B,C] [--keep-size 0|1] [--fit-output 0|1]
           medaug-augbench remap IN.png OUT.png --dx DX.f32 --dy DY.f32 [--order N] [--mode M] [--cval C]
           medaug-augbench remap IN.png OUT.png --raw RAW.f32 --alpha A --sigma S [--order N] [--mode M] [--cval C]
           medaug-augbench piecewise-affine IN.png OUT.png --rows R --cols C --jitter FILE.f32 [--triangles FILE.i32] [--order N] [--mode M] [--cval C] [--absolute-scale 0|1]
           medaug-augbench trace PIPELINE IN.png --count N [--seed S]
           medaug-augbench mix CASES.json OUT.json
           medaug-augbench policy-op OP MAGNITUDE IN.png OUT.png [--fill F[,F,F]]
    """

/// Positional arguments and `--name value` options (`--time` is a flag).
struct Arguments {
    var positional: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []
    static let flagNames: Set<String> = ["--time"]

    init(_ raw: [String]) throws {
        var i = 0
        while i < raw.count {
            let a = raw[i]
            if Arguments.flagNames.contains(a) {
                flags.insert(a)
            } else if a.hasPrefix("--") {
                guard i + 1 < raw.count else { throw Usage("\(a) needs a value") }
                options[a] = raw[i + 1]
                i += 1
            } else {
                positional.append(a)
            }
            i += 1
        }
    }

    func int(_ name: String, _ fallback: Int) throws -> Int {
        guard let s = options[name] else { return fallback }
        guard let v = Int(s) else { throw Usage("\(name) expects an integer, got '\(s)'") }
        return v
    }

    func double(_ name: String, _ fallback: Double) throws -> Double {
        guard let s = options[name] else { return fallback }
        guard let v = Double(s) else { throw Usage("\(name) expects a number, got '\(s)'") }
        return v
    }

    func seed() throws -> UInt64 {
        guard let s = options["--seed"] else { return 0 }
        guard let v = UInt64(s) else { throw Usage("--seed expects a non-negative integer, got '\(s)'") }
        return v
    }
}

func emit(_ obj: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

func now() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) * 1e-9
}

/// The PNG/JPEG files of a folder, sorted by name.
func imageFiles(_ dir: String) throws -> [String] {
    let names = try FileManager.default.contentsOfDirectory(atPath: dir)
        .filter { ImageFormat.isImageFileName($0) }
        .sorted()
    guard !names.isEmpty else { throw Usage("no .png or .jpg files in \(dir)") }
    return names
}

func readAll(_ dir: String) throws -> [(name: String, image: Image)] {
    try imageFiles(dir).map { ($0, try ImageFile.read((dir as NSString).appendingPathComponent($0))) }
}

/// Runs `body(i)` for every i in 0..<count on `threads` workers (image i on
/// worker i mod threads); threads <= 1 runs on the calling thread.
func forEachImage(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    if threads <= 1 {
        for i in 0..<count { body(i) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        var i = t
        while i < count {
            body(i)
            i += threads
        }
    }
}

/// Hands out job numbers 0, 1, 2, ... to threads until one of them sets a
/// limit, which then holds for all (jobs below it are all done).
final class JobCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    private(set) var limit = Int.max

    func take() -> Int {
        lock.lock(); defer { lock.unlock() }
        value += 1
        return value - 1
    }

    func stop(at j: Int) {
        lock.lock(); defer { lock.unlock() }
        limit = min(limit, j)
    }

    func stopped(before j: Int) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return j >= limit
    }
}

/// Results written from several threads, each slot by one thread only.
final class Slots<T>: @unchecked Sendable {
    var values: [T?]
    init(_ n: Int) { values = Array(repeating: nil, count: n) }
}

func apply(_ a: Arguments) throws {
    guard a.positional.count == 4 else { throw Usage(usage) }
    let pipeline = try PipelineReader.load(path: a.positional[1])
    let inPath = a.positional[2], outPath = a.positional[3]
    let image = try ImageFile.read(inPath)
    let out = try pipeline(image, seed: try a.seed(), identity: (inPath as NSString).lastPathComponent)
    try ImageFile.write(out, to: outPath)
}

func applyBatch(_ a: Arguments) throws {
    guard a.positional.count == 4 else { throw Usage(usage) }
    let pipeline = try PipelineReader.load(path: a.positional[1])
    let inDir = a.positional[2], outDir = a.positional[3]
    let seed = try a.seed()
    try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
    let images = try readAll(inDir)
    var seconds = 0.0
    for (name, image) in images {
        let t0 = now()
        let out = try pipeline(image, seed: seed, identity: name)
        seconds += now() - t0
        // Always PNG: lossless, whatever the input was.
        let base = (name as NSString).deletingPathExtension
        try ImageFile.write(out, to: (outDir as NSString).appendingPathComponent(base + ".png"))
    }
    emit(["images": images.count, "augment_seconds": seconds])
}

func time(_ a: Arguments) throws {
    guard a.positional.count == 3 else { throw Usage(usage) }
    let pipeline = try PipelineReader.load(path: a.positional[1])
    let images = try readAll(a.positional[2])
    let repeats = max(1, try a.int("--repeat", 10))
    let threads = max(1, try a.int("--threads", 1))
    let warmup = max(0, try a.int("--warmup", 1))
    let seed = try a.seed()
    let n = images.count
    let failures = Slots<String>(n)
    func pass(_ rep: Int) {
        forEachImage(n, threads: threads) { i in
            do {
                _ = try pipeline(images[i].image, seed: seed, identity: "\(images[i].name)#\(rep)")
            } catch {
                failures.values[i] = "\(images[i].name): \(error)"
            }
        }
    }
    for w in 0..<warmup { pass(-1 - w) }
    let minSeconds = try a.double("--min-seconds", 0)
    let t0 = now()
    var done = 0
    if threads <= 1 {
        while done < repeats || now() - t0 < minSeconds {
            pass(done)
            done += 1
        }
    } else {
        // As `medaug augment` runs: every thread takes the next image as it
        // finishes one, with no wait between passes; whole passes are counted.
        let next = JobCounter()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while true {
                let j = next.take()
                let rep = j / n
                if rep >= repeats && now() - t0 >= minSeconds && j % n == 0 { next.stop(at: j); break }
                if next.stopped(before: j) { break }
                let i = j % n
                do {
                    _ = try pipeline(images[i].image, seed: seed, identity: "\(images[i].name)#\(rep)")
                } catch {
                    failures.values[i] = "\(images[i].name): \(error)"
                }
            }
        }
        done = next.limit / n
    }
    let seconds = now() - t0
    if let f = failures.values.compactMap({ $0 }).first { throw Usage("augmentation failed: \(f)") }
    emit(["images": n, "repeat": done, "threads": threads, "seconds": seconds,
          "images_per_s": Double(n * done) / seconds])
}

func slic(_ a: Arguments) throws {
    guard a.positional.count == 2 else { throw Usage(usage) }
    guard a.options["--n-segments"] != nil else { throw Usage("slic needs --n-segments N") }
    let images = try readAll(a.positional[1])
    let algorithm = SLIC(nSegments: try a.int("--n-segments", 100),
                         compactness: try a.double("--compactness", 10),
                         threads: max(1, try a.int("--threads", 1)))
    if a.flags.contains("--time") {
        let repeats = max(1, try a.int("--repeat", 10))
        let minSeconds = try a.double("--min-seconds", 0)
        for (_, image) in images { _ = algorithm.segment(image) }  // warm-up
        let t0 = now()
        var done = 0
        while done < repeats || now() - t0 < minSeconds {
            for (_, image) in images { _ = algorithm.segment(image) }
            done += 1
        }
        let seconds = now() - t0
        emit(["images": images.count, "repeat": done, "threads": algorithm.threads, "seconds": seconds,
              "images_per_s": Double(images.count * done) / seconds])
        return
    }
    let outDir = a.options["--out"]
    if let outDir { try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true) }
    for (name, image) in images {
        let result = algorithm.segment(image)
        if let outDir {
            var le = result.labels.map { $0.littleEndian }
            let data = le.withUnsafeMutableBytes { Data($0) }
            let base = (name as NSString).deletingPathExtension
            try data.write(to: URL(fileURLWithPath: (outDir as NSString).appendingPathComponent(base + ".labels.i32")))
        }
        emit(["name": name, "width": result.width, "height": result.height, "segments": result.count,
              "reconstruction_error": result.reconstructionError(of: image)])
    }
}

/// PNG/JPEG reading and writing alone, as `medaug augment` does them: decode
/// is ImageFile.read (read the file, decode), encode is ImageFile.write
/// (encode, write atomically, no flush each: as augment writes its images). One JSON object: seconds for one pass over all
/// images (best of --repeat), the count, and the bytes written.
func codec(_ a: Arguments) throws {
    guard a.positional.count == 2, let out = a.options["--out"] else { throw Usage(usage) }
    let dir = a.positional[1]
    let repeats = try a.int("--repeat", 5)
    let level = try a.int("--compression", ImageCodec.defaultPNGCompression)
    let names = try imageFiles(dir)
    let paths = names.map { (dir as NSString).appendingPathComponent($0) }
    var images: [Image] = []
    var decode = Double.infinity, encode = Double.infinity, bytes = 0
    for _ in 0..<repeats {
        let t0 = now()
        images = try paths.map { try ImageFile.read($0) }
        decode = min(decode, now() - t0)
        let t1 = now()
        for (name, image) in zip(names, images) {
            let stem = (name as NSString).deletingPathExtension
            try ImageFile.write(image, to: (out as NSString).appendingPathComponent(stem + ".png"), pngCompression: level,
                                durable: false)
        }
        encode = min(encode, now() - t1)
    }
    bytes = try names.reduce(0) { sum, name in
        let p = (out as NSString).appendingPathComponent((name as NSString).deletingPathExtension + ".png")
        return sum + ((try FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0)
    }
    emit(["decode_s": decode, "encode_s": encode, "images": names.count, "bytes": bytes, "compression": level])
}

// Keep per-image buffers (>= 128 KB) in the heap, as the medaug CLI does.
_ = mc_tune_allocator()  // keeps per-image buffers in the heap (CProcess)

do {
    let args = try Arguments(Array(CommandLine.arguments.dropFirst()))
    switch args.positional.first {
    case "apply": try apply(args)
    case "apply-batch": try applyBatch(args)
    case "time": try time(args)
    case "slic": try slic(args)
    case "codec": try codec(args)
    case "warp-perspective": try warpPerspective(args)
    case "remap": try remap(args)
    case "piecewise-affine": try piecewiseAffine(args)
    case "trace": try trace(args)
    case "mix": try mix(args)
    case "policy-op": try policyOp(args)
    case "targets": try targets(args)
    case "time-targets": try timeTargets(args)
    default: throw Usage(usage)
    }
} catch {
    FileHandle.standardError.write(Data("medaug-augbench: \(error)\n".utf8))
    exit(error is Usage ? 2 : 1)
}
