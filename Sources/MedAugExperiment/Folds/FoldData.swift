import Foundation
import MedAugCore
import MedAugData
import MedAugTrain

/// One fold of one repeat laid out like the experiment's data: `train/`
/// without the fold, `validation/` the fold, `test/` the untouched test set,
/// as hard links under the cache with manifests that keep the patient keys.
enum FoldData {
    /// The fold root for (repeat, fold), made once and reused on resume.
    static func prepare(root: String, repeatIndex: Int, fold: Int, folds k: Int, seed: UInt64, cache: String,
                        log: (String) -> Void) throws -> String {
        let all = try LabeledSamples.load(root, part: .train, options: ExperimentData.folders)
        // The data's own validation images join the pool: the folds take the validation set's place.
        let pool = all.samples + all.validation.map { var s = $0; s.split = .train; return s }
        let assignment = try FoldSplit.assign(pool, folds: k, seed: seed)
        let train = pool.indices.filter { assignment[$0] != fold - 1 }.map { pool[$0] }
        let validation = pool.indices.filter { assignment[$0] == fold - 1 }.map { pool[$0] }
        let test = try LabeledSamples.load(root, part: .test, options: ExperimentData.folders).samples
        let parts: [(DataSplit, [Sample])] = [(.train, train), (.validation, validation), (.test, test)]
        let key = ExperimentData.hashKey(parts, root: root)
        let dir = (cache as NSString).appendingPathComponent("folds/repeat-\(repeatIndex)-fold-\(fold)-of-\(k)-\(key)")
        let stamp = (dir as NSString).appendingPathComponent(".complete")
        if FileManager.default.fileExists(atPath: stamp) { return dir }
        try? FileManager.default.removeItem(atPath: dir)
        log("repeat \(repeatIndex), fold \(fold)/\(k): \(train.count) training and \(validation.count) validation images (grouped by patient or source)")
        for (split, samples) in parts {
            try ExperimentData.write(samples, part: (dir as NSString).appendingPathComponent(split.rawValue), root: root,
                                     classes: all.classes)
        }
        try AtomicWrite.write(key, to: stamp)
        return dir
    }
}
