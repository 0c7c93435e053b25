import MedAugTorch

/// The study's small CNN: CS230's SIGNS network (three conv-bn-pool-relu
/// blocks of 32/64/128 channels, then 8*8*128 -> 128 -> bn -> relu ->
/// dropout -> classes), with CS230's parameter names so its PyTorch weights
/// load unchanged. Input 64x64x3.
/// Returns logits; CS230 returns log_softmax, which has the same argmax and,
/// with NLL, the same loss as cross-entropy on these logits.
public final class SmallCNN: Module, Classifier {
    /// The three conv-bn blocks (pooling and ReLU have no parameters), under CS230's names.
    public let conv1: Conv2d, bn1: BatchNorm2d
    /// Second block: numChannels -> 2 * numChannels.
    public let conv2: Conv2d, bn2: BatchNorm2d
    /// Third block: 2 * numChannels -> 4 * numChannels.
    public let conv3: Conv2d, bn3: BatchNorm2d
    /// The fully connected layer and its batch norm that produce `features(_:)`.
    public let fc1: Linear, fcbn1: BatchNorm1d
    /// The classifier head, saved under CS230's name (`headKeyPrefix`).
    @ModuleInfo(key: SmallCNN.headKeyPrefix) public private(set) var fc2: Linear
    /// Dropout before the head in train mode (CS230: 0.8); `ModelSpec.build` passes the run's.
    public let dropoutRate: Double
    /// Channels of the first block; the others double it.
    public let numChannels: Int

    /// CS230's layout flattens an 8x8 map after three 2x poolings: the input must be 64x64.
    public static let inputSize = 64

    /// CS230's `fc2`: the only layer whose shape depends on the class count.
    public static let headKeyPrefix = "fc2"

    /// CS230's defaults: 32 base channels, dropout 0.8.
    public init(classes: Int, numChannels: Int = 32, dropoutRate: Double = 0.8) throws(TorchError) {
        self.numChannels = numChannels
        self.dropoutRate = dropoutRate
        conv1 = try Conv2d(3, numChannels, kernelSize: 3, stride: 1, padding: 1)
        bn1 = try BatchNorm2d(numChannels)
        conv2 = try Conv2d(numChannels, numChannels * 2, kernelSize: 3, stride: 1, padding: 1)
        bn2 = try BatchNorm2d(numChannels * 2)
        conv3 = try Conv2d(numChannels * 2, numChannels * 4, kernelSize: 3, stride: 1, padding: 1)
        bn3 = try BatchNorm2d(numChannels * 4)
        fc1 = try Linear(8 * 8 * numChannels * 4, numChannels * 4)
        fcbn1 = try BatchNorm1d(numChannels * 4)
        super.init()
        fc2 = try Linear(numChannels * 4, classes)
    }

    /// Class logits (N, classes).
    public func callAsFunction(_ x: Tensor) throws(TorchError) -> Tensor {
        try fc2(features(x).dropout(dropoutRate, training: isTraining))
    }

    /// The 128 features before dropout and the last layer.
    public func features(_ x: Tensor) throws(TorchError) -> Tensor {
        // In-place ReLU after max-pool and BatchNorm: neither backward needs its output.
        var s = try bn1(conv1(x)).maxPool2d(2).relu_()
        s = try bn2(conv2(s)).maxPool2d(2).relu_()
        s = try bn3(conv3(s)).maxPool2d(2).relu_()
        s = try s.reshaped([-1, 8 * 8 * numChannels * 4])
        return try fcbn1(fc1(s)).relu_()
    }
}
