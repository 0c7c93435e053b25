import Foundation

/// Minimal SVG building: charts that open in any browser and embed in HTML reports.
public struct SVG {
    public let width: Double
    public let height: Double
    private var parts: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func n(_ v: Double) -> String { String(format: "%.2f", v) }

    public mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil) {
        parts.append("<rect x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" width=\"\(SVG.n(w))\" height=\"\(SVG.n(h))\" fill=\"\(fill)\"\(stroke.map { " stroke=\"\($0)\"" } ?? "")/>")
    }

    public mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#999", width w: Double = 1, dash: Bool = false) {
        parts.append("<line x1=\"\(SVG.n(x1))\" y1=\"\(SVG.n(y1))\" x2=\"\(SVG.n(x2))\" y2=\"\(SVG.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(w)\"\(dash ? " stroke-dasharray=\"4 3\"" : "")/>")
    }

    public mutating func polyline(_ points: [(Double, Double)], stroke: String, width w: Double = 2, dash: Bool = false) {
        guard !points.isEmpty else { return }
        let p = points.map { "\(SVG.n($0.0)),\(SVG.n($0.1))" }.joined(separator: " ")
        parts.append("<polyline points=\"\(p)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(w)\"\(dash ? " stroke-dasharray=\"6 4\"" : "")/>")
    }

    public mutating func circle(_ x: Double, _ y: Double, r: Double, fill: String) {
        parts.append("<circle cx=\"\(SVG.n(x))\" cy=\"\(SVG.n(y))\" r=\"\(SVG.n(r))\" fill=\"\(fill)\"/>")
    }

    public mutating func text(_ s: String, _ x: Double, _ y: Double, size: Double = 12, anchor: String = "start",
                              fill: String = "#222", bold: Bool = false, rotate: Double? = nil) {
        let r = rotate.map { " transform=\"rotate(\(SVG.n($0)) \(SVG.n(x)) \(SVG.n(y)))\"" } ?? ""
        parts.append("<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" font-size=\"\(SVG.n(size))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\"\(bold ? " font-weight=\"bold\"" : "")\(r)>\(SVG.escape(s))</text>")
    }

    public var document: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(SVG.n(width))\" height=\"\(SVG.n(height))\" viewBox=\"0 0 \(SVG.n(width)) \(SVG.n(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + parts.joined(separator: "\n") + "\n</svg>\n"
    }
}

/// A line chart panel: series of (x, y) with axes, ticks and a legend.
public struct LineChart {
    public struct Series {
        public var name: String
        public var points: [(Double, Double)]
        public var color: String
        public var dashed: Bool = false
        public init(name: String, points: [(Double, Double)], color: String, dashed: Bool = false) {
            self.name = name
            self.points = points
            self.color = color
            self.dashed = dashed
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var yRange: (Double, Double)?
    /// A fixed x range (curves on [0, 1]); nil: the data's, with whole-number ticks.
    public var xRange: (Double, Double)?
    /// Marks every point (few points, as in a reliability diagram's bins).
    public var markers = false
    /// Puts the legend in the bottom-right corner instead of the top-right.
    public var legendAtBottom = false
    /// Room for the legend's names.
    public var legendWidth = 120.0
    /// Draws the x = y diagonal (the chance line of a ROC curve, perfect calibration).
    public var diagonal = false

    public init(title: String, xLabel: String, yLabel: String, series: [Series], yRange: (Double, Double)? = nil,
                xRange: (Double, Double)? = nil, diagonal: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yRange = yRange
        self.xRange = xRange
        self.diagonal = diagonal
    }

    public func draw(into svg: inout SVG, x: Double, y: Double, width: Double, height: Double) {
        let left = x + 55, right = x + width - 10, top = y + 28, bottom = y + height - 40
        svg.text(title, x + width / 2, y + 16, size: 14, anchor: "middle", bold: true)
        let pts = series.flatMap(\.points).filter { $0.1.isFinite }
        guard !pts.isEmpty else {
            svg.text("no data", x + width / 2, y + height / 2, anchor: "middle", fill: "#888")
            return
        }
        let (x0, x1) = xRange ?? { let lo = pts.map(\.0).min()!; return (lo, max(pts.map(\.0).max()!, lo + 1)) }()
        var (y0, y1) = yRange ?? (pts.map(\.1).min()!, pts.map(\.1).max()!)
        if y1 - y0 < 1e-9 { y0 -= 0.5; y1 += 0.5 }
        func px(_ v: Double) -> Double { left + (v - x0) / (x1 - x0) * (right - left) }
        func py(_ v: Double) -> Double { bottom - (v - y0) / (y1 - y0) * (bottom - top) }
        for i in 0...4 {
            let v = y0 + (y1 - y0) * Double(i) / 4
            svg.line(left, py(v), right, py(v), stroke: "#e4e4e4")
            svg.text(String(format: abs(y1 - y0) < 10 ? "%.2f" : "%.0f", v), left - 6, py(v) + 4, size: 10, anchor: "end", fill: "#555")
        }
        let ticks = xRange != nil ? 5 : min(8, Int(x1 - x0))
        for i in 0...max(ticks, 1) {
            let v = x0 + (x1 - x0) * Double(i) / Double(max(ticks, 1))
            svg.text(String(format: xRange != nil ? "%.1f" : "%.0f", v), px(v), bottom + 14, size: 10, anchor: "middle", fill: "#555")
        }
        if diagonal { svg.line(px(max(x0, y0)), py(max(x0, y0)), px(min(x1, y1)), py(min(x1, y1)), stroke: "#bbb", dash: true) }
        svg.line(left, bottom, right, bottom, stroke: "#444")
        svg.line(left, top, left, bottom, stroke: "#444")
        svg.text(xLabel, (left + right) / 2, bottom + 30, size: 11, anchor: "middle", fill: "#333")
        svg.text(yLabel, x + 14, (top + bottom) / 2, size: 11, anchor: "middle", fill: "#333", rotate: -90)
        for s in series {
            let p = s.points.filter { $0.1.isFinite }.map { (px($0.0), py($0.1)) }
            svg.polyline(p, stroke: s.color, dash: s.dashed)
            if p.count == 1 || markers { for q in p { svg.circle(q.0, q.1, r: 3.5, fill: s.color) } }
        }
        // Curves that rise to the top-left (ROC) keep the bottom-right free for the legend.
        var ly = legendAtBottom ? bottom - 8 - 16 * Double(series.count - 1) : top + 4
        let lx = right - legendWidth
        for s in series {
            svg.line(lx, ly, lx + 20, ly, stroke: s.color, width: 2, dash: s.dashed)
            svg.text(s.name, lx + 25, ly + 4, size: 11)
            ly += 16
        }
    }
}
