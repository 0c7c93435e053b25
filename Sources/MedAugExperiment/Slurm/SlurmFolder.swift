import Foundation
import MedAugCore
import MedAugData

/// `medaug experiment CONFIG --out DIR --slurm`: readies DIR for a Slurm run
/// and writes the job's scripts, training nothing.
///
/// DIR gets experiment.json and dataset.json as a local run records them
/// (and is refused or continued by the same rules), `slurm/` with the
/// scripts, `slurm-logs/` (Slurm does not create the folder of `--output`
/// and a job without it fails unseen) and `cells/K` for every task, each
/// holding the same two records: a task started after the experiment file
/// changed is then refused instead of mixing two experiments.
public enum SlurmFolder {
    /// Prepares `out` and writes the plan's scripts; returns the plan.
    /// `config` is the experiment as each task will read it (`runArguments`
    /// applied); with `resume` and without `repeatsGiven` the saved number of
    /// repeats is kept, as `medaug experiment --resume` keeps it.
    public static func write(config: ExperimentConfig, configPath: String, out: String, resume: Bool, repeatsGiven: Bool,
                             runArguments: [String], options: SlurmOptions, datasetOptions: DatasetOptions,
                             binary: String, log: @escaping (String) -> Void) throws -> SlurmPlan {
        if let m = SlurmPlan.unusableFolder(out) { throw RunFolderError(m) }
        var config = config
        // Generated here, once: tasks that each found it missing would write the same folder at once.
        let runner = ExperimentRunner(config: config, out: out)
        runner.log = log
        try runner.prepareData()
        try OutputGuard.check(output: out, inputs: [config.data])
        let (folder, _) = try ExperimentRunner.open(out, config: &config, resume: resume, repeatsGiven: repeatsGiven)
        try checkNoCellsBeyond(config, out: out)
        try folder.record(config)
        let chosen = try ExperimentRunner.datasetOptions(datasetOptions, savedIn: out)
        let plan = try SlurmPlan(config: config, configPath: configPath, out: out, binary: binary, runArguments: runArguments,
                                 options: options, counts: DataCounts.count(config, options: chosen))
        for task in 1...plan.taskCount {
            let cell = RunFolder(plan.cellDir(task), settings: "experiment.json", holds: "an experiment")
            // A started cell keeps its record: its task compares it with the file when it runs.
            if !cell.isStarted { try cell.record(config) }
            _ = try ExperimentRunner.datasetOptions(chosen, savedIn: cell.dir)
        }
        try FileManager.default.createDirectory(atPath: plan.logsDir, withIntermediateDirectories: true)
        for (name, text) in [("cells.sbatch", plan.cellsScript), ("collect.sbatch", plan.collectScript), ("submit.sh", plan.submitScript)] {
            let path = (plan.scriptsDir as NSString).appendingPathComponent(name)
            try AtomicWrite.write(text, to: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        return plan
    }

    /// Refuses fewer repeats than the folder has cells for: the collect job
    /// would leave those cells out of an experiment that says it has fewer.
    static func checkNoCellsBeyond(_ config: ExperimentConfig, out: String) throws {
        let count = ExperimentRunner(config: config, out: out).cells.count, perRepeat = count / config.repeats
        let cells = (out as NSString).appendingPathComponent("cells")
        let beyond = ((try? FileManager.default.contentsOfDirectory(atPath: cells)) ?? []).compactMap(Int.init).filter { task in
            task > count && FileManager.default.fileExists(atPath: (cells as NSString).appendingPathComponent("\(task)/runs"))
        }
        guard let top = beyond.max() else { return }
        let needed = (top + perRepeat - 1) / perRepeat
        throw RunFolderError("--repeats \(config.repeats): \(cells)/\(top) already holds a cell of repeat \(needed); "
            + "ask for \(needed) or more (or leave --repeats out to keep the saved count), or choose another --out")
    }
}
