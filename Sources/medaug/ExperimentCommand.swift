import ArgumentParser
import Foundation
import MedAugCore
import MedAugData
import MedAugExperiment
import MedAugTrain

struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Run an augmentation experiment from a config file, or merge shards.",
        subcommands: [ExperimentRunCommand.self, ExperimentCollectCommand.self],
        defaultSubcommand: ExperimentRunCommand.self
    )
}

struct ExperimentRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train and evaluate every variant x epochs x repeat of an experiment.",
        discussion: """
        The config names the dataset root (train/ and test/; a flat folder, or --labels without a split column, gets a stratified test split by patient of test_split, default 20%, drawn with the config's seed), the classifier recipe and overrides, the positive class, the epoch list, the repeats and base seed, and the training-set variants (offline augmentation, superpixel and GAN shares). See configs/*.yaml. Writes results.csv, summary.md, summary.csv and report.html to --out. Finished cells are never redone: after a kill, --resume picks up where it stopped (mid-training included), labelling the data as the first run did (the dataset options are recorded in dataset.json; other ones are refused). --shard I/N runs one slice of the grid (for a cluster job array); `medaug experiment collect` merges the slices.

        Examples:
          medaug experiment configs/skin-gan.yaml --out results/skin
          medaug experiment configs/skin-gan.yaml --out res/skin --resume --repeats 10
          medaug experiment configs/covid-superpixel.yaml --out part1 --shard 1/4
        """
    )

    @Argument(help: "Experiment file (YAML or JSON).") var config: String
    @Option(help: "Output folder.") var out: String
    @Flag(help: "Continue the experiment in --out with its saved settings.") var resume = false
    @Option(parsing: .unconditional, help: "Override the number of repeats (with --resume: grow the saved count; default: keep it).") var repeats: Int?
    @Option(parsing: .unconditional, help: "Cells run at the same time.") var jobs: Int = 1
    @Option(help: "Run slice I of N (1-based), e.g. 2/4.") var shard: String?
    @Option(help: "Use this dataset root instead of the config's `data`.") var data: String?
    @OptionGroup var reading: ReadingOptions
    @OptionGroup(title: "Labels and patients") var dataset: DatasetArguments
    @Flag(help: "A quick check that the config runs end to end: 1 epoch, 1 repeat, 1 GAN epoch.") var smoke = false

    func validate() throws {
        if let repeats { try CommandLimits.check("--repeats", repeats, CommandLimits.repeats) }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if let shard, Self.parseShard(shard) == nil { throw ValidationError("--shard must look like 2/4 (slice I of N, 1-based), got '\(shard)'") }
    }

    static func parseShard(_ s: String) -> (Int, Int)? {
        let p = s.split(separator: "/").compactMap { Int($0) }
        guard p.count == 2, p[1] >= 1, (1...p[1]).contains(p[0]) else { return nil }
        return (p[0], p[1])
    }

    func run() throws {
        var c = try ExperimentConfig.load(config)
        if let data { c.data = data }
        if smoke { c = c.smoke() }
        // After --smoke, so that `--smoke --repeats 2` has two repeats.
        if let repeats { c.repeats = repeats }
        let r = ExperimentRunner(config: c, out: out)
        r.resume = resume
        // Without --repeats, --resume keeps the saved count (one grown by an earlier --repeats included).
        r.repeatsGiven = repeats != nil || !resume
        r.jobs = jobs
        r.shard = shard.flatMap(Self.parseShard)
        Interrupt.install()
        _ = try r.run()
        printSummary(out)
    }
}

struct ExperimentCollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Merge the shards of an experiment into one summary and report.",
        discussion: """
        Example:
          medaug experiment collect part1 part2 part3 part4 --out results/covid
        """
    )

    @Argument(help: "Shard output folders.") var dirs: [String]
    @Option(help: "Where to write the merged results (default: the first folder).") var out: String?
    @OptionGroup(title: "Labels and patients (of the experiment's data, for the report)") var dataset: DatasetArguments

    func validate() throws {
        guard !dirs.isEmpty else { throw ValidationError("name at least one experiment folder") }
    }

    func run() throws {
        let first = dirs[0]
        let c = try RunFolder(first, settings: "experiment.json", holds: "an experiment").read("experiment.json", as: ExperimentConfig.self)
        let target = out ?? first
        // The report reads the experiment's data: labelled as the experiment recorded, unless given here.
        DatasetOptions.current = try ExperimentRunner.datasetOptions(DatasetOptions.current, savedIn: first)
        let r = ExperimentRunner(config: c, out: target)
        let rows = try r.collect(dirs)
        print("collected \(rows.count) rows from \(dirs.count) folder(s)")
        printSummary(target)
    }
}

func printSummary(_ dir: String) {
    if let md = try? String(contentsOfFile: (dir as NSString).appendingPathComponent("summary.md"), encoding: .utf8) { print(md) }
    print("report: \((dir as NSString).appendingPathComponent("report.html"))")
}
