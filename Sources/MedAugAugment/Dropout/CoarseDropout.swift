import MedAugCore
import MedAugImage

/// imgaug's CoarseDropout: Dropout on a low-resolution grid (size_px or
/// size_percent, at least min_size per side), upscaled to the image with
/// cv2's nearest-neighbour rule, so whole rectangles are dropped.
public struct CoarseDropout: Augmenter {
    /// The low-resolution size: pixels (h and w drawn independently) or a fraction of the image.
    public enum Size: Equatable, Sendable {
        /// imgaug's `size_px`: the grid's height and width in cells, each drawn
        /// separately per image.
        case pixels(Discrete)
        /// imgaug's `size_percent`: the grid's height and width as fractions of the
        /// image's, each drawn separately per image (0.05 on a 200 px side is 10 cells).
        case percent(Continuous)
    }

    /// The chance that a grid cell is dropped (imgaug's `p`).
    public var p: DropoutProbability
    /// The size of the low-resolution grid; smaller grids drop larger rectangles.
    public var size: Size
    /// The chance, per image, that each channel gets its own mask (imgaug's
    /// `per_channel`); otherwise a dropped cell zeroes all channels.
    public var perChannel: Probability
    /// The smallest grid side in cells (imgaug's `min_size`, default 3).
    public var minSize: Int

    /// imgaug's default when neither size_px nor size_percent is given.
    public static let defaultSize = Size.pixels(.range(3, 8))

    /// Creates the augmenter; the defaults are imgaug's `p=(0.02, 0.1)`,
    /// `size_px=(3, 8)`, `per_channel=False`, `min_size=3`.
    public init(p: DropoutProbability = .range(0.02, 0.1), size: Size = CoarseDropout.defaultSize,
                perChannel: Probability = .constant(0), minSize: Int = 3) {
        self.p = p
        self.size = size
        self.perChannel = perChannel
        self.minSize = minSize
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "CoarseDropout" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { CoarseDropout.table.arguments(self) }

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

    /// Draws per_channel, the grid size and p (in that order), then the cell
    /// mask, and zeroes the dropped rectangles.
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
        return DropoutMask.applyCells(image, cells: low, width: ws, height: hs, channels: c)
    }
}
