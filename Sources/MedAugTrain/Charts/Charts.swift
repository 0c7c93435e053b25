import Foundation

/// The pictures MedAug writes next to its numbers.
public enum Charts {
    /// Loss and accuracy per epoch, training and validation: the study's learning curves.
    public static func learningCurves(_ history: [EpochRecord], title: String) -> String {
        var svg = SVG(width: 900, height: 340)
        svg.text(title, 450, 18, size: 15, anchor: "middle", bold: true)
        let e = history.map { Double($0.epoch) }
        LineChart(title: "loss", xLabel: "epoch", yLabel: "cross-entropy", series: [
            .init(name: "train", points: Array(zip(e, history.map(\.trainLoss))), color: "#1f77b4"),
            .init(name: "validation", points: Array(zip(e, history.map { $0.valLoss ?? .nan })), color: "#d62728", dashed: true),
        ]).draw(into: &svg, x: 0, y: 24, width: 450, height: 310)
        LineChart(title: "accuracy", xLabel: "epoch", yLabel: "accuracy", series: [
            .init(name: "train", points: Array(zip(e, history.map(\.trainAcc))), color: "#1f77b4"),
            .init(name: "validation", points: Array(zip(e, history.map { $0.valAcc ?? .nan })), color: "#d62728", dashed: true),
        ], yRange: (0, 1)).draw(into: &svg, x: 450, y: 24, width: 450, height: 310)
        return svg.document
    }

    /// Counts and row percentages with rows = true class, columns = predicted, shaded by row share.
    public static func confusionMatrix(_ m: ClassificationMetrics, title: String = "confusion matrix") -> String {
        let k = m.classes.count
        let cell = 70.0
        let labelW = min(200.0, Double((m.classes.map(\.count).max() ?? 4) * 8 + 20))
        let w = labelW + cell * Double(k) + 30, h = 90 + cell * Double(k) + labelW * 0.6
        var svg = SVG(width: max(w, 320), height: h)
        svg.text(title, max(w, 320) / 2, 20, size: 14, anchor: "middle", bold: true)
        svg.text("predicted", labelW + cell * Double(k) / 2, 44, size: 12, anchor: "middle", fill: "#333")
        let top = 60.0
        for (j, name) in m.classes.enumerated() {
            svg.text(name, labelW + cell * (Double(j) + 0.5), top + cell * Double(k) + 16, size: 11, anchor: "end", rotate: -30)
        }
        for i in 0..<k {
            let rowTotal = max(1, m.confusion[i].reduce(0, +))
            svg.text(m.classes[i], labelW - 8, top + cell * (Double(i) + 0.5) + 4, size: 11, anchor: "end")
            for j in 0..<k {
                let share = Double(m.confusion[i][j]) / Double(rowTotal)
                let shade = Int(255 - share * 190)
                let fill = String(format: "#%02x%02x%02x", shade, shade, 255)
                svg.rect(labelW + cell * Double(j), top + cell * Double(i), cell, cell, fill: fill, stroke: "#fff")
                svg.text(String(m.confusion[i][j]), labelW + cell * (Double(j) + 0.5), top + cell * (Double(i) + 0.5) + 1,
                         size: 15, anchor: "middle", fill: share > 0.6 ? "#fff" : "#111", bold: i == j)
                // The row share: recall on the diagonal, each kind of miss elsewhere.
                svg.text(String(format: "%.1f%%", share * 100), labelW + cell * (Double(j) + 0.5), top + cell * (Double(i) + 0.5) + 18,
                         size: 10, anchor: "middle", fill: share > 0.6 ? "#fff" : "#444")
            }
        }
        svg.text("true", 12, top + cell * Double(k) / 2, size: 12, anchor: "middle", fill: "#333", rotate: -90)
        return svg.document
    }
}
