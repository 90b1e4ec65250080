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
        self.init(ReportRows(rows: rows), bootstrap: bootstrap)
    }

    /// The report of rows gathered as they were read.
    public init(_ input: ReportRows, bootstrap: Bootstrap = Bootstrap()) {
        gilReturn = input.gilReturn
        let runs = input.runs.map { ReportRun($0, bootstrap: bootstrap) }
        self.runs = runs
        let colors = Dictionary(uniqueKeysWithValues: input.interpreters.enumerated().map { index, label in
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
        let planned = sectionOrder.map { key in
            let row = entries[key]![0].figures.configuration.first
            var anchor = Self.slug(row.variant.isEmpty ? row.workload : "\(row.workload)-\(row.variant)")
            if !anchors.insert(anchor).inserted {
                var n = 2
                while !anchors.insert("\(anchor)-\(n)").inserted { n += 1 }
                anchor = "\(anchor)-\(n)"
            }
            return (row: row, anchor: anchor, entries: entries[key]!)
        }
        // Each section's ratio intervals are independent of the others': build the sections on
        // every core (a section with one ratio would leave the other cores idle).
        let labelRuns = runs.count > 1
        sections = planned.concurrentMap { row, anchor, entries in
            ReportSection(workload: row.workload, variant: row.variant, anchor: anchor, entries: entries,
                          colors: colors, labelRuns: labelRuns, bootstrap: bootstrap)
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
