/// Draws an image's targets (masks, heatmaps, boxes, keypoints) over it, so
/// that a person can check at a glance that they still follow the image after
/// augmentation (`medaug preview` draws one per grid cell).
///
/// Everything is integer pixel drawing on an 8-bit RGB copy; nothing is
/// anti-aliased, so a test can predict every output value exactly.
///
/// Layers, bottom to top: the image, heatmaps, mask fills, mask outlines,
/// boxes, keypoints. Outlines go above every fill so that a later mask cannot
/// dim an earlier mask's edge, and points go last because they are the
/// smallest marks.
public enum TargetOverlay {
    /// Box edge thickness in output pixels. Fixed rather than scaled: callers
    /// that want the same look at every source size draw through
    /// ``draw(_:scaledTo:height:maskOpacity:heatmapOpacity:interpolation:)``.
    public static let boxLineWidth = 2

    /// The fill of keypoint discs. Magenta is in no class colour (the palette
    /// is Okabe-Ito's), and the dark border keeps it readable where it lands
    /// on a box line or a mask of similar hue.
    public static let keypointColor: (UInt8, UInt8, UInt8) = (255, 0, 255)

    /// The border of keypoint discs; dark so that a point shows on bright bone
    /// as well as on dark air.
    public static let keypointBorderColor: (UInt8, UInt8, UInt8) = (0, 0, 0)

    // Okabe & Ito (2008), without its black: the seven hues stay apart for
    // the common forms of colour blindness, and none is gray, so none vanishes
    // on a gray medical image.
    private static let palette: [(UInt8, UInt8, UInt8)] = [
        (230, 159, 0),   // orange
        (86, 180, 233),  // sky blue
        (0, 158, 115),   // bluish green
        (240, 228, 66),  // yellow
        (0, 114, 178),   // blue
        (213, 94, 0),    // vermillion
        (204, 121, 167), // reddish purple
    ]

    /// The colour of class `value`, for masks and box labels alike, so that a
    /// legend (or a box beside its mask) uses the same colour.
    ///
    /// Classes 1 to 7 get the seven Okabe-Ito hues in order (class 1 orange,
    /// 2 sky blue, 3 bluish green, 4 yellow, 5 blue, 6 vermillion, 7 reddish
    /// purple); classes 8 to 14 repeat them darker and 15 to 21 lighter, and
    /// the cycle of 21 repeats after that: beyond seven hues no palette stays
    /// distinguishable, so shade is the best a fixed palette can add.
    ///
    /// Masks never draw class 0 (background), but a box's label 0 is a real
    /// class (YOLO counts from 0), so 0 and negative values get white, which no
    /// other class uses.
    public static func classColor(_ value: Int) -> (UInt8, UInt8, UInt8) {
        guard value > 0 else { return (255, 255, 255) }
        let i = value - 1
        let (r, g, b) = palette[i % palette.count]
        switch (i / palette.count) % 3 {
        case 1:
            return (UInt8(Int(r) * 3 / 5), UInt8(Int(g) * 3 / 5), UInt8(Int(b) * 3 / 5))
        case 2:
            return (lighten(r), lighten(g), lighten(b))
        default:
            return (r, g, b)
        }
    }

    private static func lighten(_ c: UInt8) -> UInt8 { UInt8(Int(c) + (255 - Int(c)) / 2) }

    /// The radius in pixels of a keypoint's coloured disc on a `width` x
    /// `height` image: 3 at 256 pixels on the short side, growing with the
    /// image so that a point stays visible on a large one, never below 2.
    public static func keypointRadius(width: Int, height: Int) -> Int {
        max(2, Int((Double(min(width, height)) / 85).rounded()))
    }

    /// The sample's image as 8-bit RGB with its targets drawn over it; the
    /// output has the image's width and height.
    ///
    /// - The image: 16-bit samples rounded to 8 bits (`Image.to8Bit()`, as the
    ///   preview shows images), gray repeated into R, G and B, alpha dropped.
    /// - Heatmaps: a warm colour (red at low values to yellow at high ones)
    ///   blended with weight `value * heatmapOpacity`, taking the largest value
    ///   over all heatmaps and channels at each pixel.
    /// - Masks (channel 0 of each): every pixel of class k != 0 is blended
    ///   toward ``classColor(_:)`` of k with the alpha `a = round(maskOpacity *
    ///   255)`: each sample becomes `(s * (255 - a) + c * a + 127) / 255`
    ///   (integer division). A mask whose only nonzero value is its bit
    ///   depth's maximum (0/255 or 0/65535) is binary, and that value draws as
    ///   class 1. Pixels of class k != 0 with a 4-neighbour of another class
    ///   (off-image neighbours do not count) are the outline, drawn in the
    ///   class colour at full opacity whatever `maskOpacity` is, so that the
    ///   edge stays visible under a faint fill.
    /// - Boxes: ``boxLineWidth``-pixel rectangles in the colour of their
    ///   label, drawn inside the box (the pixels from `round(x1)` to
    ///   `round(x2) - 1`, and likewise in y), clipped to the image, so a box
    ///   that runs off the image shows its visible edges only.
    /// - Keypoints on the image: filled discs of ``keypointRadius(width:height:)``
    ///   around the pixel holding the point, in ``keypointColor`` with a
    ///   border of ``keypointBorderColor``. Points off the image draw nothing:
    ///   half a disc at the border would look like a point on the image.
    ///
    /// Masks and heatmaps of another size than the image (which augmentation
    /// never produces) are stretched to it by nearest neighbour rather than
    /// rejected, since a preview should show what it can.
    public static func draw(_ sample: AnnotatedImage, maskOpacity: Double = 0.45, heatmapOpacity: Double = 0.6) -> Image {
        var canvas = Canvas(ChannelConversion.convert(sample.image.to8Bit(), to: 3))
        let t = sample.targets
        drawHeatmaps(t.heatmaps, on: &canvas, opacity: heatmapOpacity)
        let labels = t.masks.map { classMap($0, width: canvas.width, height: canvas.height) }
        let a = alpha(maskOpacity)
        if a > 0 {
            for map in labels { fill(map, on: &canvas, alpha: a) }
        }
        for map in labels { outline(map, on: &canvas) }
        for box in t.boxes { drawBox(box, on: &canvas) }
        let r = keypointRadius(width: canvas.width, height: canvas.height)
        for p in t.keypoints { drawKeypoint(p, radius: r, on: &canvas) }
        return canvas.image
    }

    /// The sample resized to `width` x `height` and then drawn as
    /// ``draw(_:maskOpacity:heatmapOpacity:)`` draws it, so that lines and
    /// points have the same pixel size in every cell of a preview, whatever
    /// the source size.
    ///
    /// The image is resized with `interpolation`, or when that is nil with
    /// INTER_AREA when shrinking and bilinear otherwise (what the preview's
    /// cells use: bilinear alone aliases a large scan shrunk to a thumbnail);
    /// the targets as ``ImageTargets/resized(fromWidth:fromHeight:toWidth:toHeight:)``
    /// resizes them (masks by nearest neighbour, so classes stay classes).
    public static func draw(_ sample: AnnotatedImage, scaledTo width: Int, height: Int,
                            maskOpacity: Double = 0.45, heatmapOpacity: Double = 0.6,
                            interpolation: Interpolation? = nil) -> Image {
        precondition(width >= 0 && height >= 0, "negative target size")
        let img = sample.image
        let shrinking = width < img.width || height < img.height
        let interp = interpolation ?? (shrinking ? .area : .linear)
        // Converting first makes the resize work on 8-bit RGB, the cheapest form
        // that still carries everything the output shows.
        let rgb = ChannelConversion.convert(img.to8Bit(), to: 3)
        let scaled = AnnotatedImage(
            rgb.resized(width: width, height: height, interpolation: interp),
            targets: sample.targets.resized(fromWidth: img.width, fromHeight: img.height, toWidth: width, toHeight: height))
        return draw(scaled, maskOpacity: maskOpacity, heatmapOpacity: heatmapOpacity)
    }

    // MARK: - Drawing

    /// An RGB byte buffer with clipped pixel writes, so callers never check bounds.
    private struct Canvas {
        let width: Int
        let height: Int
        var rgb: [UInt8]

        init(_ image: Image) {
            width = image.width
            height = image.height
            rgb = image.bytes ?? []
        }

        var image: Image { Image(width: width, height: height, channels: 3, bytes: rgb) }

        mutating func set(_ x: Int, _ y: Int, _ c: (UInt8, UInt8, UInt8)) {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            let i = (y * width + x) * 3
            rgb[i] = c.0; rgb[i + 1] = c.1; rgb[i + 2] = c.2
        }

        mutating func blend(pixel p: Int, _ c: (UInt8, UInt8, UInt8), alpha a: Int) {
            let i = p * 3
            rgb[i] = mix(rgb[i], c.0, a)
            rgb[i + 1] = mix(rgb[i + 1], c.1, a)
            rgb[i + 2] = mix(rgb[i + 2], c.2, a)
        }

        /// Fills the inclusive rectangle x0...x1, y0...y1, clipped to the canvas.
        mutating func fillRect(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ c: (UInt8, UInt8, UInt8)) {
            let xa = max(x0, 0), xb = min(x1, width - 1), ya = max(y0, 0), yb = min(y1, height - 1)
            guard xa <= xb, ya <= yb else { return }
            for y in ya...yb { for x in xa...xb { set(x, y, c) } }
        }
    }

    /// `s` moved toward `c` by `a`/255, rounded to nearest.
    private static func mix(_ s: UInt8, _ c: UInt8, _ a: Int) -> UInt8 {
        UInt8((Int(s) * (255 - a) + Int(c) * a + 127) / 255)
    }

    /// An opacity as an 8-bit alpha; out-of-range and NaN opacities are
    /// clamped rather than trapped, since they come from a command line.
    private static func alpha(_ opacity: Double) -> Int {
        guard !opacity.isNaN else { return 0 }
        return Int((min(max(opacity, 0), 1) * 255).rounded())
    }

    /// Channel 0 of a mask as class values at the canvas size, with a binary
    /// mask's foreground renumbered to class 1.
    private static func classMap(_ mask: Image, width: Int, height: Int) -> [Int] {
        let m = (mask.width == width && mask.height == height)
            ? mask : mask.resized(width: width, height: height, interpolation: .nearest)
        let c = m.channels, n = width * height
        var values = [Int](repeating: 0, count: n)
        let full: Int
        switch m.pixels {
        case .u8(let a):
            for i in 0..<n { values[i] = Int(a[i * c]) }
            full = 255
        case .u16(let a):
            for i in 0..<n { values[i] = Int(a[i * c]) }
            full = 65535
        }
        // A 0/255 mask is one class, not class 255: drawing it in the 255th
        // colour would make every binary mask look like some unusual class.
        if values.contains(full) && values.allSatisfy({ $0 == 0 || $0 == full }) {
            for i in 0..<n where values[i] == full { values[i] = 1 }
        }
        return values
    }

    private static func fill(_ map: [Int], on canvas: inout Canvas, alpha a: Int) {
        for (p, k) in map.enumerated() where k != 0 {
            canvas.blend(pixel: p, classColor(k), alpha: a)
        }
    }

    private static func outline(_ map: [Int], on canvas: inout Canvas) {
        let w = canvas.width, h = canvas.height
        for y in 0..<h {
            for x in 0..<w {
                let k = map[y * w + x]
                guard k != 0 else { continue }
                let edge = (x > 0 && map[y * w + x - 1] != k) || (x + 1 < w && map[y * w + x + 1] != k)
                    || (y > 0 && map[(y - 1) * w + x] != k) || (y + 1 < h && map[(y + 1) * w + x] != k)
                if edge { canvas.set(x, y, classColor(k)) }
            }
        }
    }

    private static func drawHeatmaps(_ heatmaps: [Heatmap], on canvas: inout Canvas, opacity: Double) {
        let a = alpha(opacity)
        guard !heatmaps.isEmpty, a > 0 else { return }
        let w = canvas.width, h = canvas.height
        // The largest value per pixel, in 0...255, so that overlapping maps
        // show where any of them is hot instead of piling up.
        var peak = [Int](repeating: 0, count: w * h)
        for hm in heatmaps where hm.width > 0 && hm.height > 0 {
            for y in 0..<h {
                let sy = y * hm.height / max(h, 1)
                for x in 0..<w {
                    let base = (sy * hm.width + x * hm.width / max(w, 1)) * hm.channels
                    for c in 0..<hm.channels {
                        let v = hm.values[base + c]
                        guard v > 0 else { continue } // also skips NaN
                        let q = Int((min(v, 1) * 255).rounded())
                        if q > peak[y * w + x] { peak[y * w + x] = q }
                    }
                }
            }
        }
        for (p, v) in peak.enumerated() where v > 0 {
            // Red (vermillion-like) at low values to yellow at the peak: warm
            // hues read as "hot" and stay apart from the cool mask colours.
            let color = (UInt8(213 + 42 * v / 255), UInt8(40 + 180 * v / 255), UInt8(0 + 40 * v / 255))
            canvas.blend(pixel: p, color, alpha: (a * v + 127) / 255)
        }
    }

    /// A coordinate as a pixel index, kept to a little beyond the canvas so
    /// that huge or infinite values neither trap nor change what is drawn.
    private static func pixel(_ v: Double, limit: Int) -> Int {
        Int(min(max(v.rounded(), -4), Double(limit + 4)))
    }

    private static func drawBox(_ b: BoundingBox, on canvas: inout Canvas) {
        guard !b.x1.isNaN, !b.x2.isNaN, !b.y1.isNaN, !b.y2.isNaN else { return }
        let w = canvas.width, h = canvas.height
        let l = pixel(b.x1, limit: w), t = pixel(b.y1, limit: h)
        // Edges are drawn inside the box, so a box on the image's border keeps
        // both of its lines and a clipped box shows none outside the image.
        let r = max(l, pixel(b.x2, limit: w) - 1), btm = max(t, pixel(b.y2, limit: h) - 1)
        let lw = boxLineWidth - 1, c = classColor(b.label)
        canvas.fillRect(l, t, r, min(t + lw, btm), c)
        canvas.fillRect(l, max(btm - lw, t), r, btm, c)
        canvas.fillRect(l, t, min(l + lw, r), btm, c)
        canvas.fillRect(max(r - lw, l), t, r, btm, c)
    }

    private static func drawKeypoint(_ p: Keypoint, radius r: Int, on canvas: inout Canvas) {
        guard p.isInside(width: canvas.width, height: canvas.height) else { return }
        let cx = Int(p.x), cy = Int(p.y)
        let border = max(1, r / 3), outer = r + border
        // d^2 <= r(r+1) rather than r^2: the disc then looks round at small
        // radii instead of a plus sign.
        let inner2 = r * (r + 1), outer2 = outer * (outer + 1)
        for dy in -outer...outer {
            for dx in -outer...outer {
                let d2 = dx * dx + dy * dy
                if d2 <= inner2 {
                    canvas.set(cx + dx, cy + dy, keypointColor)
                } else if d2 <= outer2 {
                    canvas.set(cx + dx, cy + dy, keypointBorderColor)
                }
            }
        }
    }
}
