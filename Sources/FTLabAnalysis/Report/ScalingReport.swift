import FTLabCore
/// Everything a scaling report shows, computed from the rows of one or more runs: the runs
/// (machine, interpreters, PEP 779 overheads) and one section per workload/variant.
public struct ScalingReport: Sendable {
    public let runs: [ReportRun]
    public let sections: [ReportSection]
    /// Free-threaded configurations that ran with the GIL re-enabled, if any.
    public let gilReturn: GILReturn?

    /// Groups `rows` by `run_id` (figures are computed per run, so runs sit side by side and
    /// never pool) and by workload/variant.
    public init(rows: [ResultRow], bootstrap: Bootstrap = Bootstrap()) {
        var runOrder: [String] = []
        var runRows: [String: [ResultRow]] = [:]
        gilReturn = GILReturn(rows: rows)
        if let first = rows.first, rows.allSatisfy({ $0.runID == first.runID }) {
            (runOrder, runRows) = ([first.runID], [first.runID: rows])  // one run: no copy of its rows
        } else {
            for row in rows {
                if runRows[row.runID] == nil { runOrder.append(row.runID) }
                runRows[row.runID, default: []].append(row)
            }
        }
        let runs = runOrder.map { ReportRun(rows: runRows[$0]!, bootstrap: bootstrap) }
        self.runs = runs

        var interpreters: [String] = []
        for row in rows where row.interpreter != ReportSeries.nativeInterpreter && !interpreters.contains(row.interpreter) {
            interpreters.append(row.interpreter)
        }
        let colors = Dictionary(uniqueKeysWithValues: interpreters.enumerated().map { index, label in
            (label, SeriesStyle.color(interpreterIndex: index))
        })

        var sectionOrder: [String] = []
        var entries: [String: [(run: ReportRun, figures: ScalingFigures)]] = [:]
        for run in runs {
            for figures in run.figures {
                let row = figures.configuration.first
                let key = row.workload + "/" + row.variant
                if entries[key] == nil { sectionOrder.append(key) }
                entries[key, default: []].append((run, figures))
            }
        }
        var anchors = Set<String>()
        sections = sectionOrder.map { key in
            let row = entries[key]![0].figures.configuration.first
            var anchor = Self.slug(row.variant.isEmpty ? row.workload : "\(row.workload)-\(row.variant)")
            if !anchors.insert(anchor).inserted {
                var n = 2
                while !anchors.insert("\(anchor)-\(n)").inserted { n += 1 }
                anchor = "\(anchor)-\(n)"
            }
            return ReportSection(workload: row.workload, variant: row.variant, anchor: anchor, entries: entries[key]!,
                                 colors: colors, labelRuns: runs.count > 1, bootstrap: bootstrap)
        }
    }

    /// Lower-case letters, digits and single dashes: `Log Processing/x` -> `log-processing-x`.
    package static func slug(_ text: String) -> String {
        var slug = ""
        for character in text.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                slug.append(character)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug.append("-")
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "section" : slug
    }
}
