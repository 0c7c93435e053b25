/// Sample grids as torchvision's make_grid draws them: 2-pixel padding, images in rows of 8.
public enum ImageGrid {
    /// Lays 8-bit images out left to right, top to bottom, as one RGB image.
    ///
    /// Every tile takes the first image's size; an image of another size, or a
    /// 16-bit one, leaves its tile empty. Gray and alpha images are converted to
    /// RGB. No images give a 1x1 black image.
    ///
    /// - Parameters:
    ///   - images: The tiles, in reading order.
    ///   - columns: Tiles per row (fewer when there are fewer images).
    ///   - padding: Pixels between tiles and around the edge.
    ///   - background: The gray level of the padding.
    public static func make(_ images: [Image], columns: Int = 8, padding: Int = 2, background: UInt8 = 0) -> Image {
        guard let first = images.first else { return Image(width: 1, height: 1, channels: 3) }
        let c = 3, w = first.width, h = first.height
        let cols = min(columns, images.count), rows = (images.count + cols - 1) / cols
        let W = cols * (w + padding) + padding, H = rows * (h + padding) + padding
        var out = [UInt8](repeating: background, count: W * H * c)
        for (k, img) in images.enumerated() {
            let rgb = ChannelConversion.convert(img, to: 3)
            guard let src = rgb.bytes, rgb.width == w, rgb.height == h else { continue }
            let ox = padding + (k % cols) * (w + padding), oy = padding + (k / cols) * (h + padding)
            for y in 0..<h {
                let d = ((oy + y) * W + ox) * c
                out.replaceSubrange(d..<(d + w * c), with: src[(y * w * c)..<((y + 1) * w * c)])
            }
        }
        return Image(width: W, height: H, channels: c, bytes: out)
    }
}
