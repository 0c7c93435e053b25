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

    /// Crops (negative amounts), pads (positive amounts), then with `keepSize`
    /// resizes back with imgaug's default rule (area when enlarging, else linear).
    public static func apply(_ image: Image, top: Int, right: Int, bottom: Int, left: Int,
                             padMode: PadMode, padCval: Int, keepSize: Bool) -> Image {
        let c = preventZeroSize(height: image.height, width: image.width,
                                top: max(-top, 0), right: max(-right, 0), bottom: max(-bottom, 0), left: max(-left, 0))
        // imgaug's slice arr[top:H-bottom, left:W-right] with ends kept in order, so an
        // empty image stays empty (the guard can hand it negative crops).
        let y1 = min(max(c.top, 0), image.height), y2 = min(max(image.height - c.bottom, y1), image.height)
        let x1 = min(max(c.left, 0), image.width), x2 = min(max(image.width - c.right, x1), image.width)
        let cropped = Padding.crop(image, top: y1, right: image.width - x2, bottom: image.height - y2, left: x1)
        let padded = Padding.pad(cropped, top: max(top, 0), right: max(right, 0), bottom: max(bottom, 0), left: max(left, 0),
                                 mode: padMode, cval: padCval)
        guard keepSize else { return padded }
        let interpolation = Interpolation.imgaugDefault(fromWidth: padded.width, fromHeight: padded.height,
                                                        toWidth: image.width, toHeight: image.height)
        return padded.resized(width: image.width, height: image.height, interpolation: interpolation)
    }

    /// Draws a ``Sample`` and crops, pads and (with `keepSize`) resizes back;
    /// any channel count and bit depth.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let s = sample(&context.rng, width: image.width, height: image.height)
        context.record(name, [("top", String(s.top)), ("right", String(s.right)), ("bottom", String(s.bottom)),
                              ("left", String(s.left)), ("pad_mode", s.padMode.rawValue), ("pad_cval", String(s.padCval))])
        return CropAndPad.apply(image, top: s.top, right: s.right, bottom: s.bottom, left: s.left,
                                padMode: s.padMode, padCval: s.padCval, keepSize: keepSize)
    }
}
