/// The study's three augmentation settings, and a conservative pipeline for
/// radiographs offered to new studies, as pipeline files kept in the binary
/// so that `--preset` works wherever MedAug is installed.
/// pipelines/*.yaml hold the same text (a test checks it).
public enum Presets {
    /// The preset names, in order: the study's, then the ones for new studies.
    public static let names = ["aug1", "aug2", "aug3", "medical-xray", "randaugment"]

    /// Aug 1: geometry only (a flip, Affine, CropAndPad).
    public static let aug1 = #"""
    # Aug 1 (basic), the study's first setting: geometry only.
    # A random flip (left-right or up-down), rotation -45..45 deg, scale,
    # shear -16..16 deg, and crop or pad by -10%..+10%.
    - OneOf:
        children:
          - Fliplr: {p: 1}
          - Flipud: {p: 1}
    - Affine: {scale: [0.8, 1.2], rotate: [-45, 45], shear: [-16, 16], order: 1, mode: constant}
    - CropAndPad: {percent: [-0.1, 0.1], pad_mode: constant, keep_size: true}
    """#

    /// Aug 2: one to three of superpixels, blurs, filters, dropout, brightness and quantisation.
    public static let aug2 = #"""
    # Aug 2 (superpixel family), the study's second setting: one to three of
    # superpixels, a blur, a convolutional filter, a dropout, brightness and
    # colour quantisation, in random order.
    - SomeOf:
        n: [1, 3]
        random_order: true
        children:
          - Superpixels: {p_replace: [0.1, 1.0], n_segments: [100, 200]}
          - OneOf:
              children:
                - GaussianBlur: {sigma: [0, 3.0]}
                - AverageBlur: {k: [2, 7]}
                - MedianBlur: {k: [3, 11]}
                - BilateralBlur: {d: [3, 10], sigma_color: [10, 250], sigma_space: [10, 250]}
                - MotionBlur: {k: [3, 7]}
          - OneOf:
              children:
                - Sharpen: {alpha: [0, 1.0], lightness: [0.75, 1.5]}
                - Emboss: {alpha: [0, 1.0], strength: [0, 2.0]}
                - EdgeDetect: {alpha: [0.5, 1.0]}
                - DirectedEdgeDetect: {alpha: [0.5, 1.0], direction: [0, 1.0]}
          - OneOf:
              children:
                - Dropout: {p: [0.01, 0.1]}
                - CoarseDropout: {p: [0.03, 0.15], size_percent: [0.02, 0.05]}
                - TotalDropout: {p: 0.1}
          - MultiplyAndAddToBrightness: {mul: [0.7, 1.3], add: [-30, 30]}
          - UniformColorQuantization: {n_colors: [2, 16]}
    """#

    /// Aug 3: Aug 1's geometry, each step with probability 1/2, and up to five of Aug 2's steps.
    public static let aug3 = #"""
    # Aug 3, the study's third setting: everything of Aug 1 and Aug 2, each
    # geometric step with probability 1/2 and zero to five of the Aug 2 steps,
    # all in random order.
    - Sequential:
        random_order: true
        children:
          - Sometimes:
              p: 0.5
              then:
                - OneOf:
                    children:
                      - Fliplr: {p: 1}
                      - Flipud: {p: 1}
          - Sometimes:
              p: 0.5
              then:
                - Affine: {scale: [0.8, 1.2], rotate: [-45, 45], shear: [-16, 16], order: 1, mode: constant}
          - Sometimes:
              p: 0.5
              then:
                - CropAndPad: {percent: [-0.1, 0.1], pad_mode: constant, keep_size: true}
          - SomeOf:
              n: [0, 5]
              random_order: true
              children:
                - Superpixels: {p_replace: [0.1, 1.0], n_segments: [100, 200]}
                - OneOf:
                    children:
                      - GaussianBlur: {sigma: [0, 3.0]}
                      - AverageBlur: {k: [2, 7]}
                      - MedianBlur: {k: [3, 11]}
                      - BilateralBlur: {d: [3, 10], sigma_color: [10, 250], sigma_space: [10, 250]}
                      - MotionBlur: {k: [3, 7]}
                - OneOf:
                    children:
                      - Sharpen: {alpha: [0, 1.0], lightness: [0.75, 1.5]}
                      - Emboss: {alpha: [0, 1.0], strength: [0, 2.0]}
                      - EdgeDetect: {alpha: [0.5, 1.0]}
                      - DirectedEdgeDetect: {alpha: [0.5, 1.0], direction: [0, 1.0]}
                - OneOf:
                    children:
                      - Dropout: {p: [0.01, 0.1]}
                      - CoarseDropout: {p: [0.03, 0.15], size_percent: [0.02, 0.05]}
                      - TotalDropout: {p: 0.1}
                - MultiplyAndAddToBrightness: {mul: [0.7, 1.3], add: [-30, 30]}
                - UniformColorQuantization: {n_colors: [2, 16]}
    """#

    /// medical-xray: not one of the study's settings, a starting point for
    /// new studies on radiographs.
    public static let medicalXray = #"""
    # medical-xray: a conservative pipeline for radiographs, offered as a
    # starting point for new studies (it is not one of the study's settings).
    # Small rotations, scales and shifts (a radiograph is taken square to the
    # detector), mild global and local contrast changes (exposure and
    # processing differ between machines), a little sensor noise. No flips:
    # anatomy has a left and an up (the heart is on the patient's left), and
    # a flipped film is a different image, not the same one seen again.
    - Affine: {rotate: [-7, 7], scale: [0.93, 1.07], translate_percent: [-0.04, 0.04], order: 1, mode: edge}
    - Sometimes:
        p: 0.5
        then:
          - OneOf:
              children:
                - GammaContrast: {gamma: [0.8, 1.25]}
                - LinearContrast: {alpha: [0.85, 1.15]}
    - Sometimes:
        p: 0.3
        then:
          - CLAHE: {clip_limit: [1, 3], tile_grid_size_px: [4, 8]}
    - Sometimes:
        p: 0.3
        then:
          - AdditiveGaussianNoise: {scale: [0, 6]}
    """#

    /// randaugment: imgaug's RandAugment with its defaults; not one of the
    /// study's settings, a policy for new studies.
    public static let randaugment = #"""
    # randaugment: imgaug 0.4.0's RandAugment with its defaults, offered to new
    # studies (it is not one of the study's settings). Every image is mirrored
    # with probability 0.5 and cropped by up to M/224 of each side, then two of
    # eighteen operations (contrast, equalisation, inversion, solarisation,
    # rotation, shears, shifts, cutout, blur...) run at a magnitude M drawn from
    # 6 to 12 of imgaug's 30. It was designed for photographs: on radiographs
    # the flip and the inversions change what the image shows, so compare it
    # with medical-xray before adopting it.
    - RandAugment: {n: 2, m: [6, 12], cval: 128}
    """#

    /// The YAML text of a preset, or nil.
    public static func text(_ name: String) -> String? {
        switch name.lowercased() {
        case "aug1": return aug1
        case "aug2": return aug2
        case "aug3": return aug3
        case "medical-xray": return medicalXray
        case "randaugment": return randaugment
        default: return nil
        }
    }

    /// A preset as a pipeline.
    public static func pipeline(_ name: String) throws -> Sequential {
        guard let t = text(name) else {
            throw PipelineError(source: "--preset", location: "", message: "unknown preset '\(name)'; allowed: \(names.joined(separator: ", "))")
        }
        return try PipelineReader.parse(t, format: .yaml, source: "preset \(name)")
    }
}
