extension DatasetSummary {
    /// Ignored paths listed per reason before "… and N more".
    public static let ignoredListed = 10

    /// The human-readable report of `medaug info`.
    public func text() -> String {
        var out: [String] = []
        out.append("Dataset   \(root)")
        out.append("Layout    " + layoutText)
        if let labels { out.append("Labels    \(labels.file): " + Self.columnsText(labels.columns)) }
        let checked = scan == .decode ? "every file fully decoded" : "headers only (--quick: truncated data is not detected)"
        out.append("Checked   \(total + skipped.count) files, \(checked)")
        out.append("")

        out.append("Classes in label order, images per class")
        let multi = splits.count > 1
        var table = TextTable(header: ["label", "class"] + splits.map { $0.split == .unsplit ? "images" : $0.split.rawValue }
                                  + (multi ? ["total"] : []),
                              align: [.right, .left] + splits.map { _ in .right } + (multi ? [.right] : []))
        for (label, name) in classes.enumerated() {
            table.rows.append([String(label), name] + splits.map { String($0.counts[label]) }
                              + (multi ? [String(totals[label])] : []))
        }
        table.rows.append(["", "total"] + splits.map { String($0.total) } + (multi ? [String(total)] : []))
        out.append(table.render())
        out.append("")
        if let patients { out += patientLines(patients) }

        out.append("Image sizes (width x height, pixels)")
        for s in splits {
            let name = s.split == .unsplit ? "all" : s.split.rawValue
            guard let z = s.sizes else {
                out.append("  \(name): no images")
                continue
            }
            out.append("  \(name): width \(z.width.min)..\(z.width.max) (median \(z.width.median)), "
                       + "height \(z.height.min)..\(z.height.max) (median \(z.height.median))")
            let listed = z.common.map { "\($0.width)x\($0.height) (\($0.count))" }.joined(separator: ", ")
            if z.distinct == z.common.count {
                out.append("    \(z.distinct) distinct size\(z.distinct == 1 ? "" : "s"): \(listed)")
            } else {
                out.append("    \(z.distinct) distinct sizes; most common: \(listed)")
            }
            for (axis, buckets) in [("widths", z.widthBuckets), ("heights", z.heightBuckets)] {
                guard let buckets else { continue }
                out.append("    \(axis): " + buckets.map { "\($0.from)-\($0.to): \($0.count)" }.joined(separator: ", "))
            }
        }
        out.append("")

        var kinds = TextTable(header: ["split", "modes", "bit depths", "formats"], align: [.left, .left, .left, .left])
        for s in splits {
            kinds.rows.append([s.split == .unsplit ? "all" : s.split.rawValue,
                               Self.tally(s.modes, order: ["L", "LA", "RGB", "RGBA"]),
                               Self.tally(s.bitDepths.reduce(into: [:]) { $0["\($1.key)-bit"] = $1.value },
                                          order: ["1-bit", "2-bit", "4-bit", "8-bit", "16-bit"]),
                               Self.tally(s.formats, order: ["png", "jpeg"])])
        }
        out.append(kinds.render())
        out.append("")

        let ignoredCount = ignored.reduce(0) { $0 + $1.count }
        out.append("Ignored files: \(ignoredCount == 0 ? "none" : String(ignoredCount))")
        for g in ignored {
            out.append("  \(g.reason.rawValue): \(g.count)")
            for p in g.paths.prefix(Self.ignoredListed) { out.append("    \(p)") }
            if g.count > Self.ignoredListed { out.append("    ... and \(g.count - Self.ignoredListed) more") }
        }
        out.append("")

        out.append("Problems: \(problems.isEmpty ? "none" : String(problems.count))")
        for p in problems { out.append("  [\(p.kind.rawValue)] \(p.message)") }
        return out.joined(separator: "\n") + "\n"
    }

    /// "path 'image', label 'dx', group 'lesion_id'".
    static func columnsText(_ c: LabelColumns) -> String {
        var cols = ["path '\(c.path)'", c.oneHot ? "one-hot \(LabelColumns.list(c.labels))" : "label '\(c.labels[0])'"]
        if let g = c.group { cols.append("group '\(g)'") }
        if let sp = c.split { cols.append("split '\(sp)'") }
        return cols.joined(separator: ", ")
    }

    /// The layout line: which folders or columns divide the images.
    var layoutText: String {
        let parts = splits.map { $0.split == .validation ? "validation" : $0.split.rawValue }
        switch (layout, labels?.columns.split) {
        case (.split, let column?):
            return "split: \(parts.joined(separator: ", ")) from the '\(column)' column"
        case (.split, nil):
            let folders = parts.map { "\($0 == "validation" ? "val" : $0)/<class>/" }
            return "split: " + folders.dropLast().joined(separator: ", ") + " and " + folders.last!
        case (.flat, _):
            return (labels == nil ? "flat: <class>/" : "flat: no split column")
                + " (no train/test split yet; MedAug makes a seeded stratified one\(patients == nil ? "" : ", by patient"))"
        }
    }

    /// Patients per class and split, and the total.
    func patientLines(_ p: PatientSummary) -> [String] {
        let multi = splits.count > 1
        var table = TextTable(header: ["label", "class"] + splits.map { $0.split == .unsplit ? "patients" : $0.split.rawValue },
                              align: [.right, .left] + splits.map { _ in .right })
        for (label, name) in classes.enumerated() {
            table.rows.append([String(label), name] + splits.map { String($0.patients?[label] ?? 0) })
        }
        table.rows.append(["", "total"] + splits.map { String($0.patientTotal ?? 0) })
        var out = ["Patients (distinct group keys) per class" + (multi ? "; \(p.total) in all" : "")]
        out.append(table.render())
        if p.leaked > 0 { out.append("  \(p.leaked) patient(s) on more than one side: see Problems") }
        out.append("")
        return out
    }

    /// "RGB 2637, L 3": known keys in their natural order, then the rest sorted.
    static func tally(_ counts: [String: Int], order: [String]) -> String {
        if counts.isEmpty { return "-" }
        let known = order.filter { counts[$0] != nil }
        let rest = UnicodeOrder.sorted(counts.keys.filter { !order.contains($0) })
        return (known + rest).map { "\($0) \(counts[$0]!)" }.joined(separator: ", ")
    }
}
