import Foundation
import MedAugTestSupport
import XCTest

/// `medaug experiment --slurm`: the scripts it writes, and a run of them
/// through a stand-in `sbatch` that must give the results of a local run.
final class SlurmTests: IsolatedCLITestCase {
    /// An experiment on the tiny dataset: `variants` as YAML list items.
    func config(_ name: String = "exp.yaml", recipe: String = "study-cnn", device: String = "cpu", epochs: String = "[1]",
                repeats: Int = 1, gan: String = "{epochs: 1, image_size: 32, batch_size: 8, ngf: 8, ndf: 8}",
                variants: String = "  - name: Original\n  - name: Aug 1\n    preset: aug1\n    copies: 1\n", extra: String = "") throws -> String {
        if !FileManager.default.fileExists(atPath: at("data")) { try TinyDataset.write(to: tmp.appendingPathComponent("data")) }
        let yaml = """
        name: Slurm check
        data: data
        recipe: \(recipe)
        overrides: {batch_size: 8, device: \(device)}
        positive: bright
        epochs: \(epochs)
        repeats: \(repeats)
        seed: 4
        gan: \(gan)
        \(extra)
        variants:
        \(variants)
        """
        try yaml.write(toFile: at(name), atomically: true, encoding: .utf8)
        return at(name)
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// The script's `#SBATCH --key=value` lines.
    func directives(_ script: String) -> [String: String] {
        var d: [String: String] = [:]
        for line in script.split(separator: "\n") where line.hasPrefix("#SBATCH --") {
            let kv = line.dropFirst("#SBATCH --".count).split(separator: "=", maxSplits: 1)
            d[String(kv[0])] = kv.count > 1 ? String(kv[1]) : ""
        }
        return d
    }

    /// `--slurm` into `dir` with `extra` options; the array script's directives.
    func slurm(_ config: String, _ dir: String, _ extra: [String] = []) throws -> [String: String] {
        try medaug(["experiment", config, "--out", at(dir), "--slurm"] + extra)
        return directives(try read(at("\(dir)/slurm/cells.sbatch")))
    }

    func bashSyntaxIsValid(_ path: String) throws -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-n", path]
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    func testScriptsRunOneCellPerTaskWithTheOptionsPassedThrough() throws {
        let cfg = try config(device: "cuda", epochs: "[1, 3]", repeats: 2)
        let d = try slurm(cfg, "exp", ["--partition", "gpu", "--account", "lab-7", "--time", "2:00:00", "--cpus-per-task", "3", "--mem", "6G"])
        XCTAssertEqual(d["array"], "1-4", "2 variants x 2 repeats")
        XCTAssertEqual(d["partition"], "gpu")
        XCTAssertEqual(d["account"], "lab-7")
        XCTAssertEqual(d["time"], "2:00:00")
        XCTAssertEqual(d["cpus-per-task"], "3")
        XCTAssertEqual(d["mem"], "6G")
        XCTAssertEqual(d["gres"], "gpu:1", "device: cuda asks for a GPU")
        XCTAssertEqual(d["job-name"], "medaug-slurm-check")
        XCTAssertEqual(d["output"], at("exp/slurm-logs/%A_%a.out"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: at("exp/slurm-logs")), "Slurm does not make the log folder itself")

        let cells = try read(at("exp/slurm/cells.sbatch"))
        let run = try XCTUnwrap(cells.split(separator: "\n").last { $0.hasPrefix("exec ") }).split(separator: " ").map(String.init)
        let binary = run[1]
        XCTAssertTrue(binary.hasPrefix("/") && FileManager.default.isExecutableFile(atPath: binary), "the medaug binary by its absolute path: \(binary)")
        XCTAssertEqual(Array(run[2...]), ["experiment", "run", cfg, "--out", at("exp/cells") + "/\"$task\"", "--shard", "\"$task/4\"",
                                          "--resume", "--repeats", "2"])
        let collect = try read(at("exp/slurm/collect.sbatch"))
        XCTAssertNil(directives(collect)["gres"], "merging needs no GPU")
        XCTAssertEqual(directives(collect)["partition"], "gpu")
        XCTAssertTrue(collect.contains("exec \(binary) experiment collect \"${cells[@]}\" --out \(at("exp"))"), collect)
        let submit = try read(at("exp/slurm/submit.sh"))
        XCTAssertTrue(submit.contains("sbatch --parsable \"$@\" \(at("exp/slurm/cells.sbatch"))"), submit)
        XCTAssertTrue(submit.contains("sbatch --parsable --dependency=afterok:\"$job\" \(at("exp/slurm/collect.sbatch"))"), submit)
        for name in ["cells.sbatch", "collect.sbatch", "submit.sh"] {
            let path = at("exp/slurm/\(name)")
            XCTAssertTrue(try read(path).contains("\nset -euo pipefail\n"), name)
            XCTAssertTrue(try bashSyntaxIsValid(path), name)
        }

        // Recorded like a run, but nothing trained.
        let recorded = try JSONSerialization.jsonObject(with: Data(contentsOf: tmp.appendingPathComponent("exp/experiment.json"))) as? [String: Any]
        XCTAssertEqual(recorded?["repeats"] as? Int, 2)
        for k in 1...4 { XCTAssertTrue(FileManager.default.fileExists(atPath: at("exp/cells/\(k)/experiment.json")), "cell \(k)") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: at("exp/cells/5")))
        let files = try FileManager.default.subpathsOfDirectory(atPath: at("exp"))
        XCTAssertFalse(files.contains { $0.contains("runs/") || $0.hasSuffix("results.csv") }, "--slurm trains nothing: \(files)")
    }

    func testGPUIsAskedForByTheConfigUnlessGresSaysOtherwise() throws {
        let cpu = try slurm(try config(device: "cpu"), "cpu")
        XCTAssertNil(cpu["gres"])
        XCTAssertEqual(cpu["cpus-per-task"], "4")
        XCTAssertNil(cpu["partition"])
        XCTAssertEqual(try slurm(try config(device: "cpu"), "given", ["--gres", "gpu:a100:2"])["gres"], "gpu:a100:2")
        XCTAssertNil(try slurm(try config(device: "cuda"), "none", ["--gres", "none"])["gres"])
        XCTAssertEqual(try slurm(try config(device: "cuda"), "cuda")["gres"], "gpu:1")
    }

    func testEveryFoldIsATaskOfItsOwn() throws {
        let d = try slurm(try config("folds.yaml", repeats: 2, extra: "folds: 3"), "folds")
        XCTAssertEqual(d["array"], "1-12", "2 variants x 2 repeats x 3 folds")
        XCTAssertTrue(try read(at("folds/slurm/cells.sbatch")).contains("--shard \"$task/12\""))
        XCTAssertTrue(FileManager.default.fileExists(atPath: at("folds/cells/12/experiment.json")))
    }

    func testDataSmokeAndReadingOptionsReachEveryTaskAndItAcceptsTheRecordedSettings() throws {
        let cfg = try config(epochs: "[1, 3]", repeats: 2)
        try FileManager.default.moveItem(atPath: at("data"), toPath: at("moved"))
        // Relative paths, as typed in the folder the user works in; the tasks run elsewhere.
        let r = try MedaugBinary.run(["experiment", "exp.yaml", "--out", "smoke", "--slurm", "--data", "moved", "--smoke", "--bits", "16"],
                                     in: tmp, environment: ["MEDAUG_HOME": at("home"), "MEDAUG_ID_SALT": ""])
        XCTAssertEqual(r.status, 0, r.err)
        let cells = try read(at("smoke/slurm/cells.sbatch"))
        XCTAssertEqual(directives(cells)["array"], "1-2", "--smoke: one repeat")
        XCTAssertTrue(cells.contains(" \(cfg) --out \(at("smoke/cells"))/\"$task\" --shard \"$task/2\" --resume --repeats 1 --data \(at("moved")) --smoke --bits 16\n"), cells)
        XCTAssertEqual(try Data(contentsOf: tmp.appendingPathComponent("smoke/cells/2/experiment.json")),
                       try Data(contentsOf: tmp.appendingPathComponent("smoke/experiment.json")))

        // Task 2 as Slurm would start it, from another directory: it accepts the settings recorded for it.
        let taskEnv = ["SLURM_ARRAY_TASK_ID": "2", "SLURM_CPUS_PER_TASK": "2", "MEDAUG_HOME": at("home"), "MEDAUG_ID_SALT": ""]
        let (status, message) = try script(at("smoke/slurm/cells.sbatch"), env: taskEnv, from: "/")
        XCTAssertEqual(status, 0, message)
        let rows = try read(at("smoke/cells/2/results.csv")).split(separator: "\n")
        XCTAssertEqual(rows.count, 2, "one row: 1 epoch of cell 2")
        XCTAssertTrue(rows[1].hasPrefix("Aug 1,1,1,"), "cell 2 is the second variant of repeat 1: \(rows[1])")

        // The experiment file edited after the job was written: the task refuses instead of mixing two experiments.
        try (try read(cfg)).replacingOccurrences(of: "seed: 4", with: "seed: 5").write(toFile: cfg, atomically: true, encoding: .utf8)
        let (editedStatus, why) = try script(at("smoke/slurm/cells.sbatch"), env: taskEnv.merging(["SLURM_ARRAY_TASK_ID": "1"]) { $1 }, from: "/")
        XCTAssertNotEqual(editedStatus, 0)
        XCTAssertTrue(why.contains("other settings"), why)
        XCTAssertFalse(FileManager.default.fileExists(atPath: at("smoke/cells/1/runs")))
    }

    /// Seconds of a `HH:MM:SS` or `D-HH:MM:SS` time.
    func seconds(_ time: String?) throws -> Int {
        let t = try XCTUnwrap(time)
        let parts = t.split(separator: "-")
        let clock = parts.last!.split(separator: ":").map { Int($0)! }
        XCTAssertEqual(clock.count, 3, t)
        return (parts.count == 2 ? Int(parts[0])! * 86_400 : 0) + clock[0] * 3600 + clock[1] * 60 + clock[2]
    }

    func testTimeEstimateGrowsWithEpochsAndGANAndMemoryWithTheModel() throws {
        let resnet = { (epochs: String, dir: String) throws -> [String: String] in
            try self.slurm(try self.config("\(dir).yaml", recipe: "study-resnet50", epochs: epochs), dir)
        }
        let short = try seconds(resnet("[10]", "e10")["time"]), long = try seconds(resnet("[5, 1000]", "e1000")["time"])
        let longer = try seconds(resnet("[3000]", "e3000")["time"])
        XCTAssertEqual(short, 15 * 60, "a short cell gets the floor")
        XCTAssertGreaterThan(long, short)
        XCTAssertGreaterThan(longer, long)
        XCTAssertGreaterThan(longer, 3 * 3600, "3000 epochs of ResNet50 on 12 images at 0.2 s each, doubled")

        let plain = try slurm(try config("p.yaml", gan: "{epochs: 3000}", variants: "  - name: Original\n"), "plain")
        let gan = try slurm(try config("g.yaml", gan: "{epochs: 3000}", variants: "  - name: Original\n  - name: GAN\n    gan: 50%\n"), "gan")
        XCTAssertEqual(try seconds(plain["time"]), 15 * 60)
        // 12 images x 3000 epochs x 0.0164 s, plus the classifier's minute, doubled.
        XCTAssertGreaterThan(try seconds(gan["time"]), 20 * 60, "the GAN cells train 3000 GAN epochs first")

        let gib = { (d: [String: String]) -> Int in Int(d["mem"]!.dropLast())! }
        XCTAssertGreaterThan(gib(try resnet("[1]", "mem")), gib(plain), "ResNet50 at 224 px needs more memory than the small CNN")
    }

    func testUnusableOptionsAndFoldersAreRefusedBeforeAnythingIsWritten() throws {
        let cfg = try config()
        try medaug(["experiment", cfg, "--out", at("a"), "--partition", "gpu"], expect: 64)
        try medaug(["experiment", cfg, "--out", at("a"), "--slurm", "--shard", "1/2"], expect: 64)
        try medaug(["experiment", cfg, "--out", at("a"), "--slurm", "--time", "soon"], expect: 64)
        try medaug(["experiment", cfg, "--out", at("a"), "--slurm", "--mem", "16GB"], expect: 64)
        try medaug(["experiment", cfg, "--out", at("a"), "--slurm", "--partition", "gpu\n#SBATCH --x"], expect: 64)
        XCTAssertFalse(FileManager.default.fileExists(atPath: at("a")))
        let inside = try medaug(["experiment", cfg, "--out", at("data/out"), "--slurm"], expect: 1)
        XCTAssertTrue(inside.err.contains("data"), inside.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: at("data/out")))
        try medaug(["experiment", cfg, "--out", at("b c"), "--slurm"], expect: 1)

        _ = try slurm(cfg, "once")
        let again = try medaug(["experiment", cfg, "--out", at("once"), "--slurm"], expect: 1)
        XCTAssertTrue(again.err.contains("--resume"), again.err)
        XCTAssertEqual(try slurm(cfg, "once", ["--resume", "--repeats", "3"])["array"], "1-6", "more repeats, more tasks")
    }

    /// The results.csv rows without the wall-clock seconds.
    func results(_ dir: String) throws -> [String] {
        let rows = try read(at("\(dir)/results.csv")).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let seconds = try XCTUnwrap(rows.first?.firstIndex(of: "seconds"))
        return rows.map { r in r.enumerated().filter { $0.offset != seconds }.map(\.element).joined(separator: ",") }
    }

    /// Runs `path` with bash as Slurm would (from `from`, with `env` added), without the stand-in sbatch: (status, stderr).
    func script(_ path: String, env: [String: String] = [:], from: String? = nil) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [path]
        if let from { p.currentDirectoryURL = URL(fileURLWithPath: from) }
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, message)
    }

    /// Runs `script` with the stand-in sbatch first on PATH.
    func bash(_ script: String, _ args: [String] = [], kill: String? = nil) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [script] + args
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = at("fake-slurm") + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["FAKE_SBATCH_STATE"] = at("fake-slurm")
        env["FAKE_SBATCH_KILL"] = kill
        env["MEDAUG_HOME"] = at("home")
        env["MEDAUG_ID_SALT"] = ""
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "\(script) \(args)")
        return text
    }

    func testCellsRunThroughSbatchThenCollectGiveTheResultsOfALocalRun() throws {
        let cfg = try config(repeats: 2, variants: "  - name: Original\n  - name: Aug 1\n    preset: aug1\n    copies: 1\n  - name: GAN\n    gan: 50%\n")
        try FileManager.default.createDirectory(atPath: at("fake-slurm"), withIntermediateDirectories: true)
        try Self.fakeSbatch.write(toFile: at("fake-slurm/sbatch"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: at("fake-slurm/sbatch"))
        let d = try slurm(cfg, "cluster", ["--cpus-per-task", "2"])
        XCTAssertEqual(d["array"], "1-6")

        // Task 5 (repeat 2, Aug 1) dies part-way, as on a lost node: the collect job must not run.
        let first = try bash(at("cluster/slurm/submit.sh"), kill: "5:30")
        XCTAssertTrue(first.contains("submitted the cells as job 101 and the collect step as job 102"), first)
        XCTAssertEqual(try read(at("fake-slurm/calls")), "101 none 1-6 cells.sbatch\n102 afterok:101 single collect.sbatch\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: at("fake-slurm/ok-101")), "task 5 failed")
        XCTAssertFalse(FileManager.default.fileExists(atPath: at("cluster/results.csv")), "collect waits for every task")
        for task in [1, 2, 3, 4, 6] { XCTAssertTrue(FileManager.default.fileExists(atPath: at("cluster/slurm-logs/101_\(task).out")), "task \(task)") }
        // After 30 writes its training set is built and its training has begun (tune the count if that changes).
        let killed = try FileManager.default.subpathsOfDirectory(atPath: at("cluster/cells/5"))
        XCTAssertTrue(killed.contains("runs/aug-1/repeat-2/train"), "\(killed)")
        XCTAssertFalse(killed.contains { $0.hasSuffix("rows.json") }, "\(killed)")
        // The collect script names what to rerun when run before the cells are done.
        let (status, message) = try script(at("cluster/slurm/collect.sbatch"))
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(message.contains("--array=5"), message)

        // The README's remedy: rerun that task; it continues, and collect follows.
        let second = try bash(at("cluster/slurm/submit.sh"), ["--array=5"])
        XCTAssertTrue(second.contains("job 103") && second.contains("job 104"), second)
        let collectLog = (try? read(at("cluster/slurm-logs/104-collect.out"))) ?? "no log"
        XCTAssertTrue(FileManager.default.fileExists(atPath: at("fake-slurm/ok-104")), collectLog)

        let local = try MedaugBinary.run(["experiment", cfg, "--out", at("local")],
                                         environment: ["MEDAUG_HOME": at("home"), "MEDAUG_ID_SALT": "", "OMP_NUM_THREADS": "2"])
        XCTAssertEqual(local.status, 0, local.err)
        let collected = try results("cluster")
        XCTAssertEqual(collected.count, 1 + 3 * 2, "a row per variant and repeat")
        XCTAssertEqual(collected, try results("local"))
        let report = try read(at("cluster/report.html"))
        XCTAssertTrue(report.contains("<section id=\"dataset\">") && report.contains("bright"), "dataset section from the cells' data")
        XCTAssertTrue(report.contains("GAN samples: bright"), "GAN samples found in the cell folders")
    }

    /// A stand-in for Slurm's sbatch that runs a job here and now: an array
    /// job once per task (SLURM_ARRAY_JOB_ID, SLURM_ARRAY_TASK_ID and
    /// SLURM_CPUS_PER_TASK set, output to the `--output` pattern), a job with
    /// `--dependency=afterok:ID` only when job ID succeeded, as Slurm would.
    /// FAKE_SBATCH_KILL=K:N ends task K after its N-th file write, as a lost node would.
    static let fakeSbatch = #"""
    #!/bin/bash
    set -euo pipefail
    state="${FAKE_SBATCH_STATE:?}"
    parsable=0 dependency="" array=""
    while [[ $# -gt 1 ]]; do
      case "$1" in
        --parsable) parsable=1 ;;
        --dependency=*) dependency="${1#--dependency=}" ;;
        --array=*) array="${1#--array=}" ;;
        *) echo "fake sbatch: unexpected option $1" >&2; exit 2 ;;
      esac
      shift
    done
    script="$1"
    directive() { sed -n "s/^#SBATCH --$1=//p" "$script" | head -n 1; }
    [[ -n "$array" ]] || array=$(directive array)
    log=$(directive output)
    cpus=$(directive cpus-per-task)
    id=$(( $(cat "$state/last-id" 2>/dev/null || echo 100) + 1 ))
    echo "$id" > "$state/last-id"
    echo "$id ${dependency:-none} ${array:-single} $(basename "$script")" >> "$state/calls"
    run() {
      local kill=()
      [[ -n "$1" && "${FAKE_SBATCH_KILL:-}" == "$1":* ]] && kill=(MEDAUG_TEST_EXIT_AFTER_WRITES="${FAKE_SBATCH_KILL#*:}")
      env "${kill[@]}" SLURM_JOB_ID="$id" SLURM_ARRAY_JOB_ID="$id" SLURM_ARRAY_TASK_ID="$1" SLURM_CPUS_PER_TASK="$cpus" \
        bash "$script" > "$2" 2>&1
    }
    ok=1
    if [[ -n "$dependency" ]]; then
      [[ "$dependency" == afterok:* && -e "$state/ok-${dependency#afterok:}" ]] || ok=0
    fi
    if (( ok )) && [[ -n "$array" ]]; then
      for range in ${array//,/ }; do
        range=${range%%%*}
        for task in $(seq "${range%-*}" "${range#*-}"); do
          out=${log//%A/$id}
          run "$task" "${out//%a/$task}" || ok=0
        done
      done
    elif (( ok )); then
      run "" "${log//%j/$id}" || ok=0
    fi
    if (( ok )); then touch "$state/ok-$id"; fi
    if (( parsable )); then echo "$id"; else echo "Submitted batch job $id"; fi
    """#
}
