// augment-only: MedAug's augmentation library used from a package of its own.
// It imports MedAugImage (PNG/JPEG files) and MedAugAugment (pipelines) and
// nothing else, so it builds and runs without libtorch.
//
//   augment-only PIPELINE IN OUT [--seed N]   augments IN and writes OUT
//   augment-only --demo OUT.png                writes a synthetic image to try it on
import Foundation
import MedAugAugment
import MedAugImage

struct UsageError: Error, CustomStringConvertible {
    let description = """
        usage: augment-only PIPELINE IN.png|jpg OUT.png|jpg [--seed N]
               augment-only --demo OUT.png
        PIPELINE is a pipeline file (.yaml or .json) or a preset: \(Presets.names.joined(separator: ", "))
        """
}

/// A 256x256 RGB test image: colour gradients and a bright disc, so that
/// flips, rotations, blurs and superpixels all show.
func demoImage(size: Int = 256) -> Image {
    var bytes = [UInt8](repeating: 0, count: size * size * 3)
    for y in 0..<size {
        for x in 0..<size {
            let i = (y * size + x) * 3
            let (dx, dy) = (x - size / 3, y - size / 3)
            let inDisc = dx * dx + dy * dy < (size / 6) * (size / 6)
            bytes[i] = inDisc ? 250 : UInt8(x * 255 / (size - 1))
            bytes[i + 1] = inDisc ? 230 : UInt8(y * 255 / (size - 1))
            bytes[i + 2] = inDisc ? 120 : UInt8((x + y) * 127 / (size - 1))
        }
    }
    return Image(width: size, height: size, channels: 3, bytes: bytes)
}

func run(_ arguments: [String]) throws {
    var args = arguments
    if args.count == 2, args[0] == "--demo" {
        try ImageFile.write(demoImage(), to: args[1])
        print("wrote \(args[1])")
        return
    }
    var seed: UInt64 = 0
    if let i = args.firstIndex(of: "--seed") {
        guard i + 1 < args.count, let s = UInt64(args[i + 1]) else { throw UsageError() }
        seed = s
        args.removeSubrange(i...(i + 1))
    }
    guard args.count == 3 else { throw UsageError() }
    let (pipelineName, inPath, outPath) = (args[0], args[1], args[2])

    // 1. The pipeline: one of the study's presets, or a pipeline file.
    let pipeline = try PipelineSource(pipelineName).load()

    // 2. The image: PNG or JPEG, 8 or 16 bits, 1 to 4 channels.
    let image = try ImageFile.read(inPath)

    // 3. Each image has its own random stream, made from the seed and an
    //    identity (here the file name): the same pair gives the same bytes.
    //    recordTrace keeps what was sampled, to show it.
    var context = AugmentContext(seed: seed, identity: (inPath as NSString).lastPathComponent,
                                 recordTrace: true)
    let output = try pipeline.augment(image, &context)
    for step in context.trace ?? [] { print("  \(step)") }

    // 4. The result: PNG or JPEG by extension, written atomically.
    try ImageFile.write(output, to: outPath)
    print("wrote \(outPath) (\(output.width)x\(output.height), \(output.channels) channels)")
}

do {
    try run(Array(CommandLine.arguments.dropFirst()))
} catch let error as UsageError {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("augment-only: \(error)\n".utf8))
    exit(1)
}
