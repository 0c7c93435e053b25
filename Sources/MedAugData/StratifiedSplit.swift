import MedAugCore
import MedAugImage
/// Seeded, stratified train/test (or train/validation) splits.
///
/// Per class, the units (single samples, or whole groups when samples carry a
/// `group`) are shuffled with a `Xoshiro256` derived from (seed, class label)
/// and round(n × fraction) of them go to the held-out side. Deriving per class
/// means adding images to one class does not reshuffle the others.
public enum StratifiedSplit {
    public struct Result: Sendable {
        public var train: [Sample]
        public var test: [Sample]
    }

    /// - Parameters:
    ///   - testFraction: share of each class's units held out, in 0...1.
    ///     A class with 2 or more units gives at least 1 to each side when
    ///     0 < fraction < 1; a class with a single unit keeps it in train.
    ///   - trainSplit/testSplit: the `split` written into the returned samples,
    ///     e.g. `testSplit: .validation` to carve a validation set from train.
    /// - Returns: both sides in the input order, disjoint, together the input.
    ///
    /// Grouped samples: a group's class is the class of its first member in
    /// input order, and the group lands on one side as a whole.
    public static func split(_ samples: [Sample], testFraction: Double, seed: UInt64,
                             trainSplit: DataSplit = .train,
                             testSplit: DataSplit = .test) throws(DatasetError) -> Result {
        guard testFraction.isFinite, (0...1).contains(testFraction) else {
            throw .invalidArgument("test fraction must be between 0 and 1, got \(testFraction)")
        }

        // Units in first-appearance order; the shuffle alone decides the sides.
        var unitOf = [Int](repeating: 0, count: samples.count)
        var unitClass: [Int] = []
        var groupUnit: [ScalarKey: Int] = [:]
        for (i, s) in samples.enumerated() {
            if let g = s.group {
                let key = ScalarKey(g)
                if let u = groupUnit[key] {
                    unitOf[i] = u
                    continue
                }
                groupUnit[key] = unitClass.count
            }
            unitOf[i] = unitClass.count
            unitClass.append(s.classIndex)
        }

        var unitsByClass: [Int: [Int]] = [:]
        for (u, c) in unitClass.enumerated() { unitsByClass[c, default: []].append(u) }

        var held = [Bool](repeating: false, count: unitClass.count)
        for (label, units) in unitsByClass {
            let k = heldOutCount(units.count, testFraction)
            guard k > 0 else { continue }
            var order = units
            var rng = Xoshiro256(seed: seed, path: [0x5350_4C49_54 /* "SPLIT" */, UInt64(bitPattern: Int64(label))])
            rng.shuffle(&order)
            for u in order.prefix(k) { held[u] = true }
        }

        var result = Result(train: [], test: [])
        for (i, var s) in samples.enumerated() {
            if held[unitOf[i]] {
                s.split = testSplit
                result.test.append(s)
            } else {
                s.split = trainSplit
                result.train.append(s)
            }
        }
        return result
    }

    /// How many of n units are held out.
    public static func heldOutCount(_ n: Int, _ fraction: Double) -> Int {
        guard n > 0, fraction > 0 else { return 0 }
        if fraction >= 1 { return n }
        if n == 1 { return 0 }
        let k = Int((Double(n) * fraction).rounded())
        return min(max(k, 1), n - 1)
    }
}
