/// Changing an 8-bit image's channel count, the way training and reports need it.
public enum ChannelConversion {
    /// Gray -> RGB by repetition, RGBA -> RGB and gray+alpha -> gray by dropping alpha, RGB -> gray by luma.
    public static func convert(_ img: Image, to channels: Int) -> Image {
        guard img.channels != channels, let src = img.bytes else { return img }
        let n = img.pixelCount
        var out = [UInt8](repeating: 0, count: n * channels)
        let c = img.channels
        for i in 0..<n {
            let gray = c <= 2
            if channels == 3 || channels == 4 {
                let r = src[i * c], g = gray ? r : src[i * c + 1], b = gray ? r : src[i * c + 2]
                out[i * channels] = r; out[i * channels + 1] = g; out[i * channels + 2] = b
                if channels == 4 { out[i * 4 + 3] = (c == 2 || c == 4) ? src[i * c + c - 1] : 255 }
            } else {
                var v = src[i * c]
                if !gray {
                    let r = 299 * Int(src[i * c]), g = 587 * Int(src[i * c + 1]), b = 114 * Int(src[i * c + 2])
                    v = UInt8((r + g + b + 500) / 1000)
                }
                out[i * channels] = v
                if channels == 2 { out[i * 2 + 1] = (c == 2 || c == 4) ? src[i * c + c - 1] : 255 }
            }
        }
        return Image(width: img.width, height: img.height, channels: channels, bytes: out)
    }
}
