import FTLabCore
/// A figure that `compare` compares, named by its CSV column.
public enum Metric: String, CaseIterable, Sendable, Codable {
    case throughput
    case latencyP50 = "latency_p50_us"
    case latencyP99 = "latency_p99_us"
    case latencyP999 = "latency_p999_us"

    /// Throughput is better higher; latencies are better lower.
    public var higherIsBetter: Bool {
        self == .throughput
    }

    /// The figure in `sample`; nil when its row did not record it.
    public func value(in sample: ConfigurationSamples.Sample) -> Double? {
        switch self {
        case .throughput: sample.throughput
        case .latencyP50: sample.latencyP50us
        case .latencyP99: sample.latencyP99us
        case .latencyP999: sample.latencyP999us
        }
    }

}
