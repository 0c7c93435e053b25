import XCTest
@testable import MedAugTorch

final class AutogradTests: XCTestCase {
    /// Backward through libtorch against central finite differences on a
    /// small two-layer net, in float64 so the comparison is tight.
    func testGradientsMatchFiniteDifferences() throws {
        try Torch.manualSeed(1)
        let x = try Tensor.randn([4, 3], dtype: .float64)
        let y = try Tensor.randn([4, 2], dtype: .float64)
        let w1 = try Tensor.randn([3, 5], dtype: .float64).requiresGrad(true)
        let w2 = try Tensor.randn([5, 2], dtype: .float64).requiresGrad(true)

        func loss() throws -> Tensor {
            let h = try x.matmul(w1).tanh()
            let d = try h.matmul(w2) - y
            return try (d * d).mean()
        }
        try loss().backward()
        for w in [w1, w2] {
            let analytic = try w.grad!.values(as: Double.self)
            let base = try w.values(as: Double.self)
            let eps = 1e-6
            for i in 0..<base.count {
                var plus = base, minus = base
                plus[i] += eps
                minus[i] -= eps
                try w.assign(Tensor(plus, shape: w.shape))
                let lp = try withNoGrad { try loss().item() }
                try w.assign(Tensor(minus, shape: w.shape))
                let lm = try withNoGrad { try loss().item() }
                try w.assign(Tensor(base, shape: w.shape))
                let numeric = (lp - lm) / (2 * eps)
                XCTAssertEqual(analytic[i], numeric, accuracy: 1e-6, "d loss / d w[\(i)]")
            }
        }
    }

    func testNoGradScopeRecordsNothing() throws {
        let w = try Tensor([1, 2] as [Float], shape: [2]).requiresGrad(true)
        let inside = try withNoGrad { try w * 3 }
        XCTAssertFalse(inside.requiresGrad)
        let outside = try w * 3
        XCTAssertTrue(outside.requiresGrad)
        XCTAssertNil(w.grad)
    }

    func testSeededRandomIsRepeatable() throws {
        try Torch.manualSeed(42)
        let a = try Tensor.randn([8]).values(as: Float.self)
        try Torch.manualSeed(42)
        let b = try Tensor.randn([8]).values(as: Float.self)
        XCTAssertEqual(a, b)
    }

    /// Reading `--device` and checking it exists is DeviceSetting's
    /// (MedAugTrainTests.DeviceSettingTests); this checks the tensors.
    func testDevices() throws {
        XCTAssertEqual(Device.cpu.description, "cpu")
        XCTAssertEqual(Device.cuda(1).description, "cuda:1")
        let t = try Tensor([1, 2, 3] as [Float], shape: [3])
        XCTAssertEqual(t.device, .cpu)
        guard Torch.cudaAvailable else {
            throw XCTSkip("no CUDA device: the GPU round trip is skipped")
        }
        let g = try t.to(.cuda(0))
        XCTAssertEqual(g.device, .cuda(0))
        XCTAssertEqual(try (g * 2).values(as: Float.self), [2, 4, 6])
    }
}
