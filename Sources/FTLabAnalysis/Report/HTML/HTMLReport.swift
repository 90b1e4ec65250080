import Plot
import FTLabCore

/// Renders a `ScalingReport` as one self-contained HTML page: inline CSS and SVG, no
/// scripts, nothing fetched. The header names the machines and interpreters; each
/// workload/variant gets its charts (`SectionCharts`), a table of figures and its failures.
public enum HTMLReport {
    /// The page; `files` are the results files it was made from, as named on the command line.
    public static func render(_ report: ScalingReport, files: [String], patterns: PatternsPage? = nil,
                              projects: [ProjectSummary] = []) -> String {
        HTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .element(named: "title", nodes: [.escaped(title(report))]),
                .style(ReportStylesheet.css)
            ),
            .body(
                .header(
                    .h1(.escaped(title(report))),
                    .p(.class("sources"), .escaped(sourcesLine(report, files: files))),
                    .div(.class("runs"), .group(report.runs.enumerated().map { runCard($1, index: $0) }))
                ),
                gilWarning(report),
                patterns.map(PatternsHTML.render) ?? .empty,
                ProjectHTML.render(projects),
                tableOfContents(report),
                overheads(report),
                ladders(report),
                .group(report.sections.map(SectionHTML.render)),
                .footer(.escaped(
                    "Medians over every measured sample; whiskers and ± are bootstrap 95% confidence intervals. "
                        + "Speedup is over the same configuration at 1 thread; efficiency is speedup / threads; "
                        + "the ideal line rises linearly up to the machine's online CPUs and is flat beyond. "
                        + "Ratios pair configurations within one run. Made by ftlab report."))
            )
        ).render(indentedBy: .spaces(1))
    }

    /// The GIL-came-back warning at the top of the page (nothing when the GIL stayed off).
    private static func gilWarning(_ report: ScalingReport) -> Node<HTML.BodyContext> {
        guard let gil = report.gilReturn else { return .empty }
        return .div(.class("gil-warning"), .attribute(named: "style", value: "border:3px solid #c00;padding:0.5em;font-weight:bold"),
                    .group(gil.lines.map { .p(.escaped($0.trimmingCharacters(in: .whitespaces))) }))
    }

    package static func title(_ report: ScalingReport) -> String {
        let hosts = report.runs.map(\.identity.host).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return "ftlab scaling report" + (hosts.isEmpty ? "" : ": " + hosts.joined(separator: ", "))
    }

    private static func sourcesLine(_ report: ScalingReport, files: [String]) -> String {
        let sections = report.sections.count
        return "From \(files.joined(separator: ", ")): \(report.runs.count) run\(report.runs.count == 1 ? "" : "s"), "
            + "\(sections) workload variant\(sections == 1 ? "" : "s")."
            + (report.runs.isEmpty ? " The files hold no measurements." : "")
    }

    private static func runCard(_ run: ReportRun, index: Int) -> Node<HTML.BodyContext> {
        let id = run.identity
        let machine: [(String, String)] = [
            ("host", id.host), ("CPU", id.cpuModel.isEmpty ? "unknown" : id.cpuModel),
            ("CPUs online", String(id.cpusOnline)), ("NUMA nodes", String(id.numaNodes)),
            ("SMT", id.smt ? "on" : "off"), ("kernel", id.kernel), ("started (UTC)", id.startedUTC),
            ("suite revision", id.suiteRev),
        ] + (run.recordedMachineState ? [
            ("machine state", id.machine.summary),
            ("ftlab", id.ftlabVersion),
        ] : [])
        let cautions = run.recordedMachineState ? id.machine.warnings(cpus: id.cpusOnline) : []
        let processes = "\(run.processes[.ok, default: 0]) ok, \(run.processes[.failed, default: 0]) failed, "
            + "\(run.processes[.timeout, default: 0]) timed out"
        return .section(
            .class("run"), .id("run-\(index + 1)"),
            .h2(.escaped("Run \(id.runID)")),
            .div(
                .class("run-body"),
                .dl(.class("machine"), .group(machine.map { name, value in
                    .group(.dt(.escaped(name)), .dd(.escaped(value)))
                })),
                .div(interpreters(run), .p(.escaped("Processes: \(processes)")))
            ),
            .if(!cautions.isEmpty, .ul(.class("cautions"), .group(cautions.map { .li(.escaped("Unstable figures: " + $0)) })))
        )
    }

    private static func interpreters(_ run: ReportRun) -> Node<HTML.BodyContext> {
        .table(
            .class("interpreters"),
            .thead(.tr(.th("interpreter"), .th("Python"), .th("build"), .th("GIL observed"), .th("--env"))),
            .tbody(.group(run.interpreters.map { interpreter in
                .tr(.td(.escaped(interpreter.label)), .td(.escaped(interpreter.pythonVersion)),
                    .td(.escaped(interpreter.build)), .td(.escaped(interpreter.gil)),
                    .td(.escaped(interpreter.env.joined(separator: "; "))))
            }))
        )
    }

    private static func tableOfContents(_ report: ScalingReport) -> Node<HTML.BodyContext> {
        guard !report.sections.isEmpty else { return .empty }
        return .nav(.class("toc"), .ul(.group(report.sections.map { section in
            .li(.a(.href("#\(section.anchor)"), .escaped(section.title)))
        })))
    }

    /// PEP 779's single-thread and memory bars, per run and workload.
    private static func overheads(_ report: ScalingReport) -> Node<HTML.BodyContext> {
        let rows = report.runs.flatMap { run in run.overheads.map { (run, $0) } }
        guard !rows.isEmpty else { return .empty }
        let releases = Set(rows.map(\.1.release)).count > 1
        func judged(_ value: Double?, limit: Double) -> Node<HTML.TableRowContext> {
            guard let value else { return .td(.class("num"), "-") }
            let within = value <= limit
            return .td(.class("num \(within ? "within" : "over")"),
                       .escaped("\(NumberFormat.percent(value)) (\(within ? "within" : "over") \(NumberFormat.percent(limit, digits: 0)))"))
        }
        return .section(
            .class("overview"), .id("pep779"),
            .h2("Free-threaded build against PEP 779's bars"),
            .p(.class("lead"), .escaped(
                "At 1 thread, free-threaded vs GIL build with every other setting equal (geometric mean over "
                    + "variants, parameters, placements and allocators). PEP 779 asks for at most 15% slower and 20% more memory."
                    + (rows.contains { $0.1.workload == BuildOverhead.pyperformance }
                        ? " A pyperformance row is judged by the PEP's own measure: the geometric mean of its benchmarks' time ratios."
                        : ""))),
            .table(
                .thead(.tr(.if(report.runs.count > 1, .th("run")), .th("workload"), .if(releases, .th("release")),
                           .th(.class("num"), "pairs"),
                           .th(.class("num"), "single-thread slowdown"), .th(.class("num"), "peak-memory overhead"))),
                .tbody(.group(rows.map { run, overhead in
                    .tr(.if(report.runs.count > 1, .td(.escaped(run.label))), .td(.escaped(overhead.workload)),
                        .if(releases, .td(.escaped(overhead.release))),
                        .td(.class("num"), .text(String(overhead.pairs))),
                        judged(overhead.judgedSlowdown, limit: BuildOverhead.singleThreadLimit),
                        judged(overhead.memory, limit: BuildOverhead.memoryLimit))
                }))
            )
        )
    }
}

extension HTMLReport {
    /// Per run and workload measured on several releases: the free-threaded build release by release.
    fileprivate static func ladders(_ report: ScalingReport) -> Node<HTML.BodyContext> {
        let ladders = report.runs.flatMap { run in run.ladders.map { (run, $0) } }
        guard !ladders.isEmpty else { return .empty }
        return .section(
            .class("overview"), .id("releases"),
            .h2("Across CPython releases"),
            .p(.class("lead"), .escaped(
                "The free-threaded build release by release, each figure within one release: its throughput over the "
                    + "GIL build's at 1 thread (PEP 779's line: at most 15% slower), and its speedup over its own "
                    + "1-thread run (geometric mean over variants). Allocator figures compare only within one release: "
                    + "a preloaded allocator's reach (allocator_scope) changes with the release.")),
            .group(ladders.map { run, ladder in
                let table = ladder.table()
                return .table(
                    .caption(.escaped(report.runs.count > 1 ? "\(ladder.workload), \(run.label)" : ladder.workload)),
                    .thead(.tr(.group(table.header.enumerated().map { index, title in
                        index == 0 ? .th(.escaped(title)) : .th(.class("num"), .escaped(title))
                    }))),
                    .tbody(.group(table.rows.map { cells in
                        .tr(.group(cells.enumerated().map { index, cell in
                            index == 0 ? .td(.escaped(cell)) : .td(.class("num"), .escaped(cell))
                        }))
                    })))
            }))
    }
}

extension Node {
    /// Text from a results file (labels, messages), escaped for HTML.
    package static func escaped(_ text: String) -> Node {
        .raw(HTMLEscaping.escape(text))
    }
}
