import XCTest
import MedAugImage
@testable import MedAugAugment

/// `Image.resized` against cv2.resize (OpenCV 4.7): SPEC §1.7 examples and
/// outputs recorded from cv2 on a fixed 5x4 image.
final class GeometricResizeTests: XCTestCase {
    // 4 rows x 5 columns, from numpy default_rng(21).
    let src = Geo.gray([[77, 199, 98, 155, 119], [181, 88, 22, 75, 161], [158, 251, 62, 108, 242], [28, 179, 245, 234, 173]])

    func testAreaEnlargeVerifiedExample() {
        // SPEC §1.7 [verified]: imgaug's default rule picks INTER_AREA for enlarging.
        let row = Geo.gray([[0, 100, 200]])
        let interp = Interpolation.imgaugDefault(fromWidth: 3, fromHeight: 1, toWidth: 8, toHeight: 1)
        XCTAssertEqual(interp, .area)
        XCTAssertEqual(row.resized(width: 8, height: 1, interpolation: interp).bytes!, [0, 0, 33, 100, 100, 167, 200, 200])
    }

    func testImgaugDefaultRule() {
        XCTAssertEqual(Interpolation.imgaugDefault(fromWidth: 10, fromHeight: 10, toWidth: 5, toHeight: 5), .linear)
        XCTAssertEqual(Interpolation.imgaugDefault(fromWidth: 10, fromHeight: 10, toWidth: 5, toHeight: 11), .area)
        XCTAssertEqual(Interpolation.imgaugDefault(fromWidth: 10, fromHeight: 10, toWidth: 11, toHeight: 5), .area)
        XCTAssertEqual(Interpolation.imgaugDefault(fromWidth: 10, fromHeight: 10, toWidth: 10, toHeight: 10), .linear)
    }

    func testNearestIsNotCentreAligned() {
        // SPEC §1.7: 3 -> 8 picks source indices 0,0,0,1,1,1,2,2.
        let row = Geo.gray([[10, 20, 30]])
        XCTAssertEqual(row.resized(width: 8, height: 1, interpolation: .nearest).bytes!, [10, 10, 10, 20, 20, 20, 30, 30])
        XCTAssertEqual(Geo.rows(src.resized(width: 3, height: 2, interpolation: .nearest)), [[77, 199, 155], [158, 251, 108]])
        XCTAssertEqual(Geo.rows(src.resized(width: 8, height: 7, interpolation: .nearest)), [
            [77, 77, 199, 199, 98, 155, 155, 119], [77, 77, 199, 199, 98, 155, 155, 119],
            [181, 181, 88, 88, 22, 75, 75, 161], [181, 181, 88, 88, 22, 75, 75, 161],
            [158, 158, 251, 251, 62, 108, 108, 242], [158, 158, 251, 251, 62, 108, 108, 242],
            [28, 28, 179, 179, 245, 234, 234, 173],
        ])
    }

    func testLinearHalfPixelCentres() {
        // src = (dst + 0.5)·scale − 0.5: [0, 100] -> 4 samples at −0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
        XCTAssertEqual(Geo.gray([[0, 100]]).resized(width: 4, height: 1, interpolation: .linear).bytes!, [0, 25, 75, 100])
    }

    func testLinearMatchesCv2() {
        XCTAssertEqual(Geo.rows(src.resized(width: 8, height: 7, interpolation: .linear)), [
            [77, 130, 193, 130, 116, 151, 135, 119], [114, 134, 154, 98, 88, 123, 131, 134],
            [173, 140, 91, 49, 44, 77, 124, 158], [170, 169, 161, 82, 57, 88, 153, 202],
            [148, 191, 235, 128, 88, 114, 184, 237], [74, 131, 203, 187, 183, 188, 194, 198],
            [28, 94, 183, 224, 242, 235, 200, 173],
        ])
        XCTAssertEqual(Geo.rows(src.resized(width: 3, height: 2, interpolation: .linear)), [[134, 60, 132], [134, 154, 195]])
    }

    func testAreaMatchesCv2() {
        XCTAssertEqual(Geo.rows(src.resized(width: 8, height: 7, interpolation: .area)), [
            [77, 126, 199, 118, 109, 155, 133, 119], [103, 130, 171, 97, 90, 135, 132, 130],
            [181, 144, 88, 35, 33, 75, 127, 161], [170, 169, 170, 67, 52, 92, 157, 202],
            [158, 195, 251, 100, 71, 108, 188, 242], [61, 115, 197, 199, 200, 203, 195, 190],
            [28, 88, 179, 232, 243, 234, 197, 173],
        ])
        // Fractional-overlap weights (5x4 -> 3x2).
        XCTAssertEqual(Geo.rows(src.resized(width: 3, height: 2, interpolation: .area)), [[135, 88, 130], [142, 169, 193]])
    }

    func testAreaIntegerFactorIsBlockMean() {
        // 6x3 -> 2x1: each target is the mean of a 3x3 block, rounded.
        let img = Geo.gray([[1, 2, 3, 10, 10, 10], [4, 5, 6, 10, 10, 10], [7, 8, 9, 10, 10, 11]])
        XCTAssertEqual(img.resized(width: 2, height: 1, interpolation: .area).bytes!, [5, 10])
    }

    func testHalvingRoundsHalfUp() {
        // OpenCV turns an exact 2x linear shrink into 2x2 averaging, (sum + 2) >> 2.
        let img = Geo.gray([[1, 2, 0, 0], [3, 4, 1, 1]])
        XCTAssertEqual(img.resized(width: 2, height: 1, interpolation: .linear).bytes!, [3, 1])
        XCTAssertEqual(img.resized(width: 2, height: 1, interpolation: .area).bytes!, [3, 1])
    }

    func testRGBHalvingMatchesCv2() {
        let rgb: [UInt8] = [228, 50, 193, 172, 129, 254, 216, 53, 251, 218, 95, 178, 200, 56, 66, 47, 118, 244, 99, 87, 236, 112, 15, 167,
                            195, 112, 242, 0, 221, 66, 204, 120, 166, 194, 229, 155, 163, 110, 13, 48, 29, 200, 28, 47, 57, 185, 79, 127,
                            174, 141, 123, 98, 241, 51, 203, 43, 122, 164, 74, 70, 43, 3, 67, 49, 166, 235, 6, 182, 103, 148, 246, 102]
        let img = Image(width: 6, height: 4, channels: 3, bytes: rgb)
        XCTAssertEqual(img.resized(width: 3, height: 2, interpolation: .linear).bytes!,
                       [153, 70, 213, 157, 120, 184, 161, 131, 158, 145, 64, 101, 76, 74, 122, 107, 203, 95])
    }

    func testCubicMatchesCv2() {
        // OpenCV's bicubic, a = −0.75, replicated border.
        XCTAssertEqual(Geo.rows(src.resized(width: 8, height: 7, interpolation: .cubic)), [
            [53, 137, 211, 137, 113, 162, 140, 110], [110, 136, 148, 89, 77, 123, 132, 129],
            [184, 143, 80, 32, 29, 72, 126, 162], [194, 192, 157, 54, 10, 63, 156, 225],
            [140, 209, 250, 128, 60, 109, 191, 253], [58, 135, 218, 200, 184, 192, 199, 202],
            [1, 75, 183, 246, 255, 251, 199, 159],
        ])
        let flat = Image(width: 5, height: 3, channels: 3, fill: 123)
        XCTAssertEqual(Set(flat.resized(width: 11, height: 2, interpolation: .cubic).bytes!), [123])
    }

    func testSixteenBit() {
        let s16 = Image(width: 4, height: 3, channels: 1, samples16: [7756, 53603, 58324, 17248, 38200, 41488, 8471, 786, 1437, 42315, 40529, 63737])
        let out = s16.resized(width: 6, height: 5, interpolation: .area)
        XCTAssertEqual(out.bitDepth, 16)
        XCTAssertEqual(out.samples16!, [7756, 30680, 53603, 58324, 37786, 17248, 17904, 33734, 49565, 41706, 26734, 11761,
                                        38200, 39844, 41488, 8471, 4628, 786, 13691, 27865, 42039, 29843, 36298, 42753,
                                        1437, 21876, 42315, 40529, 52133, 63737])
        for interp in Interpolation.allCases {
            XCTAssertEqual(s16.resized(width: 2, height: 7, interpolation: interp).samples16!.count, 14)
        }
    }

    func testSameSizeAndDegenerateShapes() {
        XCTAssertEqual(src.resized(width: 5, height: 4, interpolation: .cubic), src)
        for (w, h, c) in Geo.edgeShapes {
            let img = Geo.pattern(width: w, height: h, channels: c)
            for interp in Interpolation.allCases {
                for (tw, th) in [(1, 1), (3, 1), (1, 4), (2 * w + 1, h + 2), (max(w / 2, 1), max(h / 2, 1))] {
                    let out = img.resized(width: tw, height: th, interpolation: interp)
                    XCTAssertEqual(out.width, tw)
                    XCTAssertEqual(out.height, th)
                    XCTAssertEqual(out.bytes!.count, tw * th * c)
                }
            }
        }
        // A 1x1 image enlarges to a flat image with any interpolation.
        let one = Image(width: 1, height: 1, channels: 3, bytes: [9, 80, 200])
        for interp in Interpolation.allCases {
            XCTAssertEqual(one.resized(width: 3, height: 2, interpolation: interp).bytes!, Array([[UInt8]](repeating: [9, 80, 200], count: 6).joined()))
        }
        XCTAssertEqual(src.resized(width: 0, height: 3, interpolation: .linear).bytes!.count, 0)
    }
}
