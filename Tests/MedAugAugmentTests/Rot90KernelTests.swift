import XCTest
import MedAugImage
@testable import MedAugAugment

/// The tiled quarter turns and the mirrored half turn against a plain
/// per-pixel reference: sizes around the 32-pixel tile, 1 to 4 channels,
/// 8 and 16 bits.
final class Rot90KernelTests: XCTestCase {
    func reference<T>(_ a: [T], w: Int, h: Int, c: Int, turns: Int) -> [T] {
        let ow = turns == 2 ? w : h, oh = turns == 2 ? h : w
        var out = a
        for oy in 0..<oh {
            for ox in 0..<ow {
                let sx: Int, sy: Int
                switch turns {
                case 1: sx = oy; sy = h - 1 - ox
                case 2: sx = w - 1 - ox; sy = h - 1 - oy
                default: sx = w - 1 - oy; sy = ox
                }
                for ch in 0..<c { out[(oy * ow + ox) * c + ch] = a[(sy * w + sx) * c + ch] }
            }
        }
        return out
    }

    func testTurnsMatchPerPixelReference() {
        var state: UInt64 = 12345
        func next() -> UInt16 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt16(truncatingIfNeeded: state >> 40)
        }
        for c in 1...4 {
            for (w, h) in [(1, 1), (1, 7), (7, 1), (2, 3), (31, 33), (32, 32), (33, 65), (70, 5)] {
                let s16 = (0..<(w * h * c)).map { _ in next() }
                let s8 = s16.map { UInt8(truncatingIfNeeded: $0) }
                let i8 = Image(width: w, height: h, channels: c, bytes: s8)
                let i16 = Image(width: w, height: h, channels: c, samples16: s16)
                for k in 1...3 {
                    let r8 = Rot90Kernel.rotate(i8, k: k), r16 = Rot90Kernel.rotate(i16, k: k)
                    XCTAssertEqual(r8.bytes!, reference(s8, w: w, h: h, c: c, turns: k), "\(w)x\(h)x\(c) k=\(k)")
                    guard case .u16(let o16) = r16.pixels else { return XCTFail("not 16-bit") }
                    XCTAssertEqual(o16, reference(s16, w: w, h: h, c: c, turns: k), "16-bit \(w)x\(h)x\(c) k=\(k)")
                    XCTAssertEqual([r8.width, r8.height], k == 2 ? [w, h] : [h, w])
                }
            }
        }
    }
}
