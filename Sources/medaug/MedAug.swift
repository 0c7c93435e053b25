import ArgumentParser
import Foundation
import MedAugImage
import MedAugTorch

@main
struct MedAug: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "medaug",
        abstract: "Medical image augmentation, GAN synthesis and classifier experiments.",
        discussion: """
        Point MedAug at a folder of images per class (train/<class>/ and test/<class>/, or just <class>/) and it tells you what is there, makes augmented sets, trains classifiers and reports whether augmentation helped.

        Start with built-in synthetic data:
          medaug synth --kind skin-lesion --out data/skin
          medaug info data/skin
        """,
        version: version,
        subcommands: [DemoCommand.self, InfoCommand.self, SynthCommand.self, ConvertCommand.self, AugmentCommand.self, PreviewCommand.self, AugmentersCommand.self, TrainCommand.self, EvaluateCommand.self, GANCommand.self, ExperimentCommand.self, DoctorCommand.self]
    )

    static func main() {
        AllocatorTuning.apply()
        AllocatorTuning.lineBufferStandardOutput()
        do {
            var command = try parseAsRoot()
            // libtorch is loaded here, by the commands that run networks,
            // so that a missing wheel is one clear error before any work.
            if command is NetworkCommand { try Torch.loadRuntime() }
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}

/// A command that trains or runs networks and so needs libtorch. The others
/// (info, synth, augment, preview, augmenters) never load it: they start in
/// milliseconds and run on a machine without the torch wheel.
protocol NetworkCommand {}

extension DemoCommand: NetworkCommand {}
extension TrainCommand: NetworkCommand {}
extension EvaluateCommand: NetworkCommand {}
extension GANTrainCommand: NetworkCommand {}
extension GANSampleCommand: NetworkCommand {}
extension GANScoreCommand: NetworkCommand {}
extension ExperimentRunCommand: NetworkCommand {}
