import MedAugImage

/// How image samples become network inputs and back.
public struct PixelScaling: Codable, Equatable, Sendable {
    /// x = (v / 255 - offset) / divisor per channel, then (x - mean) / std when given.
    /// `v / 255` is the study's ResNet recipe; offset 0.5, divisor 0.5 maps to [-1, 1] (DCGAN).
    public var offset: Double
    public var divisor: Double
    public var mean: [Double]?
    public var std: [Double]?

    public init(offset: Double = 0, divisor: Double = 1, mean: [Double]? = nil, std: [Double]? = nil) {
        self.offset = offset
        self.divisor = divisor
        self.mean = mean
        self.std = std
    }

    /// pixels / 255, in [0, 1].
    public static let unit = PixelScaling()
    /// pixels to [-1, 1], the DCGAN tutorial's Normalize(0.5, 0.5).
    public static let symmetric = PixelScaling(offset: 0.5, divisor: 0.5)
    /// ImageNet statistics, for torchvision's pretrained weights.
    public static let imagenet = PixelScaling(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
}

extension Tensor {
    /// A batch (N, C, H, W) of float32 from same-sized 8-bit or 16-bit images (HWC).
    /// No images, or images of different sizes, are a `TensorInputError`.
    public convenience init(images: [Image], scaling: PixelScaling = .unit) throws {
        guard let first = images.first else { throw TensorInputError("no images to batch") }
        let (h, w, c) = (first.height, first.width, first.channels)
        var out = [Float](repeating: 0, count: images.count * c * h * w)
        let plane = h * w
        for (n, img) in images.enumerated() {
            guard img.width == w, img.height == h, img.channels == c else {
                throw TensorInputError("image \(n) is \(img.width)x\(img.height)x\(img.channels), batch is \(w)x\(h)x\(c)")
            }
            let full: Double = img.bitDepth == 16 ? 65535 : 255
            for ch in 0..<c {
                var a = Float(1 / (full * scaling.divisor))
                var b = Float(-scaling.offset / scaling.divisor)
                if let m = scaling.mean, let s = scaling.std, ch < m.count, ch < s.count {
                    b = Float((Double(b) - m[ch]) / s[ch])
                    a = Float(Double(a) / s[ch])
                }
                let base = n * c * plane + ch * plane
                switch img.pixels {
                case .u8(let px):
                    px.withUnsafeBufferPointer { p in
                        for i in 0..<plane { out[base + i] = Float(p[i * c + ch]) * a + b }
                    }
                case .u16(let px):
                    px.withUnsafeBufferPointer { p in
                        for i in 0..<plane { out[base + i] = Float(p[i * c + ch]) * a + b }
                    }
                }
            }
        }
        try self.init(out, shape: [images.count, c, h, w])
    }

    /// 8-bit images (HWC) from a float batch (N, C, H, W), undoing `scaling`
    /// and rounding to the nearest value in 0...255. A tensor that is not
    /// (N, C, H, W) with 1-4 channels is a `TensorInputError`.
    public func images(scaling: PixelScaling = .unit) throws -> [Image] {
        let s = shape
        guard s.count == 4, (1...4).contains(s[1]) else { throw TensorInputError("expected (N, C, H, W) with 1-4 channels, got \(s)") }
        let (n, c, h, w) = (s[0], s[1], s[2], s[3])
        let v = try values(as: Float.self)
        let plane = h * w
        var result: [Image] = []
        for k in 0..<n {
            var bytes = [UInt8](repeating: 0, count: plane * c)
            for ch in 0..<c {
                var x0 = Double(0), x1 = Double(1)
                if let m = scaling.mean, let sd = scaling.std, ch < m.count { x0 = m[ch]; x1 = sd[ch] }
                for i in 0..<plane {
                    var x = Double(v[k * c * plane + ch * plane + i]) * x1 + x0
                    x = (x * scaling.divisor + scaling.offset) * 255
                    bytes[i * c + ch] = UInt8(max(0, min(255, x.rounded())))
                }
            }
            result.append(Image(width: w, height: h, channels: c, bytes: bytes))
        }
        return result
    }
}
