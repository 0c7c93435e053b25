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
        let boots = bootstrap()
        var out: [String: MedicalMetrics.Interval] = [:]
        if let p = positive { out["roc_auc"] = delong(p) }
        let correct = m.classification.confusion.indices.reduce(0) { $0 + m.classification.confusion[$1][$1] }
        out["accuracy"] = rate(boots["accuracy"], counts: (correct, truth.count))
        out["balanced_accuracy"] = interval(boots["balanced_accuracy"])
        if let p = positive {
            out["sensitivity"] = rate(boots["sensitivity"], counts: (counts[p].tp, counts[p].positives))
            out["specificity"] = rate(boots["specificity"], counts: (counts[p].tn, counts[p].negatives))
        } else {
            out["sensitivity"] = interval(boots["sensitivity"])
            out["specificity"] = interval(boots["specificity"])
            out["roc_auc"] = interval(boots["roc_auc"])
        }
        out["average_precision"] = interval(boots["average_precision"])
        out["brier"] = interval(boots["brier"])
        m.intervals = out.compactMapValues { $0 }
        for c in classes.indices {
            var per: [String: MedicalMetrics.Interval?] = ["roc_auc": delong(c)]
            per["sensitivity"] = rate(boots["sensitivity/\(c)"], counts: (counts[c].tp, counts[c].positives))
            per["specificity"] = rate(boots["specificity/\(c)"], counts: (counts[c].tn, counts[c].negatives))
            m.perClass[c].intervals = per.compactMapValues { $0 }
        }
    }

    /// Every bootstrapped figure from one pass over the resamples: each
    /// replicate's predictions and confusion matrix are made once and read by all.
    func bootstrap() -> [String: (low: Double, high: Double)] {
        guard settings.bootstrap > 0 else { return [:] }
        return Bootstrap.percentileIntervals(truth: truth, replicates: settings.bootstrap, seed: settings.seed,
                                             level: settings.level) { idx in
            let probs = idx.map { probabilities[$0] }, y = idx.map { truth[$0] }
            let cm = ClassificationMetrics(truth: y, predicted: MedicalMetrics.predict(probs, positive: positive, threshold: threshold),
                                           classes: classes)
            let sens = cm.sensitivities, spec = cm.specificities
            var v: [String: Double?] = ["accuracy": cm.accuracy, "balanced_accuracy": cm.balancedAccuracy,
                                        "brier": Calibration.brier(probabilities: probs, truth: y, positive: positive)]
            if let p = positive {
                v["sensitivity"] = sens[p]
                v["specificity"] = spec[p]
                v["average_precision"] = RankingMetrics.averagePrecision(scores: MedicalMetrics.scores(probs, positive: p),
                                                                         positive: y.map { $0 == p })
            } else {
                v["sensitivity"] = MedicalMetrics.macro(sens)
                v["specificity"] = MedicalMetrics.macro(spec)
                v["average_precision"] = RankingMetrics.macroAveragePrecision(probabilities: probs, truth: y)
                v["roc_auc"] = RankingMetrics.macroROCAUC(probabilities: probs, truth: y)
            }
            for c in classes.indices {
                v["sensitivity/\(c)"] = sens[c]
                v["specificity/\(c)"] = spec[c]
            }
            return v.compactMapValues { $0 }
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

    var bootstrapMethod: String {
        "stratified percentile bootstrap, \(settings.bootstrap) resamples, seed \(settings.seed), \(percent)%"
    }

    /// A bootstrap interval with its method.
    func interval(_ b: (low: Double, high: Double)?) -> MedicalMetrics.Interval? {
        b.map { .init(low: $0.low, high: $0.high, method: bootstrapMethod) }
    }

    /// The bootstrap, or Wilson's interval of the counts when every resample gives one value.
    func rate(_ b: (low: Double, high: Double)?, counts: (successes: Int, trials: Int)) -> MedicalMetrics.Interval? {
        if let b, b.high > b.low { return interval(b) }
        guard let w = WilsonInterval.interval(successes: counts.successes, trials: counts.trials, level: settings.level) else { return nil }
        let why = settings.bootstrap > 0 ? " (every bootstrap resample gave the same value)" : ""
        return .init(low: w.low, high: w.high, method: "Wilson score interval of \(counts.successes)/\(counts.trials), \(percent)%\(why)")
    }
}
