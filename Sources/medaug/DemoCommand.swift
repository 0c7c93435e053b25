import ArgumentParser
import Foundation
import MedAugAugment
import MedAugCore
import MedAugExperiment
import MedAugTrain

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the built-in demonstration experiment on synthetic data.",
        discussion: """
        Generates a synthetic skin-lesion set and runs configs/demo.yaml on it: the small CNN trained on the original set, on Aug 1, and with 10% superpixel and 10% GAN images, at two epoch counts, twice each. Ends with the summary table and the path of report.html. A rerun resumes; nothing outside --out is written.

        Example:
          medaug demo --out demo-out
        """
    )

    @Option(help: "Folder for everything the demo writes.") var out: String = "demo-out"
    @Option(parsing: .unconditional, help: "Cells run at the same time.") var jobs: Int = 1

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }

    func run() throws {
        let started = Date()
        var c = try ExperimentConfig.parse(try ConfigCoding.parse(DemoConfig.yaml, format: .yaml, source: "demo.yaml"), source: "demo.yaml")
        c.data = ((out as NSString).appendingPathComponent(c.data) as NSString).standardizingPath
        let runner = ExperimentRunner(config: c, out: (out as NSString).appendingPathComponent("experiment"))
        runner.resume = true
        runner.jobs = jobs
        Interrupt.install()
        _ = try runner.run()
        printSummary(runner.out)
        print(String(format: "demo finished in %.1f min", Date().timeIntervalSince(started) / 60))
    }
}
