import Foundation

/// The intervals of one test set's figures. DeLong (logit scale) for an
/// AUC; a seeded stratified percentile bootstrap, resampled the same way for
/// every figure, for the rest. A rate the bootstrap cannot vary (10 of 10
/// found: every resample finds 10 of 10) gets the Wilson score interval of
/// its counts instead, and an AUC whose DeLong variance is 0 gets none: both
/// say so in their method.
struct IntervalMaker {
    let probabilities: [[Double]]
    let truth: [Int]
    let classes: [String]
    let positive: Int?
    let threshold: Double?
    let settings: EvaluationSettings

    var percent: Int { Int((settings.level * 100).rounded()) }

    func fill(_ m: inout MedicalMetrics) {
        let counts = m.classification.rateCounts
        var out: [String: MedicalMetrics.Interval] = [:]
        if let p = positive { out["roc_auc"] = delong(p) }
        let accuracyCounts = (m.classification.confusion.indices.reduce(0) { $0 + m.classification.confusion[$1][$1] }, truth.count)
        out["accuracy"] = rate(rated(\.accuracy), counts: accuracyCounts)
        out["balanced_accuracy"] = boot(rated(\.balancedAccuracy))
        if let p = positive {
            out["sensitivity"] = rate(rated { $0.sensitivities[p] }, counts: (counts[p].tp, counts[p].positives))
            out["specificity"] = rate(rated { $0.specificities[p] }, counts: (counts[p].tn, counts[p].negatives))
            out["average_precision"] = boot { probs, y in
                RankingMetrics.averagePrecision(scores: MedicalMetrics.scores(probs, positive: p), positive: y.map { $0 == p })
            }
        } else {
            out["sensitivity"] = boot(rated { MedicalMetrics.macro($0.sensitivities) })
            out["specificity"] = boot(rated { MedicalMetrics.macro($0.specificities) })
            out["average_precision"] = boot { probs, y in RankingMetrics.macroAveragePrecision(probabilities: probs, truth: y) }
            out["roc_auc"] = boot { probs, y in RankingMetrics.macroROCAUC(probabilities: probs, truth: y) }
        }
        out["brier"] = boot { probs, y in Calibration.brier(probabilities: probs, truth: y, positive: positive) }
        m.intervals = out.compactMapValues { $0 }
        for c in classes.indices {
            var per: [String: MedicalMetrics.Interval?] = ["roc_auc": delong(c)]
            per["sensitivity"] = rate(rated { $0.sensitivities[c] }, counts: (counts[c].tp, counts[c].positives))
            per["specificity"] = rate(rated { $0.specificities[c] }, counts: (counts[c].tn, counts[c].negatives))
            m.perClass[c].intervals = per.compactMapValues { $0 }
        }
    }

    /// The class's one-vs-rest AUC by DeLong; nil without both kinds of image.
    func delong(_ c: Int) -> MedicalMetrics.Interval? {
        let s = MedicalMetrics.scores(probabilities, positive: c), y = truth.map { $0 == c }
        guard let (auc, variance) = DeLong.aucVariance(scores: s, positive: y) else { return nil }
        if variance <= 0 || auc <= 0 || auc >= 1 {
            return .init(low: nil, high: nil, method: "none: DeLong's variance is 0 (AUC \(auc == 1 || auc == 0 ? "\(Int(auc))" : String(format: "%.3f", auc)): the classes are perfectly separated or every score ties), so it gives no interval")
        }
        guard let ci = DeLong.interval(scores: s, positive: y, level: settings.level) else { return nil }
        return .init(low: ci.low, high: ci.high, method: "DeLong, \(percent)%, on the logit scale")
    }

    /// A figure of the resampled test set: (probabilities, truth) -> value.
    typealias Statistic = ([[Double]], [Int]) -> Double?

    func rated(_ f: @escaping (ClassificationMetrics) -> Double?) -> Statistic {
        { [positive, threshold, classes] probs, y in
            f(ClassificationMetrics(truth: y, predicted: MedicalMetrics.predict(probs, positive: positive, threshold: threshold), classes: classes))
        }
    }

    func boot(_ f: @escaping Statistic) -> MedicalMetrics.Interval? {
        guard settings.bootstrap > 0,
              let ci = Bootstrap.percentileInterval(truth: truth, replicates: settings.bootstrap, seed: settings.seed, level: settings.level,
                                                    statistic: { idx in f(idx.map { probabilities[$0] }, idx.map { truth[$0] }) })
        else { return nil }
        return .init(low: ci.low, high: ci.high,
                     method: "stratified percentile bootstrap, \(settings.bootstrap) resamples, seed \(settings.seed), \(percent)%")
    }

    /// The bootstrap, or Wilson's interval of the counts when every resample gives one value.
    func rate(_ f: @escaping Statistic, counts: (successes: Int, trials: Int)) -> MedicalMetrics.Interval? {
        if let b = boot(f), let lo = b.low, let hi = b.high, hi > lo { return b }
        guard let w = WilsonInterval.interval(successes: counts.successes, trials: counts.trials, level: settings.level) else { return nil }
        let why = settings.bootstrap > 0 ? " (every bootstrap resample gave the same value)" : ""
        return .init(low: w.low, high: w.high, method: "Wilson score interval of \(counts.successes)/\(counts.trials), \(percent)%\(why)")
    }
}
