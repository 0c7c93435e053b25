import Foundation
import MedAugFormats
import MedAugData
import MedAugImage
import MedAugTorch

/// A class's images as the DCGAN sees them: resized so the shorter side is
/// the GAN size, centre-cropped to a square, scaled to [-1, 1].
public enum GANData {
    public static func prepare(_ image: Image, size: Int, channels: Int) -> Image {
        var img = ChannelConversion.convert(image.to8Bit(), to: channels)
        let scale = Double(size) / Double(min(img.width, img.height))
        let w = max(size, Int((Double(img.width) * scale).rounded())), h = max(size, Int((Double(img.height) * scale).rounded()))
        if w != img.width || h != img.height {
            img = img.resized(width: w, height: h, interpolation: scale < 1 ? .area : .linear)
        }
        return crop(img, x: (w - size) / 2, y: (h - size) / 2, size: size)
    }

    static func crop(_ img: Image, x: Int, y: Int, size: Int) -> Image {
        guard img.width != size || img.height != size, let src = img.bytes else { return img }
        let c = img.channels
        var out = [UInt8](repeating: 0, count: size * size * c)
        for row in 0..<size {
            let s = ((y + row) * img.width + x) * c
            out.replaceSubrange((row * size * c)..<((row + 1) * size * c), with: src[s..<(s + size * c)])
        }
        return Image(width: size, height: size, channels: c, bytes: out)
    }

    /// All images of one class, prepared, as one (N, C, S, S) tensor in [-1, 1].
    public static func load(_ samples: [Sample], size: Int, channels: Int) throws -> Tensor {
        let slots = ResultSlots<Image>(count: samples.count)
        DispatchQueue.concurrentPerform(iterations: samples.count) { i in
            slots.set(i, Result { prepare(try MedicalImageFile.read(samples[i].path), size: size, channels: channels) })
        }
        return try Tensor(images: try slots.values(), scaling: .symmetric)
    }

    /// True when every image of the samples is grayscale (judged from headers).
    public static func allGray(_ samples: [Sample]) -> Bool {
        samples.allSatisfy { (try? MedicalImageFile.header($0.path).channels) ?? 3 <= 2 }
    }
}
