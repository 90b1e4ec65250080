import FTLabCore
/// The charts of one report section, in reading order: throughput, speedup, efficiency, the
/// free-threaded/GIL ratio, allocator and placement comparisons, latency. A chart with no
/// data to draw is left out, so a section whose processes all failed has none.
package enum SectionCharts {
    /// The PEP 779 single-thread bar as a throughput ratio.
    package static let pep779Ratio = 1 - BuildOverhead.singleThreadLimit

    package static func charts(for section: ReportSection) -> [LineChart] {
        var charts = [throughput(section), speedup(section), efficiency(section), freeThreadedOverGIL(section)]
        charts += section.factors.map { factor(section, $0) }
        if section.hasLatency {
            charts += [latency(section, percentile: "p50", \.latencyP50), latency(section, percentile: "p99", \.latencyP99)]
        }
        return charts.filter { chart in chart.lines.contains { !$0.points.isEmpty } }
    }

    package static func throughput(_ section: ReportSection) -> LineChart {
        let unit = section.unit
        let lines = section.series.map { series in
            line(series, series.points.compactMap { point in
                point.figures.throughput.map { t in
                    LineChart.Point(x: Double(point.threads), y: t.median, low: t.ciLow, high: t.ciHigh,
                                    tooltip: "\(series.label), \(point.threads) threads: \(NumberFormat.si(t.median)) \(unit)/s "
                                        + "(95% CI \(NumberFormat.si(t.ciLow))–\(NumberFormat.si(t.ciHigh)), n=\(t.n))")
                }
            })
        }
        var chart = LineChart(id: "throughput-\(section.anchor)", kind: "throughput", title: "Throughput (\(unit)/s)",
                              yLabel: "\(unit)/s", format: .number, lines: [], yIncludes: [0])
        // The native ceiling is drawn unless it would squash the Python curves; then it is named.
        let python = lines.filter { !$0.bold }.flatMap { $0.points.map { $0.high ?? $0.y } }.max() ?? 0
        let native = lines.filter(\.bold).flatMap { $0.points.map(\.y) }.max() ?? 0
        if python > 0, native > 2 * python {
            chart.lines = lines.filter { !$0.bold }
            chart.note = "\(ReportSeries.nativeInterpreter) ceiling above the chart: up to \(NumberFormat.si(native)) \(unit)/s"
        } else {
            chart.lines = lines
        }
        // One ideal line per interpreter (and run), from its first curve that has a 1-thread point.
        var seen = Set<String>()
        chart.guides = section.series.filter { !$0.isNative }.compactMap { series in
            guard let base = series.point(threads: 1)?.figures.throughput?.median, let last = series.points.last,
                  seen.insert(series.describing.runID + "|" + series.describing.interpreter).inserted
            else { return nil }
            let top = Double(max(1, min(series.cpusOnline, last.threads)))
            var points = [(x: 1.0, y: base), (x: top, y: base * top)]
            if last.threads > series.cpusOnline { points.append((Double(last.threads), base * top)) }
            return LineChart.Guide(points: points, color: series.style.color, cssClass: "guide ideal")
        }
        chart.cpuMarks = cpuMarks(section)
        return chart
    }

    package static func speedup(_ section: ReportSection) -> LineChart {
        let lines = figureLines(section, \.speedup) { "\(NumberFormat.ratio($0)) the 1-thread throughput" }
        let guides = idealGuides(section) { threads, cpus in min(threads, Double(cpus)) }
        return LineChart(id: "speedup-\(section.anchor)", kind: "speedup", title: "Speedup over 1 thread",
                         yLabel: "speedup", format: .ratio, lines: lines, guides: guides, cpuMarks: cpuMarks(section),
                         yIncludes: [0, 1])
    }

    package static func efficiency(_ section: ReportSection) -> LineChart {
        let lines = figureLines(section, \.efficiency) { "efficiency \(NumberFormat.percent($0, digits: 0))" }
        let guides = idealGuides(section) { threads, cpus in min(1, Double(cpus) / threads) }
        return LineChart(id: "efficiency-\(section.anchor)", kind: "efficiency", title: "Parallel efficiency (speedup / threads)",
                         yLabel: "efficiency", format: .percent, lines: lines, guides: guides,
                         cpuMarks: cpuMarks(section), yIncludes: [0, 1])
    }

    /// One line per series of a figure without an interval (speedup, efficiency); `describe`
    /// says the value after the tooltip's "series, N threads: ".
    private static func figureLines(_ section: ReportSection, _ figure: KeyPath<ScalingFigures, Double?>,
                                    describe: (Double) -> String) -> [LineChart.Line] {
        section.series.map { series in
            line(series, series.points.compactMap { point in
                point.figures[keyPath: figure].map {
                    LineChart.Point(x: Double(point.threads), y: $0, tooltip: "\(series.label), \(point.threads) threads: \(describe($0))")
                }
            })
        }
    }

    package static func freeThreadedOverGIL(_ section: ReportSection) -> LineChart {
        let guides = [
            LineChart.Guide(points: span(section, y: 1), color: "#555", label: "parity", cssClass: "guide parity"),
            LineChart.Guide(points: span(section, y: pep779Ratio), color: "#B22222",
                            label: "PEP 779 bar at 1 thread (−15%)", labelAtLeft: true, cssClass: "guide pep779"),
        ]
        return LineChart(id: "ft-gil-\(section.anchor)", kind: "ft-gil", title: "Free-threaded / GIL throughput",
                         yLabel: "ft / GIL", format: .ratio,
                         lines: section.freeThreadedOverGIL.map { ratioLine($0, versus: "the GIL build") },
                         guides: guides, cpuMarks: cpuMarks(section), yIncludes: [1, pep779Ratio])
    }

    package static func factor(_ section: ReportSection, _ factor: FactorRatios) -> LineChart {
        let baseline = "\(factor.column)=\(factor.baseline)"
        return LineChart(id: "\(factor.column)-\(section.anchor)", kind: factor.column,
                         title: "\(factor.column.capitalized): throughput relative to \(baseline)",
                         yLabel: "ratio to \(factor.baseline)", format: .ratio,
                         lines: factor.series.map { ratioLine($0, versus: baseline) },
                         guides: [LineChart.Guide(points: span(section, y: 1), color: "#555", label: baseline,
                                                  cssClass: "guide parity")],
                         cpuMarks: cpuMarks(section), yIncludes: [1])
    }

    package static func latency(_ section: ReportSection, percentile: String, _ metric: KeyPath<ReportPoint, Summary?>) -> LineChart {
        let lines = section.series.map { series in
            line(series, series.points.compactMap { point in
                point[keyPath: metric].map { s in
                    LineChart.Point(x: Double(point.threads), y: s.median, low: s.ciLow, high: s.ciHigh,
                                    tooltip: "\(series.label), \(point.threads) threads: \(percentile) "
                                        + "\(ValueFormat.duration(s.median)) (95% CI \(ValueFormat.duration(s.ciLow))–\(ValueFormat.duration(s.ciHigh)))")
                }
            })
        }
        return LineChart(id: "latency-\(percentile)-\(section.anchor)", kind: "latency-\(percentile)",
                         title: "Latency \(percentile) (log scale)", yLabel: "\(percentile) latency", format: .microseconds,
                         logarithmic: true, lines: lines, cpuMarks: cpuMarks(section))
    }

    // MARK: pieces

    private static func line(_ series: ReportSeries, _ points: [LineChart.Point]) -> LineChart.Line {
        LineChart.Line(label: series.label, style: series.style, points: points, bold: series.isNative)
    }

    private static func ratioLine(_ ratios: RatioSeries, versus: String) -> LineChart.Line {
        let label = ratios.series.label
        return LineChart.Line(label: label, style: ratios.series.style, points: ratios.points.map { point in
            LineChart.Point(x: Double(point.threads), y: point.ratio, low: point.interval.low, high: point.interval.high,
                            tooltip: "\(label), \(point.threads) threads: \(NumberFormat.ratio(point.ratio)) \(versus) "
                                + "(95% CI \(NumberFormat.ratio(point.interval.low))–\(NumberFormat.ratio(point.interval.high)))")
        })
    }

    /// One ideal line per distinct CPU count among the section's runs, over its thread range.
    private static func idealGuides(_ section: ReportSection, _ ideal: (Double, Int) -> Double) -> [LineChart.Guide] {
        let threads = threadRange(section)
        let measured = Set(section.series.flatMap { $0.points.map(\.threads) })
        return Set(section.series.map(\.cpusOnline)).sorted().map { cpus in
            let xs = measured.union([min(max(cpus, threads.lowerBound), threads.upperBound)]).sorted()
            return LineChart.Guide(points: xs.map { (Double($0), ideal(Double($0), cpus)) }, color: "#555",
                                   cssClass: "guide ideal")
        }
    }

    /// A horizontal guide at `y` across the section's thread range.
    private static func span(_ section: ReportSection, y: Double) -> [(x: Double, y: Double)] {
        let threads = threadRange(section)
        return [(Double(threads.lowerBound), y), (Double(threads.upperBound), y)]
    }

    private static func threadRange(_ section: ReportSection) -> ClosedRange<Int> {
        let threads = section.series.flatMap { $0.points.map(\.threads) }
        return (threads.min() ?? 1)...(threads.max() ?? 1)
    }

    /// The runs' online CPU counts, marked where some point runs more threads than that.
    private static func cpuMarks(_ section: ReportSection) -> [Int] {
        let most = threadRange(section).upperBound
        return Set(section.series.map(\.cpusOnline)).filter { $0 < most }.sorted()
    }
}
