import XCTest
@testable import MedAugTorch

private final class Net: Module, Layer {
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

/// Keys unlike the Swift names, a buffer, and a reassignable child.
private final class Attention: Module, Layer {
    @ParameterInfo(key: "in_proj_weight") var inProjWeight: Tensor
    @ParameterInfo(key: "in_proj_bias") var bias: Tensor?
    @BufferInfo(key: "scale_buffer") var scale: Tensor
    @ModuleInfo(key: "out_proj") var outProj: Linear
    @ModuleInfo(key: "downsample") var shortcut: Sequential?
    init() throws {
        super.init()
        inProjWeight = try Tensor.zeros([3, 3]).requiresGrad(true)
        bias = try Tensor.zeros([3]).requiresGrad(true)
        scale = try Tensor.ones([1])
        outProj = try Linear(3, 3)
        shortcut = Sequential([try Linear(3, 3, bias: false)])
    }
    func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor { try outProj(x) }
}

/// Children in a dictionary, a wrapped dictionary, ordered pairs and inline pairs.
private final class Heads: Module {
    let heads: [String: Linear]
    @ModuleInfo(key: "experts") var expertsByName: [String: any Layer]
    let blocks: [(String, Linear)]
    @ModuleInfo(key: "") var inline: [any Layer]
    init() throws {
        heads = ["b": try Linear(2, 2), "a": try Linear(2, 2)]
        blocks = [("zeta", try Linear(1, 1, bias: false)), ("alpha", try Linear(1, 1, bias: false))]
        super.init()
        expertsByName = ["y": try Linear(1, 1, bias: false), "x": try Linear(1, 1, bias: false)]
        inline = [try Linear(1, 1, bias: false), try Linear(1, 1, bias: false)]
    }
}

/// torchvision's _DenseLayer names (norm1, conv1), trimmed to one conv.
private final class DenseLayer: Module, Layer {
    let norm1: BatchNorm2d
    let conv1: Conv2d
    init(channels: Int) throws {
        norm1 = try BatchNorm2d(channels)
        conv1 = try Conv2d(channels, channels, kernelSize: 3, padding: 1, bias: false)
    }
    func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor { try conv1(norm1(x).relu()) }
}

/// torchvision's _DenseBlock, an nn.ModuleDict of denselayer1, denselayer2, ...
private final class DenseBlock: Module, Layer {
    @ModuleInfo(key: "") var layers: [(String, DenseLayer)]
    init(layers count: Int, channels: Int) throws {
        var layers: [(String, DenseLayer)] = []
        for i in 1...count { layers.append(("denselayer\(i)", try DenseLayer(channels: channels))) }
        super.init()
        self.layers = layers
    }
    func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        var h = x
        for (_, l) in layers { h = try l(h) }
        return h
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
            // Our own check, not libtorch's: its own type, no "libtorch:" prefix.
            XCTAssertTrue(e is CheckpointError, "not a CheckpointError: \(type(of: e)) \(m)")
            XCTAssertTrue(m.hasPrefix("state dict does not fit the model: "), m)
            XCTAssertTrue(m.contains("missing keys: features.0.bias"), m)
            XCTAssertTrue(m.contains("unexpected keys: extra.weight"), m)
            XCTAssertTrue(m.contains("shape mismatch for head.weight"), m)
        }
        let other = try Net()
        try other.load(stateDict: Dictionary(uniqueKeysWithValues: net.stateDict()))
        XCTAssertEqual(try other.head.weight.values(as: Float.self), try net.head.weight.values(as: Float.self))
    }

    func testLoadRefusesNonFiniteAndIntegerValuesAndKeepsTheMessageShort() throws {
        let net = try Net()
        let good = Dictionary(uniqueKeysWithValues: net.stateDict())
        let shape = try XCTUnwrap(good["head.weight"]).shape
        let n = shape.reduce(1, *)
        for (value, word) in [(Float.nan, "NaN or infinite"), (Float.infinity, "NaN or infinite")] {
            var dict = good
            var v = [Float](repeating: 0.5, count: n)
            v[n / 2] = value
            dict["head.weight"] = try Tensor(v, shape: shape)
            XCTAssertThrowsError(try net.load(stateDict: dict)) { e in
                XCTAssertTrue("\(e)".contains("head.weight holds \(word)"), "\(e)")
            }
        }
        var ints = good
        ints["head.weight"] = try Tensor([Int32](repeating: 1, count: n), shape: shape)
        XCTAssertThrowsError(try net.load(stateDict: ints)) { e in
            XCTAssertTrue("\(e)".contains("type mismatch for head.weight: checkpoint int32, model float32"), "\(e)")
        }
        // A file with tens of thousands of foreign keys gives a one-line message of bounded length.
        var many = good
        let one = try Tensor.zeros([1])
        for i in 0..<20_000 { many["junk.\(i)"] = one }
        XCTAssertThrowsError(try net.load(stateDict: many)) { e in
            let m = "\(e)"
            XCTAssertLessThan(m.count, 600, String(m.prefix(600)))
            XCTAssertTrue(m.contains("and 19995 more"), String(m.prefix(600)))
            XCTAssertFalse(m.contains("\n"))
        }
        XCTAssertNoThrow(try net.load(stateDict: good))
    }

    func testCustomKeysBuffersAndSwiftNames() throws {
        let m = try Attention()
        XCTAssertEqual(m.stateDict().map(\.0), [
            "in_proj_weight", "in_proj_bias", "scale_buffer", "out_proj.weight", "out_proj.bias", "downsample.0.weight",
        ])
        XCTAssertEqual(m.namedParameters().map(\.0), [
            "in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias", "downsample.0.weight",
        ])
        XCTAssertTrue(m.stateDict()[0].1 === m.inProjWeight)
        let bn = try BatchNorm2d(2)
        XCTAssertEqual(bn.stateDict().map(\.0), ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"])
        XCTAssertEqual(bn.namedParameters().map(\.0), ["weight", "bias"])
        XCTAssertTrue(bn.stateDict()[4].1 === bn.numBatchesTracked)
    }

    func testDictionariesAndNamedChildrenGetTheirKeys() throws {
        let m = try Heads()
        XCTAssertEqual(m.stateDict().map(\.0), [
            // A dictionary has no insertion order: its keys come sorted.
            "heads.a.weight", "heads.a.bias", "heads.b.weight", "heads.b.bias",
            "experts.x.weight", "experts.y.weight",
            // An array of pairs keeps its order (an OrderedDict), after the property's key or, with "", none.
            "blocks.zeta.weight", "blocks.alpha.weight",
            "0.weight", "1.weight",
        ])
    }

    func testTorchvisionStyleNestedNames() throws {
        // torchvision's DenseNet: nn.Sequential(OrderedDict) of blocks that are ModuleDicts of layers.
        let features = Sequential(named: [
            ("conv0", try Conv2d(3, 4, kernelSize: 3, padding: 1, bias: false)),
            ("norm0", try BatchNorm2d(4)),
            ("denseblock1", try DenseBlock(layers: 2, channels: 4)),
        ])
        let keys = features.stateDict().map(\.0)
        XCTAssertEqual(Array(keys.prefix(2)), ["conv0.weight", "norm0.weight"])
        XCTAssertTrue(keys.contains("denseblock1.denselayer1.norm1.running_mean"), "\(keys)")
        XCTAssertEqual(keys.filter { $0.hasPrefix("denseblock1.") && $0.hasSuffix(".conv1.weight") },
                       ["denseblock1.denselayer1.conv1.weight", "denseblock1.denselayer2.conv1.weight"])
        features.eval()
        XCTAssertEqual(try features(Tensor.randn([1, 3, 4, 4])).shape, [1, 4, 4, 4])
    }

    func testOwnTensorsComeBeforeChildrenAsInPyTorch() throws {
        final class ChildFirst: Module {
            let child = try! Linear(1, 1)
            let own = try! Tensor.zeros([1])
        }
        XCTAssertEqual(ChildFirst().stateDict().map(\.0), ["own", "child.weight", "child.bias"])
    }

    func testDiscoveryRunsOnceAndWrappedPropertiesStayLive() throws {
        let m = try Attention()
        for _ in 0..<3 {
            _ = m.stateDict()
            _ = m.parameters()
            m.train()
        }
        XCTAssertTrue(m.namedModules().allSatisfy { $0.1.discoveries == 1 })

        // A reassigned tensor is read through its accessor, not a kept value.
        let replacement = try Tensor.ones([3, 3])
        m.inProjWeight = replacement
        XCTAssertTrue(m.stateDict().first { $0.0 == "in_proj_weight" }?.1 === replacement)
        // A reassigned child replaces its subtree; nil removes it.
        m.shortcut = nil
        XCTAssertFalse(m.stateDict().contains { $0.0.hasPrefix("downsample.") })
        m.shortcut = Sequential([try Linear(3, 2, bias: false), try Linear(2, 2)])
        XCTAssertEqual(m.stateDict().map(\.0).filter { $0.hasPrefix("downsample.") },
                       ["downsample.0.weight", "downsample.1.weight", "downsample.1.bias"])
        m.bias = nil
        XCTAssertFalse(m.stateDict().contains { $0.0 == "in_proj_bias" })
        XCTAssertEqual(m.discoveries, 1)
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
