import MedAugTorch

/// A classifier whose penultimate activations can be read: the embedding
/// MedAug's GAN scores compare real and generated images in.
public protocol FeatureExtractor: Layer {
    func features(_ x: Tensor) throws(TorchError) -> Tensor
}
