import Foundation
import MedAugData

/// How many images an experiment's cells train on and are scored on, counted
/// from its data root before anything runs (file names only, nothing is
/// decoded), for the Slurm time estimate.
public struct DataCounts: Sendable, Equatable {
    /// Real training images (validation is drawn from these).
    public var train: Int
    /// Test images, scored once per listed epoch.
    public var test: Int
    /// False when the data root could not be read and the counts are ``assumed``.
    public var counted: Bool

    /// Makes counts.
    public init(train: Int, test: Int, counted: Bool) {
        self.train = train
        self.test = test
        self.counted = counted
    }

    /// What an unreadable root is taken to hold: large enough that a cell is
    /// not killed by its time limit on a dataset of the study's size (the
    /// Kaggle skin set has 2,637 training images); `--time` says better.
    public static let assumed = DataCounts(train: 10_000, test: 2_000, counted: false)

    /// The counts of `config.data` as `options` label it: its train and test
    /// parts, or for an unsplit dataset the share `test_split` draws.
    public static func count(_ config: ExperimentConfig, options: DatasetOptions) -> DataCounts {
        guard let ds = try? Dataset.load(root: config.data, options: options) else { return assumed }
        let test = ds.samples(in: .test).count
        if test > 0 { return DataCounts(train: ds.samples(in: .train).count, test: test, counted: true) }
        let all = ds.samples.count
        let held = Int((Double(all) * (config.testSplit ?? ExperimentConfig.defaultTestSplit)).rounded(.up))
        return DataCounts(train: all - held, test: held, counted: true)
    }
}
