import Foundation
import MedAugCore
import MedAugData
import MedAugImage
import MedAugModels
import MedAugTorch

/// `medaug gan sample`: N images per class from trained generators.
public enum GANSampler {
    /// The interpolation used when `--size` asks for larger images.
    public static let upscaleInterpolation = Interpolation.cubic

    public static func loadGenerator(_ dir: String) throws -> DCGANGenerator {
        let file = try SafeTensors.read(GANFiles(dir).generator)
        guard let cfgText = file.metadata["config"],
              let cfg = try? JSONDecoder().decode(DCGANConfig.self, from: Data(cfgText.utf8)) else {
            throw TrainError(.runFolder, "\(GANFiles(dir).generator): not a MedAug DCGAN generator (no config in its metadata)")
        }
        let g = try DCGANGenerator(cfg)
        try g.load(stateDict: file.tensors)
        return g
    }

    public static func classes(in run: String) throws -> [String] {
        let path = (run as NSString).appendingPathComponent("gan.json")
        guard let config = try JSONRecord.readIfPresent(path, as: GANRunConfig.self) else {
            throw TrainError(.runFolder, "\(run): not a `medaug gan train` output folder (no gan.json)")
        }
        return config.options.classes
    }

    /// Generates `count` images of one class as 8-bit images at the GAN's size.
    public static func generate(_ g: DCGANGenerator, count: Int, seed: UInt64, device: Device = .cpu) throws -> [Image] {
        var out: [Image] = []
        try generate(g, count: count, seed: seed, device: device) { _, img in out.append(img) }
        return out
    }

    /// Generates `count` images batch by batch and hands each one, with its
    /// index, to `each` as soon as its batch is made. A batch whose indices
    /// `skip` says are done already is not computed; its noise is still
    /// drawn, so the batches after it are the same as in a full run.
    public static func generate(_ g: DCGANGenerator, count: Int, seed: UInt64, device: Device = .cpu,
                                skip: (Range<Int>) -> Bool = { _ in false }, each: (Int, Image) throws -> Void) throws {
        try Torch.manualSeed(seed)
        try g.move(to: device)
        var start = 0
        while start < count {
            let m = min(64, count - start)
            let z = try Tensor.randn([m, g.config.nz, 1, 1])
            if !skip(start..<(start + m)) {
                // Batch statistics, as the tutorial samples (its generator stays in train mode).
                let imgs = try withNoGrad { () throws in try g(try z.to(device)).images(scaling: .symmetric) }
                for (i, img) in imgs.enumerated() { try each(start + i, img) }
            }
            start += m
        }
    }

    /// What an unfinished `gan sample` records in its output folder: a rerun
    /// with the same arguments continues it, one with others is refused
    /// instead of mixing two samplings' files.
    struct SampleSettings: Codable, Equatable {
        var run: String
        var classes: [String]
        var count: Int
        var width: Int?
        var height: Int?
        var seed: UInt64
    }

    static let settingsName = ".medaug-gan-sample.json"

    /// `medaug gan sample`: `count` images per class into `out/<class>/`,
    /// each written (atomically) as soon as it is made, and manifest.csv at
    /// the end. After a kill, a rerun with the same arguments makes only the
    /// missing images, identical to those of an uninterrupted run.
    @discardableResult
    public static func sample(run: String, classes wanted: [String]?, count: Int, out: String, size: (Int, Int)?,
                              seed: UInt64, device: DeviceSetting = .auto, log: (String) -> Void = { print($0) }) throws -> [String] {
        guard count >= 1 else { throw TrainError(.setting, "--count must be at least 1") }
        let all = try classes(in: run)
        let chosen = wanted ?? all
        for c in chosen where !all.contains(c) {
            throw TrainError(.setting, "--class '\(c)' has no GAN in \(run); it has: \(all.joined(separator: ", "))")
        }
        try OutputGuard.check(output: out, inputs: [run])
        let dev = try device.resolve()
        let folder = RunFolder(out, settings: settingsName, holds: "an unfinished GAN sampling")
        let settings = SampleSettings(run: (run as NSString).standardizingPath, classes: chosen, count: count,
                                      width: size?.0, height: size?.1, seed: seed)
        let saved = try folder.begin(resume: true, as: SampleSettings.self)
        try folder.requireSame(saved, settings, what: "arguments (--run, --class, --count, --size or --seed)")
        try folder.record(settings)
        var manifest = "output,source,class,seed,index,width,height,interpolation\n"
        var written: [String] = []
        for (k, cls) in chosen.enumerated() {
            let dir = (run as NSString).appendingPathComponent(GANFiles.folderName(cls))
            let g = try loadGenerator(dir)
            let classDir = (out as NSString).appendingPathComponent(cls)
            let (w, h) = size ?? (g.config.imageSize, g.config.imageSize)
            let made = try sampleClass(g, count: count, into: classDir, seed: seed, classIndex: k, cls: cls, size: size,
                                       continuing: saved != nil, device: dev)
            for i in 0..<count {
                let name = "gan_\(seed)_\(i).png"
                manifest += CSV.row(["\(cls)/\(name)", "gan:" + GANFiles(dir).generator, cls, "\(seed)", "\(i)", "\(w)", "\(h)",
                                     size == nil ? "none" : upscaleInterpolation.rawValue]) + "\n"
                written.append((classDir as NSString).appendingPathComponent(name))
            }
            log("class '\(cls)': \(count) images -> \(classDir)" + (made < count ? " (\(count - made) were already there)" : ""))
        }
        try AtomicWrite.write(manifest, to: (out as NSString).appendingPathComponent("manifest.csv"))
        try? FileManager.default.removeItem(atPath: folder.settingsPath)
        return written
    }

    /// One class's images, each written as it is made; with `continuing`,
    /// batches whose files are all there already are skipped. Returns how
    /// many images were written.
    static func sampleClass(_ g: DCGANGenerator, count: Int, into classDir: String, seed: UInt64, classIndex k: Int, cls: String,
                            size: (Int, Int)?, continuing: Bool, device: Device) throws -> Int {
        func path(_ i: Int) -> String { (classDir as NSString).appendingPathComponent("gan_\(seed)_\(i).png") }
        var made = 0
        try generate(g, count: count, seed: SeedDerivation.derive(seed, [UInt64(k), SeedDerivation.hash(cls)]), device: device,
                     skip: { r in continuing && r.allSatisfy { FileManager.default.fileExists(atPath: path($0)) } }) { i, img in
            // Files are written whole or not at all: one that is there is done.
            if continuing && FileManager.default.fileExists(atPath: path(i)) { return }
            var img = img
            if let (w, h) = size, w != img.width || h != img.height {
                img = img.resized(width: w, height: h, interpolation: upscaleInterpolation)
            }
            try ImageFile.write(img, to: path(i))
            made += 1
        }
        return made
    }
}
