import Foundation
import MedAugFormats
import MedAugAugment
import MedAugCore
import MedAugData
import MedAugImage
import MedAugTrain

/// report.html: one self-contained file (inline SVG, PNG thumbnails as data
/// URLs) that opens offline and can be sent to a colleague.
public enum ReportWriter {
    public static let sections = ["verdict", "dataset", "augmentation", "gan", "learning-curves", "roc-curves",
                                  "confusion-matrices", "per-class-reports", "summary"]

    public static func write(config: ExperimentConfig, rows: [ResultRow], dirs: [String], into dir: String,
                             datasetOptions: DatasetOptions = .current) throws {
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(SVG.escape(config.name)) – MedAug report</title>
        <style>
        body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:24px auto;padding:0 16px;color:#222}
        h1{margin-bottom:4px} h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:36px}
        table{border-collapse:collapse;margin:12px 0} td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}
        th:first-child,td:first-child{text-align:left} pre{background:#f6f6f6;padding:8px;overflow-x:auto}
        .verdict li{margin:6px 0;font-size:16px}
        .row{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start} figure{margin:0} figcaption{font-size:13px;color:#555}
        img{max-width:100%} .note{color:#555;font-size:14px}
        </style></head><body>
        <h1>\(SVG.escape(config.name))</h1>
        <p class="note">MedAug \(MedAugVersion.string) · recipe \(SVG.escape(config.recipe.rawValue)) · epochs \(config.epochs.map(String.init).joined(separator: ", ")) · \(config.repeats) repeat(s) · seed \(config.seed) · generated \(ISO8601DateFormatter().string(from: Date()))</p>

        """
        html += verdictSection(config, rows: rows)
        html += try datasetSection(config, options: datasetOptions)
        html += augmentationSection(config)
        html += ganSection(config, dirs: dirs)
        html += curvesSection(config, dirs: dirs)
        html += try rocSection(config, dirs: dirs, into: dir)
        html += confusionSection(config, dirs: dirs)
        html += reportsSection(config, dirs: dirs)
        html += summarySection(config, rows: rows)
        html += "</body></html>\n"
        try AtomicWrite.write(html, to: (dir as NSString).appendingPathComponent("report.html"))
    }

    static func section(_ id: String, _ title: String, _ body: String) -> String {
        "<section id=\"\(id)\">\n<h2>\(SVG.escape(title))</h2>\n\(body)\n</section>\n"
    }

    static func png(_ img: Image, alt: String, width: Int? = nil) -> String {
        guard let bytes = try? ImageCodec.encodePNG(img) else { return "" }
        return "<img alt=\"\(SVG.escape(alt))\" src=\"data:image/png;base64,\(Data(bytes).base64EncodedString())\"\(width.map { " width=\"\($0)\"" } ?? "")>"
    }

    /// The answer first: a sentence per variant, the forest plot, how it was computed.
    static func verdictSection(_ c: ExperimentConfig, rows: [ResultRow]) -> String {
        let comparisons = Comparisons(rows: rows, config: c)
        guard comparisons.original != nil else {
            return section("verdict", "Verdict", "<p>No variant is the original set, so there is nothing to compare against.</p>")
        }
        var body = "<ul class=\"verdict\">"
        for v in c.variants where v.name != comparisons.original {
            body += "<li>\(SVG.escape(Verdict.statement(v.name, comparisons, config: c)))</li>"
        }
        body += "</ul><figure>\(Verdict.forestPlot(comparisons, config: c))</figure>"
        body += "<p class=\"note\">\(SVG.escape(Verdict.methods(comparisons, config: c)))</p>"
        let e = Verdict.epochs(c)
        return section("verdict", "Verdict: did augmentation help? (test set, after \(e) epoch\(e == 1 ? "" : "s"))", body)
    }

    /// Every variant's ROC and precision-recall curves on one chart, from repeat 1's test predictions.
    static func rocSection(_ c: ExperimentConfig, dirs: [String], into dir: String) throws -> String {
        let e = c.epochs.max()!
        var models: [(String, EvaluationCurves)] = []
        for (v, p) in runDirs(c, dirs: dirs) {
            let csvPath = (p as NSString).appendingPathComponent("eval-epoch-\(e)/predictions.csv")
            guard let (probs, truth, classes) = predictions(csvPath) else { continue }
            // Two classes: the positive class's curve; more: one panel per class.
            let positive = classes.count == 2 ? ((try? Evaluator.positiveClass(c.positive, classes: classes)) ?? nil) : nil
            models.append((v.name, EvaluationCurves(probabilities: probs, truth: truth, classes: classes, positive: positive)))
        }
        guard !models.isEmpty else { return section("roc-curves", "ROC and precision-recall curves", "<p>No test predictions yet.</p>") }
        let roc = Charts.rocCurves(models, title: "ROC curves"), pr = Charts.precisionRecallCurves(models, title: "Precision-recall curves")
        // Also as files beside summary.md, for a paper or a slide.
        try AtomicWrite.write(roc, to: (dir as NSString).appendingPathComponent("roc_curves.svg"))
        try AtomicWrite.write(pr, to: (dir as NSString).appendingPathComponent("pr_curves.svg"))
        let body = "<p>Repeat 1\(c.folds == nil ? "" : ", fold 1,") of each variant at \(e) epochs, on the test set; one panel per class (one against the rest) with more than two classes. Also in roc_curves.svg and pr_curves.svg.</p>"
            + "<figure>\(roc)</figure><figure>\(pr)</figure>"
        return section("roc-curves", "ROC and precision-recall curves", body)
    }

    /// A predictions.csv's probabilities, true classes and class names.
    static func predictions(_ path: String) -> ([[Double]], [Int], [String])? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let rows = CSV.parse(text)
        guard let header = rows.first, header.count > 3 else { return nil }
        let classes = header.dropFirst(3).map { String($0.dropFirst(5)) }
        var probs: [[Double]] = [], truth: [Int] = []
        for r in rows.dropFirst() where r.count == header.count {
            guard let t = classes.firstIndex(of: r[1]) else { continue }
            let p = r.dropFirst(3).compactMap { Double($0) }
            guard p.count == classes.count, p.allSatisfy(\.isFinite) else { continue }
            probs.append(p)
            truth.append(t)
        }
        return probs.isEmpty ? nil : (probs, truth, classes)
    }

    static func datasetSection(_ c: ExperimentConfig, options: DatasetOptions) throws -> String {
        let ds = try Dataset.load(root: c.data, options: options)
        var t = "<table><tr><th>class</th>" + ds.splits.map { "<th>\($0.rawValue)</th>" }.joined() + "</tr>"
        for (i, cls) in ds.classes.enumerated() {
            t += "<tr><td>\(SVG.escape(cls))</td>" + ds.splits.map { "<td>\(ds.counts(in: $0)[i])</td>" }.joined() + "</tr>"
        }
        t += "<tr><td><b>total</b></td>" + ds.splits.map { "<td><b>\(ds.samples(in: $0).count)</b></td>" }.joined() + "</tr></table>"
        var examples: [Image] = []
        for cls in ds.classes {
            for s in ds.samples.filter({ $0.className == cls }).prefix(4) {
                if let img = try? MedicalImageFile.read(s.path) { examples.append(AugmentPreview.fit(img.to8Bit(), 96)) }
            }
        }
        let strip = examples.isEmpty ? "" : "<figure>\(png(ImageGrid.make(examples, columns: 4, padding: 3, background: 255), alt: "examples"))<figcaption>four images per class, one class per row</figcaption></figure>"
        return section("dataset", "Dataset", "<p>\(SVG.escape(c.data)) (\(ds.layout.rawValue) layout)</p>\(t)\(strip)")
    }

    static func augmentationSection(_ c: ExperimentConfig) -> String {
        var names = c.variants.compactMap(\.augment)
        if c.variants.contains(where: { $0.superpixel > 0 }) { names.append(c.superpixelPreset) }
        var seen = Set<String>()
        names = names.filter { seen.insert($0).inserted }
        guard !names.isEmpty else { return section("augmentation", "Augmentation previews", "<p>No variant augments images.</p>") }
        var body = "<p>Left column: originals; the rest: augmented samples.</p>"
        for n in names {
            do {
                let p = try PipelineSource(n).load()
                let g = try AugmentPreview.grid(input: c.data, pipeline: p, rows: 3, cols: 6, seed: c.seed, cell: 120)
                body += "<figure>\(png(g, alt: n))<figcaption>\(SVG.escape(n))</figcaption></figure>"
            } catch {
                body += "<p>preview of \(SVG.escape(n)) failed: \(SVG.escape("\(error)"))</p>"
            }
        }
        return section("augmentation", "Augmentation previews", body)
    }

    static func ganSection(_ c: ExperimentConfig, dirs: [String]) -> String {
        guard c.variants.contains(where: { $0.gan > 0 }) else {
            return section("gan", "GAN samples", "<p>No variant uses GAN images.</p>")
        }
        var body = ""
        for d in dirs {
            let root = (d as NSString).appendingPathComponent("cache/gan")
            guard let runs = try? FileManager.default.contentsOfDirectory(atPath: root).sorted() else { continue }
            for r in runs.prefix(1) {
                let run = (root as NSString).appendingPathComponent(r)
                for cls in (try? GANSampler.classes(in: run)) ?? [] {
                    let files = GANFiles((run as NSString).appendingPathComponent(GANFiles.folderName(cls)))
                    var row = "<div class=\"row\">"
                    if let g = try? MedicalImageFile.read(files.path("samples/final.png")) {
                        row += "<figure>\(png(g, alt: "GAN samples \(cls)", width: 360))<figcaption>GAN samples: \(SVG.escape(cls))</figcaption></figure>"
                    }
                    if let ds = try? LabeledSamples.load(c.data, part: .train) {
                        let size = (try? MedicalImageFile.read(files.path("samples/final.png")).height).map { max(16, ($0 - 18) / 8) } ?? 64
                        let real = ds.samples.filter { $0.className == cls }.prefix(16).compactMap { try? GANData.prepare(MedicalImageFile.read($0.path), size: size, channels: 3) }
                        row += "<figure>\(png(ImageGrid.make(Array(real)), alt: "real \(cls)", width: 360))<figcaption>real images: \(SVG.escape(cls))</figcaption></figure>"
                    }
                    if let svg = try? String(contentsOfFile: files.curves, encoding: .utf8) {
                        row += "<figure>\(svg)<figcaption>GAN losses: \(SVG.escape(cls))</figcaption></figure>"
                    }
                    body += row + "</div>"
                }
            }
        }
        return section("gan", "GAN samples beside real images", body.isEmpty ? "<p>No GAN has finished yet.</p>" : body)
    }

    static func runDirs(_ c: ExperimentConfig, dirs: [String], repeatIndex: Int = 1) -> [(Variant, String)] {
        c.variants.compactMap { v in
            for d in dirs {
                // With folds, a repeat's first fold stands for it in the pictures.
                let p = (d as NSString).appendingPathComponent("runs/\(v.slug)/repeat-\(repeatIndex)" + (c.folds == nil ? "" : "/fold-1"))
                if FileManager.default.fileExists(atPath: p) { return (v, p) }
            }
            return nil
        }
    }

    static func curvesSection(_ c: ExperimentConfig, dirs: [String]) -> String {
        var body = "<p>Repeat 1\(c.folds == nil ? "" : ", fold 1,") of each variant, trained to \(c.epochs.max()!) epochs.</p>"
        for (v, p) in runDirs(c, dirs: dirs) {
            let h = (try? HistoryFile.read(RunFiles((p as NSString).appendingPathComponent("train")).history)) ?? []
            if !h.isEmpty { body += "<figure>\(Charts.learningCurves(h, title: v.name))</figure>" }
        }
        return section("learning-curves", "Learning curves", body)
    }

    static func evalMetrics(_ c: ExperimentConfig, dirs: [String], variant: Variant, epochs: Int) -> [ClassificationMetrics] {
        (1...c.repeats).compactMap { r in
            for (v, p) in runDirs(c, dirs: dirs, repeatIndex: r) where v.name == variant.name {
                let csvPath = (p as NSString).appendingPathComponent("eval-epoch-\(epochs)/predictions.csv")
                guard let text = try? String(contentsOfFile: csvPath, encoding: .utf8) else { continue }
                let rows = CSV.parse(text)
                guard let header = rows.first else { continue }
                let classes = header.dropFirst(3).map { String($0.dropFirst(5)) }
                let t = rows.dropFirst().compactMap { classes.firstIndex(of: $0[1]) }
                let pr = rows.dropFirst().compactMap { classes.firstIndex(of: $0[2]) }
                return ClassificationMetrics(truth: t, predicted: pr, classes: classes)
            }
            return nil
        }
    }

    static func confusionSection(_ c: ExperimentConfig, dirs: [String]) -> String {
        let e = c.epochs.max()!
        var body = "<p>At \(e) epochs, summed over repeats\(c.folds == nil ? "" : " (fold 1 of each)").</p><div class=\"row\">"
        for v in c.variants {
            let ms = evalMetrics(c, dirs: dirs, variant: v, epochs: e)
            guard let first = ms.first else { continue }
            var sum = first
            for m in ms.dropFirst() {
                for i in sum.confusion.indices { for j in sum.confusion[i].indices { sum.confusion[i][j] += m.confusion[i][j] } }
            }
            body += "<figure>\(Charts.confusionMatrix(sum, title: v.name))</figure>"
        }
        return section("confusion-matrices", "Confusion matrices", body + "</div>")
    }

    static func reportsSection(_ c: ExperimentConfig, dirs: [String]) -> String {
        let e = c.epochs.max()!
        var body = "<p>At \(e) epochs, repeat 1\(c.folds == nil ? "" : ", fold 1"), in scikit-learn's layout.</p>"
        for (v, p) in runDirs(c, dirs: dirs) {
            if let t = try? String(contentsOfFile: (p as NSString).appendingPathComponent("eval-epoch-\(e)/classification_report.txt"), encoding: .utf8) {
                body += "<h3>\(SVG.escape(v.name))</h3><pre>\(SVG.escape(t))</pre>"
            }
        }
        return section("per-class-reports", "Per-class reports", body)
    }

    static func summarySection(_ c: ExperimentConfig, rows: [ResultRow]) -> String {
        // The verdict already leads the page; here the tables.
        var md = Summary.markdown(Comparisons(rows: rows, config: c), rows: rows, config: c)
        if let start = md.range(of: "## Verdict"), let end = md.range(of: "Test-set figures", range: start.upperBound..<md.endIndex) {
            md.removeSubrange(start.lowerBound..<end.lowerBound)
        }
        // The markdown tables, rendered as HTML tables.
        var html = ""
        var inTable = false
        for line in md.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("|") {
                if line.hasPrefix("|---") { continue }
                let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
                if !inTable { html += "<table>"; inTable = true; html += "<tr>" + cells.map { "<th>\(SVG.escape($0))</th>" }.joined() + "</tr>"; continue }
                html += "<tr>" + cells.map { "<td>\(SVG.escape($0))</td>" }.joined() + "</tr>"
            } else {
                if inTable { html += "</table>"; inTable = false }
                if line.hasPrefix("## ") { html += "<h3>\(SVG.escape(String(line.dropFirst(3))))</h3>" }
                else if !line.hasPrefix("# ") && !line.isEmpty { html += "<p class=\"note\">\(SVG.escape(String(line)))</p>" }
            }
        }
        if inTable { html += "</table>" }
        return section("summary", "Summary", html)
    }
}
