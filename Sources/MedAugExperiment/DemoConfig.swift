// configs/demo.yaml, kept in the binary so `medaug demo` runs anywhere;
// a test checks that the two are the same text.
public enum DemoConfig {
    public static let yaml = #"""
    # The study's questions on MedAug's synthetic skin-lesion data, sized to
    # finish in a few minutes on 2 CPU cores: does offline augmentation, a
    # share of superpixel images or a share of GAN images help the small CNN?
    name: MedAug demo - synthetic skin lesions, small CNN
    data: data/skin-lesion
    synth: {kind: skin-lesion, scale: 0.15}
    recipe: study-cnn
    overrides: {batch_size: 32}
    positive: malignant
    epochs: [4, 8]
    repeats: 3
    seed: 0
    superpixel_preset: aug2
    gan: {epochs: 25, image_size: 32, batch_size: 16, ngf: 32, ndf: 32}
    variants:
      - name: Original
      - name: Aug 1
        preset: aug1
        copies: 1
      - name: +10% Superpixel
        superpixel: 10%
      - name: +10% GAN
        gan: 10%
      - name: +10% SP + 10% GAN
        superpixel: 10%
        gan: 10%
    """#
}
