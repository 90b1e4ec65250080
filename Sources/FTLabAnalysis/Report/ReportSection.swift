import FTLabCore
/// One workload/variant of a report: its curves over every run, the ratios derived from
/// them, and the processes that failed.
public struct ReportSection: Sendable {
    public let workload: String
    public let variant: String
    /// The unit of work (`lines`, `requests`); throughput is this per second.
    public let unit: String
    /// A slug unique within the report, for element ids and links.
    public let anchor: String
    public let series: [ReportSeries]
    /// Free-threaded over GIL throughput at equal threads, one curve per free-threaded series.
    public let freeThreadedOverGIL: [RatioSeries]
    /// Allocator and placement comparisons, where the section measured several values.
    public let factors: [FactorRatios]
    /// One row per process that failed or timed out.
    public let failures: [ResultRow]

    /// The columns that may tell curves of one interpreter apart.
    package static let factorColumns = ["params", "env", "placement", "allocator"]

    /// `entries`: every configuration of this workload/variant, with the run it belongs to.
    /// `colors` maps interpreter labels to colours; `labelRuns` adds the run to curve labels.
    package init(workload: String, variant: String, anchor: String, entries: [(run: ReportRun, figures: ScalingFigures)],
         colors: [String: String], labelRuns: Bool, bootstrap: Bootstrap) {
        self.workload = workload
        self.variant = variant
        self.anchor = anchor
        let rows = entries.map(\.figures.configuration.first)
        unit = entries.lazy.compactMap { $0.figures.configuration.okUnit }.first { !$0.isEmpty } ?? "ops"
        let varying = rows.varying(Self.factorColumns) { $0.value(of: $1) ?? "" }

        // Curves, in order of first appearance; points sorted by threads.
        let curves = entries.groupedInOrder {
            $0.run.identity.runID + "|" + $0.figures.configuration.first.configurationKey(ignoring: ["threads"])
        }
        var combinations: [String] = []
        var series = curves.map { key, group -> ReportSeries in
            let row = group[0].figures.configuration.first
            var parts = varying.map { "\($0)=\(row.value(of: $0) ?? "")" }
            if labelRuns { parts.append("run \(group[0].run.label)") }
            let combination = parts.joined(separator: " ")
            if !combinations.contains(combination) { combinations.append(combination) }
            let points = group.map(\.figures).concurrentMap { ReportPoint(figures: $0, bootstrap: bootstrap) }
                .sorted { $0.threads < $1.threads }
            return ReportSeries(
                key: key, cpusOnline: group[0].run.identity.cpusOnline, describing: row, points: points,
                label: ([row.interpreter] + parts).joined(separator: " · "),
                style: SeriesStyle(color: colors[row.interpreter] ?? SeriesStyle.nativeColor,
                                   dash: SeriesStyle.dash(combinations.firstIndex(of: combination)!)))
        }
        Self.relateToNative(&series)
        // Python curves first, in order of appearance; the native ceiling last.
        self.series = series.filter { !$0.isNative } + series.filter(\.isNative)

        // Ratios are paired within each run, never across runs.
        let byKey = Dictionary(uniqueKeysWithValues: series.map { ($0.key, $0) })
        var runs: [ReportRun] = []
        for entry in entries where !runs.contains(where: { $0.identity.runID == entry.run.identity.runID }) {
            runs.append(entry.run)
        }
        func configurations(of run: ReportRun) -> [ConfigurationSamples] {
            entries.filter { $0.run.identity.runID == run.identity.runID }.map(\.figures.configuration)
        }
        /// The throughput resamples kept of a run's configurations, by configuration key.
        func draws(of run: ReportRun) -> [String: Bootstrap.Draws] {
            var draws: [String: Bootstrap.Draws] = [:]
            for entry in entries where entry.run.identity.runID == run.identity.runID {
                draws[entry.figures.configuration.key] = entry.figures.throughputDraws
            }
            return draws
        }
        freeThreadedOverGIL = runs.flatMap { run in
            RatioSeries.collect(BuildPair.pairs(configurations(of: run)).map { ($0.freeThreaded, $0.gil) },
                                runID: run.identity.runID, series: byKey, bootstrap: bootstrap, draws: draws(of: run))
        }
        factors = FactorRatios.compared.compactMap { column, preferred in
            var values: [String] = []
            for row in rows where !values.contains(row.value(of: column) ?? "") { values.append(row.value(of: column) ?? "") }
            guard values.count > 1 else { return nil }
            let baseline = values.contains(preferred) ? preferred : values[0]
            let curves = runs.flatMap { run in
                RatioSeries.collect(FactorRatios.pairs(configurations(of: run), column: column, baseline: baseline),
                                    runID: run.identity.runID, series: byKey, bootstrap: bootstrap, draws: draws(of: run))
            }
            return curves.isEmpty ? nil : FactorRatios(column: column, baseline: baseline, series: curves)
        }
        failures = entries.flatMap { entry in
            var seen = Set<Int>()
            return entry.figures.configuration.notOK.filter { seen.insert($0.process).inserted }
        }
    }

    /// "workload / variant", or the workload alone when it has no variants.
    public var title: String {
        variant.isEmpty ? workload : "\(workload) / \(variant)"
    }

    /// Whether any point recorded latency percentiles.
    public var hasLatency: Bool {
        series.contains { $0.points.contains { $0.latencyP50 != nil || $0.latencyP99 != nil } }
    }

    /// Whether any curve is the native ceiling.
    public var hasNative: Bool {
        series.contains(where: \.isNative)
    }

    /// Sets each Python point's share of the native ceiling: the best native median at the
    /// same thread count in the same run.
    private static func relateToNative(_ series: inout [ReportSeries]) {
        let natives = series.filter(\.isNative)
        guard !natives.isEmpty else { return }
        for index in series.indices where !series[index].isNative {
            let runID = series[index].describing.runID
            let points = series[index].points.map { point -> ReportPoint in
                var point = point
                let ceiling = natives.filter { $0.describing.runID == runID }
                    .compactMap { $0.point(threads: point.threads)?.figures.throughput?.median }.max()
                if let ceiling, let median = point.figures.throughput?.median { point.ofNative = median / ceiling }
                return point
            }
            let s = series[index]
            series[index] = ReportSeries(key: s.key, cpusOnline: s.cpusOnline, describing: s.describing,
                                         points: points, label: s.label, style: s.style)
        }
    }
}
