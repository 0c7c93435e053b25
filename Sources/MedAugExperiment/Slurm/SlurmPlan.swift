import Foundation
import MedAugCore
import MedAugTrain

/// The Slurm job of an experiment: an array job with one task per cell, a
/// collect job that merges them, and the script that submits both.
///
/// Task K runs cell K of the grid (by repeat, then fold, then variant, as
/// `ExperimentRunner.cells` orders them) with `--shard K/N`, in an experiment
/// folder of its own, `DIR/cells/K`: tasks running at the same time then
/// share no file (the derived training sets, the GANs, results.csv and the
/// report are all per folder, and their locks are per process). The collect
/// job, which Slurm starts only when every task has succeeded, merges the
/// cell folders into DIR (`medaug experiment collect`), as a local run would
/// have written it. Every path in the scripts is absolute, so they run from
/// any working directory.
public struct SlurmPlan: Sendable {
    /// The experiment as every task runs it (repeats, `--smoke` and `--data` applied).
    public let config: ExperimentConfig
    /// The experiment file, absolute: each task reads it again.
    public let configPath: String
    /// The experiment folder, absolute.
    public let out: String
    /// The `medaug` that wrote the plan, absolute: the tasks run the same build.
    public let binary: String
    /// Arguments every task's `medaug experiment run` gets besides the cell's
    /// own (`--data`, `--smoke`, reading options).
    public let runArguments: [String]
    /// The user's Slurm options.
    public let options: SlurmOptions
    /// What the estimate counted in the data.
    public let counts: DataCounts
    /// The estimate of each variant's cells.
    public let estimates: [CellEstimate]

    /// Cores per task unless `--cpus-per-task` says otherwise. The figures
    /// were measured on 2; a few more shorten a cell (libtorch's threads and
    /// the batch loader), many more mostly wait.
    public static let defaultCPUs = 4
    /// The collect job reads every cell's results and writes one report.
    static let collectTime = "01:00:00", collectMem = "4G", collectCPUs = 2

    /// A plan for `config`, with the estimate from `counts`.
    public init(config: ExperimentConfig, configPath: String, out: String, binary: String, runArguments: [String],
                options: SlurmOptions, counts: DataCounts) throws {
        self.config = config
        self.configPath = configPath
        self.out = out
        self.binary = binary
        self.runArguments = runArguments
        self.options = options
        self.counts = counts
        estimates = try CellEstimate.all(config, counts: counts)
    }

    /// One task per cell, counted as the runner counts them.
    public var taskCount: Int { ExperimentRunner(config: config, out: out).cells.count }
    /// The grid in words: "6 variant(s) x 3 repeat(s)", with the folds when there are some.
    public var grid: String {
        "\(config.variants.count) variant(s) x \(config.repeats) repeat(s)" + (config.folds.map { " x \($0) folds" } ?? "")
    }
    /// The variant whose cells take longest: the array asks for its time.
    public var heaviest: CellEstimate { estimates.max { $0.seconds < $1.seconds }! }
    /// `--time` of each task.
    public var time: String { options.time ?? SlurmOptions.time(heaviest.seconds) }
    /// `--mem` of each task.
    public var mem: String { options.mem ?? "\(estimates.map(\.memoryMiB).max()! / 1024)G" }
    /// `--cpus-per-task` of each task.
    public var cpus: Int { options.cpusPerTask ?? Self.defaultCPUs }
    /// `--gres` of each task: as given (`none`: nothing), else one GPU when the config asks for CUDA.
    public var gres: String? {
        if let g = options.gres { return g == "none" ? nil : g }
        if case .cuda = config.device { return "gpu:1" }
        return nil
    }
    /// The job name: `medaug-` and the experiment's name, folder-safe.
    public var jobName: String {
        let s = config.name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }
        let words = String(s).split(separator: "-")
        var slug = ""
        // Whole words up to 40 characters: squeue shows names cut short anyway.
        for w in words {
            guard slug.count + w.count < 40 else { break }
            slug += (slug.isEmpty ? "" : "-") + w
        }
        return slug.isEmpty ? "medaug" : "medaug-\(slug)"
    }

    /// `DIR/slurm`: the scripts.
    public var scriptsDir: String { path("slurm") }
    /// `DIR/slurm-logs`: one log per task (`%A_%a.out`: job and task) and one for collect.
    public var logsDir: String { path("slurm-logs") }
    /// `DIR/cells/K`: the experiment folder of task K.
    public func cellDir(_ task: Int) -> String { path("cells/\(task)") }
    func path(_ rel: String) -> String { (out as NSString).appendingPathComponent(rel) }

    /// The array job.
    public var cellsScript: String {
        let cellsRoot = ShellWord.quoted(path("cells") + "/")
        let run = ShellWord.line([binary, "experiment", "run", configPath]) + " --out \(cellsRoot)\"$task\" --shard \"$task/\(taskCount)\" "
            + ShellWord.line(["--resume", "--repeats", String(config.repeats)] + runArguments)
        return header(name: jobName, extra: ["--array=1-\(taskCount)"], time: time, cpus: cpus, mem: mem,
                      log: "%A_%a.out", gres: gres) + """
        #
        # Experiment '\(comment(config.name))': \(grid) = \(taskCount) cell(s), one per task.
        # Task K runs cell K (in the grid's order: repeat, fold, variant) in its
        # own folder, \(comment(path("cells")))/K, so that tasks share no file.
        # Estimate: \(estimateLine).
        # Rerun failed tasks with (a rerun task continues its cell where it stopped):
        #   bash \(comment(path("slurm/submit.sh"))) --array=K[,K...]
        set -euo pipefail
        task="${SLURM_ARRAY_TASK_ID:?submit this script with sbatch: it is an array job}"
        # libtorch would otherwise start a thread per core of the whole node.
        export OMP_NUM_THREADS="${SLURM_CPUS_PER_TASK:-\(cpus)}"
        exec \(run)

        """
    }

    /// The collect job: checks that every cell finished, then merges them into DIR.
    public var collectScript: String {
        return header(name: jobName + "-collect", extra: [], time: Self.collectTime, cpus: Self.collectCPUs,
                      mem: Self.collectMem, log: "%j-collect.out", gres: nil) + """
        #
        # Merges the \(taskCount) cell folders into \(comment(out)): results.csv,
        # summary.md, summary.csv and report.html. submit.sh starts it after
        # every task has succeeded; it may also be submitted on its own.
        set -euo pipefail
        cells=()
        unfinished=()
        for task in $(seq 1 \(taskCount)); do
          cell=\(ShellWord.quoted(path("cells") + "/"))"$task"
          # A folder of one cell has rows under results.csv's header once that cell has committed.
          if [[ -f "$cell/results.csv" ]] && (( $(wc -l < "$cell/results.csv") >= 2 )); then
            cells+=("$cell")
          else
            unfinished+=("$task")
          fi
        done
        if (( ${#unfinished[@]} > 0 )); then
          list=$(IFS=,; echo "${unfinished[*]}")
          echo "cells not finished: $list; rerun them with: bash \(ShellWord.quoted(path("slurm/submit.sh"))) --array=$list" >&2
          exit 1
        fi
        exec \(ShellWord.line([binary, "experiment", "collect"])) "${cells[@]}" --out \(ShellWord.quoted(out))

        """
    }

    /// Submits the array job, then the collect job with an `afterok`
    /// dependency on it; arguments go to the array's sbatch.
    public var submitScript: String {
        let cells = ShellWord.quoted(path("slurm/cells.sbatch")), collect = ShellWord.quoted(path("slurm/collect.sbatch"))
        return """
        #!/bin/bash
        # Submits experiment '\(comment(config.name))' (written by `medaug experiment --slurm`):
        # the \(taskCount) cells as one array job, then the collect job, which Slurm
        # starts only when every task of that array has succeeded.
        # Arguments go to the array's sbatch and replace its #SBATCH lines:
        #   --array=3,5      rerun tasks 3 and 5 only (each continues where it stopped)
        #   --array=1-\(taskCount)%4   at most 4 tasks at a time
        #   --time=8:00:00   another time limit
        set -euo pipefail
        job=$(sbatch --parsable "$@" \(cells))
        job=${job%%;*}
        # --parsable prints "id" or "id;cluster".
        after=$(sbatch --parsable --dependency=afterok:"$job" \(collect))
        after=${after%%;*}
        echo "submitted the cells as job $job and the collect step as job $after (after every task succeeds)"
        echo "logs: \(comment(logsDir))/   results: \(comment(path("results.csv"))), \(comment(path("report.html")))"

        """
    }

    /// The figures behind `--time` and `--mem`, in one line.
    public var estimateLine: String {
        let h = heaviest
        let data = counts.counted ? "\(counts.train) training and \(counts.test) test images"
            : "data not readable here, \(counts.train) training images assumed"
        return "\(SlurmOptions.time(Int(h.workSeconds.rounded(.up)))) of work for a cell of '\(h.variant)' (\(data), "
            + "up to \(config.epochs.max()!) epoch(s)); x\(ConfigValue.format(CellEstimate.safetyFactor)), "
            + "at least \(CellEstimate.floorSeconds / 60) min"
    }

    /// The `#SBATCH` lines every script starts with.
    func header(name: String, extra: [String], time: String, cpus: Int, mem: String, log: String, gres: String?) -> String {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=\(name)"] + extra.map { "#SBATCH \($0)" }
        lines += ["#SBATCH --time=\(time)", "#SBATCH --cpus-per-task=\(cpus)", "#SBATCH --mem=\(mem)",
                  "#SBATCH --output=\(logsDir)/\(log)"]
        if let p = options.partition { lines.append("#SBATCH --partition=\(p)") }
        if let a = options.account { lines.append("#SBATCH --account=\(a)") }
        if let gres { lines.append("#SBATCH --gres=\(gres)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text for a comment line: one line, whatever the name holds.
    func comment(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    /// Where an `#SBATCH` path could not hold `dir` (Slurm splits the line at
    /// blanks and reads `%` as a pattern), as a message; nil when it can.
    public static func unusableFolder(_ dir: String) -> String? {
        let bad = dir.first { $0.isWhitespace || $0.isNewline || "'\"\\%".contains($0) }
        return bad.map { "the Slurm scripts name \(dir) in #SBATCH lines, which cannot hold '\($0)'; choose an --out without blanks, quotes, backslashes or %" }
    }
}
