import Foundation

/// What the user asks of Slurm for the array job, passed through to its
/// `#SBATCH` lines as given; nil means "MedAug decides" (the estimate, or
/// nothing at all for the partition and account).
public struct SlurmOptions: Sendable, Equatable {
    /// `--partition`: the queue.
    public var partition: String?
    /// `--account`: whom the time is billed to.
    public var account: String?
    /// `--gres`: generic resources; `none` asks for no GPU even with `device: cuda`.
    public var gres: String?
    /// `--time`: wall time per task in Slurm's form (`90`, `4:00:00`, `1-12:00:00`).
    public var time: String?
    /// `--cpus-per-task`.
    public var cpusPerTask: Int?
    /// `--mem`: memory per task in Slurm's form (`16G`, `8000M`).
    public var mem: String?

    /// Options as given on the command line.
    public init(partition: String? = nil, account: String? = nil, gres: String? = nil, time: String? = nil,
                cpusPerTask: Int? = nil, mem: String? = nil) {
        self.partition = partition
        self.account = account
        self.gres = gres
        self.time = time
        self.cpusPerTask = cpusPerTask
        self.mem = mem
    }

    /// True when no option is set (any of them means nothing without `--slurm`).
    public var isEmpty: Bool { self == SlurmOptions() }

    /// The first option Slurm would refuse or that would break the script's
    /// `#SBATCH` line, as a message naming the option; nil when all are usable.
    /// Checked before anything is written, so that a typo is not found when
    /// the job reaches the front of the queue.
    public var problem: String? {
        // Names Slurm takes; no blank, quote or newline can end up inside a #SBATCH line.
        let name = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,:=+-")
        for (flag, value) in [("--partition", partition), ("--account", account), ("--gres", gres)] {
            guard let value else { continue }
            if value.isEmpty || !value.unicodeScalars.allSatisfy(name.contains) {
                return "\(flag) '\(value)': give a name made of letters, digits and _ . , : = + - (Slurm's form, e.g. gpu:1)"
            }
        }
        if let time, Self.seconds(ofTime: time) == nil {
            return "--time '\(time)' is not a Slurm time: give minutes, H:MM:SS or D-HH:MM:SS (e.g. 90, 4:00:00, 1-12:00:00)"
        }
        if let cpusPerTask, !(1...1024).contains(cpusPerTask) {
            return "--cpus-per-task must be 1 to 1024, got \(cpusPerTask)"
        }
        if let mem, mem.range(of: "^[1-9][0-9]*[KMGT]?$", options: .regularExpression) == nil {
            return "--mem '\(mem)' is not a Slurm memory size: give a number with K, M, G or T (e.g. 16G, 8000M)"
        }
        return nil
    }

    /// The seconds a Slurm time stands for (`M`, `M:S`, `H:M:S`, `D-H`,
    /// `D-H:M`, `D-H:M:S`), or nil when it is not one or is zero.
    public static func seconds(ofTime text: String) -> Int? {
        let dayParts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard dayParts.count <= 2 else { return nil }
        let clock = dayParts.last!.split(separator: ":", omittingEmptySubsequences: false)
        func number(_ s: Substring) -> Int? { s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) && s.count <= 6 ? Int(s) : nil }
        let values = clock.map(number)
        guard !values.contains(where: { $0 == nil }) else { return nil }
        let v = values.map { $0! }
        var total: Int
        if dayParts.count == 2 {
            guard let days = number(dayParts[0]), (1...3).contains(v.count) else { return nil }
            // With days, the clock starts at hours: D-H, D-H:M, D-H:M:S.
            let hms = v + Array(repeating: 0, count: 3 - v.count)
            total = days * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2]
        } else {
            switch v.count {
            case 1: total = v[0] * 60
            case 2: total = v[0] * 60 + v[1]
            case 3: total = v[0] * 3600 + v[1] * 60 + v[2]
            default: return nil
            }
        }
        return total > 0 ? total : nil
    }

    /// Seconds as Slurm writes a time: `HH:MM:SS`, or `D-HH:MM:SS` from a day.
    public static func time(_ seconds: Int) -> String {
        let d = seconds / 86_400, h = seconds % 86_400 / 3600, m = seconds % 3600 / 60, s = seconds % 60
        let clock = String(format: "%02d:%02d:%02d", h, m, s)
        return d > 0 ? "\(d)-\(clock)" : clock
    }
}
