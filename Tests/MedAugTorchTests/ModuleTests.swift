import XCTest
@testable import MedAugTorch

private final class Net: Layer {
    var isTraining = true
    let features: Sequential
    let head: Linear
    let drop = Dropout(0.5)
    init() throws {
        features = Sequential([try Conv2d(1, 2, kernelSize: 3, padding: 1), try BatchNorm2d(2), ReLU()])
        head = try Linear(2 * 4 * 4, 3)
    }
    func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        try head(drop(features(x)).flattened())
    }
}

final class ModuleTests: XCTestCase {
    func testParametersAreFoundByWalkingWithPyTorchNames() throws {
        let net = try Net()
        XCTAssertEqual(net.stateDict().map(\.0), [
            "features.0.weight", "features.0.bias",
            "features.1.weight", "features.1.bias", "features.1.running_mean", "features.1.running_var",
            "features.1.num_batches_tracked",
            "head.weight", "head.bias",
        ])
        XCTAssertEqual(net.namedParameters().map(\.0), [
            "features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias", "head.weight", "head.bias",
        ])
        XCTAssertEqual(net.features.layers.count, 3)
    }

    func testTrainAndEvalReachEveryModule() throws {
        let net = try Net()
        net.eval()
        XCTAssertTrue(net.namedModules().allSatisfy { !$0.1.isTraining })
        // In eval mode dropout is off, so two passes agree.
        let x = try Tensor.randn([2, 1, 4, 4])
        XCTAssertEqual(try net(x).values(as: Float.self), try net(x).values(as: Float.self))
        net.train()
        XCTAssertTrue(net.namedModules().allSatisfy { $0.1.isTraining })
    }

    func testLoadStateDictListsEveryProblem() throws {
        let net = try Net()
        var dict = Dictionary(uniqueKeysWithValues: net.stateDict())
        dict["head.weight"] = try Tensor.zeros([4, 4])
        dict["extra.weight"] = try Tensor.zeros([1])
        dict.removeValue(forKey: "features.0.bias")
        XCTAssertThrowsError(try net.load(stateDict: dict)) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("missing keys: features.0.bias"), m)
            XCTAssertTrue(m.contains("unexpected keys: extra.weight"), m)
            XCTAssertTrue(m.contains("shape mismatch for head.weight"), m)
        }
        let other = try Net()
        try other.load(stateDict: Dictionary(uniqueKeysWithValues: net.stateDict()))
        XCTAssertEqual(try other.head.weight.values(as: Float.self), try net.head.weight.values(as: Float.self))
    }

    func testSGDStepIsTheTextbookUpdate() throws {
        let w = try Tensor([1, -2] as [Float], shape: [2]).requiresGrad(true)
        let opt = try Optimizer.sgd([w], lr: 0.1)
        try (w * w).sum().backward() // grad = 2w
        try opt.step()
        let v = try w.values(as: Float.self)
        XCTAssertEqual(v[0], 0.8, accuracy: 1e-6)
        XCTAssertEqual(v[1], -1.6, accuracy: 1e-6)
        try opt.zeroGrad()
        XCTAssertNil(w.grad)
    }

    func testAdamFirstStepMovesByLearningRate() throws {
        let w = try Tensor([3] as [Float], shape: [1]).requiresGrad(true)
        let opt = try Optimizer.adam([w], lr: 0.01, betas: (0.5, 0.999))
        try (w * 5).sum().backward()
        try opt.step()
        // Adam's first step is lr * sign(grad) (bias-corrected m / sqrt(v)).
        XCTAssertEqual(try w.values(as: Float.self)[0], 2.99, accuracy: 1e-5)
    }

    func testKerasTimeDecay() throws {
        let w = try Tensor([1] as [Float], shape: [1]).requiresGrad(true)
        let opt = try Optimizer.sgd([w], lr: 0.001, momentum: 0.9)
        opt.decay = 0.01
        for _ in 0..<10 {
            try opt.zeroGrad()
            try (w * 2).sum().backward()
            try opt.step()
        }
        XCTAssertEqual(opt.learningRate, 0.001 / (1 + 0.01 * 10), accuracy: 1e-12)
    }

    func testOptimizerStateRoundTrip() throws {
        func run(_ steps: Int, from state: [UInt8]?, w0: [Float]) throws -> ([Float], [UInt8]) {
            let w = try Tensor(w0, shape: [2]).requiresGrad(true)
            let opt = try Optimizer.adam([w], lr: 0.1)
            if let state { try opt.loadState(state) }
            for _ in 0..<steps {
                try opt.zeroGrad()
                try (w * w).sum().backward()
                try opt.step()
            }
            return (try w.values(as: Float.self), try opt.stateBytes())
        }
        let (straight, _) = try run(6, from: nil, w0: [1, 2])
        let (half, state) = try run(3, from: nil, w0: [1, 2])
        let (resumed, _) = try run(3, from: state, w0: half)
        XCTAssertEqual(resumed, straight, "resuming with the saved moments continues the same trajectory")
    }
}
