import Foundation
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
            slots.set(i, Result { prepare(try ImageFile.read(samples[i].path), size: size, channels: channels) })
        }
        return try Tensor(images: try slots.values(), scaling: .symmetric)
    }

    /// True when every image of the samples is grayscale (judged from headers).
    public static func allGray(_ samples: [Sample]) -> Bool {
        samples.allSatisfy { (try? ImageFile.header($0.path).channels) ?? 3 <= 2 }
    }
}

/// Sample grids as torchvision's make_grid draws them: 2-pixel padding, images in rows of 8.
public enum ImageGrid {
    public static func make(_ images: [Image], columns: Int = 8, padding: Int = 2, background: UInt8 = 0) -> Image {
        guard let first = images.first else { return Image(width: 1, height: 1, channels: 3) }
        let c = 3, w = first.width, h = first.height
        let cols = min(columns, images.count), rows = (images.count + cols - 1) / cols
        let W = cols * (w + padding) + padding, H = rows * (h + padding) + padding
        var out = [UInt8](repeating: background, count: W * H * c)
        for (k, img) in images.enumerated() {
            let rgb = ChannelConversion.convert(img, to: 3)
            guard let src = rgb.bytes, rgb.width == w, rgb.height == h else { continue }
            let ox = padding + (k % cols) * (w + padding), oy = padding + (k / cols) * (h + padding)
            for y in 0..<h {
                let d = ((oy + y) * W + ox) * c
                out.replaceSubrange(d..<(d + w * c), with: src[(y * w * c)..<((y + 1) * w * c)])
            }
        }
        return Image(width: W, height: H, channels: c, bytes: out)
    }
}
