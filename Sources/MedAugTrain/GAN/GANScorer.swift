import Foundation
import MedAugFormats
import MedAugCore
import MedAugData
import MedAugImage
import MedAugModels
import MedAugTorch

/// How good a class's generated images are, measured with a classifier
/// trained on the real data (Inception weights cannot be downloaded here).
public struct GANClassScore: Codable, Equatable, Sendable {
    public var className: String
    public var samples: Int
    public var realImages: Int
    /// Kernel Inception Distance computed in the classifier's feature space
    /// (unbiased MMD², cubic polynomial kernel, averaged over subsets): 0 when
    /// generated and real features are alike; compare across runs, not with
    /// published Inception-based KIDs.
    public var kid: Double
    public var kidStd: Double
    /// Share of samples the classifier assigns to the intended class.
    public var intendedClassShare: Double
    /// Median distance (RMS over pixels in [0, 1]) from a sample to its nearest training image.
    public var medianNearestDistance: Double
    /// The same for real images to their nearest other real image: the scale of "different".
    public var realMedianNearestDistance: Double
    /// Samples closer to a training image than half the real-to-real median: likely memorised.
    public var nearCopies: Int
}

public enum GANScorer {
    public static func score(run: String, data: String, classifierRun: String, samples: Int = 200, seed: UInt64 = 0,
                             device: DeviceSetting = .auto, log: (String) -> Void = { print($0) }) throws -> [GANClassScore] {
        let dev = try device.resolve()
        let cfg = try RunConfig.read(RunFiles(classifierRun).config)
        let clf = try ClassifierFactory.make(cfg.options, classes: cfg.classes.count)
        try clf.load(safetensors: RunFiles(classifierRun).best)
        try clf.move(to: dev)
        clf.eval()
        let fx: any FeatureExtractor = clf
        let real = try LabeledSamples.load(data, part: .train)
        var scores: [GANClassScore] = []
        for (k, cls) in try GANSampler.classes(in: run).enumerated() {
            guard let target = cfg.classes.firstIndex(of: cls) else {
                throw TrainError(.data, "class '\(cls)' is unknown to the classifier in \(classifierRun) (\(cfg.classes.joined(separator: ", ")))")
            }
            let g = try GANSampler.loadGenerator((run as NSString).appendingPathComponent(GANFiles.folderName(cls)))
            let fake = try GANSampler.generate(g, count: samples, seed: SeedDerivation.derive(seed, [0x53434F52, UInt64(k)]), device: dev)
            let realSamples = real.samples.filter { $0.className == cls && !SourceGroup.isSynthetic($0.path) }
            let realImages = try realSamples.map { try MedicalImageFile.read($0.path) }
            let (ff, fp) = try embed(fake, fx, cfg.preprocessing, dev)
            let (rf, _) = try embed(realImages, fx, cfg.preprocessing, dev)
            let (kid, kidStd) = kernelDistance(ff, rf, seed: seed)
            let share = Double(fp.filter { $0 == target }.count) / Double(max(fp.count, 1))
            let size = g.config.imageSize, nc = g.config.nc
            let realSmall = realImages.map { GANData.prepare($0, size: size, channels: nc) }
            let fakeSmall = fake.map { ChannelConversion.convert($0, to: nc) }
            let fakeNN = fakeSmall.map { f in realSmall.map { rms(f, $0) }.min() ?? .infinity }
            let realNN = realSmall.indices.map { i in realSmall.indices.filter { $0 != i }.map { rms(realSmall[i], realSmall[$0]) }.min() ?? .infinity }
            let realMedian = median(realNN.filter(\.isFinite))
            let s = GANClassScore(className: cls, samples: fake.count, realImages: realImages.count, kid: kid, kidStd: kidStd,
                                  intendedClassShare: share, medianNearestDistance: median(fakeNN),
                                  realMedianNearestDistance: realMedian,
                                  nearCopies: fakeNN.filter { $0 < 0.5 * realMedian }.count)
            log(String(format: "%@: KID %.4f ± %.4f, %.1f%% assigned to '%@', nearest-real median %.3f (real-real %.3f), %d near-copies",
                       cls, s.kid, s.kidStd, 100 * s.intendedClassShare, cls, s.medianNearestDistance, s.realMedianNearestDistance, s.nearCopies))
            scores.append(s)
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicWrite.write(try enc.encode(["classifier": ScoreHeader(run: classifierRun, model: cfg.options.model.rawValue,
                                                                         note: "KID in the classifier's feature space; see GANClassScore.kid")]),
                              to: (run as NSString).appendingPathComponent("score-header.json"))
        try AtomicWrite.write(try enc.encode(scores), to: (run as NSString).appendingPathComponent("score.json"))
        return scores
    }

    struct ScoreHeader: Codable { var run: String; var model: String; var note: String }

    static func embed(_ images: [Image], _ fx: FeatureExtractor, _ pre: Preprocessing, _ dev: Device) throws -> ([[Float]], [Int]) {
        var feats: [[Float]] = [], preds: [Int] = []
        var i = 0
        while i < images.count {
            let part = images[i..<min(images.count, i + 32)].map { pre.prepare($0) }
            let x = try Tensor(images: part, scaling: pre.scaling).to(dev)
            try withNoGrad { () throws in
                let f = try fx.features(x)
                let d = f.shape[1]
                let v = try f.values(as: Float.self)
                for r in 0..<part.count { feats.append(Array(v[(r * d)..<((r + 1) * d)])) }
                let p = try fx(x).argmax(dim: 1).values(as: Int64.self)
                preds += p.map { Int($0) }
            }
            i += 32
        }
        return (feats, preds)
    }

    /// Unbiased MMD² with k(x, y) = (x·y / d + 1)³ over random subsets, as KID does.
    public static func kernelDistance(_ a: [[Float]], _ b: [[Float]], subsets: Int = 10, seed: UInt64 = 0) -> (Double, Double) {
        guard a.count >= 2, b.count >= 2, let d = a.first?.count else { return (.nan, .nan) }
        let m = min(100, a.count, b.count)
        var rng = Xoshiro256(seed: seed, path: [0x4B4944])
        func k(_ x: [Float], _ y: [Float]) -> Double {
            var s = 0.0
            for i in 0..<d { s += Double(x[i]) * Double(y[i]) }
            let t = s / Double(d) + 1
            return t * t * t
        }
        var values: [Double] = []
        for _ in 0..<subsets {
            var ia = Array(a.indices), ib = Array(b.indices)
            rng.shuffle(&ia); rng.shuffle(&ib)
            let x = ia.prefix(m).map { a[$0] }, y = ib.prefix(m).map { b[$0] }
            var kxx = 0.0, kyy = 0.0, kxy = 0.0
            for i in 0..<m {
                for j in 0..<m {
                    if i != j { kxx += k(x[i], x[j]); kyy += k(y[i], y[j]) }
                    kxy += k(x[i], y[j])
                }
            }
            let mm = Double(m)
            values.append(kxx / (mm * (mm - 1)) + kyy / (mm * (mm - 1)) - 2 * kxy / (mm * mm))
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(values.count - 1, 1))).squareRoot()
        return (mean, sd)
    }

    static func rms(_ a: Image, _ b: Image) -> Double {
        guard let x = a.bytes, let y = b.bytes, x.count == y.count, !x.isEmpty else { return .infinity }
        var s = 0.0
        for i in 0..<x.count {
            let d = (Double(x[i]) - Double(y[i])) / 255
            s += d * d
        }
        return (s / Double(x.count)).squareRoot()
    }

    static func median(_ v: [Double]) -> Double {
        guard !v.isEmpty else { return .nan }
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
