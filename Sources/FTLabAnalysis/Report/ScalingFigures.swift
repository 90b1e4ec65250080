import FTLabCore
/// The figures of one configuration that are derived at report time, never stored.
public struct ScalingFigures: Sendable {
    public let configuration: ConfigurationSamples
    /// Median throughput and its confidence interval; nil when no sample was ok.
    public let throughput: Summary?
    /// Median throughput over that of the same configuration at 1 thread.
    public let speedup: Double?
    /// Free-threaded over GIL median throughput at equal threads; only on free-threaded
    /// configurations with a GIL twin.
    public let freeThreadedOverGIL: Double?
    /// Median peak RSS in KiB; nil when not recorded.
    public let peakRSSKiB: Double?

    /// Speedup per thread: 1 is perfect scaling.
    public var efficiency: Double? {
        speedup.map { $0 / Double(configuration.first.threads) }
    }

    /// The figures of every configuration, in the order given.
    public static func compute(_ configurations: [ConfigurationSamples], bootstrap: Bootstrap = Bootstrap()) -> [ScalingFigures] {
        let summaries = configurations.concurrentMap { Summary(processes: $0.processValues(\.throughput), bootstrap: bootstrap) }
        var singleThreadMedian: [String: Double] = [:]
        for (configuration, summary) in zip(configurations, summaries) where configuration.first.threads == 1 {
            singleThreadMedian[configuration.first.configurationKey(ignoring: ["threads"])] = summary?.median
        }
        var ratios: [String: Double] = [:]
        for pair in BuildPair.pairs(configurations) {
            ratios[pair.freeThreaded.key] = pair.throughputRatio
        }
        return zip(configurations, summaries).map { configuration, summary in
            let base = singleThreadMedian[configuration.first.configurationKey(ignoring: ["threads"])]
            let rss = Descriptive.median(configuration.values(\.peakRSSKiB))
            return ScalingFigures(
                configuration: configuration, throughput: summary,
                speedup: summary.flatMap { summary in base.map { summary.median / $0 } },
                freeThreadedOverGIL: ratios[configuration.key],
                peakRSSKiB: rss.isFinite ? rss : nil)
        }
    }
}

extension ConfigurationSamples.Sample {
    /// `max_rss_kib` as a figure; nil when it was not recorded (0).
    package var peakRSSKiB: Double? {
        maxRSSKiB > 0 ? Double(maxRSSKiB) : nil
    }
}
