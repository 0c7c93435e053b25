import MedAugCore
import MedAugImage

/// imgaug's CoarseDropout: Dropout on a low-resolution grid (size_px or
/// size_percent, at least min_size per side), upscaled to the image with
/// cv2's nearest-neighbour rule, so whole rectangles are dropped.
public struct CoarseDropout: Augmenter {
    /// The low-resolution size: pixels (h and w drawn independently) or a fraction of the image.
    public enum Size: Equatable, Sendable {
        case pixels(Discrete)
        case percent(Continuous)
    }

    public var p: DropoutProbability
    public var size: Size
    public var perChannel: Probability
    public var minSize: Int

    /// imgaug's default when neither size_px nor size_percent is given.
    public static let defaultSize = Size.pixels(.range(3, 8))

    public init(p: DropoutProbability = .range(0.02, 0.1), size: Size = CoarseDropout.defaultSize,
                perChannel: Probability = .constant(0), minSize: Int = 3) {
        self.p = p
        self.size = size
        self.perChannel = perChannel
        self.minSize = minSize
    }

    public var name: String { "CoarseDropout" }

    public var arguments: [(String, ConfigValue)] {
        var sizePx = ConfigValue.null, sizePercent = ConfigValue.null
        switch size {
        case .pixels(let d): sizePx = d.param.config
        case .percent(let c): sizePercent = c.param.config
        }
        return [("p", p.p.config), ("size_px", sizePx), ("size_percent", sizePercent),
                ("per_channel", ArithmeticConfig.probability(perChannel)), ("min_size", .int(minSize))]
    }

    /// The low-resolution (height, width) for an image, before min_size.
    func sampleLowResSize(height: Int, width: Int, _ rng: inout AugmentRandom) -> (Int, Int) {
        switch size {
        case .pixels(let d):
            let h = d.sample(&rng)
            let w = d.sample(&rng)
            return (h, w)
        case .percent(let c):
            // A constant stays a double in imgaug; a range is float32. Truncated like astype(int32).
            func frac(_ rng: inout AugmentRandom) -> Double {
                let v = c.sample(&rng)
                if case .constant = c.param { return v }
                return Double(Float(v))
            }
            let fh = frac(&rng)
            let fw = frac(&rng)
            return (Int((fh * Double(height)).rounded(.towardZero)), Int((fw * Double(width)).rounded(.towardZero)))
        }
    }

    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let independent = perChannel.sample(&context.rng)
        var (hs, ws) = sampleLowResSize(height: image.height, width: image.width, &context.rng)
        // min_size as imgaug; at least one cell so that min_size 0 cannot make an empty mask.
        hs = max(hs, minSize, 1)
        ws = max(ws, minSize, 1)
        let keep = p.sampleKeep(&context.rng)
        context.record(name, [("p", fmt(1 - keep)), ("size", "\(hs)x\(ws)"), ("per_channel", independent ? "1" : "0")])
        guard image.width > 0, image.height > 0, keep < 1 else { return image }
        let c = independent ? image.channels : 1
        let low = DropoutMask.bernoulli(count: hs * ws * c, keep: keep, rng: &context.rng)
        let mask = DropoutMask.upscaleNearest(low, width: ws, height: hs, channels: c,
                                              toWidth: image.width, toHeight: image.height)
        return DropoutMask.apply(image, mask: mask)
    }
}
