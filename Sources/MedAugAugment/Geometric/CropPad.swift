import MedAugImage

/// imgaug's Pad: ``CropAndPad`` restricted to padding. Every amount is a
/// number of pixels (or a fraction of the side) to add, never to remove.
///
/// imgaug's `Pad.__init__` only checks that every number is >= 0 and passes
/// `px` / `percent` on unchanged, so each image gets exactly what
/// ``CropAndPad`` with the same arguments gives (same draws, same pixels, same
/// targets); only the name in traces differs. With neither `px` nor
/// `percent` given, imgaug pads by `percent=(0.0, 0.1)`.
public struct Pad: CropAndPadVariant, Equatable {
    /// How much to pad on each side, as written (all values >= 0).
    public var amount: CropAndPadAmount
    /// How padded pixels are filled, one mode picked per image (imgaug's `pad_mode`).
    public var padMode: Choice<PadMode>
    /// The fill value for `constant` and `linear_ramp` padding, in sample
    /// units, drawn per image (imgaug's `pad_cval`).
    public var padCval: Discrete
    /// When true (imgaug's default) the result is resized back to the input
    /// size (imgaug's `keep_size`).
    public var keepSize: Bool
    /// When true each side draws its own amount; when false one draw is used
    /// for all four sides (imgaug's `sample_independently`).
    public var sampleIndependently: Bool

    /// nil amount is imgaug's default `percent=(0.0, 0.1)`; the other
    /// defaults are imgaug's too.
    public init(_ amount: CropAndPadAmount? = nil, padMode: Choice<PadMode> = .constant(.constant),
                padCval: Discrete = .constant(0), keepSize: Bool = true, sampleIndependently: Bool = true) {
        self.amount = amount ?? .percent(.all(.range(0, 0.1)))
        self.padMode = padMode
        self.padCval = padCval
        self.keepSize = keepSize
        self.sampleIndependently = sampleIndependently
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Pad" }

    /// The CropAndPad that imgaug's `Pad` is: the same arguments, unchanged.
    public var cropAndPad: CropAndPad {
        CropAndPad(amount, padMode: padMode, padCval: padCval, keepSize: keepSize, sampleIndependently: sampleIndependently)
    }

    /// Pad records CropAndPad's amounts and pad values.
    public var recordsCrops: Bool { false }
}

/// imgaug's Crop: ``CropAndPad`` restricted to cropping. Amounts are written
/// as the (non-negative) number of pixels or fraction of the side to remove.
///
/// imgaug's `Crop.__init__` checks that every number is >= 0 and negates
/// them all (`recursive_negate`: numbers, tuples, lists) before handing them
/// to CropAndPad, which then also requires fractions > −1, that is, Crop's
/// fractions < 1. Each image therefore gets what ``CropAndPad`` with the
/// negated amounts gives: a negated range draws the same values as the
/// range itself, because both imgaug and MedAug put its ends in order before
/// drawing. Crop has no pad arguments: nothing is ever padded, except that
/// `keep_size` resizes back. With neither `px` nor `percent` given, imgaug
/// crops by `percent=(0.0, 0.1)`.
public struct Crop: CropAndPadVariant, Equatable {
    /// How much to crop on each side, as written (all values >= 0).
    public var amount: CropAndPadAmount
    /// When true (imgaug's default) the result is resized back to the input
    /// size (imgaug's `keep_size`).
    public var keepSize: Bool
    /// When true each side draws its own amount; when false one draw is used
    /// for all four sides (imgaug's `sample_independently`).
    public var sampleIndependently: Bool

    /// nil amount is imgaug's default `percent=(0.0, 0.1)`; the other
    /// defaults are imgaug's too.
    public init(_ amount: CropAndPadAmount? = nil, keepSize: Bool = true, sampleIndependently: Bool = true) {
        self.amount = amount ?? .percent(.all(.range(0, 0.1)))
        self.keepSize = keepSize
        self.sampleIndependently = sampleIndependently
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "Crop" }

    /// The CropAndPad that imgaug's `Crop` is: every amount negated, pad
    /// arguments at CropAndPad's defaults (they never act: nothing is padded).
    public var cropAndPad: CropAndPad {
        CropAndPad(amount.negated, keepSize: keepSize, sampleIndependently: sampleIndependently)
    }

    /// Crop records the amounts it removes, as positive numbers.
    public var recordsCrops: Bool { true }
}

/// imgaug's Crop and Pad: CropAndPad subclasses that run the CropAndPad their
/// constructor builds and record the draws under their own name.
public protocol CropAndPadVariant: Augmenter {
    /// The CropAndPad imgaug's constructor builds from these arguments.
    var cropAndPad: CropAndPad { get }
    /// True when the trace records the amounts removed (Crop) rather than
    /// CropAndPad's signed amounts and pad values (Pad).
    var recordsCrops: Bool { get }
}

extension CropAndPadVariant {
    /// Draws CropAndPad's sample and crops or pads, recorded under this augmenter's name.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let c = cropAndPad
        let s = c.drawn(&context, width: image.width, height: image.height, recordedAs: name, crop: recordsCrops)
        return CropAndPad.apply(image, top: s.top, right: s.right, bottom: s.bottom, left: s.left,
                                padMode: s.padMode, padCval: s.padCval, keepSize: c.keepSize)
    }

    /// Draws CropAndPad's sample and applies it to the image and its targets.
    public func augment(_ sample: AnnotatedImage, _ context: inout AugmentContext) throws -> AnnotatedImage {
        let c = cropAndPad
        let s = c.drawn(&context, width: sample.image.width, height: sample.image.height, recordedAs: name, crop: recordsCrops)
        return CropAndPad.apply(sample, top: s.top, right: s.right, bottom: s.bottom, left: s.left,
                                padMode: s.padMode, padCval: s.padCval, keepSize: c.keepSize)
    }

    /// Masks, heatmaps, keypoints and boxes move as CropAndPad moves them.
    public var targetRule: TargetRule { .moved }
}

extension CropAndPad {
    /// Draws exactly what ``CropAndPad/sample(_:width:height:)`` draws, but
    /// records it under the wrapper's name, so that a trace says what the
    /// pipeline file says. Crop records the amounts it removes (as written,
    /// >= 0) and no pad values, which it never uses.
    func drawn(_ context: inout AugmentContext, width: Int, height: Int, recordedAs name: String, crop: Bool) -> Sample {
        let s = sample(&context.rng, width: width, height: height)
        if crop {
            context.record(name, [("top", String(-s.top)), ("right", String(-s.right)),
                                  ("bottom", String(-s.bottom)), ("left", String(-s.left))])
        } else {
            context.record(name, [("top", String(s.top)), ("right", String(s.right)), ("bottom", String(s.bottom)),
                                  ("left", String(s.left)), ("pad_mode", s.padMode.rawValue), ("pad_cval", String(s.padCval))])
        }
        return s
    }
}

extension Param {
    /// imgaug's `recursive_negate` for one argument: every number negated,
    /// the form kept (a range stays a range with its ends negated in place).
    var negated: Param {
        switch self {
        case .constant(let v): return .constant(-v)
        case .range(let a, let b): return .range(-a, -b)
        case .choice(let l): return .choice(l.map { -$0 })
        }
    }
}

extension CropAndPadSides {
    /// Every side's argument negated (Crop's amounts as CropAndPad takes them).
    var negated: CropAndPadSides {
        switch self {
        case .all(let p): return .all(p.negated)
        case .sides(let t, let r, let b, let l): return .sides(top: t.negated, right: r.negated, bottom: b.negated, left: l.negated)
        }
    }
}

extension CropAndPadAmount {
    /// The same amounts with every number negated, pixels staying pixels and
    /// fractions fractions.
    var negated: CropAndPadAmount {
        switch self {
        case .px(let s): return .px(s.negated)
        case .percent(let s): return .percent(s.negated)
        }
    }
}
