import Plot
import FTLabCore

/// One workload/variant of the HTML report: a legend shared by its charts, the charts, a
/// table of every figure, and the processes that failed.
package enum SectionHTML {
    package static func render(_ section: ReportSection) -> Node<HTML.BodyContext> {
        let charts = SectionCharts.charts(for: section)
        return .section(
            .class("workload"), .id(section.anchor),
            .h2(.escaped(section.title)),
            charts.isEmpty ? noData(section) : .group(
                legend(section),
                .div(.class("charts"), .group(charts.map { chart in
                    .element(named: "figure", nodes: [
                        .element(named: "figcaption", nodes: [.escaped(chart.title)]), .raw(chart.svg()),
                    ])
                }))
            ),
            figuresTable(section),
            failures(section)
        )
    }

    private static func noData(_ section: ReportSection) -> Node<HTML.BodyContext> {
        let processes = Set(section.failures.map { "\($0.runID)/\($0.interpreter)/\($0.threads)/\($0.process)" }).count
        return .p(.class("no-data"), .escaped(
            "No process of \(section.title) ended ok (\(processes) failed or timed out), so there is nothing to plot."))
    }

    private static func legend(_ section: ReportSection) -> Node<HTML.BodyContext> {
        let cpus = Set(section.series.map(\.cpusOnline)).sorted().map(String.init).joined(separator: " or ")
        return .ul(
            .class("legend"),
            .group(section.series.map { series in
                .li(.raw(swatch(series.style, bold: series.isNative)),
                    .escaped(series.isNative ? "\(series.label) (native ceiling)" : series.label))
            }),
            .li(.raw(swatch(SeriesStyle(color: "#555", dash: "3 4"), bold: false, marker: false)),
                .escaped("ideal, per interpreter: linear from 1 thread up to \(cpus) CPUs, flat beyond"))
        )
    }

    /// A short line with the curve's colour and dash, and a marker.
    private static func swatch(_ style: SeriesStyle, bold: Bool, marker: Bool = true) -> String {
        var svg = SVGWriter()
        svg.open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 40 14"), ("aria-hidden", "true")])
        var line = [("x1", "2"), ("x2", "38"), ("y1", "7"), ("y2", "7"), ("stroke", style.color),
                    ("stroke-width", bold ? "3" : "2")]
        if !style.dash.isEmpty { line.append(("stroke-dasharray", style.dash)) }
        svg.leaf("line", line)
        if marker { svg.leaf("circle", [("cx", "20"), ("cy", "7"), ("r", "3.5"), ("fill", style.color)]) }
        svg.close("svg")
        return svg.markup
    }

    private static func figuresTable(_ section: ReportSection) -> Node<HTML.BodyContext> {
        let latency = section.hasLatency, native = section.hasNative
        var header = ["curve", "threads"] + ScalingFigures.columns(unit: section.unit)
        if latency { header += ["p50", "p99", "p99.9"] }
        if native { header.append("of native") }
        let rows: [[String]] = section.series.flatMap { series in
            series.points.map { point in
                let f = point.figures
                var cells = [series.label, String(point.threads)] + f.cells
                if latency {
                    cells += [point.latencyP50, point.latencyP99, point.latencyP999].map { $0.map { ValueFormat.duration($0.median) } ?? "-" }
                }
                if native { cells.append(point.ofNative.map { NumberFormat.percent($0, digits: 0) } ?? "") }
                return cells
            }
        }
        return .table(
            .class("figures"),
            .thead(.tr(.group(header.enumerated().map { index, title in
                .th(.class(index == 0 ? "" : "num"), .escaped(title))
            }))),
            .tbody(.group(rows.map { cells in
                .tr(.group(cells.enumerated().map { index, cell in
                    .td(.class(index == 0 ? "" : "num"), .escaped(cell))
                }))
            }))
        )
    }

    private static func failures(_ section: ReportSection) -> Node<HTML.BodyContext> {
        guard !section.failures.isEmpty else { return .empty }
        let count = section.failures.count
        let nothingOK = section.series.allSatisfy { $0.points.allSatisfy { $0.figures.throughput == nil } }
        return .details(
            .class("failures"), .if(nothingOK, .attribute(named: "open")),
            .summary(.escaped("\(count) process\(count == 1 ? "" : "es") failed or timed out")),
            .ul(.group(section.failures.map { row in
                .li(.escaped("\(row.interpreter), \(row.threads) threads, process \(row.process): \(row.status.rawValue) "),
                    .span(.class("message"), .escaped(String(row.message.prefix(600)))))
            }))
        )
    }
}
