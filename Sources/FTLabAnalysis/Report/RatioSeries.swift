import FTLabCore
/// A curve of throughput ratios: one configuration over its counterpart that differs in one
/// respect (the build, the allocator, the placement), at each thread count.
public struct RatioSeries: Sendable {
    /// The curve of the numerator's configurations (its label and style are reused).
    public let series: ReportSeries
    public let points: [RatioPoint]

    /// Collects `pairs` (numerator, denominator) into one curve per numerator series, with a
    /// bootstrap CI of each ratio of medians; pairs without ok samples on both sides are skipped.
    /// `draws`: the throughput resamples kept of the run's configurations, by configuration key
    /// (``ScalingFigures/throughputDraws``); a denominator's are reused, not drawn again.
    package static func collect(_ pairs: [(ConfigurationSamples, ConfigurationSamples)], runID: String,
                        series: [String: ReportSeries], bootstrap: Bootstrap,
                        draws: [String: Bootstrap.Draws] = [:]) -> [RatioSeries] {
        // Each pair's bootstrap is independent of the others': spread them over the cores.
        let keyed = pairs.concurrentMap { numerator, denominator -> (key: String, point: RatioPoint)? in
            let top = numerator.processValues { $0.throughput }, bottom = denominator.processValues { $0.throughput }
            guard !top.isEmpty, !bottom.isEmpty else { return nil }
            return (runID + "|" + numerator.first.configurationKey(ignoring: ["threads"]), RatioPoint(
                threads: numerator.first.threads,
                ratio: Descriptive.median(top.flatMap { $0 }) / Descriptive.median(bottom.flatMap { $0 }),
                interval: bootstrap.ratioOfMediansInterval(base: bottom, new: top, reusing: draws[denominator.key])))
        }.compactMap { $0 }
        return keyed.groupedInOrder(by: \.key).compactMap { key, members in
            series[key].map { RatioSeries(series: $0, points: members.map(\.point).sorted { $0.threads < $1.threads }) }
        }
    }
}

/// One ratio of medians with its 95% confidence interval.
public struct RatioPoint: Sendable, Equatable {
    public let threads: Int
    public let ratio: Double
    public let interval: Interval
}

/// How one setting (allocator or placement) changes throughput: each other value over the
/// baseline value, configuration by configuration.
public struct FactorRatios: Sendable {
    /// The configuration column: `allocator` or `placement`.
    public let column: String
    public let baseline: String
    public let series: [RatioSeries]

    /// The columns compared this way, with the value preferred as the baseline when measured.
    package static let compared = [("allocator", "system"), ("placement", "none")]

    /// Pairs each configuration whose `column` is not `baseline` with its twin that has the
    /// baseline and equal other configuration columns.
    package static func pairs(_ configurations: [ConfigurationSamples], column: String,
                      baseline: String) -> [(ConfigurationSamples, ConfigurationSamples)] {
        let twins = Dictionary(grouping: configurations) { $0.first.configurationKey(ignoring: [column]) }
        return configurations.compactMap { configuration in
            guard configuration.first.value(of: column) != baseline,
                  let base = twins[configuration.first.configurationKey(ignoring: [column])]?
                    .first(where: { $0.first.value(of: column) == baseline })
            else { return nil }
            return (configuration, base)
        }
    }
}
