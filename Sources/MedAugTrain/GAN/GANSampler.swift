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
        try Torch.manualSeed(seed)
        try g.move(to: device)
        var out: [Image] = []
        while out.count < count {
            let m = min(64, count - out.count)
            let z = try Tensor.randn([m, g.config.nz, 1, 1]).to(device)
            // Batch statistics, as the tutorial samples (its generator stays in train mode).
            out += try withNoGrad { () throws in try g(z).images(scaling: .symmetric) }
        }
        return out
    }

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
        var manifest = "output,source,class,seed,index,width,height,interpolation\n"
        var written: [String] = []
        for (k, cls) in chosen.enumerated() {
            let dir = (run as NSString).appendingPathComponent(GANFiles.folderName(cls))
            let g = try loadGenerator(dir)
            let imgs = try generate(g, count: count, seed: SeedDerivation.derive(seed, [UInt64(k), SeedDerivation.hash(cls)]), device: dev)
            let classDir = (out as NSString).appendingPathComponent(cls)
            for (i, var img) in imgs.enumerated() {
                if let (w, h) = size, w != img.width || h != img.height {
                    img = img.resized(width: w, height: h, interpolation: upscaleInterpolation)
                }
                let name = "gan_\(seed)_\(i).png"
                try ImageFile.write(img, to: (classDir as NSString).appendingPathComponent(name))
                manifest += "\(CSV.field("\(cls)/\(name)")),\(CSV.field("gan:" + GANFiles(dir).generator)),\(CSV.field(cls)),\(seed),\(i),\(img.width),\(img.height),\(size == nil ? "none" : upscaleInterpolation.rawValue)\n"
                written.append((classDir as NSString).appendingPathComponent(name))
            }
            log("class '\(cls)': \(imgs.count) images -> \(classDir)")
        }
        try AtomicWrite.write(manifest, to: (out as NSString).appendingPathComponent("manifest.csv"))
        return written
    }
}
