import FTLabCore
/// The end-of-run summary of a results file: per workload and variant, one row per
/// configuration with its median throughput (± the 95% CI), speedup over 1 thread,
/// parallel efficiency, free-threaded/GIL ratio and peak RSS; then PEP 779's lines for each
/// workload measured with both builds, and a count of failed and timed-out processes.
public struct ScalingSummary: Sendable {
    public let figures: [ScalingFigures]
    public let overheads: [BuildOverhead]
    /// Per workload measured on several CPython releases: the free-threaded build release by release.
    public let ladders: [ReleaseLadder]
    /// Processes per status over all configurations.
    public let processes: [RowStatus: Int]
    /// Free-threaded configurations that ran with the GIL re-enabled, if any.
    public let gilReturn: GILReturn?

    /// ConfigurationSamples columns shown only when a table has several values of them.
    private static let optionalColumns = ["params", "env", "placement", "allocator"]

    /// Summarises `rows` (samples of any status; only ok ones enter the figures).
    public init(rows: [ResultRow], bootstrap: Bootstrap = Bootstrap()) {
        self.init(configurations: ConfigurationSamples.group(rows), gilReturn: GILReturn(rows: rows), bootstrap: bootstrap)
    }

    /// Summarises configurations grouped as their rows were read.
    public init(configurations: [ConfigurationSamples], gilReturn: GILReturn?, bootstrap: Bootstrap = Bootstrap()) {
        figures = Self.ordered(ScalingFigures.compute(configurations, bootstrap: bootstrap))
        overheads = BuildOverhead.perWorkload(BuildPair.pairs(configurations))
        ladders = ReleaseLadder.compute(figures, overheads: overheads)
        self.gilReturn = gilReturn
        processes = Dictionary(uniqueKeysWithValues: RowStatus.allCases.map { status in
            (status, configurations.reduce(0) { $0 + $1.processCount(status) })
        })
    }

    /// The summary of one run of a report, from the figures the report computed (no
    /// interval is computed twice).
    public init(run: ReportRun) {
        figures = Self.ordered(run.figures)
        overheads = run.overheads
        ladders = ReleaseLadder.compute(figures, overheads: overheads)
        gilReturn = run.gilReturn
        processes = run.processes
    }

    /// Aligned text for a terminal; `color` adds ANSI styles (ask for it only on a TTY);
    /// `tables: false` leaves out the per-variant tables (a project's hundreds of tests).
    public func text(color: Bool = false, tables: Bool = true) -> String {
        let styled: (TerminalStyle, String) -> String = { color ? $0.apply($1) : $1 }
        var out: [String] = []
        for section in sections where tables {
            out.append(styled(.bold, section.title))
            out.append(table(section.figures).text())
            out.append("")
        }
        if !overheads.isEmpty {
            out.append(Self.overheadHeading)
            out += overheads.map { overhead in
                "  " + overheadLine(overhead) { within, text in styled(within ? .green : .red, text) }
            }
        }
        if !ladders.isEmpty {
            out += ["", styled(.bold, Self.ladderHeading)]
            for ladder in ladders {
                out += [ladder.workload, ladder.table().text(), ""]
            }
        }
        if let gilReturn { out += gilReturn.lines.map { styled(.red, $0) } }
        out.append(styled(processes[.failed, default: 0] + processes[.timeout, default: 0] > 0 ? .red : .green,
                          processLine))
        return out.joined(separator: "\n") + "\n"
    }

    /// The same summary as GitHub-flavoured markdown.
    public func markdown() -> String {
        var out: [String] = []
        for section in sections {
            out += ["### \(section.title)", "", table(section.figures).markdown(), ""]
        }
        if !overheads.isEmpty {
            out += ["**\(Self.overheadHeading)**", ""]
            out += overheads.map { overhead in "- " + overheadLine(overhead) { $1 } }
            out.append("")
        }
        if !ladders.isEmpty {
            out += ["**\(Self.ladderHeading)**", ""]
            for ladder in ladders {
                out += ["#### \(ladder.workload)", "", ladder.table().markdown(), ""]
            }
        }
        if let gilReturn { out += ["> " + gilReturn.lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "), ""] }
        out.append(processLine)
        return out.joined(separator: "\n") + "\n"
    }

    private static let overheadHeading = "PEP 779 bars, free-threaded vs GIL build at 1 thread:"
    private static let ladderHeading = "Across CPython releases, the free-threaded build"
        + " (ft/gil at 1 thread; speedup over its own 1-thread run, geometric mean over variants):"

    /// One workload's single-thread and memory overhead against PEP 779's limits;
    /// `mark(within, text)` styles each verdict.
    private func overheadLine(_ overhead: BuildOverhead, mark: (Bool, String) -> String) -> String {
        func judged(_ value: Double, limit: Double) -> String {
            let within = value <= limit
            return "\(NumberFormat.percent(value)) " + mark(within, "(\(within ? "within" : "over") the \(NumberFormat.percent(limit, digits: 0)) line)")
        }
        let several = Set(overheads.map(\.release)).count > 1
        let name = "\(overhead.workload)\(several ? " (CPython \(overhead.release))" : "")"
        var line = overhead.workload == BuildOverhead.pyperformance
            ? "\(name): free-threaded slower by " + judged(overhead.slowdown, limit: BuildOverhead.singleThreadLimit)
                + " (PEP 779's measure: geometric mean of \(overhead.pairs) benchmarks' time ratios)"
            : "\(name): single-thread overhead " + judged(overhead.singleThread, limit: BuildOverhead.singleThreadLimit)
        if let memory = overhead.memory {
            line += ", peak-memory overhead " + judged(memory, limit: BuildOverhead.memoryLimit)
        }
        if overhead.pairs > 1, overhead.workload != BuildOverhead.pyperformance { line += "; geometric mean of \(overhead.pairs) pairs" }
        return line
    }

    private var processLine: String {
        "Processes: \(processes[.ok, default: 0]) ok, \(processes[.failed, default: 0]) failed, "
            + "\(processes[.timeout, default: 0]) timed out"
    }

    private var sections: [(title: String, figures: [ScalingFigures])] {
        var titles: [String] = []
        var byTitle: [String: [ScalingFigures]] = [:]
        for figure in figures {
            let row = figure.configuration.first
            let title = row.variant.isEmpty ? row.workload : "\(row.workload) / \(row.variant)"
            if byTitle[title] == nil { titles.append(title) }
            byTitle[title, default: []].append(figure)
        }
        return titles.map { ($0, byTitle[$0]!) }
    }

    private func table(_ figures: [ScalingFigures]) -> Table {
        let unit = figures.lazy.compactMap { $0.configuration.okUnit }.first { !$0.isEmpty } ?? "ops"
        let shownColumns = ["interpreter"] + figures.varying(Self.optionalColumns) { $0.configuration.first.value(of: $1) ?? "" }
        let header = shownColumns + ["threads"] + ScalingFigures.columns(unit: unit)
        var table = Table(header: header, rightAligned: Set(shownColumns.count..<header.count))
        table.rows = figures.map { figure in
            let row = figure.configuration.first
            return shownColumns.map { row.value(of: $0) ?? "" } + [String(row.threads)] + figure.cells
        }
        return table
    }

    /// Figures sorted so each scaling curve is contiguous: by interpreter, parameters,
    /// environment, placement and allocator (in order of first appearance), then threads.
    private static func ordered(_ figures: [ScalingFigures]) -> [ScalingFigures] {
        let columns = ["workload", "variant", "interpreter"] + optionalColumns
        var rank: [String: Int] = [:]
        for figure in figures {
            for column in columns {
                let key = "\(column)=\(figure.configuration.first.value(of: column) ?? "")"
                if rank[key] == nil { rank[key] = rank.count }
            }
        }
        func sortKey(_ figure: ScalingFigures) -> [Int] {
            columns.map { rank["\($0)=\(figure.configuration.first.value(of: $0) ?? "")"]! }
                + [figure.configuration.first.threads]
        }
        return figures.sorted { sortKey($0).lexicographicallyPrecedes(sortKey($1)) }
    }
}
