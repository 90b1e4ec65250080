import Plot
import FTLabCore

/// Each project's test suite (`ProjectSummary`) as a section of the HTML report, above the charts.
enum ProjectHTML {
    static func render(_ summaries: [ProjectSummary]) -> Node<HTML.BodyContext> {
        .group(summaries.map(section))
    }

    static func section(_ summary: ProjectSummary) -> Node<HTML.BodyContext> {
        let release = summary.releases.last.map { "CPython \($0)" } ?? ""
        let speedupHeader = "speedup at \(summary.maxThreads) (free-threaded)"
        let tests = summary.tests.sorted { speedup($0, summary) < speedup($1, summary) }
        return .section(
            .class("overview"), .id("project-\(summary.project)"),
            .h2(.escaped("Project \(summary.project): its test suite on \(release)")),
            .p(.class("lead"), .escaped(lead(summary))),
            .table(
                .thead(.tr(.th("test"), .th("verdict"), .th(.class("num"), "ft/gil at 1 thread"),
                           .th(.class("num"), .text(speedupHeader)), .th("finding"))),
                .tbody(.group(tests.map { row($0, summary) }))
            )
        )
    }

    static func lead(_ summary: ProjectSummary) -> String {
        var text = ""
        if let g = summary.singleThreadGeomean {
            let interval = "\(NumberFormat.ratio(g.low))–\(NumberFormat.ratio(g.high))"
            text = "Single thread, free-threaded over GIL throughput, geometric mean over the tests: "
                + "\(NumberFormat.ratio(g.value)) (95% CI \(interval)). "
        }
        let counts: [String] = summary.counts.map { "\($0.1) \($0.0.rawValue)" }
        return text + "Verdicts: " + counts.joined(separator: ", ") + "."
    }

    static func speedup(_ test: ProjectSummary.Test, _ summary: ProjectSummary) -> Double {
        test.speedups[summary.maxThreads] ?? .infinity
    }

    static func row(_ test: ProjectSummary.Test, _ summary: ProjectSummary) -> Node<HTML.TableContext> {
        let ratio = test.singleThreadRatio.map(NumberFormat.ratio) ?? "-"
        let scaling = test.speedups[summary.maxThreads].map(NumberFormat.ratio) ?? "-"
        var finding = test.oneThreadReason ?? ""
        if let f = test.failure { finding = "\(f.interpreter), \(f.threads) thread(s): \(f.message.prefix(300))" }
        return .tr(.td(.escaped(test.nodeid)), .td(.escaped(test.verdict.rawValue)), .td(.class("num"), .escaped(ratio)),
                   .td(.class("num"), .escaped(scaling)), .td(.escaped(finding)))
    }
}
