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
    /// The window diameter in pixels, drawn per image (imgaug's `d`).
    public var d: Discrete
    /// How fast weights fall with colour difference, in sample units (0...255);
    /// larger mixes more different colours (imgaug's `sigma_color`).
    public var sigmaColor: Continuous
    /// How fast weights fall with distance, in pixels (imgaug's `sigma_space`).
    public var sigmaSpace: Continuous

    /// Creates the augmenter; the defaults are imgaug's `d=(1, 9)`,
    /// `sigma_color=(10, 250)`, `sigma_space=(10, 250)`.
    public init(d: Discrete = .range(1, 9), sigmaColor: Continuous = .range(10, 250),
                sigmaSpace: Continuous = .range(10, 250)) {
        self.d = d
        self.sigmaColor = sigmaColor
        self.sigmaSpace = sigmaSpace
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "BilateralBlur" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { BilateralBlur.table.arguments(self) }

    /// Draws d, sigma_color and sigma_space (in that order) and filters.
    /// A 16-bit image is converted to 8 bits first and comes back 8-bit:
    /// OpenCV's bilateral filter has no 16-bit form.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let image = image.to8Bit()
        let diameter = d.sample(&context.rng)
        let sc = sigmaColor.sample(&context.rng)
        let ss = sigmaSpace.sample(&context.rng)
        context.record(name, [("d", String(diameter)), ("sigma_color", fmt(sc)), ("sigma_space", fmt(ss))])
        if diameter == 1 || image.width == 0 || image.height == 0 { return image }
        return try BilateralFilter.apply(image, diameter: diameter, sigmaColor: sc, sigmaSpace: ss)
    }
}
