import XCTest
@testable import MedAugTorch

final class ShimTests: XCTestCase {
    func testRoundTripThroughAnOperation() throws {
        let a = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        let b = try Tensor([1, 0, 0, 1, 1, 1] as [Float], shape: [3, 2])
        let c = try a.matmul(b)
        XCTAssertEqual(c.shape, [2, 2])
        XCTAssertEqual(c.dtype, .float32)
        // [[1+3, 2+3], [4+6, 5+6]]
        XCTAssertEqual(try c.values(as: Float.self), [4, 5, 10, 11])
    }

    func testDTypesSurviveTheRoundTrip() throws {
        let d = try Tensor([1.5, -2.25] as [Double], shape: [2])
        XCTAssertEqual(d.dtype, .float64)
        XCTAssertEqual(try d.values(as: Double.self), [1.5, -2.25])
        let i = try Tensor([7, -3, 1 << 40] as [Int64], shape: [3])
        XCTAssertEqual(try i.adding(i).values(as: Int64.self), [14, -6, 1 << 41])
        let u = try Tensor([0, 128, 255] as [UInt8], shape: [3])
        XCTAssertEqual(try u.values(as: Float.self), [0, 128, 255])
    }

    func testConvolutionUsesLibtorchKernels() throws {
        // 1x1x3x3 input, 1x1x2x2 kernel of ones: each output is a 2x2 window sum.
        let x = try Tensor((1...9).map(Float.init), shape: [1, 1, 3, 3])
        let w = try Tensor([1, 1, 1, 1] as [Float], shape: [1, 1, 2, 2])
        let y = try x.conv2d(weight: w)
        XCTAssertEqual(y.shape, [1, 1, 2, 2])
        XCTAssertEqual(try y.values(as: Float.self), [12, 16, 24, 28])
    }

    func testShapeMismatchIsAThrownErrorWithLibtorchsMessage() throws {
        let a = try Tensor([Float](repeating: 1, count: 6), shape: [2, 3])
        let b = try Tensor([Float](repeating: 1, count: 8), shape: [4, 2])
        XCTAssertThrowsError(try a.matmul(b)) { error in
            guard let e = error as? TorchError else { return XCTFail("not a TorchError: \(error)") }
            // libtorch's own wording for a matmul shape error.
            XCTAssertTrue(e.message.contains("cannot be multiplied"), e.message)
            XCTAssertTrue(e.message.contains("2x3") && e.message.contains("4x2"), e.message)
        }
        let w = try Tensor([Float](repeating: 1, count: 2 * 5 * 3 * 3), shape: [2, 5, 3, 3])
        let x = try Tensor([Float](repeating: 1, count: 1 * 3 * 8 * 8), shape: [1, 3, 8, 8])
        XCTAssertThrowsError(try x.conv2d(weight: w)) { error in
            let m = (error as? TorchError)?.message ?? ""
            XCTAssertTrue(m.contains("expected input") || m.contains("channels"), m)
        }
    }

    func testSwiftSideShapeCheck() {
        XCTAssertThrowsError(try Tensor([1, 2, 3] as [Float], shape: [2, 2])) { e in
            // Checked before libtorch is called: not a TorchError.
            XCTAssertEqual(e as? TensorInputError, TensorInputError("shape [2, 2] holds 4 elements but 3 values were given"))
        }
    }

    func testVersionIsThePinnedWheel() {
        XCTAssertTrue(Torch.version.hasPrefix("2."), Torch.version)
        XCTAssertGreaterThanOrEqual(Torch.threads, 1)
    }
}
