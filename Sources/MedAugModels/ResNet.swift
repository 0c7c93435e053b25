import MedAugTorch

/// torchvision's ResNet18/34/50 with its parameter names, and a global
/// average pooling head (`fc`) for any class count: the study's Keras
/// ResNet50 + GlobalAveragePooling2D + Dense.
public enum ResNetDepth: Int, Codable, Sendable, CaseIterable {
    case resnet18 = 18, resnet34 = 34, resnet50 = 50

    var blocks: [Int] {
        switch self {
        case .resnet18: return [2, 2, 2, 2]
        case .resnet34, .resnet50: return [3, 4, 6, 3]
        }
    }

    var bottleneck: Bool { self == .resnet50 }
    var expansion: Int { bottleneck ? 4 : 1 }
}

/// torchvision's BasicBlock (ResNet18/34): two 3x3 convolutions and a residual.
public final class BasicBlock: Module, Layer {
    public let conv1: Conv2d, bn1: BatchNorm2d
    public let conv2: Conv2d, bn2: BatchNorm2d
    public let downsample: MedAugTorch.Sequential?

    init(_ inplanes: Int, _ planes: Int, stride: Int) throws(TorchError) {
        conv1 = try Conv2d(inplanes, planes, kernelSize: 3, stride: stride, padding: 1, bias: false)
        bn1 = try BatchNorm2d(planes)
        conv2 = try Conv2d(planes, planes, kernelSize: 3, stride: 1, padding: 1, bias: false)
        bn2 = try BatchNorm2d(planes)
        downsample = stride != 1 || inplanes != planes
            ? MedAugTorch.Sequential([try Conv2d(inplanes, planes, kernelSize: 1, stride: stride, bias: false), try BatchNorm2d(planes)])
            : nil
    }

    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        var out = try bn1(conv1(x)).relu_()
        out = try bn2(conv2(out))
        let identity = try downsample.map { d throws(TorchError) in try d(x) } ?? x
        return try out.add_(identity).relu_()
    }
}

/// torchvision's Bottleneck (ResNet50): 1x1, 3x3 (strided), 1x1 with 4x expansion, and a residual.
public final class Bottleneck: Module, Layer {
    public let conv1: Conv2d, bn1: BatchNorm2d
    public let conv2: Conv2d, bn2: BatchNorm2d
    public let conv3: Conv2d, bn3: BatchNorm2d
    public let downsample: MedAugTorch.Sequential?

    init(_ inplanes: Int, _ planes: Int, stride: Int) throws(TorchError) {
        conv1 = try Conv2d(inplanes, planes, kernelSize: 1, bias: false)
        bn1 = try BatchNorm2d(planes)
        conv2 = try Conv2d(planes, planes, kernelSize: 3, stride: stride, padding: 1, bias: false)
        bn2 = try BatchNorm2d(planes)
        conv3 = try Conv2d(planes, planes * 4, kernelSize: 1, bias: false)
        bn3 = try BatchNorm2d(planes * 4)
        downsample = stride != 1 || inplanes != planes * 4
            ? MedAugTorch.Sequential([try Conv2d(inplanes, planes * 4, kernelSize: 1, stride: stride, bias: false), try BatchNorm2d(planes * 4)])
            : nil
    }

    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        var out = try bn1(conv1(x)).relu_()
        out = try bn2(conv2(out)).relu_()
        out = try bn3(conv3(out))
        let identity = try downsample.map { d throws(TorchError) in try d(x) } ?? x
        return try out.add_(identity).relu_()
    }
}

/// The network with torchvision's module names (`layer1.0.conv1`, `fc`), so
/// torchvision's ImageNet weights load unchanged as a backbone.
public final class ResNet: Module, Classifier {
    /// Which torchvision network this is.
    public let depth: ResNetDepth
    /// The 7x7 stride-2 stem and its batch norm.
    public let conv1: Conv2d, bn1: BatchNorm2d
    /// The four stages of blocks, `layerN.<i>` as nn.Sequential names them in torchvision.
    public let layer1: [any Layer], layer2: [any Layer], layer3: [any Layer], layer4: [any Layer]
    /// The classifier head, saved under torchvision's name (`headKeyPrefix`).
    @ModuleInfo(key: ResNet.headKeyPrefix) public private(set) var fc: Linear

    /// torchvision's `fc`: replaced for the dataset's classes when fine-tuning ImageNet weights.
    public static let headKeyPrefix = "fc"

    /// A new network for `classes` classes, with torchvision's initialisation.
    public init(_ depth: ResNetDepth, classes: Int) throws(TorchError) {
        self.depth = depth
        conv1 = try Conv2d(3, 64, kernelSize: 7, stride: 2, padding: 3, bias: false)
        bn1 = try BatchNorm2d(64)
        var inplanes = 64
        func stage(_ planes: Int, _ count: Int, _ stride: Int) throws(TorchError) -> [any Layer] {
            var blocks: [any Layer] = []
            for i in 0..<count {
                let s = i == 0 ? stride : 1
                if depth.bottleneck {
                    blocks.append(try Bottleneck(inplanes, planes, stride: s))
                } else {
                    blocks.append(try BasicBlock(inplanes, planes, stride: s))
                }
                inplanes = planes * depth.expansion
            }
            return blocks
        }
        let b = depth.blocks
        layer1 = try stage(64, b[0], 1)
        layer2 = try stage(128, b[1], 2)
        layer3 = try stage(256, b[2], 2)
        layer4 = try stage(512, b[3], 2)
        super.init()
        fc = try Linear(512 * depth.expansion, classes)
        // torchvision's init: kaiming_normal(fan_out, relu) for convs, BatchNorm 1 and 0.
        for (_, m) in namedModules() {
            if let c = m as? Conv2d { try Init.kaimingNormalFanOutReLU(c.weight) }
        }
    }

    /// Class logits (N, classes).
    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        try head(features(x))
    }

    /// Pooled features (N, 512 * expansion): what the GAP head sees.
    public func features(_ x: Tensor) throws(TorchError) -> Tensor {
        var h = try bn1(conv1(x)).relu_()
        h = try h.maxPool2d(3, stride: 2, padding: 1)
        for stage in [layer1, layer2, layer3, layer4] {
            for block in stage { h = try block(h) }
        }
        return try h.adaptiveAvgPool2d(1, 1).flattened(from: 1)
    }

    /// The head alone: features (from `features(_:)`) to class logits.
    public func head(_ features: Tensor) throws(TorchError) -> Tensor { try fc(features) }
}
