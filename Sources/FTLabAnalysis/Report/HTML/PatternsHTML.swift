import Plot
import FTLabCore

/// The patterns page (`PatternsPage`) as a section of the HTML report, above the charts.
enum PatternsHTML {
    static func render(_ page: PatternsPage) -> Node<HTML.BodyContext> {
        guard !page.isEmpty else { return .empty }
        func plain(_ text: String) -> String { text.replacingOccurrences(of: "`", with: "") }
        return .section(
            .class("overview"), .id("patterns"),
            .h2("Patterns: the questions people ask, answered"),
            .p(.class("lead"), .escaped(
                "Speedup is the median throughput at the largest thread count over that at 1 thread, with its bootstrap 95% CI "
                    + "over processes; \u{201C}scales\u{201D} means the CI's low end reaches 1 + 0.5 (N - 1) (1.5x at 2 threads), "
                    + "\u{201C}scales partly\u{201D} that it is above 1. Single-thread cost is the time per op at 1 thread."
                    + (page.loadAverage.map { String(format: " Load average (1 minute): %.2f at the start; median %.2f, at most %.2f as processes ended.", $0.start, $0.median, $0.max) } ?? "")
                    + page.controls.map { " Control on CPython \($0.release): \($0.label), whose threads share nothing, reached "
                        + "\(NumberFormat.ratio($0.speedup.ratio)) at \($0.threads) threads." }.joined())),
            .group(page.sections.map { section in
                .div(
                    .h3(.escaped(section.title)),
                    .p(.em(.escaped(section.question))),
                    .ul(.group(section.answers.map { answer in
                        .li(.strong(.escaped("CPython \(answer.release): ")), .escaped(plain(answer.sentence)))
                    })),
                    .if(section.note != nil, .p(.escaped(plain(section.note ?? "")))),
                    .table(
                        .thead(.tr(.th("option"), .th("interpreter"), .th(.class("num"), "1-thread cost"),
                                   .th(.class("num"), "time vs GIL"), .th(.class("num"), "speedup at N (95% CI)"), .th("verdict"),
                                   .th("why not (ftlab explain)"))),
                        .tbody(.group(section.answers.flatMap(\.figures).map { f in
                            .tr(.td(.escaped(f.label)), .td(.escaped(f.interpreter)),
                                .td(.class("num"), .escaped(PatternsPage.cost(f.single, unit: f.unit))),
                                .td(.class("num"), .escaped(f.timeOverGIL.map { NumberFormat.ratio($0.ratio) } ?? "-")),
                                .td(.class("num"), .escaped("\(NumberFormat.ratio(f.speedup.ratio)) at \(f.threads) "
                                    + "(\(NumberFormat.ratio(f.speedup.interval.low))–\(NumberFormat.ratio(f.speedup.interval.high)))")),
                                .td(.escaped(f.verdict)),
                                .td(.escaped(f.verdict == "scales" ? "" : f.explained ?? f.explainCommand)))
                        }))
                    )
                )
            })
        )
    }
}
