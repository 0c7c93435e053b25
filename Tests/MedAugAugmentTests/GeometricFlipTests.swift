import XCTest
import MedAugImage
@testable import MedAugAugment

final class GeometricFlipTests: XCTestCase {
    func testFliplrReversesColumnsExactly() throws {
        let rgb = Image(width: 3, height: 2, channels: 3, bytes: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18])
        var ctx = Geo.context()
        let out = try Fliplr().augment(rgb, &ctx)
        XCTAssertEqual(out.bytes!, [7, 8, 9, 4, 5, 6, 1, 2, 3, 16, 17, 18, 13, 14, 15, 10, 11, 12])
        XCTAssertEqual(FlipKernel.horizontal(out), rgb)
    }

    func testFlipudReversesRowsExactly() throws {
        let gray = Geo.gray([[1, 2], [3, 4], [5, 6]])
        var ctx = Geo.context()
        XCTAssertEqual(Geo.rows(try Flipud().augment(gray, &ctx)), [[5, 6], [3, 4], [1, 2]])
        let rgba = Image(width: 1, height: 2, channels: 4, bytes: [1, 2, 3, 4, 5, 6, 7, 8])
        XCTAssertEqual(FlipKernel.vertical(rgba).bytes!, [5, 6, 7, 8, 1, 2, 3, 4])
        XCTAssertEqual(FlipKernel.horizontal(rgba), rgba)
    }

    func testDefaultPIsOneAndZeroNeverFlips() throws {
        // imgaug 0.4.0: Fliplr() always flips (the docstring's p=0 is stale).
        XCTAssertEqual(Fliplr().p, .constant(1))
        XCTAssertEqual(Flipud().p, .constant(1))
        let img = Geo.pattern(width: 5, height: 4, channels: 3)
        for seed in 0..<20 {
            var ctx = Geo.context(UInt64(seed))
            XCTAssertEqual(try Fliplr(0).augment(img, &ctx), img)
            XCTAssertEqual(try Flipud(0).augment(img, &ctx), img)
            XCTAssertEqual(try Fliplr().augment(img, &ctx), FlipKernel.horizontal(img))
        }
    }

    func testHalfProbabilityFlipsSomeImages() throws {
        let img = Geo.pattern(width: 4, height: 3, channels: 1)
        var flipped = 0
        for seed in 0..<400 {
            var ctx = Geo.context(UInt64(seed))
            if try Fliplr(0.5).augment(img, &ctx) != img { flipped += 1 }
        }
        XCTAssert((140...260).contains(flipped), "flipped \(flipped) of 400")
    }

    func testTraceRecordsTheDecision() throws {
        var ctx = Geo.context()
        _ = try Flipud().augment(Geo.pattern(width: 2, height: 2, channels: 1), &ctx)
        XCTAssertEqual(ctx.trace?.last?.description, "Flipud(flipped=yes)")
    }

    func testEdgeShapesAndSixteenBit() throws {
        for (w, h, c) in Geo.edgeShapes {
            let img = Geo.pattern(width: w, height: h, channels: c)
            let lr = FlipKernel.horizontal(img), ud = FlipKernel.vertical(img)
            XCTAssertEqual(FlipKernel.horizontal(lr), img)
            XCTAssertEqual(FlipKernel.vertical(ud), img)
            for y in 0..<h {
                for x in 0..<w {
                    for k in 0..<c {
                        XCTAssertEqual(lr.bytes![(y * w + (w - 1 - x)) * c + k], img.bytes![(y * w + x) * c + k])
                        XCTAssertEqual(ud.bytes![((h - 1 - y) * w + x) * c + k], img.bytes![(y * w + x) * c + k])
                    }
                }
            }
        }
        let s16 = Image(width: 3, height: 1, channels: 1, samples16: [1, 500, 65535])
        XCTAssertEqual(FlipKernel.horizontal(s16).samples16!, [65535, 500, 1])
        let empty = Image(width: 0, height: 0, channels: 3, bytes: [])
        XCTAssertEqual(FlipKernel.horizontal(empty), empty)
    }
}
