import MedAugCore
import XCTest
import MedAugImage
@testable import MedAugAugment

/// The flip kernels take vector paths for rows of 16 bytes and more; check
/// them against a plain reversal for every pixel size and many widths.
final class GeometricFlipWidthTests: XCTestCase {
    func naive(_ img: Image, horizontal: Bool) -> Image {
        let w = img.width, h = img.height, c = img.channels
        func index(_ x: Int, _ y: Int) -> Int { horizontal ? (y * w + (w - 1 - x)) * c : ((h - 1 - y) * w + x) * c }
        switch img.pixels {
        case .u8(let a):
            var out = a
            for y in 0..<h { for x in 0..<w { for k in 0..<c { out[(y * w + x) * c + k] = a[index(x, y) + k] } } }
            return Image(width: w, height: h, channels: c, pixels: .u8(out))
        case .u16(let a):
            var out = a
            for y in 0..<h { for x in 0..<w { for k in 0..<c { out[(y * w + x) * c + k] = a[index(x, y) + k] } } }
            return Image(width: w, height: h, channels: c, pixels: .u16(out))
        }
    }

    func testEveryPixelSizeAndWidthMatchesAPlainReversal() {
        var rng = Xoshiro256(seed: 42)
        for c in 1...4 {
            for wide in [false, true] {
                for w in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 17, 20, 21, 25, 31, 32, 33, 47, 48, 49, 63, 64, 65, 100, 101, 223, 224] {
                    let n = w * 3 * c
                    let img = wide
                        ? Image(width: w, height: 3, channels: c, samples16: (0..<n).map { _ in UInt16(truncatingIfNeeded: rng.next()) })
                        : Image(width: w, height: 3, channels: c, bytes: (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
                    XCTAssertEqual(FlipKernel.horizontal(img), naive(img, horizontal: true), "Fliplr c=\(c) 16-bit=\(wide) w=\(w)")
                    XCTAssertEqual(FlipKernel.vertical(img), naive(img, horizontal: false), "Flipud c=\(c) 16-bit=\(wide) w=\(w)")
                }
            }
        }
    }
}
