// The Swift half of the PyTorch parity harness (parity/torch_parity.py):
// loads weights and an input from safetensors, runs the model in eval and
// train mode and one optimizer step, and writes every result as safetensors
// for the Python half to compare.
import Foundation
import MedAugModels
import MedAugTorch
import MedAugTrain

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("medaug-parity: \(message)\n".utf8))
    exit(2)
}

/// The DCGAN pair by the harness's own names; every classifier by its
/// registry name (`ModelArchitecture`), built as training builds it, with
/// dropout 0 so that train-mode outputs are deterministic.
func model(_ name: String, classes: Int) throws -> any Layer {
    switch name {
    case "dcgan-g": return try DCGANGenerator()
    case "dcgan-d": return try DCGANDiscriminator()
    default:
        guard let architecture = ModelArchitecture(rawValue: name) else {
            let known = ["dcgan-g", "dcgan-d"] + ModelArchitecture.allCases.map(\.rawValue)
            fail("unknown model \(name); known: \(known.joined(separator: ", "))")
        }
        return try architecture.build(classes: classes, dropout: 0)
    }
}

/// Weights from safetensors or, for `.pth`, a PyTorch state_dict through MedAug's own reader.
func readWeights(_ path: String) throws -> [String: Tensor] {
    if path.hasSuffix(".pth") {
        return Dictionary(try PyTorchStateDict.read(path), uniquingKeysWith: { a, _ in a })
    }
    return try SafeTensors.read(path).tensors
}

let args = CommandLine.arguments
if args.count == 6, args[1] == "dcgan-step" {
    // One iteration of the tutorial's loop from given weights, real batch and noise.
    do {
        try Torch.setThreads(1)
        let g = try DCGANGenerator(), d = try DCGANDiscriminator()
        try g.load(stateDict: try readWeights(args[2]))
        try d.load(stateDict: try readWeights(args[3]))
        let input = try SafeTensors.read(args[4]).tensors
        let optD = try Optimizer.adam(d.parameters(), lr: 0.0002, betas: (0.5, 0.999))
        let optG = try Optimizer.adam(g.parameters(), lr: 0.0002, betas: (0.5, 0.999))
        let s = try DCGANIteration.run(g: g, d: d, optG: optG, optD: optD, real: input["real"]!, noise: input["noise"]!)
        var out: [(String, Tensor)] = try [("loss_d", Tensor([s.lossD], shape: [1])), ("loss_g", Tensor([s.lossG], shape: [1])),
                                           ("d_x", Tensor([s.dX], shape: [1])), ("d_g_z1", Tensor([s.dGZ1], shape: [1])),
                                           ("d_g_z2", Tensor([s.dGZ2], shape: [1]))]
        for (k, t) in g.stateDict() { out.append(("g." + k, t)) }
        for (k, t) in d.stateDict() { out.append(("d." + k, t)) }
        try SafeTensors.write(out, to: args[5])
    } catch {
        fail("\(error)")
    }
    exit(0)
}
guard args.count == 6 else {
    fail("usage: medaug-parity MODEL CLASSES WEIGHTS.safetensors INPUT.safetensors OUT.safetensors")
}
do {
    try Torch.setThreads(1)
    let net = try model(args[1], classes: Int(args[2]) ?? 2)
    try net.load(stateDict: try readWeights(args[3]))
    let input = try SafeTensors.read(args[4]).tensors["input"]!
    var out: [(String, Tensor)] = []
    net.eval()
    out.append(("eval_out", try withNoGrad { () throws(TorchError) in try net(input) }))
    net.train()
    let trainOut = try net(input)
    out.append(("train_out", try trainOut.detached()))
    // One step: Adam for the study's Adam-trained nets, SGD with momentum for ResNet (the parity script's choice).
    let params = net.parameters()
    let opt = ModelArchitecture(rawValue: args[1]).map { $0 != .simpleCNN } ?? false
        ? try Optimizer.sgd(params, lr: 0.01, momentum: 0.9)
        : try Optimizer.adam(params, lr: 0.001, betas: (0.5, 0.999))
    let loss = try (trainOut * trainOut).mean()
    out.append(("loss", try loss.detached()))
    try loss.backward()
    try opt.step()
    for (name, t) in net.stateDict() { out.append(("after." + name, t)) }
    try SafeTensors.write(out, to: args[5])
} catch {
    fail("\(error)")
}
