@testable import MedAugImage
import XCTest

/// The vectorised 8-bit cubic resize gives the same bytes as the plain
/// reference it replaced, at every size class that changes its code path:
/// tiny images (all taps clipped), odd widths, 1 to 5 channels, shrinking
/// and enlarging.
final class ResizeKernelTests: XCTestCase {
    func testCubic8MatchesReference() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt8 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        let sizes = [1, 2, 3, 4, 5, 7, 9, 16, 17, 31, 64]
        for cn in 1...5 {
            for (sw, sh) in [(1, 1), (2, 3), (5, 4), (7, 9), (17, 16), (31, 5), (64, 33)] {
                let src = (0..<(sw * sh * cn)).map { _ in next() }
                for dw in sizes where dw != sw || cn == 1 {
                    for dh in [1, 3, 8, 19] {
                        let g = ResizeGeometry(sw: sw, sh: sh, dw: dw, dh: dh, cn: cn)
                        XCTAssertEqual(CVResize.cubic8(src, g), CVResize.cubic8Reference(src, g),
                                       "\(sw)x\(sh) -> \(dw)x\(dh), \(cn) channels")
                    }
                }
            }
        }
    }

    /// Extreme pixel values push the float blend past 0 and 255 (cubic overshoot).
    func testCubic8SaturatesLikeReference() {
        for cn in [1, 3, 4] {
            let sw = 13, sh = 11
            let src = (0..<(sw * sh * cn)).map { i in UInt8((i / cn + i / (sw * cn)) % 2 == 0 ? 0 : 255) }
            for (dw, dh) in [(29, 23), (40, 7), (6, 30), (256, 256)] {
                let g = ResizeGeometry(sw: sw, sh: sh, dw: dw, dh: dh, cn: cn)
                XCTAssertEqual(CVResize.cubic8(src, g), CVResize.cubic8Reference(src, g), "\(dw)x\(dh), \(cn) channels")
            }
        }
    }
}
