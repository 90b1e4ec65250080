import Histogram

/// Errors seen during load, by kind. None stops the load: the connection is closed and
/// opened again.
public struct LoadErrors: Sendable, Equatable {
    /// Connection attempts that failed (refused, timed out).
    public var connect = 0
    /// Connections closed or reset by the server while a request was in flight.
    public var reset = 0
    /// Requests unanswered within the request timeout.
    public var timeout = 0
    /// Responses with another status than the mix says: a wrong answer.
    public var badStatus = 0
    /// Responses that are not readable HTTP/1.x.
    public var malformed = 0
    /// Responses whose body length or checksum is not the expected one: a wrong answer.
    public var badBody = 0

    public init() {}

    public var total: Int { connect + reset + timeout + badStatus + malformed + badBody }

    /// Answers that came but were wrong: another status, body length or checksum than expected.
    public var wrong: Int { badStatus + badBody }

    public mutating func add(_ other: LoadErrors) {
        connect += other.connect
        reset += other.reset
        timeout += other.timeout
        badStatus += other.badStatus
        malformed += other.malformed
        badBody += other.badBody
    }

    /// `2 reset, 1 timeout` (empty when there were none).
    public var summary: String {
        [("connect", connect), ("reset", reset), ("timeout", timeout), ("bad status", badStatus),
         ("malformed", malformed), ("bad body", badBody)]
            .filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
    }
}

/// One timed stretch of load: what the client sent, received and measured.
public struct LoadSample: Sendable {
    /// Complete responses received (any status).
    public var responses = 0
    /// From the start until the last in-flight answer arrived (requests start only before the
    /// deadline; the ones in flight then are waited for).
    public var wallSeconds = 0.0
    /// Latency of every response, in nanoseconds.
    public var latency = LoadSample.emptyHistogram()
    public var errors = LoadErrors()
    /// Requests sent whose answer never came (timeouts, resets).
    public var abandoned = 0
    /// CPU time of the client threads (user + system).
    public var clientCPUSeconds = 0.0
    public var clientThreads = 1
    /// The first wrong answer, described with the part that differed (status, body length or
    /// body CRC-32), what came and what was expected.
    public var firstWrong: String?

    public init() {}

    /// Responses per second.
    public var throughput: Double { wallSeconds > 0 ? Double(responses) / wallSeconds : 0 }

    /// Client CPU time over the time its threads had: 1 means the client was busy all along.
    public var clientUtilisation: Double {
        wallSeconds > 0 ? clientCPUSeconds / (wallSeconds * Double(clientThreads)) : 0
    }

    /// The latency at `percentile` (0...100) in microseconds; nil without responses.
    public func latencyMicroseconds(_ percentile: Double) -> Double? {
        latency.totalCount == 0 ? nil : Double(latency.valueAtPercentile(percentile)) / 1000
    }

    /// Latencies from 1 ns to a minute, 3 significant digits.
    package static func emptyHistogram() -> Histogram<UInt64> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: maxLatency, numberOfSignificantValueDigits: .three)
    }

    package static let maxLatency: UInt64 = 60_000_000_000
}
