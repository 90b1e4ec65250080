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
        let rendering: ReportDocument.Format = switch format.value {
        case .markdown: .markdown
        case .json: .json
        case .text: .text(color: output == nil && colorOptions.enabled)
        default: .html
        }
        let document = try ReportDocument(files: files, verdicts: verdicts, format: rendering)
        document.warnings.forEach { Diagnostics.warning($0) }
        guard let output else {
            print(document.text, terminator: "")
            return
        }
        try OutputLock.checkFree(output)
        try ReportOutput.write(document.text, to: output)
        if !quietOptions.quiet {
            Diagnostics.progress("report: \(output) (\(document.sectionCount) workload variants, \(document.runCount) runs)")
        }
    }
}

extension ReportCommand: FormatChoices {
    static let command = "ftlab report"
    static let accepted: [OutputFormat] = [.html, .markdown, .text, .json]
    static let defaultFormat = OutputFormat.html
}
