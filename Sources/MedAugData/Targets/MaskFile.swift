import Foundation
import MedAugImage

/// Reading segmentation masks as label maps: one channel, 8 or 16 bits,
/// values kept as they are (0/255 binary masks stay 0/255, multi-class
/// masks keep their class values).
public enum MaskFile {
    /// JPEG smears a binary mask's edges into in-between values (and its
    /// colour channels apart by a few levels), so a JPEG mask (Kvasir-SEG
    /// ships them) is read as binary: gray at or above this is 255, below is 0.
    public static let jpegThreshold = 128

    /// How far JPEG's colour channels may stray from each other in a gray
    /// mask before the mask counts as colour.
    static let jpegChannelTolerance = 48

    /// The mask in `path` as a one-channel label map.
    ///
    /// A mask saved as RGB(A) whose channels are equal in every pixel (and
    /// whose alpha is opaque) is read as gray; a colour mask (a palette or
    /// RGB class colouring) is refused, naming the file and the first pixel
    /// whose channels differ, because colours are not class values.
    public static func read(_ path: String) throws(TargetDataError) -> Image {
        let image: Image
        do { image = try ImageFile.read(path) } catch { throw TargetDataError(.badMask, error) }
        // ImageFile.read refuses bytes that disagree with the extension, so the name tells JPEG.
        let lossy = ImageFormat(fileExtension: (path as NSString).pathExtension) == .jpeg
        return try labels(image, path: path, lossy: lossy)
    }

    /// `image` as a one-channel label map (see ``read(_:)``); `lossy` for a JPEG mask.
    public static func labels(_ image: Image, path: String, lossy: Bool = false) throws(TargetDataError) -> Image {
        switch image.pixels {
        case .u8(let a):
            guard let gray = try gray(a, image: image, maxValue: 255, path: path, lossy: lossy) else { return image }
            let values = lossy ? gray.map { Int($0) >= jpegThreshold ? UInt8(255) : 0 } : gray
            return Image(width: image.width, height: image.height, channels: 1, bytes: values)
        case .u16(let a):
            guard let gray = try gray(a, image: image, maxValue: 65535, path: path, lossy: false) else { return image }
            return Image(width: image.width, height: image.height, channels: 1, samples16: gray)
        }
    }

    /// The first channel when the image is gray in every pixel; nil when it
    /// already has one channel and needs no change (unless `lossy`).
    private static func gray<T: FixedWidthInteger>(_ a: [T], image: Image, maxValue: T, path: String,
                                                    lossy: Bool) throws(TargetDataError) -> [T]? {
        let c = image.channels
        if c == 1 { return lossy ? a : nil }
        let colours = c >= 3 ? 3 : 1
        let hasAlpha = c == 2 || c == 4
        let tolerance = lossy ? jpegChannelTolerance : 0
        var out = [T](repeating: 0, count: image.width * image.height)
        for p in 0..<out.count {
            let base = p * c
            let v = a[base]
            if colours == 3 {
                let g = a[base + 1], b = a[base + 2]
                if absDiff(v, g) > tolerance || absDiff(v, b) > tolerance {
                    throw TargetDataError(.badMask, path: path, reason: "a colour mask: pixel (\(p % image.width), \(p / image.width)) "
                        + "is RGB (\(v), \(g), \(b)); a mask must hold class values in one gray channel "
                        + "(save it as gray, with a value per class)")
                }
            }
            if hasAlpha && a[base + c - 1] != maxValue {
                throw TargetDataError(.badMask, path: path, reason: "the mask has transparent pixels (alpha \(a[base + c - 1]) "
                    + "at (\(p % image.width), \(p / image.width))); a mask must hold class values in one gray channel, without alpha")
            }
            out[p] = v
        }
        return out
    }

    private static func absDiff<T: FixedWidthInteger>(_ x: T, _ y: T) -> Int {
        abs(Int(x) - Int(y))
    }
}
