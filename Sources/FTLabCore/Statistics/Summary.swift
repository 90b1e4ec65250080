/// The median of a sample with its bootstrap confidence interval.
public struct Summary: Sendable, Equatable, Codable {
    /// The number of values summarised.
    public let n: Int
    /// The number of processes they came from (the independent units of the interval).
    public let processes: Int
    public let median: Double
    public let ciLow: Double
    public let ciHigh: Double

    /// Half the width of the confidence interval relative to the median (0.01 is ±1%).
    public var relativeHalfWidth: Double {
        (ciHigh - ciLow) / 2 / abs(median)
    }

    /// Summarises the finite values of `values`, taken as independent; nil when there are none.
    public init?(_ values: [Double], bootstrap: Bootstrap = Bootstrap()) {
        self.init(processes: values.map { [$0] }, bootstrap: bootstrap)
    }

    /// Summarises the finite values of `processes` (the samples of each process): the median
    /// of all of them, with the two-stage bootstrap interval; nil when there are none.
    public init?(processes: [[Double]], bootstrap: Bootstrap = Bootstrap()) {
        self.init(processes: processes) { bootstrap.medianInterval(processes: $0) }
    }

    /// As ``init(processes:bootstrap:)``, the interval given by `interval` for the finite values.
    package init?(processes: [[Double]], interval: ([[Double]]) -> Interval) {
        let finite = processes.map { $0.filter(\.isFinite) }.filter { !$0.isEmpty }
        guard !finite.isEmpty else { return nil }
        let interval = interval(finite)
        n = finite.reduce(0) { $0 + $1.count }
        self.processes = finite.count
        median = Descriptive.median(finite.flatMap { $0 })
        ciLow = interval.low
        ciHigh = interval.high
    }
}
