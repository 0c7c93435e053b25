// `trace`: what a pipeline draws, image after image, for the parity checks of
// random augmenters and policies (sampled values and how often each step
// runs), where pixels cannot be compared because the random streams differ.
//
//   trace PIPELINE IN.png --count N [--seed S]
//
// Prints one JSON line per copy: {"copy": k, "steps": [{"augmenter": NAME,
// "values": {KEY: VALUE, ...}}, ...]}, the values as the trace formats them
// (4 significant digits). Copy k uses the identity "IN-name#k", as `time` does.
import Foundation
import MedAugAugment
import MedAugImage

func trace(_ a: Arguments) throws {
    guard a.positional.count == 3 else { throw Usage(usage) }
    let pipeline = try PipelineReader.load(path: a.positional[1])
    let inPath = a.positional[2]
    let image = try ImageFile.read(inPath)
    let count = try a.int("--count", 1000)
    guard count >= 1 else { throw Usage("--count must be at least 1") }
    let seed = try a.seed()
    let name = (inPath as NSString).lastPathComponent
    var lines = ""
    lines.reserveCapacity(count * 80)
    for k in 0..<count {
        var context = AugmentContext(seed: seed, identity: "\(name)#\(k)", recordTrace: true)
        _ = try pipeline.augment(image, &context)
        let steps: [[String: Any]] = (context.trace ?? []).map { step in
            var values: [String: String] = [:]
            for (key, value) in step.values { values[key] = value }
            return ["augmenter": step.augmenter, "values": values]
        }
        let data = try JSONSerialization.data(withJSONObject: ["copy": k, "steps": steps], options: [.sortedKeys])
        lines += String(decoding: data, as: UTF8.self) + "\n"
    }
    FileHandle.standardOutput.write(Data(lines.utf8))
}
