import FTLabCore
/// One curve of a report: the configurations of one run that differ only in `threads`.
public struct ReportSeries: Sendable {
    /// The run id and the configuration key without `threads`.
    public let key: String
    /// The CPUs online in the run (where the ideal line stops rising).
    public let cpusOnline: Int
    /// A row describing the curve's configuration (any thread count).
    public let describing: ResultRow
    /// One point per thread count, in increasing order.
    public let points: [ReportPoint]
    /// The interpreter plus whatever tells this curve apart from the others of its section.
    public let label: String
    public let style: SeriesStyle

    /// The interpreter label of a native (non-Python) implementation of the workload: its
    /// throughput is the ceiling the Python builds are held against.
    public static let nativeInterpreter = "native-swift"

    public var isNative: Bool { describing.interpreter == Self.nativeInterpreter }

    /// The point at `threads`, if measured.
    public func point(threads: Int) -> ReportPoint? {
        points.first { $0.threads == threads }
    }
}

/// The figures of one configuration as the report shows them.
public struct ReportPoint: Sendable {
    public let figures: ScalingFigures
    /// Median latency percentiles over the ok samples, with their CIs; nil when not recorded.
    public let latencyP50: Summary?
    public let latencyP99: Summary?
    public let latencyP999: Summary?
    /// Median throughput over that of the native ceiling at equal threads in the same run.
    public var ofNative: Double?

    public var threads: Int { figures.configuration.first.threads }

    package init(figures: ScalingFigures, bootstrap: Bootstrap) {
        self.figures = figures
        let samples = figures.configuration
        latencyP50 = Summary(processes: samples.processValues { $0.latencyP50us }, bootstrap: bootstrap)
        latencyP99 = Summary(processes: samples.processValues { $0.latencyP99us }, bootstrap: bootstrap)
        latencyP999 = Summary(processes: samples.processValues { $0.latencyP999us }, bootstrap: bootstrap)
    }
}
