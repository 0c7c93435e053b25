/// A point on an image, in imgaug's coordinates: x right and y down, in
/// pixels, (0, 0) the top-left corner of the top-left pixel.
public struct Keypoint: Equatable, Sendable {
    /// Horizontal position in pixels.
    public var x: Double
    /// Vertical position in pixels.
    public var y: Double

    /// A point at (x, y).
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// True when the point lies on the image: 0 <= x < width and 0 <= y < height
    /// (imgaug's `is_out_of_image` is the negation).
    public func isInside(width: Int, height: Int) -> Bool {
        x >= 0 && y >= 0 && x < Double(width) && y < Double(height)
    }
}

/// An axis-aligned box with a class, in imgaug's coordinates (x1 <= x2, y1 <= y2).
public struct BoundingBox: Equatable, Sendable {
    /// Left edge in pixels.
    public var x1: Double
    /// Top edge in pixels.
    public var y1: Double
    /// Right edge in pixels.
    public var x2: Double
    /// Bottom edge in pixels.
    public var y2: Double
    /// The class of the object (a COCO category id or a YOLO class index).
    public var label: Int
    /// The caller's identifier for the box (the annotation it came from); kept
    /// through augmentation, so that a writer can tell which boxes remain.
    public var id: Int

    /// A box from its corners; the corners are ordered so that x1 <= x2 and y1 <= y2.
    public init(x1: Double, y1: Double, x2: Double, y2: Double, label: Int = 0, id: Int = 0) {
        self.x1 = min(x1, x2)
        self.x2 = max(x1, x2)
        self.y1 = min(y1, y2)
        self.y2 = max(y1, y2)
        self.label = label
        self.id = id
    }

    /// Width (x2 - x1).
    public var width: Double { x2 - x1 }
    /// Height (y2 - y1).
    public var height: Double { y2 - y1 }
    /// Area (width times height).
    public var area: Double { width * height }

    /// The four corners in imgaug's order: top-left, top-right, bottom-right, bottom-left.
    public var corners: [Keypoint] {
        [Keypoint(x: x1, y: y1), Keypoint(x: x2, y: y1), Keypoint(x: x2, y: y2), Keypoint(x: x1, y: y2)]
    }

    /// The smallest box around `points` with this box's label and id
    /// (imgaug re-fits boxes around their moved corners).
    public func fitted(around points: ArraySlice<Keypoint>) -> BoundingBox {
        guard let first = points.first else { return self }
        var b = self
        (b.x1, b.x2, b.y1, b.y2) = (first.x, first.x, first.y, first.y)
        for p in points.dropFirst() {
            b.x1 = Swift.min(b.x1, p.x)
            b.x2 = Swift.max(b.x2, p.x)
            b.y1 = Swift.min(b.y1, p.y)
            b.y2 = Swift.max(b.y2, p.y)
        }
        return b
    }

    /// The fraction of the box's area that lies on a `width` x `height` image,
    /// as imgaug computes it (`1 - compute_out_of_image_fraction`): a box of
    /// zero area counts as all visible when its top-left corner is on the image.
    public func visibleFraction(width: Int, height: Int) -> Double {
        let w = Double(width), h = Double(height)
        if area == 0 {
            let outside = y1 < 0 || y1 >= h || x1 < 0 || x1 >= w
            return outside ? 0 : 1
        }
        let ix1 = max(x1, 0), iy1 = max(y1, 0), ix2 = min(x2, w), iy2 = min(y2, h)
        if ix1 > ix2 || iy1 > iy2 { return 0 }
        return (ix2 - ix1) * (iy2 - iy1) / area
    }

    /// True when no part of the box touches the image (imgaug's
    /// `is_out_of_image(fully=True, partly=False)`: the box does not meet
    /// [0, width) x [0, height)).
    public func isFullyOutside(width: Int, height: Int) -> Bool {
        let eps = Double(Float.ulpOfOne)
        let w = Double(width) - eps, h = Double(height) - eps
        return max(x1, 0) > min(x2, w) || max(y1, 0) > min(y2, h)
    }

    /// The box clipped to [0, width] x [0, height].
    public func clipped(width: Int, height: Int) -> BoundingBox {
        let w = Double(width), h = Double(height)
        var b = self
        b.x1 = min(max(x1, 0), w)
        b.x2 = min(max(x2, 0), w)
        b.y1 = min(max(y1, 0), h)
        b.y2 = min(max(y2, 0), h)
        return b
    }
}

/// A float map the size of the image, with values in 0...1 (imgaug's
/// `HeatmapsOnImage`): a probability or attention map per channel.
///
/// Geometric augmenters warp heatmaps as 16-bit maps (values times 65535),
/// so a value comes back within 1/65535 of the exact float result.
public struct Heatmap: Equatable, Sendable {
    /// Width in pixels, equal to the image's.
    public let width: Int
    /// Height in pixels, equal to the image's.
    public let height: Int
    /// Maps stacked per pixel (HWC order).
    public let channels: Int
    /// `width * height * channels` values in 0...1.
    public var values: [Float]

    /// Wraps values; traps when the count is not `width * height * channels`.
    public init(width: Int, height: Int, channels: Int = 1, values: [Float]) {
        precondition(width >= 0 && height >= 0 && channels >= 1, "bad heatmap shape")
        precondition(values.count == width * height * channels, "heatmap value count \(values.count) != \(width * height * channels)")
        self.width = width
        self.height = height
        self.channels = channels
        self.values = values
    }

    /// One channel as a 16-bit gray image (0...1 scaled to 0...65535, clipped).
    public func channel16(_ c: Int) -> Image {
        var s = [UInt16](repeating: 0, count: width * height)
        for i in 0..<s.count {
            let v = values[i * channels + c]
            s[i] = UInt16((min(max(v, 0), 1) * 65535).rounded())
        }
        return Image(width: width, height: height, channels: 1, samples16: s)
    }

    /// Rebuilds a heatmap from 16-bit gray images, one per channel, all of one size.
    public init(channels16 maps: [Image]) {
        let w = maps.first?.width ?? 0, h = maps.first?.height ?? 0, c = max(1, maps.count)
        var v = [Float](repeating: 0, count: w * h * c)
        for (k, m) in maps.enumerated() {
            let s = m.samples16 ?? m.to16Bit().samples16!
            for i in 0..<(w * h) { v[i * c + k] = Float(s[i]) / 65535 }
        }
        self.init(width: w, height: h, channels: c, values: v)
    }
}

/// Everything that follows an image through geometric augmentation:
/// segmentation maps, heatmaps, keypoints and boxes (imgaug's augmentables).
///
/// Maps have the image's size; points and boxes are in its pixel coordinates.
public struct ImageTargets: Equatable, Sendable {
    /// Label maps (integer class per pixel; 1 to 4 maps per image, 8 or 16 bits).
    /// Warped with nearest-neighbour interpolation and filled with 0.
    public var masks: [Image]
    /// Float maps in 0...1, warped as imgaug warps heatmaps.
    public var heatmaps: [Heatmap]
    /// Points (landmarks). Points that leave the image are kept, with their
    /// coordinates, as imgaug keeps them.
    public var keypoints: [Keypoint]
    /// Boxes; re-fitted around their moved corners. ``finished(width:height:minVisibility:)``
    /// removes those that left the image and clips the rest.
    public var boxes: [BoundingBox]

    /// Targets of these kinds (all empty by default).
    public init(masks: [Image] = [], heatmaps: [Heatmap] = [], keypoints: [Keypoint] = [], boxes: [BoundingBox] = []) {
        self.masks = masks
        self.heatmaps = heatmaps
        self.keypoints = keypoints
        self.boxes = boxes
    }

    /// True when there is nothing to move.
    public var isEmpty: Bool { masks.isEmpty && heatmaps.isEmpty && keypoints.isEmpty && boxes.isEmpty }

    /// True when some target would need moving (any map, point or box).
    public var hasPointsOrBoxes: Bool { !keypoints.isEmpty || !boxes.isEmpty }

    /// The targets after one geometric step. `maps` warps one map the way the
    /// augmenter warps it (`isMask` tells segmentation maps, warped with order 0
    /// and fill 0, from 16-bit heatmap channels); `points` moves a list of points
    /// (keypoints, then four corners per box, in imgaug's corner order).
    public func moved(maps: (Image, _ isMask: Bool) throws -> Image,
                      points: ([Keypoint]) throws -> [Keypoint]) rethrows -> ImageTargets {
        var out = self
        out.masks = try masks.map { try maps($0, true) }
        out.heatmaps = try heatmaps.map { h in
            Heatmap(channels16: try (0..<h.channels).map { try maps(h.channel16($0), false) })
        }
        if hasPointsOrBoxes {
            var all = keypoints
            all.reserveCapacity(keypoints.count + 4 * boxes.count)
            for b in boxes {
                all.append(Keypoint(x: b.x1, y: b.y1))
                all.append(Keypoint(x: b.x2, y: b.y1))
                all.append(Keypoint(x: b.x2, y: b.y2))
                all.append(Keypoint(x: b.x1, y: b.y2))
            }
            let moved = try points(all)
            precondition(moved.count == all.count, "a point mapping changed the number of points")
            out.keypoints = Array(moved[0..<keypoints.count])
            for i in boxes.indices {
                let s = keypoints.count + 4 * i
                out.boxes[i] = boxes[i].fitted(around: moved[s..<(s + 4)])
            }
        }
        return out
    }

    /// The boxes after augmentation, as MedAug hands them out: boxes that no
    /// longer touch a `width` x `height` image are removed, then those whose
    /// visible fraction of area is below `minVisibility` (0...1), and the rest
    /// are clipped to the image. Returns the kept targets and the removed boxes.
    public func finished(width: Int, height: Int, minVisibility: Double = 0) -> (targets: ImageTargets, removed: [BoundingBox]) {
        var out = self
        var removed: [BoundingBox] = []
        out.boxes = []
        out.boxes.reserveCapacity(boxes.count)
        for b in boxes {
            if b.isFullyOutside(width: width, height: height)
                || (minVisibility > 0 && b.visibleFraction(width: width, height: height) < minVisibility) {
                removed.append(b)
            } else {
                out.boxes.append(b.clipped(width: width, height: height))
            }
        }
        return (out, removed)
    }
}

/// An image with the targets that follow it.
public struct AnnotatedImage: Equatable, Sendable {
    /// The image.
    public var image: Image
    /// Its masks, heatmaps, keypoints and boxes.
    public var targets: ImageTargets

    /// Pairs an image with its targets (none by default).
    public init(_ image: Image, targets: ImageTargets = ImageTargets()) {
        self.image = image
        self.targets = targets
    }
}

extension ImageTargets {
    /// The targets of a `fromWidth` x `fromHeight` image resized to
    /// `toWidth` x `toHeight` (imgaug's `on()` / `resize()`): masks by nearest
    /// neighbour, heatmaps by cubic interpolation (clipped to 0...1), points
    /// scaled per axis.
    public func resized(fromWidth: Int, fromHeight: Int, toWidth: Int, toHeight: Int) -> ImageTargets {
        guard fromWidth != toWidth || fromHeight != toHeight else { return self }
        let sx = Double(toWidth), sy = Double(toHeight), fx = Double(fromWidth), fy = Double(fromHeight)
        return moved(maps: { map, isMask in
            map.resized(width: toWidth, height: toHeight, interpolation: isMask ? .nearest : .cubic)
        }, points: { points in
            guard fromWidth > 0, fromHeight > 0 else { return points }
            return points.map { Keypoint(x: $0.x / fx * sx, y: $0.y / fy * sy) }
        })
    }
}
