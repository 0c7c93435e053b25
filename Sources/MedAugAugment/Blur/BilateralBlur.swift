import Foundation
import MedAugCore
import MedAugImage

/// Edge-preserving blur (`cv2.bilateralFilter`): neighbours within a disk of
/// radius d/2 are averaged with weights that fall with distance (sigma_space)
/// and with colour difference (sigma_color). d = 1 changes nothing.
///
/// imgaug accepts only 3-channel images; MedAug also takes gray, gray+alpha
/// and RGBA, with the colour difference summed over all channels as OpenCV
/// does for three. 8-bit only, as in OpenCV.
public struct BilateralBlur: Augmenter {
    public var d: Discrete
    public var sigmaColor: Continuous
    public var sigmaSpace: Continuous

    public init(d: Discrete = .range(1, 9), sigmaColor: Continuous = .range(10, 250),
                sigmaSpace: Continuous = .range(10, 250)) {
        self.d = d
        self.sigmaColor = sigmaColor
        self.sigmaSpace = sigmaSpace
    }

    public var name: String { "BilateralBlur" }

    public var arguments: [(String, ConfigValue)] {
        [("d", d.param.config), ("sigma_color", sigmaColor.param.config), ("sigma_space", sigmaSpace.param.config)]
    }

    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        guard image.bitDepth == 8 else {
            throw AugmentError(name, "needs an 8-bit image (OpenCV's bilateral filter has no 16-bit form); convert it first")
        }
        let diameter = d.sample(&context.rng)
        let sc = sigmaColor.sample(&context.rng)
        let ss = sigmaSpace.sample(&context.rng)
        context.record(name, [("d", String(diameter)), ("sigma_color", fmt(sc)), ("sigma_space", fmt(ss))])
        if diameter == 1 || image.width == 0 || image.height == 0 { return image }
        return try BilateralFilter.apply(image, diameter: diameter, sigmaColor: sc, sigmaSpace: ss)
    }
}
