import MedAugCore
import MedAugImage

/// imgaug's CoarseSaltAndPepper: SaltAndPepper whose replacement mask is drawn
/// on a low-resolution grid (size_px or size_percent, at least min_size per
/// side, as CoarseDropout) and enlarged to the image with cv2's
/// nearest-neighbour rule, so whole rectangles are replaced. Each pixel (or
/// sample) inside a rectangle gets its own `round(Beta(0.5, 0.5) · 255)`, as in
/// imgaug. Alpha is replaced too, as in imgaug; 16-bit images get
/// replacements scaled to 65535 (deviation, see SaltAndPepper).
public struct CoarseSaltAndPepper: Augmenter {
    /// The chance that a grid cell is replaced (imgaug's `p`); a range or choice is drawn per image.
    public var p: Probability
    /// The size of the low-resolution grid; smaller grids replace larger rectangles.
    public var size: CoarseDropout.Size
    /// The chance, per image, that each channel gets its own mask and values (imgaug's `per_channel`).
    public var perChannel: Probability
    /// The smallest grid side in cells (imgaug's `min_size`, default 3).
    public var minSize: Int

    /// Creates the augmenter; the defaults are imgaug's `p=(0.02, 0.1)`,
    /// `size_px=(3, 8)` (when neither size is given), `per_channel=False`, `min_size=3`.
    public init(p: Probability = Probability(.range(0.02, 0.1)), size: CoarseDropout.Size = CoarseDropout.defaultSize,
                perChannel: Probability = .constant(0), minSize: Int = 3) {
        self.p = p
        self.size = size
        self.perChannel = perChannel
        self.minSize = minSize
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "CoarseSaltAndPepper" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { CoarseSaltAndPepper.table.arguments(self) }

    /// Draws per_channel, the grid size and p (imgaug's order), then the cell
    /// mask and one replacement per masked pixel (or sample), and replaces.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let independent = perChannel.sample(&context.rng)
        var (hs, ws) = CoarseDropout(size: size).sampleLowResSize(height: image.height, width: image.width, &context.rng)
        // min_size as imgaug; at least one cell so that min_size 0 cannot make an empty mask.
        hs = max(hs, minSize, 1)
        ws = max(ws, minSize, 1)
        let pImage = p.sampleP(&context.rng)
        context.record(name, [("p", fmt(pImage)), ("size", "\(hs)x\(ws)"), ("per_channel", independent ? "1" : "0")])
        guard image.width > 0, image.height > 0, pImage > 0 else { return image }
        let c = independent && image.channels > 1 ? image.channels : 1
        let cells = DropoutMask.bernoulli(count: hs * ws * c, keep: pImage, rng: &context.rng)
        guard cells.contains(where: { $0 != 0 }) else { return image }
        // The flagged cells' rectangles are filled in place: no full-size mask.
        return NoiseFast.coarseSaltAndPepper(image, cells: cells, width: ws, height: hs, channels: c, &context.rng)
    }
}
