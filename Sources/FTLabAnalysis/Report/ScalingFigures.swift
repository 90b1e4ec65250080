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
    /// The resamples behind `throughput`'s interval, kept where they are worth keeping
    /// (``Bootstrap/Draws/worthKeeping(values:)``): ratios over this configuration reuse them.
    package let throughputDraws: Bootstrap.Draws?

    /// Speedup per thread: 1 is perfect scaling.
    public var efficiency: Double? {
        speedup.map { $0 / Double(configuration.first.threads) }
    }

    /// The figures of every configuration, in the order given.
    public static func compute(_ configurations: [ConfigurationSamples], bootstrap: Bootstrap = Bootstrap()) -> [ScalingFigures] {
        let computed = configurations.concurrentMap { configuration -> (summary: Summary?, draws: Bootstrap.Draws?) in
            // processValues gives finite values and no empty process, as Summary keeps them.
            let processes = configuration.processValues { $0.throughput }
            guard !processes.isEmpty else { return (nil, nil) }
            let draws = bootstrap.draws(processes: processes)
            let summary = Summary(processes: processes) { _ in bootstrap.medianInterval(draws) }
            return (summary, draws.worthKeeping(values: summary?.n ?? 0) ? draws : nil)
        }
        let summaries = computed.map(\.summary)
        var singleThreadMedian: [String: Double] = [:]
        for (configuration, summary) in zip(configurations, summaries) where configuration.first.threads == 1 {
            singleThreadMedian[configuration.first.configurationKey(ignoring: ["threads"])] = summary?.median
        }
        var ratios: [String: Double] = [:]
        for pair in BuildPair.pairs(configurations) {
            ratios[pair.freeThreaded.key] = pair.throughputRatio
        }
        return zip(configurations, computed).map { configuration, computed in
            let summary = computed.summary
            let base = singleThreadMedian[configuration.first.configurationKey(ignoring: ["threads"])]
            let rss = Descriptive.median(configuration.values { $0.peakRSSKiB })
            return ScalingFigures(
                configuration: configuration, throughput: summary,
                speedup: summary.flatMap { summary in base.map { summary.median / $0 } },
                freeThreadedOverGIL: ratios[configuration.key],
                peakRSSKiB: rss.isFinite ? rss : nil, throughputDraws: computed.draws)
        }
    }

    /// The figure columns of a scaling table, after its labels and thread count.
    public static func columns(unit: String) -> [String] {
        ["n", "\(unit)/s", "±CI", "speedup", "efficiency", "ft/gil", "peak RSS"]
    }

    /// This point's cells under ``columns(unit:)``: `-` for a figure that cannot be had, an
    /// empty ft/gil where no GIL counterpart ran.
    public var cells: [String] {
        [
            String(throughput?.n ?? 0),
            throughput.map { NumberFormat.si($0.median) } ?? "-",
            throughput.map { "±" + NumberFormat.percent($0.relativeHalfWidth) } ?? "-",
            speedup.map(NumberFormat.ratio) ?? "-",
            efficiency.map { NumberFormat.percent($0, digits: 0) } ?? "-",
            freeThreadedOverGIL.map(NumberFormat.ratio) ?? "",
            peakRSSKiB.map(NumberFormat.kibibytes) ?? "-",
        ]
    }
}

extension ConfigurationSamples.Sample {
    /// `max_rss_kib` as a figure; nil when it was not recorded (0).
    package var peakRSSKiB: Double? {
        maxRSSKiB > 0 ? Double(maxRSSKiB) : nil
    }
}
