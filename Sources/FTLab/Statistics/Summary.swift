/// The median of a sample with its bootstrap confidence interval.
public struct Summary: Sendable, Equatable, Codable {
    /// The number of values summarised.
    public let n: Int
    public let median: Double
    public let ciLow: Double
    public let ciHigh: Double

    /// Half the width of the confidence interval relative to the median (0.01 is ±1%).
    public var relativeHalfWidth: Double {
        (ciHigh - ciLow) / 2 / abs(median)
    }

    /// Summarises the finite values of `values`; nil when there are none.
    public init?(_ values: [Double], bootstrap: Bootstrap = Bootstrap()) {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return nil }
        let interval = bootstrap.medianInterval(finite)
        n = finite.count
        median = Descriptive.median(finite)
        ciLow = interval.low
        ciHigh = interval.high
    }
}
