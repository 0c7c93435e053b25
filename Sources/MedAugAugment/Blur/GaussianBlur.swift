import Foundation
import MedAugCore
import MedAugImage

/// Blurs each image with a Gaussian of standard deviation sigma (one sample
/// per image, same for x and y), as `cv2.GaussianBlur` with imgaug's kernel
/// size rule and BORDER_REFLECT_101.
public struct GaussianBlur: Augmenter {
    /// The Gaussian's standard deviation in pixels, drawn once per image
    /// (imgaug's `sigma`); values at or below 0.001 leave the image unchanged.
    public var sigma: Continuous

    /// Creates the augmenter; the default is imgaug's `sigma=(0.0, 3.0)`.
    public init(sigma: Continuous = .range(0, 3)) {
        self.sigma = sigma
    }

    /// The imgaug class name, as pipeline files write it.
    public var name: String { "GaussianBlur" }

    /// The arguments as a pipeline file writes them, from the augmenter's parameter table.
    public var arguments: [(String, ConfigValue)] { GaussianBlur.table.arguments(self) }

    /// Draws sigma from the image's stream and blurs with it; any channel count
    /// and bit depth.
    public func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        let s = sigma.sample(&context.rng)
        context.record(name, [("sigma", fmt(s))])
        return GaussianBlurKernel.apply(image, sigma: s)
    }
}

/// The pixel work of GaussianBlur, usable on its own.
public enum GaussianBlurKernel {
    /// imgaug treats sigma at or below this as "no blur".
    public static let epsilon = 1e-3

    /// imgaug's `_compute_gaussian_blur_ksize` plus its even-to-odd step:
    /// 3.3σ below 3, 2.9σ below 5, else 2.6σ; at least 5; truncated; odd.
    public static func kernelSize(sigma: Double) -> Int {
        let t = sigma < 3 ? 3.3 * sigma : (sigma < 5 ? 2.9 * sigma : 2.6 * sigma)
        let k = Int(max(t, 5))
        return k % 2 == 0 ? k + 1 : k
    }

    /// OpenCV's `getGaussianKernel(n, sigma)` (the bit-exact variant, which
    /// normalises by the sum with the centre taken as exactly 1).
    public static func weights(size n: Int, sigma: Double) -> [Double] {
        precondition(n > 0)
        let s = sigma > 0 ? sigma : Double(n) * 0.15 + 0.35
        let scale2X = -0.125 / (s * s)
        let half = (n - 1) / 2
        var values = [Double](repeating: 0, count: half)
        var sum = 0.0
        var x = 1 - n
        for i in 0..<half {
            let t = exp(Double(x * x) * scale2X)
            values[i] = t
            sum += t
            x += 2
        }
        sum *= 2
        sum += 1
        if n % 2 == 0 { sum += 1 }
        let mul = 1 / sum
        var out = [Double](repeating: 0, count: n)
        for i in 0..<half {
            out[i] = values[i] * mul
            out[n - 1 - i] = out[i]
        }
        out[half] = mul
        if n % 2 == 0 { out[half + 1] = mul }
        return out
    }

    /// The weights OpenCV's bit-exact paths use: units of 2^-bits (8 bits
    /// for 8-bit images, 16 for 16-bit), rounded with error diffusion from
    /// the outside in, the centre taking what is left so the sum is exactly
    /// 2^bits (`getGaussianKernelFixedPoint_ED`).
    public static func fixedPointWeights(size n: Int, sigma: Double, fractionBits: Int = 8) -> [Int] {
        precondition(n % 2 == 1, "fixed-point Gaussian kernels are odd")
        let k = weights(size: n, sigma: sigma)
        let one = 1 << fractionBits
        var out = [Int](repeating: 0, count: n)
        var err = 0.0
        var sum = 0
        for i in 0..<(n / 2) {
            let adjusted = k[i] * Double(one) + err
            let v = Int(adjusted.rounded(.toNearestOrEven))
            err = adjusted - Double(v)
            out[i] = v
            out[n - 1 - i] = v
            sum += v
        }
        out[n / 2] = one - 2 * sum
        return out
    }

    /// GaussianBlur's per-image work: nothing for sigma <= 1e-3.
    public static func apply(_ image: Image, sigma: Double) -> Image {
        guard sigma > epsilon else { return image }
        return apply(image, sigma: sigma, kernelSize: kernelSize(sigma: sigma))
    }

    /// `cv2.GaussianBlur(image, (k, k), sigma, sigma, BORDER_REFLECT_101)`,
    /// in OpenCV's exact fixed-point form for both bit depths.
    public static func apply(_ image: Image, sigma: Double, kernelSize k: Int) -> Image {
        precondition(k > 0 && k % 2 == 1, "kernel size must be odd and positive")
        if image.width == 0 || image.height == 0 || k == 1 { return image }
        switch image.pixels {
        case .u8(let src):
            let kernel = fixedPointWeights(size: k, sigma: sigma).map { UInt16($0) }
            let out = SeparableFilter.fixedPoint8(src, width: image.width, height: image.height,
                                                  channels: image.channels, kernel: kernel)
            return Image(width: image.width, height: image.height, channels: image.channels, pixels: .u8(out))
        case .u16(let src):
            let kernel = fixedPointWeights(size: k, sigma: sigma, fractionBits: 16).map { UInt32($0) }
            let out = SeparableFilter.fixedPoint16(src, width: image.width, height: image.height,
                                                   channels: image.channels, kernel: kernel)
            return Image(width: image.width, height: image.height, channels: image.channels, pixels: .u16(out))
        }
    }
}
