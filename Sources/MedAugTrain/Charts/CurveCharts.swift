import Foundation

/// One model's ROC and precision-recall curves: the positive class's for
/// two classes, one per class (one against the rest) otherwise.
public struct EvaluationCurves: Sendable {
    /// A class's curves and the areas under them.
    public struct ClassCurves: Sendable {
        public var name: String
        public var roc: ROCCurve
        public var pr: PRCurve
        public var auc: Double?
        public var averagePrecision: Double?
    }

    /// One entry per panel.
    public var perClass: [ClassCurves]

    /// Curves from test probabilities; a class absent from the test set has no curve.
    public init(probabilities: [[Double]], truth: [Int], classes: [String], positive: Int?) {
        let shown = positive.map { [$0] } ?? Array(classes.indices)
        perClass = shown.compactMap { c in
            let s = probabilities.map { $0[c] }, y = truth.map { $0 == c }
            guard y.contains(true), y.contains(false) else { return nil }
            return ClassCurves(name: classes[c], roc: RankingMetrics.rocCurve(scores: s, positive: y),
                               pr: RankingMetrics.precisionRecallCurve(scores: s, positive: y),
                               auc: RankingMetrics.rocAUC(scores: s, positive: y),
                               averagePrecision: RankingMetrics.averagePrecision(scores: s, positive: y))
        }
    }
}

extension Charts {
    /// Distinct colours for up to ten series, then repeated.
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    /// ROC curves: one panel per class, one line per model (variants of an experiment on one chart).
    public static func rocCurves(_ models: [(String, EvaluationCurves)], title: String) -> String {
        panels(models, title: title) { name, cls, series in
            var chart = LineChart(title: cls == nil ? name : "\(name) (one vs rest)", xLabel: "1 - specificity (false positive rate)",
                                  yLabel: "sensitivity (true positive rate)", series: series, yRange: (0, 1), xRange: (0, 1), diagonal: true)
            chart.legendAtBottom = true
            chart.legendWidth = 190
            return chart
        } curve: { c in
            (Array(zip(c.roc.fpr, c.roc.tpr)), c.auc.map { String(format: "AUC %.3f", $0) })
        }
    }

    /// Precision-recall curves, laid out as ``rocCurves(_:title:)``.
    public static func precisionRecallCurves(_ models: [(String, EvaluationCurves)], title: String) -> String {
        panels(models, title: title) { name, cls, series in
            var chart = LineChart(title: cls == nil ? name : "\(name) (one vs rest)", xLabel: "recall (sensitivity)",
                                  yLabel: "precision (positive predictive value)", series: series, yRange: (0, 1), xRange: (0, 1))
            chart.legendAtBottom = true
            chart.legendWidth = 190
            return chart
        } curve: { c in
            // A step at each threshold, as average precision sums it (scikit-learn's steps-post):
            // straight lines between the points would overstate the precision in between.
            let pts = Array(zip(c.pr.recall, c.pr.precision))
            var steps: [(Double, Double)] = []
            for (i, p) in pts.enumerated() {
                if i > 0 { steps.append((p.0, pts[i - 1].1)) }
                steps.append(p)
            }
            return (steps, c.averagePrecision.map { String(format: "AP %.3f", $0) })
        }
    }

    /// Panels side by side, wrapped at three per row.
    static func panels(_ models: [(String, EvaluationCurves)], title: String,
                       chart: (String, Int?, [LineChart.Series]) -> LineChart,
                       curve: (EvaluationCurves.ClassCurves) -> ([(Double, Double)], String?)) -> String {
        let names = models.first?.1.perClass.map(\.name) ?? []
        let perRow = min(3, max(names.count, 1))
        let pw = 380.0, ph = 360.0
        let rows = (names.count + perRow - 1) / max(perRow, 1)
        var svg = SVG(width: pw * Double(perRow), height: 30 + ph * Double(max(rows, 1)))
        svg.text(title, pw * Double(perRow) / 2, 20, size: 15, anchor: "middle", bold: true)
        for (i, cls) in names.enumerated() {
            var series: [LineChart.Series] = []
            for (m, (label, curves)) in models.enumerated() {
                guard let c = curves.perClass.first(where: { $0.name == cls }) else { continue }
                let (points, area) = curve(c)
                let name = models.count == 1 ? (area ?? label) : label + (area.map { " (\($0))" } ?? "")
                series.append(.init(name: name, points: points, color: palette[m % palette.count]))
            }
            chart(cls, names.count > 1 ? i : nil, series)
                .draw(into: &svg, x: pw * Double(i % perRow), y: 30 + ph * Double(i / perRow), width: pw, height: ph)
        }
        if names.isEmpty { svg.text("no curve: the test set needs both classes", pw / 2, ph / 2, anchor: "middle", fill: "#888") }
        return svg.document
    }

    /// Observed frequency against predicted probability per bin, the
    /// diagonal for perfect calibration, and how many images each bin holds.
    public static func reliabilityDiagram(_ m: MedicalMetrics, title: String = "reliability diagram") -> String {
        let w = 460.0, h = 440.0
        var svg = SVG(width: w, height: h)
        let points = m.reliability.map { ($0.meanConfidence, $0.observed) }
        var chart = LineChart(title: title + String(format: " (ECE %.3f, Brier %.3f)", m.ece, m.brier),
                              xLabel: m.reliabilityMeaning, yLabel: "observed frequency",
                              series: [.init(name: "model", points: points, color: palette[0])], yRange: (0, 1), xRange: (0, 1),
                              diagonal: true)
        chart.legendAtBottom = true
        chart.markers = true
        chart.draw(into: &svg, x: 0, y: 0, width: w, height: h - 60)
        // Bin counts as a strip below: a bin of three images says little.
        let left = 55.0, right = w - 10, total = Double(max(m.count, 1))
        svg.text("images per bin", 14, h - 30, size: 10, fill: "#555")
        for b in m.reliability {
            let x = left + b.lower * (right - left), bw = (b.upper - b.lower) * (right - left)
            let bh = 36 * Double(b.count) / total
            svg.rect(x + 1, h - 8 - bh, max(bw - 2, 1), bh, fill: "#9ecae1")
            svg.text(String(b.count), x + bw / 2, h - 10 - bh - 2, size: 9, anchor: "middle", fill: "#333")
        }
        return svg.document
    }
}
