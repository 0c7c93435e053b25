import ArgumentParser
import Foundation
import MedAugCore
import MedAugData
import MedAugExperiment
import MedAugFormats
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
        The config names the dataset root (train/ and test/; a flat folder, or --labels without a split column, gets a stratified test split by patient of test_split, default 20%, drawn with the config's seed), the classifier recipe and overrides, the positive class, the epoch list, the repeats and base seed, and the training-set variants (offline augmentation, superpixel and GAN shares). `folds: K` adds K-fold cross-validation inside the training set (grouped by patient, the test set untouched); `metrics:` lists what the verdict compares (default accuracy, recall, roc_auc). See configs/*.yaml. Writes results.csv, summary.md, summary.csv, forest_plot.svg and report.html to --out; summary.md and report.html open with the verdict: each variant's change against the original, with its 95% interval and Holm-adjusted p-value (paired t-test by repeat; Wilcoxon beside it), or values only below 3 repeats. Finished cells are never redone: after a kill, --resume picks up where it stopped (mid-training included), labelling the data as the first run did (the dataset options are recorded in dataset.json; other ones are refused). --shard I/N runs one slice of the grid (for a cluster job array); `medaug experiment collect` merges the slices.

        With --slurm nothing trains here: --out gets a Slurm array job with one task per cell (slurm/cells.sbatch; task K runs cell K with --shard K/N in its own folder, cells/K), a collect job that merges the cells into --out once every task has succeeded (slurm/collect.sbatch), and slurm/submit.sh, which submits both. Time and memory per task are estimated from the config and the size of the data (replace them with --time and --mem); a config with `device: cuda` asks for --gres=gpu:1. A failed task is rerun with `bash DIR/slurm/submit.sh --array=K`: it continues its cell where it stopped.

        Examples:
          medaug experiment configs/skin-gan.yaml --out results/skin
          medaug experiment configs/skin-gan.yaml --out res/skin --resume --repeats 10
          medaug experiment configs/covid-superpixel.yaml --out part1 --shard 1/4
          medaug experiment configs/skin-gan.yaml --out /scratch/skin --slurm
          bash /scratch/skin/slurm/submit.sh
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
    @Flag(help: "Train nothing here: write a Slurm array job (one task per cell) and its collect job to --out/slurm.") var slurm = false
    @OptionGroup(title: "Slurm jobs (with --slurm)") var cluster: SlurmArguments

    func validate() throws {
        if let repeats { try CommandLimits.check("--repeats", repeats, CommandLimits.repeats) }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if let shard, Self.parseShard(shard) == nil { throw ValidationError("--shard must look like 2/4 (slice I of N, 1-based), got '\(shard)'") }
        guard slurm else {
            if !cluster.options.isEmpty { throw ValidationError("--partition, --account, --gres, --time, --cpus-per-task and --mem go with --slurm") }
            return
        }
        if shard != nil { throw ValidationError("--slurm gives every task its own --shard; leave --shard out") }
        if jobs != 1 { throw ValidationError("--jobs: with --slurm each task runs one cell; leave --jobs out") }
        if let problem = cluster.options.problem { throw ValidationError(problem) }
    }

    static func parseShard(_ s: String) -> (Int, Int)? {
        let p = s.split(separator: "/").compactMap { Int($0) }
        guard p.count == 2, p[1] >= 1, (1...p[1]).contains(p[0]) else { return nil }
        return (p[0], p[1])
    }

    func run() throws {
        if slurm { return try writeSlurm() }
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

    /// --slurm: the job's scripts and records, no training.
    func writeSlurm() throws {
        // Absolute, as the tasks will name them: they run in another directory, on another machine.
        let configPath = Self.absolute(config)
        var c = try ExperimentConfig.load(configPath)
        var passed: [String] = []
        if let data {
            c.data = Self.absolute(data)
            passed += ["--data", c.data]
        }
        if smoke {
            c = c.smoke()
            passed.append("--smoke")
        }
        if let repeats { c.repeats = repeats }
        passed += reading.arguments
        let plan = try SlurmFolder.write(config: c, configPath: configPath, out: Self.absolute(out), resume: resume,
                                         repeatsGiven: repeats != nil || !resume, runArguments: passed, options: cluster.options,
                                         datasetOptions: DatasetOptions.current, binary: Self.executable, log: { print($0) })
        let p = plan.config
        print("wrote the Slurm job of experiment '\(p.name)' to \(plan.scriptsDir); nothing trained here")
        print("  \(plan.taskCount) task(s) (\(plan.grid)), one cell each, task K in \(plan.cellDir(1).dropLast())K")
        var asked = ["--time=\(plan.time)", "--mem=\(plan.mem)", "--cpus-per-task=\(plan.cpus)"]
        asked += [plan.gres.map { "--gres=\($0)" }, cluster.partition.map { "--partition=\($0)" }, cluster.account.map { "--account=\($0)" }].compactMap { $0 }
        print("  per task: \(asked.joined(separator: " "))")
        print("  estimate: \(plan.estimateLine)")
        for e in plan.estimates {
            print("    \(e.variant): \(SlurmOptions.time(Int(e.workSeconds.rounded(.up)))) of work, asks \(SlurmOptions.time(e.seconds)) and \(e.memoryMiB / 1024)G")
        }
        if !plan.counts.counted { print("  note: \(p.data) could not be read here; give --time if the data is much larger than the assumed size") }
        if plan.taskCount > 1000 {
            print("  note: many clusters allow at most 1000 tasks per array (MaxArraySize); submit in parts with --array=1-1000 and so on")
        }
        print("submit with:\n  bash \(plan.scriptsDir)/submit.sh")
        print("it runs `sbatch --parsable cells.sbatch` and `sbatch --dependency=afterok:ID collect.sbatch`; results, summary and report then land in \(plan.out)")
    }

    /// `path` made absolute against the current directory, `.` and `..` removed.
    static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    /// This `medaug`, by an absolute path: the tasks run the build that wrote them.
    /// The path it was started by where that names it (a link such as
    /// .build/debug/medaug then follows later builds), else the file itself.
    static var executable: String {
        let given = CommandLine.arguments[0]
        if given.contains("/"), FileManager.default.isExecutableFile(atPath: given) { return absolute(given) }
        // Linux marks a file replaced since it was started "(deleted)"; its path then holds the new build.
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return p.hasSuffix(" (deleted)") ? String(p.dropLast(" (deleted)".count)) : p
        }
        return Bundle.main.executableURL?.path ?? absolute(given)
    }
}

/// The `#SBATCH` options `--slurm` passes through; unset ones are estimated or left out.
struct SlurmArguments: ParsableArguments {
    @Option(help: "Partition (queue) of both jobs.") var partition: String?
    @Option(help: "Account the time is billed to.") var account: String?
    @Option(help: ArgumentHelp("Generic resources per task, e.g. gpu:a100:1 (default: gpu:1 when the config says device: cuda, else none; 'none': no GPU).",
                               valueName: "gres"))
    var gres: String?
    @Option(help: ArgumentHelp("Wall time per task, e.g. 4:00:00 or 1-12:00:00 (default: estimated from the config and the data).", valueName: "time"))
    var time: String?
    @Option(help: ArgumentHelp("Cores per task (default: \(SlurmPlan.defaultCPUs)).", valueName: "n")) var cpusPerTask: Int?
    @Option(help: ArgumentHelp("Memory per task, e.g. 16G (default: estimated from the model, batch size and image size).", valueName: "size"))
    var mem: String?

    /// The options as given.
    var options: SlurmOptions {
        SlurmOptions(partition: partition, account: account, gres: gres, time: time, cpusPerTask: cpusPerTask, mem: mem)
    }
}

extension ReadingOptions {
    /// The options that differ from the defaults, as `medaug` reads them back (for the Slurm tasks).
    var arguments: [String] {
        var a: [String] = []
        if maxFileBytes != RegularFile.defaultMaxBytes { a += ["--max-file-bytes", String(maxFileBytes)] }
        if window != .dicom { a += ["--window", window.description] }
        if bits != 8 { a += ["--bits", String(bits)] }
        if frames != .first { a += ["--frames", frames.rawValue] }
        return a
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
