import Foundation
import MedAugCore
import MedAugData
import MedAugTrain

/// Stratified group k-fold: every patient (or source image, when patients
/// are unknown) lands in exactly one fold, so a fold never validates on a
/// relative of an image it trained on; each class is spread evenly across
/// the folds. GAN images only ever train.
public enum FoldSplit {
    /// Marks a sample that trains in every fold.
    public static let alwaysTrain = -1

    /// The 0-based fold of each sample (or ``alwaysTrain``), drawn with `seed`.
    public static func assign(_ samples: [Sample], folds k: Int, seed: UInt64) throws -> [Int] {
        precondition(k >= 2, "k-fold needs at least two folds")
        var members: [String: [Int]] = [:]
        var order: [String] = []
        for (i, s) in samples.enumerated() {
            let g = s.group ?? s.path
            if g.hasPrefix(SourceGroup.syntheticPrefix) { continue }
            if members[g] == nil { order.append(g) }
            members[g, default: []].append(i)
        }
        guard order.count >= k else {
            throw DatasetError.invalidArgument("folds: \(k) folds need at least \(k) patients (or source images) in the training set; it has \(order.count)")
        }
        // A group's class is its most frequent one (lowest class index on ties).
        func classOf(_ g: String) -> Int {
            var counts: [Int: Int] = [:]
            for i in members[g]! { counts[samples[i].classIndex, default: 0] += 1 }
            return counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!.key
        }
        var byClass: [Int: [String]] = [:]
        for g in order { byClass[classOf(g), default: []].append(g) }
        var fold = Array(repeating: alwaysTrain, count: samples.count)
        var load = Array(repeating: 0, count: k)
        for c in byClass.keys.sorted() {
            var groups = byClass[c]!
            var rng = Xoshiro256(seed: seed, path: [0x464F_4C44, UInt64(c)])
            rng.shuffle(&groups)
            // Largest groups first, each to the fold holding the fewest of this
            // class (then the fewest overall), keeps folds even in images, not
            // just in patients. The sort is stable, so the shuffle breaks ties.
            let sizes = groups.map { members[$0]!.count }
            let ranked = groups.indices.sorted { sizes[$0] > sizes[$1] || (sizes[$0] == sizes[$1] && $0 < $1) }
            var classLoad = Array(repeating: 0, count: k)
            for gi in ranked {
                let f = (0..<k).min { (classLoad[$0], load[$0], $0) < (classLoad[$1], load[$1], $1) }!
                for i in members[groups[gi]]! { fold[i] = f }
                classLoad[f] += sizes[gi]
                load[f] += sizes[gi]
            }
        }
        return fold
    }
}
