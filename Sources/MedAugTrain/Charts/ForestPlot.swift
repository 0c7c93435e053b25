import Foundation

/// A forest plot: each row an estimate with its interval against a zero
/// line, so the size and the uncertainty of every effect read at once.
public struct ForestPlot {
    /// One estimate.
    public struct Row: Sendable {
        public var label: String
        public var estimate: Double
        /// nil when too few repeats give no interval: the point is drawn alone.
        public var low: Double?
        public var high: Double?
        /// Shown at the right of the row (e.g. "adjusted p = 0.03").
        public var note: String
        public init(label: String, estimate: Double, low: Double?, high: Double?, note: String) {
            self.label = label
            self.estimate = estimate
            self.low = low
            self.high = high
            self.note = note
        }
    }

    public var title: String
    public var axisLabel: String
    public var rows: [Row]

    public init(title: String, axisLabel: String, rows: [Row]) {
        self.title = title
        self.axisLabel = axisLabel
        self.rows = rows
    }

    /// The plot as an SVG document.
    public var svg: String {
        let labelW = min(300.0, Double((rows.map(\.label.count).max() ?? 10) * 7 + 20))
        let plotW = 380.0, noteW = 200.0, rowH = 26.0
        let w = labelW + plotW + noteW, h = 60 + rowH * Double(max(rows.count, 1)) + 40
        var svg = SVG(width: w, height: h)
        svg.text(title, w / 2, 20, size: 14, anchor: "middle", bold: true)
        let values = rows.flatMap { [$0.estimate, $0.low ?? $0.estimate, $0.high ?? $0.estimate] }.filter(\.isFinite)
        // A round axis end (5, 10, 25, 50, 100 points...) so the ticks read as plain numbers.
        let reach = max(values.map(abs).max() ?? 1, 1e-9) * 1.05
        let span = [0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200].first { $0 >= reach } ?? reach
        let (x0, x1) = (-span, span)
        func px(_ v: Double) -> Double { labelW + (v - x0) / (x1 - x0) * plotW }
        let top = 40.0, bottom = top + rowH * Double(max(rows.count, 1))
        for i in rows.indices where i % 2 == 0 { svg.rect(0, top + rowH * Double(i), w, rowH, fill: "#f6f6f6") }
        svg.line(px(0), top - 6, px(0), bottom, stroke: "#444")
        for i in 0...4 {
            let v = x0 + (x1 - x0) * Double(i) / 4
            svg.line(px(v), bottom, px(v), bottom + 4, stroke: "#444")
            svg.text(String(format: span < 10 ? "%+.1f" : "%+.0f", v), px(v), bottom + 16, size: 10, anchor: "middle", fill: "#555")
        }
        svg.text(axisLabel, labelW + plotW / 2, bottom + 32, size: 11, anchor: "middle", fill: "#333")
        for (i, r) in rows.enumerated() {
            let y = top + rowH * (Double(i) + 0.5)
            svg.text(r.label, labelW - 8, y + 4, size: 11, anchor: "end")
            if let lo = r.low, let hi = r.high {
                svg.line(px(lo), y, px(hi), y, stroke: "#1f77b4", width: 2)
                svg.line(px(lo), y - 5, px(lo), y + 5, stroke: "#1f77b4", width: 2)
                svg.line(px(hi), y - 5, px(hi), y + 5, stroke: "#1f77b4", width: 2)
            }
            svg.rect(px(r.estimate) - 4, y - 4, 8, 8, fill: "#d62728")
            svg.text(r.note, labelW + plotW + 10, y + 4, size: 10, fill: "#333")
        }
        return svg.document
    }
}
