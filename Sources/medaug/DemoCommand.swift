import ArgumentParser
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the built-in demonstration on synthetic data.",
        discussion: """
        Generates the synthetic stand-ins for both datasets of the study and
        describes them with `medaug info`. Nothing outside --out is written.

        Example:
          medaug demo --out demo-out
        """
    )

    @Option(help: "Folder for everything the demo writes.")
    var out: String = "demo-out"

    @Option(help: "Seed for the synthetic data.")
    var seed: Int = 0

    @Option(help: "Dataset size relative to the study's (1 = the study's counts).")
    var scale: Double = 0.25

    func run() throws {
        let started = Date()
        for kind in ["skin-lesion", "chest-xray"] {
            let dir = (out as NSString).appendingPathComponent("data/\(kind)")
            print("== synthetic \(kind) -> \(dir)")
            var synth = try SynthCommand.parse(["--kind", kind, "--out", dir, "--seed", String(seed), "--scale", String(scale)])
            try synth.run()
            print("== medaug info \(dir)")
            var info = try InfoCommand.parse([dir])
            try info.run()
        }
        print(String(format: "demo finished in %.1f s; data in %@", Date().timeIntervalSince(started), out))
    }
}
