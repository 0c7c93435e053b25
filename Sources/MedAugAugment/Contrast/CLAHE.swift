import MedAugCore
import MedAugImage

/// The CLAHE augmenters' shared sampling of `clip_limit` and `tile_grid_size_px`.
enum CLAHESampling {
    /// Draws `n` tile grid sizes as (height, width): one value per draw for
    /// both axes, or heights then widths for the per-axis form, each raised to
    /// `minimum` (imgaug's `tile_grid_size_px_min`).
    static func tiles(_ size: AverageBlur.Size, _ n: Int, minimum: Int,
                      _ rng: inout AugmentRandom) -> [(h: Int, w: Int)] {
        let hs: [Int], ws: [Int]
        switch size {
        case .both(let d):
            hs = (0..<n).map { _ in d.sample(&rng) }
            ws = hs
        case .perAxis(let h, let w):
            hs = (0..<n).map { _ in h.sample(&rng) }
            ws = (0..<n).map { _ in w.sample(&rng) }
        }
        return (0..<n).map { (max(hs[$0], minimum), max(ws[$0], minimum)) }
    }

    /// imgaug's rule: CLAHE runs when either side of the grid exceeds 1
    /// (`cv2.createCLAHE(clipLimit, tileGridSize=(w, h)).apply`), otherwise
    /// the channel is kept.
    static func apply(_ image: Image, channel: Int, clip: Double, tile: (h: Int, w: Int)) -> Image {
        guard tile.w > 1 || tile.h > 1 else { return image }
        return CLAHEKernel.apply(image, channel: channel, clipLimit: clip, tilesX: tile.w, tilesY: tile.h)
    }

    /// The text recorded for a tile grid size.
    static func format(_ t: [(h: Int, w: Int)]) -> String {
        t.map { "\($0.h)x\($0.w)" }.joined(separator: ",")
    }
}

/// imgaug's AllChannelsCLAHE: OpenCV's CLAHE (``CLAHEKernel``) on every
/// channel of the image on its own, alpha included, with no colour
/// conversion. 8-bit images use 256 bins, 16-bit images 65536, as OpenCV does.
///
/// `tile_grid_size_px` is, as in imgaug, passed to OpenCV as the tile grid
/// (the number of tiles per axis, `tileGridSize=(width, height)`), not a tile
/// size in pixels; each side is raised to `tile_grid_size_px_min`, and a
/// channel is left unchanged when neither side exceeds 1. A side of 0 next to
/// one above 1, which makes OpenCV divide by zero, is treated as 1.
public struct AllChannelsCLAHE: Augmenter {
    /// The clip limit, drawn per image or per channel (imgaug's `clip_limit`);
    /// higher gives stronger contrast.
    public var clipLimit: Continuous
    /// The tile grid (tiles per axis), drawn per image or per channel: one
    /// value for both axes, or height and width (imgaug's `tile_grid_size_px`).
    public var tileGridSizePx: AverageBlur.Size
    /// The smallest grid side; smaller draws are raised to it (imgaug's `tile_grid_size_px_min`).
    public var tileGridSizePxMin: Int
    /// The chance, per image, that each channel gets its own values (imgaug's `per_channel`).
    public var perChannel: Probability

    /// Creates the augmenter; the defaults are imgaug's `clip_limit=(0.1, 8)`,
    /// `tile_grid_size_px=(3, 12)`, `tile_grid_size_px_min=3`, `per_channel=False`.
    public init(clipLimit: Continuous = .range(0.1, 8), tileGridSizePx: AverageBlur.Size = .both(.range(3, 12)),
                tileGridSizePxMin: Int = 3, perChannel: Probability = .constant(0)) {
        self.clipLimit = clipLimit
        self.tileGridSizePx = tileGridSizePx
        self.tileGridSizePxMin = tileGridSizePxMin
        self.perChannel = perChannel
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "AllChannelsCLAHE" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { AllChannelsCLAHE.table.arguments(self) }

    /// Draws per_channel, then the clip limits, then the grid heights (and
    /// widths), once or per channel as in imgaug, and applies CLAHE to every channel.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let n = perChannel.sample(&context.rng) ? image.channels : 1
        let clips = (0..<n).map { _ in clipLimit.sample(&context.rng) }
        let tiles = CLAHESampling.tiles(tileGridSizePx, n, minimum: tileGridSizePxMin, &context.rng)
        context.record(name, [("clip_limit", clips.map { fmt($0) }.joined(separator: ",")),
                              ("tile_grid_size_px", CLAHESampling.format(tiles))])
        guard image.pixelCount > 0 else { return image }
        var out = image
        for c in 0..<image.channels {
            let i = n == 1 ? 0 : c
            out = CLAHESampling.apply(out, channel: c, clip: clips[i], tile: tiles[i])
        }
        return out
    }
}

/// imgaug's CLAHE: OpenCV's CLAHE (``CLAHEKernel``) on the brightness channel
/// of another colour space (L of Lab, L of HLS, V of HSV).
///
/// As in imgaug: a 1-channel image gets CLAHE directly; a 3-channel image is
/// converted from `from_colorspace` to `to_colorspace` (through RGB when
/// OpenCV has no direct conversion, not at all when the two are the same),
/// gets CLAHE on the brightness channel and is converted back; a 4th (alpha)
/// channel is left unchanged; a 2-channel image gets CLAHE on both channels
/// with the same values. One clip limit and one grid are drawn per image;
/// `tile_grid_size_px` is the tile grid, as for ``AllChannelsCLAHE``.
/// imgaug takes only uint8. MedAug applies CLAHE to 1- and 2-channel 16-bit
/// images with 65536 bins, as OpenCV and AllChannelsCLAHE do; a 16-bit colour
/// image goes through 8 bits (the colour conversions are 8-bit only) and is
/// widened back to 16 bits (v * 257).
public struct CLAHE: Augmenter {
    /// The clip limit, drawn per image (imgaug's `clip_limit`); higher gives stronger contrast.
    public var clipLimit: Continuous
    /// The tile grid (tiles per axis), drawn per image: one value for both
    /// axes, or height and width (imgaug's `tile_grid_size_px`).
    public var tileGridSizePx: AverageBlur.Size
    /// The smallest grid side; smaller draws are raised to it (imgaug's `tile_grid_size_px_min`).
    public var tileGridSizePxMin: Int
    /// The colour space the image is in (imgaug's `from_colorspace`).
    public var fromColorspace: String
    /// The colour space whose brightness channel gets CLAHE (imgaug's `to_colorspace`).
    public var toColorspace: String

    /// Creates the augmenter; the defaults are imgaug's `clip_limit=(0.1, 8)`,
    /// `tile_grid_size_px=(3, 12)`, `tile_grid_size_px_min=3`,
    /// `from_colorspace="RGB"`, `to_colorspace="Lab"`. Colour space names
    /// outside HistogramEqualization's lists are refused when an image is
    /// augmented (pipeline files are checked by the table when read).
    public init(clipLimit: Continuous = .range(0.1, 8), tileGridSizePx: AverageBlur.Size = .both(.range(3, 12)),
                tileGridSizePxMin: Int = 3, fromColorspace: String = "RGB", toColorspace: String = "Lab") {
        self.clipLimit = clipLimit
        self.tileGridSizePx = tileGridSizePx
        self.tileGridSizePxMin = tileGridSizePxMin
        self.fromColorspace = fromColorspace
        self.toColorspace = toColorspace
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "CLAHE" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { CLAHE.table.arguments(self) }

    /// Draws the clip limit, then the grid height (and width), and applies CLAHE.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let froms = HistogramEqualization.fromColorspaces, tos = HistogramEqualization.toColorspaces
        guard froms.contains(fromColorspace), tos.contains(toColorspace) else {
            throw AugmentError(name, "from_colorspace must be one of \(froms.joined(separator: ", ")) and "
                + "to_colorspace one of \(tos.joined(separator: ", ")); got \(fromColorspace) and \(toColorspace)")
        }
        let clip = clipLimit.sample(&context.rng)
        let tile = CLAHESampling.tiles(tileGridSizePx, 1, minimum: tileGridSizePxMin, &context.rng)[0]
        context.record(name, [("clip_limit", fmt(clip)),
                              ("tile_grid_size_px", CLAHESampling.format([tile]))])
        guard image.pixelCount > 0 else { return image }
        guard image.channels == 3 || image.channels == 4 else {
            var out = image
            for c in 0..<image.channels { out = CLAHESampling.apply(out, channel: c, clip: clip, tile: tile) }
            return out
        }
        if image.bitDepth == 16 { return colour(image.to8Bit(), clip: clip, tile: tile).to16Bit() }
        return colour(image, clip: clip, tile: tile)
    }

    /// The 3- or 4-channel 8-bit path: convert, CLAHE on the brightness channel, convert back.
    func colour(_ img: Image, clip: Double, tile: (h: Int, w: Int)) -> Image {
        guard var s = img.bytes, let target = ColorSpace(rawValue: toColorspace) else { return img }
        let w = img.width, h = img.height, c = img.channels
        let source = ColorSpace(rawValue: fromColorspace)  // nil for RGB and BGR
        if fromColorspace != toColorspace {
            if fromColorspace == "BGR" { ColorConversion.swapRedBlue(&s, pixelCount: w * h, channels: c) }
            if let source { ColorConversion.toRGB(&s, width: w, height: h, channels: c, from: source) }
            ColorConversion.fromRGB(&s, width: w, height: h, channels: c, to: target)
        }
        var converted = Image(width: w, height: h, channels: c, bytes: s)
        converted = CLAHESampling.apply(converted, channel: target.brightnessChannel, clip: clip, tile: tile)
        s = converted.bytes!
        if fromColorspace != toColorspace {
            ColorConversion.toRGB(&s, width: w, height: h, channels: c, from: target)
            if let source { ColorConversion.fromRGB(&s, width: w, height: h, channels: c, to: source) }
            if fromColorspace == "BGR" { ColorConversion.swapRedBlue(&s, pixelCount: w * h, channels: c) }
        }
        return Image(width: w, height: h, channels: c, bytes: s)
    }
}

extension AllChannelsCLAHE {
    /// `tile_grid_size_px`: a number, a range [a, b], {choice: [...]}, or
    /// [height, width] where at least one side is itself a range or choice
    /// (imgaug's `((a, b), (c, d))`; two plain numbers are a range).
    static let tileCodec = AverageBlur.sizeCodec(
        tileLimits,
        accepted: [.list([.list([.int(3), .int(5)]), .list([.int(4), .int(8)])]), .list([.int(3), .list([.int(5), .int(7)])])],
        refused: [.list([.list([.int(1), .int(3)]), .int(-1)]), .list([.int(3), .list([.int(5), .int(1000)])])])
}
