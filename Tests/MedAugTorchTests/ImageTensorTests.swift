import XCTest
import MedAugImage
@testable import MedAugTorch

final class ImageTensorTests: XCTestCase {
    func testHWCBytesBecomeNCHWFloatsAndBack() throws {
        // 2x1 RGB: pixel 0 = (0, 128, 255), pixel 1 = (10, 20, 30).
        let img = Image(width: 2, height: 1, channels: 3, bytes: [0, 128, 255, 10, 20, 30])
        let t = try Tensor(images: [img, img], scaling: .unit)
        XCTAssertEqual(t.shape, [2, 3, 1, 2])
        let v = try t.values(as: Float.self)
        // Channel planes: R = (0, 10), G = (128, 20), B = (255, 30), each / 255.
        let expected: [Float] = [0, 10, 128, 20, 255, 30].map { $0 / 255 }
        for (a, b) in zip(v[0..<6], expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        let sym = try Tensor(images: [img], scaling: .symmetric).values(as: Float.self)
        XCTAssertEqual(sym[0], -1, accuracy: 1e-6)
        XCTAssertEqual(sym[4], 1, accuracy: 1e-6)
        let norm = PixelScaling(mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25])
        let n = try Tensor(images: [img], scaling: norm).values(as: Float.self)
        XCTAssertEqual(n[0], (0 - 0.5) / 0.25, accuracy: 1e-6)
        XCTAssertEqual(n[4], (1 - 0.5) / 0.25, accuracy: 1e-6)
        for s in [PixelScaling.unit, .symmetric, norm] {
            XCTAssertEqual(try Tensor(images: [img], scaling: s).images(scaling: s), [img])
        }
        let wide = Image(width: 2, height: 1, channels: 1, samples16: [0, 65535])
        XCTAssertEqual(try Tensor(images: [wide]).values(as: Float.self), [0, 1], "16-bit scales by 65535")
        XCTAssertThrowsError(try Tensor(images: [img, Image(width: 1, height: 1, channels: 3)])) { e in
            XCTAssertTrue(e is TensorInputError, "\(e)")
            XCTAssertTrue("\(e)".hasPrefix("image 1 is 1x1x3, batch is"), "\(e)")
        }
        XCTAssertThrowsError(try Tensor(images: [])) { e in
            XCTAssertEqual(e as? TensorInputError, TensorInputError("no images to batch"))
        }
        XCTAssertThrowsError(try Tensor.zeros([2, 3]).images()) { e in
            XCTAssertTrue(e is TensorInputError, "\(e)")
            XCTAssertTrue("\(e)".hasPrefix("expected (N, C, H, W)"), "\(e)")
        }
    }
}
