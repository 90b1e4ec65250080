import FTLabCore

/// `ftlab report` from files to one document: reads the rows once, gathering them as they
/// come (by run and configuration, figures as numbers; no row is held but the few the patterns
/// page and the project summaries read), then renders the format asked.
public struct ReportDocument: Sendable {
    /// What to render.
    public enum Format: Sendable, Equatable {
        /// The self-contained HTML page.
        case html
        case markdown
        /// One `ftlab.report/1` object.
        case json
        /// The scaling table as `ftlab run` prints it (ANSI colours when `color`).
        case text(color: Bool)
    }

    /// The document.
    public let text: String
    /// The files read, in the order given (a file named twice is read once).
    public let paths: [String]
    /// Non-fatal problems met while reading (a cut-off last line, for example).
    public let warnings: [String]
    /// How many workload variants and runs it covers.
    public let sectionCount: Int
    public let runCount: Int

    /// Reads `files` (results CSVs, pyperf JSON) and the `ftlab explain --format json`
    /// documents in `verdicts`, and renders `format`. A missing or unreadable file throws.
    public init(files: [String], verdicts: [String] = [], format: Format) throws {
        // Only the text table pools the runs' rows (as `ftlab run`'s summary does).
        var pooling = false
        if case .text = format { pooling = true }
        var rows = ReportRows(pooling: pooling)
        var patternRows: [ResultRow] = []
        var projectRows: [ResultRow] = []
        let input = try ReportInput.forEachRow(paths: files) { row in
            rows.add(row)
            if PatternsPage.reads(row) { patternRows.append(row) }
            if ProjectSummary.reads(row) { projectRows.append(row) }
        }
        let report = ScalingReport(rows)
        var explained: [ExplainVerdict] = []
        for path in verdicts { explained += try ExplainVerdict.read(path: path) }
        let patterns = PatternsPage(rows: patternRows, verdicts: explained)
        let projects = ProjectSummary.all(projectRows)
        text = switch format {
        case .html: HTMLReport.render(report, files: input.paths, patterns: patterns, projects: projects)
        case .markdown: MarkdownReport.render(report, patterns: patterns, projects: projects)
        case .json: try report.json() + "\n"
        case .text(let color):
            (patterns.isEmpty ? "" : patterns.markdown() + "\n") + projects.map { $0.text() + "\n\n" }.joined()
                + ScalingSummary(configurations: rows.pooled?.configurations ?? [], gilReturn: rows.gilReturn).text(color: color)
        }
        paths = input.paths
        warnings = input.warnings
        sectionCount = report.sections.count
        runCount = report.runs.count
    }
}
