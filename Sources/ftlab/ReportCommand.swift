import ArgumentParser
import Foundation
import FTLabCore
import FTLabAnalysis

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Turn results CSVs into a self-contained HTML page of scaling charts, or a markdown summary.",
        discussion: """
            Per workload/variant: throughput against threads for each interpreter (medians with \
            bootstrap 95% CI whiskers, and the ideal line: linear up to the online CPUs), speedup, \
            parallel efficiency, the free-threaded/GIL ratio, allocator and placement comparisons \
            where the run swept them, latency percentiles where recorded, and the native ceiling \
            where an interpreter is labelled native-swift. The header names each run's machine and \
            interpreters. When the run measured the pattern workloads (thread-state, stdio, handoff, \
            shared-state, buffered-copy's impl=io|_pyio), a patterns page comes first: per question, \
            one sentence per CPython release from the figures (speedup at the largest thread count \
            with its 95% CI, single-thread cost against the GIL build), and for the options that do \
            not scale the verdict of `ftlab explain` (given with --verdicts) or the command that \
            gives it. Several files are merged; different runs sit side by side, labelled by \
            host and run id, and are never pooled.

            The HTML page has inline CSS and SVG only: no scripts, nothing fetched.

            Examples:
              ftlab report results/run.csv -o report.html
              ftlab report before.csv after.csv -o both.html
              ftlab report results/run.csv --format markdown >> results/README.md
              ftlab report results/run.csv --format text      the scaling table, as `run` prints it
              ftlab report results/run.csv --format json      one `ftlab.report/1` object
              ftlab report patterns.csv --verdicts why.json --format markdown   with explain's verdicts

            Exit codes: 0 written; 2 bad input (a missing file, not an ftlab CSV, an unwritable -o).
            """)

    @Argument(help: ArgumentHelp("Results files written by `ftlab run`.", valueName: "RUN.csv"))
    var files: [String]

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Where to write the report (default: standard output).", valueName: "FILE"))
    var output: String?

    @Option(name: .customLong("verdicts"), help: ArgumentHelp(
        "An `ftlab explain --format json` document whose verdict lines the patterns page quotes for the patterns that do not scale. Repeatable.",
        valueName: "EXPLAIN.json"))
    var verdicts: [String] = []

    @OptionGroup var format: FormatOptions<Self>

    @OptionGroup var colorOptions: ColorOptions

    @OptionGroup var quietOptions: QuietOptions

    func run() throws {
        // Rows are gathered as they are read (by run and configuration, figures as numbers),
        // never held: memory follows the configurations, not the rows.
        var rows = ReportRows(pooling: format.value == .text)
        // The patterns page reads its own few workloads' rows; only those are kept.
        var patternRows: [ResultRow] = []
        // So does each project's summary (`ftlab project`).
        var projectRows: [ResultRow] = []
        let input = try ReportInput.forEachRow(paths: files) { row in
            rows.add(row)
            if PatternsPage.reads(row) { patternRows.append(row) }
            if ProjectSummary.reads(row) { projectRows.append(row) }
        }
        for warning in input.warnings {
            Diagnostics.warning(warning)
        }
        let report = ScalingReport(rows)
        var explained: [ExplainVerdict] = []
        for path in verdicts { explained += try ExplainVerdict.read(path: path) }
        let patterns = PatternsPage(rows: patternRows, verdicts: explained)
        let projects = ProjectSummary.all(projectRows)
        let text = switch format.value {
        case .markdown: MarkdownReport.render(report, patterns: patterns, projects: projects)
        case .json: try report.json() + "\n"
        case .text: (patterns.isEmpty ? "" : patterns.markdown() + "\n") + projects.map { $0.text() + "\n\n" }.joined()
            + ScalingSummary(configurations: rows.pooled?.configurations ?? [], gilReturn: rows.gilReturn)
            .text(color: output == nil && colorOptions.enabled)
        default: HTMLReport.render(report, files: input.paths, patterns: patterns, projects: projects)
        }
        guard let output else {
            print(text, terminator: "")
            return
        }
        try OutputLock.checkFree(output)
        try ReportOutput.write(text, to: output)
        if !quietOptions.quiet { Diagnostics.progress("report: \(output) (\(report.sections.count) workload variants, \(report.runs.count) runs)") }
    }
}

extension ReportCommand: FormatChoices {
    static let command = "ftlab report"
    static let accepted: [OutputFormat] = [.html, .markdown, .text, .json]
    static let defaultFormat = OutputFormat.html
}
