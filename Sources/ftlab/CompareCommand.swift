import ArgumentParser
import Foundation
import FTLabCore
import FTLabRunner
import FTLabAnalysis
import FTLabExplain
import FTLabBuilds

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two results files configuration by configuration; fail on a real regression.",
        discussion: """
            Configurations are paired by their configuration columns (\(ResultRow.configurationColumns.joined(separator: ", "))), \
            not by row order. For throughput (higher is better) and the latency percentiles \
            (lower is better, where both files record them) it reports the medians, their ratio \
            NEW/BASE with a bootstrap 95% confidence interval, and a Mann-Whitney U p-value. \
            A change is significant only when the interval excludes 1 and the change reaches \
            the threshold. A `same` whose interval reaches past the threshold is listed as \
            inconclusive (it does not rule out a change of that size), with about how many \
            processes a side would resolve it.

            The process is the unit of replication: samples of one process move together, so \
            the interval resamples whole processes and then samples within them (a two-stage \
            bootstrap), and the p-value compares per-process medians (with 3 processes a side \
            it cannot go below 0.10). Run the configurations to gate with --processes 5 or \
            more; fewer than 3 draws a warning.

            Text output is coloured only on a terminal (--color auto), and never when NO_COLOR is
            set to a non-empty value; --color always|never overrides both. --format json prints
            one `ftlab.compare/1` object.

            Exit codes: 0 no significant regression, 1 a significant regression, 2 bad input.
            """
    )

    @Argument(help: "The baseline results CSV.")
    var base: String

    @Argument(help: "The results CSV to judge against the baseline (default: BASE again, split by --base and --new).")
    var new: String?

    @Option(name: .customLong("base"), help: ArgumentHelp("Only the rows of BASE with this value form the base side, e.g. env= or interpreter=cpython-3.13.5; the column is left out when pairing.", valueName: "COLUMN=VALUE"))
    var baseRows: String?

    @Option(name: .customLong("new"), help: ArgumentHelp("Only the rows of NEW with this value form the new side, e.g. env=PYTHONMALLOC=malloc_debug.", valueName: "COLUMN=VALUE"))
    var newRows: String?

    @Option(help: "Smallest change called significant: a percentage (5%) or a fraction (0.05). A bare number of 1 or more is refused as ambiguous.")
    var threshold = "5%"

    @Option(help: "Comma-separated configuration columns to leave out when pairing, e.g. interpreter,python_version to compare 3.13t with 3.14t.")
    var ignore: String?

    @Option(help: "Comma-separated metrics to compare: \(Metric.allCases.map(\.rawValue).joined(separator: ", ")) (default: all that both files record).")
    var metric: String?

    @OptionGroup var format: FormatOptions<Self>

    @OptionGroup var colorOptions: ColorOptions

    func run() throws {
        let options = try ComparisonOptions(threshold: threshold, ignore: ignore, metrics: metric,
                                            base: baseRows, new: newRows)
        if new == nil, baseRows == nil || newRows == nil { throw CompareError.oneFileNeedsSelections }
        let new = new ?? base
        // Each side is gathered as its file is read (a file given twice is read once), never held.
        var baseSide = ComparisonSide.base(file: base, options: options)
        var newSide = ComparisonSide.new(file: new, options: options)
        var warnings: [String]
        if new == base, baseRows == nil, newRows == nil {
            warnings = try ReportInput.forEachRow(paths: [base]) { baseSide.add($0) }.warnings
            warnings += warnings
            newSide = baseSide.asNewSideOfTheSameFile(options: options) ?? newSide
        } else if new == base {
            warnings = try ReportInput.forEachRow(paths: [base]) { baseSide.add($0); newSide.add($0) }.warnings
            warnings += warnings
        } else {
            warnings = try ReportInput.forEachRow(paths: [base]) { baseSide.add($0) }.warnings
            warnings += try ReportInput.forEachRow(paths: [new]) { newSide.add($0) }.warnings
        }
        for warning in warnings {
            Diagnostics.warning(warning)
        }
        let comparison = try Comparison(base: baseSide, new: newSide, options: options)
        let chosen = ComparisonFormat(rawValue: format.value.rawValue) ?? .text
        print(comparison.rendered(as: chosen, color: colorOptions.enabled), terminator: "")
        if comparison.exitCode != 0 { throw ExitCode(comparison.exitCode) }
    }
}

extension CompareCommand: FormatChoices {
    static let command = "ftlab compare"
    static let accepted: [OutputFormat] = ComparisonFormat.allCases.compactMap { OutputFormat(rawValue: $0.rawValue) }
    static let defaultFormat = OutputFormat.text
}
