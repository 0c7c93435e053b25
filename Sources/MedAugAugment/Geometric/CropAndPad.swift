import MedAugImage

/// How much CropAndPad changes each side: negative crops, positive pads.
public enum CropAndPadSides: Equatable, Sendable {
    /// imgaug's number or 2-tuple: one parameter for all four sides, drawn per
    /// side when sample_independently (else once for all sides).
    case all(Param)
    /// imgaug's 4-tuple (top, right, bottom, left), one parameter per side.
    case sides(top: Param, right: Param, bottom: Param, left: Param)
}

/// CropAndPad's amounts in pixels (imgaug's `px`, integer handler) or as
/// fractions of the height (top, bottom) and width (left, right) (`percent`).
public enum CropAndPadAmount: Equatable, Sendable {
    /// Whole pixels per side (imgaug's `px`); a range is an inclusive integer
    /// range.
    case px(CropAndPadSides)
    /// Fractions per side (imgaug's `percent`): top and bottom of the height,
    /// left and right of the width; -0.1 crops a tenth, 0.1 pads a tenth.
    case percent(CropAndPadSides)
}

/// imgaug's CropAndPad: per image and side, crop (negative) or pad (positive),
/// crops first, then optionally resize back to the input size.
public struct CropAndPad: Augmenter {
    /// How much to crop or pad on each side.
    public var amount: CropAndPadAmount
    /// How padded pixels are filled, one mode picked per image (imgaug's
    /// `pad_mode`).
    public var padMode: Choice<PadMode>
    /// The fill value for `constant` and `linear_ramp` padding, in sample units,
    /// drawn per image (imgaug's `pad_cval`).
    public var padCval: Discrete
    /// When true (imgaug's default) the result is resized back to the input
    /// size, with imgaug's choice of interpolation (`keep_size`).
    public var keepSize: Bool
    /// When true each side draws its own amount; when false one draw is used for
    /// all four sides (imgaug's `sample_independently`).
    public var sampleIndependently: Bool

    /// nil amount is imgaug's default `percent=(-0.1, 0.1)`.
    public init(_ amount: CropAndPadAmount? = nil, padMode: Choice<PadMode> = .constant(.constant),
                padCval: Discrete = .constant(0), keepSize: Bool = true, sampleIndependently: Bool = true) {
        self.amount = amount ?? .percent(.all(.range(-0.1, 0.1)))
        self.padMode = padMode
        self.padCval = padCval
        self.keepSize = keepSize
        self.sampleIndependently = sampleIndependently
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "CropAndPad" }

    /// Signed pixel amounts per side (before the zero-size guard), the pad mode and the pad value.
    public struct Sample: Equatable, Sendable {
        /// Signed pixels per side: negative crops, positive pads.
        public var top, right, bottom, left: Int
        /// The drawn pad mode.
        public var padMode: PadMode
        /// The drawn fill value.
        public var padCval: Int

        /// A sample with chosen amounts; the defaults pad with black.
        public init(top: Int, right: Int, bottom: Int, left: Int, padMode: PadMode = .constant, padCval: Int = 0) {
            self.top = top; self.right = right; self.bottom = bottom; self.left = left
            self.padMode = padMode; self.padCval = padCval
        }
    }

    /// Draws one image's amounts (converted to pixels for an image of this
    /// size), pad mode and pad value, in imgaug's order.
    public func sample(_ rng: inout AugmentRandom, width: Int, height: Int) -> Sample {
        let sides: CropAndPadSides
        let percent: Bool
        switch amount {
        case .px(let s): sides = s; percent = false
        case .percent(let s): sides = s; percent = true
        }
        func draw(_ p: Param) -> Double {
            percent ? Continuous(p).sample(&rng) : Double(Discrete(p).sample(&rng))
        }
        var v: [Double]
        switch sides {
        case .all(let p):
            if sampleIndependently {
                v = (0..<4).map { _ in draw(p) }
            } else {
                v = Array(repeating: draw(p), count: 4)
            }
        case .sides(let t, let r, let b, let l):
            v = [draw(t), draw(r), draw(b), draw(l)]
        }
        let px: [Int]
        if percent {
            let sizes = [height, width, height, width]
            // imgaug: float32 sizes times float32 fractions, rounded half to even.
            px = (0..<4).map { Affine.pythonInt(Double((Float(sizes[$0]) * Float(v[$0])).rounded(.toNearestOrEven))) }
        } else {
            px = v.map { Int($0) }
        }
        let mode = padMode.sample(&rng)
        let cval = padCval.sample(&rng)
        return Sample(top: px[0], right: px[1], bottom: px[2], left: px[3], padMode: mode, padCval: cval)
    }

    /// imgaug's guard against crops that leave nothing: the missing rows (columns)
    /// plus one are given back, half to each side (top and right get the odd one),
    /// moving what a side cannot give back to the other side.
    public static func preventZeroSize(height: Int, width: Int, top: Int, right: Int, bottom: Int, left: Int)
        -> (top: Int, right: Int, bottom: Int, left: Int) {
        var top = top, right = right, bottom = bottom, left = left
        let remainingH = height - (top + bottom)
        if remainingH < 1 {
            let regain = abs(remainingH) + 1
            var regainTop = regain / 2, regainBottom = regain / 2
            if regainTop + regainBottom < regain { regainTop += 1 }
            if regainTop > top {
                regainBottom += regainTop - top
                regainTop = top
            } else if regainBottom > bottom {
                regainTop += regainBottom - bottom
                regainBottom = bottom
            }
            top -= regainTop
            bottom -= regainBottom
        }
        let remainingW = width - (left + right)
        if remainingW < 1 {
            let regain = abs(remainingW) + 1
            var regainRight = regain / 2, regainLeft = regain / 2
            if regainRight + regainLeft < regain { regainRight += 1 }
            if regainRight > right {
                regainLeft += regainRight - right
                regainRight = right
            } else if regainLeft > left {
                regainRight += regainLeft - left
                regainLeft = left
            }
            right -= regainRight
            left -= regainLeft
        }
        return (top, right, bottom, left)
    }

    /// Where one drawn sample puts the input: the kept window `x1..<x2`,
    /// `y1..<y2` of the input (after the zero-size guard) and the padding
    /// added around it.
    public struct Window: Equatable, Sendable {
        /// The kept columns start at `x1` and end before `x2`; the kept rows likewise.
        public var x1, y1, x2, y2: Int
        /// Pixels added on each side (the positive amounts).
        public var padTop, padRight, padBottom, padLeft: Int

        /// The size after cropping and padding, before any resize back.
        public var width: Int { x2 - x1 + padLeft + padRight }
        /// The height after cropping and padding, before any resize back.
        public var height: Int { y2 - y1 + padTop + padBottom }
    }

    /// The window for signed amounts on a `width` x `height` input.
    public static func window(width: Int, height: Int, top: Int, right: Int, bottom: Int, left: Int) -> Window {
        let c = preventZeroSize(height: height, width: width,
                                top: max(-top, 0), right: max(-right, 0), bottom: max(-bottom, 0), left: max(-left, 0))
        // imgaug's slice arr[top:H-bottom, left:W-right] with ends kept in order, so an
        // empty image stays empty (the guard can hand it negative crops).
        let y1 = min(max(c.top, 0), height), y2 = min(max(height - c.bottom, y1), height)
        let x1 = min(max(c.left, 0), width), x2 = min(max(width - c.right, x1), width)
        return Window(x1: x1, y1: y1, x2: x2, y2: y2,
                      padTop: max(top, 0), padRight: max(right, 0), padBottom: max(bottom, 0), padLeft: max(left, 0))
    }

    /// Crops an image (or map) of the window's input size to the window and pads it.
    static func cropAndPad(_ image: Image, _ w: Window, mode: PadMode, cval: Int) -> Image {
        let cropped = Padding.crop(image, top: w.y1, right: image.width - w.x2, bottom: image.height - w.y2, left: w.x1)
        return Padding.pad(cropped, top: w.padTop, right: w.padRight, bottom: w.padBottom, left: w.padLeft,
                           mode: mode, cval: cval)
    }

    /// Crops (negative amounts), pads (positive amounts), then with `keepSize`
    /// resizes back with imgaug's default rule (area when enlarging, else linear).
    public static func apply(_ image: Image, top: Int, right: Int, bottom: Int, left: Int,
                             padMode: PadMode, padCval: Int, keepSize: Bool) -> Image {
        let w = window(width: image.width, height: image.height, top: top, right: right, bottom: bottom, left: left)
        let padded = cropAndPad(image, w, mode: padMode, cval: padCval)
        guard keepSize else { return padded }
        let interpolation = Interpolation.imgaugDefault(fromWidth: padded.width, fromHeight: padded.height,
                                                        toWidth: image.width, toHeight: image.height)
        return padded.resized(width: image.width, height: image.height, interpolation: interpolation)
    }

    /// Applies signed amounts to an image and its targets as imgaug does: the
    /// image is padded with `padMode` / `padCval`, masks and heatmaps always
    /// with constant 0 (imgaug's `_pad_mode_segmentation_maps` and
    /// `_pad_cval_...`); points move by the padding minus the crop on the left
    /// and top. With `keepSize` the image is resized back by imgaug's default
    /// rule, masks by nearest neighbour, heatmaps by cubic interpolation, and
    /// points are projected onto the input size.
    public static func apply(_ sample: AnnotatedImage, top: Int, right: Int, bottom: Int, left: Int,
                             padMode: PadMode, padCval: Int, keepSize: Bool) -> AnnotatedImage {
        let image = apply(sample.image, top: top, right: right, bottom: bottom, left: left,
                          padMode: padMode, padCval: padCval, keepSize: keepSize)
        guard !sample.targets.isEmpty else { return AnnotatedImage(image, targets: sample.targets) }
        let w = sample.image.width, h = sample.image.height
        let win = window(width: w, height: h, top: top, right: right, bottom: bottom, left: left)
        var targets = sample.targets.croppedAndPadded(win, width: w, height: h)
        if keepSize {
            targets = targets.resized(fromWidth: win.width, fromHeight: win.height, toWidth: w, toHeight: h)
        }
        return AnnotatedImage(image, targets: targets)
    }

    /// Draws a ``Sample`` and crops, pads and (with `keepSize`) resizes back;
    /// any channel count and bit depth.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let s = drawn(&context, width: image.width, height: image.height)
        return CropAndPad.apply(image, top: s.top, right: s.right, bottom: s.bottom, left: s.left,
                                padMode: s.padMode, padCval: s.padCval, keepSize: keepSize)
    }

    /// Draws one ``Sample`` and applies it to the image and its targets with
    /// imgaug's rules for maps and points (see the static `apply` on an
    /// ``AnnotatedImage``).
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        let s = drawn(&context, width: sample.image.width, height: sample.image.height)
        return CropAndPad.apply(sample, top: s.top, right: s.right, bottom: s.bottom, left: s.left,
                                padMode: s.padMode, padCval: s.padCval, keepSize: keepSize)
    }

    /// Masks, heatmaps, keypoints and boxes are cropped, padded and resized with the image.
    public var targetRule: TargetRule { .moved }

    func drawn(_ context: inout AugmentContext, width: Int, height: Int) -> Sample {
        let s = sample(&context.rng, width: width, height: height)
        context.record(name, [("top", String(s.top)), ("right", String(s.right)), ("bottom", String(s.bottom)),
                              ("left", String(s.left)), ("pad_mode", s.padMode.rawValue), ("pad_cval", String(s.padCval))])
        return s
    }
}

extension ImageTargets {
    /// The targets of a `width` x `height` image cropped to `window` and padded around it, as
    /// imgaug's `_crop_and_pad_hms_or_segmaps_` and `_crop_and_pad_kpsoi_`
    /// do it: maps padded with constant 0 whatever the image's pad mode
    /// (a label or heat value invented by reflection would be wrong), points
    /// shifted by the left / top padding minus the left / top crop.
    func croppedAndPadded(_ window: CropAndPad.Window, width: Int, height: Int) -> ImageTargets {
        // Nothing to do: skip the 16-bit round trip that would quantize heatmaps.
        if window == CropAndPad.Window(x1: 0, y1: 0, x2: width, y2: height, padTop: 0, padRight: 0, padBottom: 0, padLeft: 0) {
            return self
        }
        let dx = Double(window.padLeft - window.x1), dy = Double(window.padTop - window.y1)
        return moved(maps: { map, _ in CropAndPad.cropAndPad(map, window, mode: .constant, cval: 0) },
                     points: { points in
                         guard dx != 0 || dy != 0 else { return points }
                         return points.map { Keypoint(x: $0.x + dx, y: $0.y + dy) }
                     })
    }
}
