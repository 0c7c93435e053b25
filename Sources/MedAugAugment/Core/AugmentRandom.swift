import MedAugCore
import MedAugImage

/// The random stream of one image in one augmentation run: MedAug's
/// xoshiro256** (`Xoshiro256` in MedAugCore), seeded from the run's seed
/// and the image's identity, so an image's result depends on the seed and on
/// which image it is, never on which thread processed it or in what order.
/// MedAug does not reproduce numpy's SFC64 streams: parity with imgaug is
/// checked with fixed parameters.
public typealias AugmentRandom = Xoshiro256

/// What the augmentation library adds to MedAugCore's generator: a stream
/// per image, derived from a run's seed and the image's identity.
extension Xoshiro256 {
    /// The stream for one image: `identity` is a stable name such as the
    /// image's path relative to the dataset root plus the copy index.
    public init(seed: UInt64, identity: String) {
        self.init(seed: SeedDerivation.derive(seed, [0x4155_474D /* "AUGM" */, SeedDerivation.hash(identity)]))
    }

    /// A child stream (one segment, one channel) independent of this one.
    public mutating func fork() -> Xoshiro256 {
        Xoshiro256(seed: next())
    }
}
