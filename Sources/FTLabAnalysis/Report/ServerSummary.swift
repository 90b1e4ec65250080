import FTLabCore
/// The client's view of server workloads in a results file: per configuration, the median
/// requests/s and latency percentiles over the measured samples, the errors, and the load
/// generator's CPU utilisation, with a warning wherever the load generator was saturated (its
/// figures then measure the client, not the server).
public struct ServerSummary: Sendable {
    /// One configuration's medians.
    public struct Line: Sendable, Equatable {
        public var configuration: String
        public var throughput: Double
        public var p50: Double
        public var p99: Double
        public var p999: Double
        public var errors: Int
        /// The server's CPU time over the sample's wall time (below its threads: it was starved).
        public var serverUtilisation: Double
        public var clientCPUs: String
        public var clientUtilisation: Double
    }

    public let lines: [Line]
    /// The load generator counts as saturated from this median CPU utilisation on.
    public static let saturation = 0.9

    /// Summarises the ok rows of server workloads in `rows` (the others are ignored).
    public init(rows: [ResultRow]) {
        let servers = rows.filter { $0.status == .ok && !$0.clientCPUs.isEmpty }
        lines = servers.groupedInOrder { $0.configurationKey() }.map { _, group in
            let first = group[0]
            func median(_ values: [Double?]) -> Double { Descriptive.median(values.compactMap { $0 }) }
            var name = "\(first.workload)/\(first.variant) \(first.interpreter) threads=\(first.threads)"
            if first.placement != "compact" { name += " placement=\(first.placement)" }
            return Line(configuration: name, throughput: median(group.map(\.throughput)),
                        p50: median(group.map(\.latencyP50us)), p99: median(group.map(\.latencyP99us)),
                        p999: median(group.map(\.latencyP999us)), errors: group.reduce(0) { $0 + $1.errors },
                        serverUtilisation: median(group.map(\.cpuUtil)), clientCPUs: first.clientCPUs, clientUtilisation: median(group.map(\.clientCPUUtil)))
        }
    }

    public var isEmpty: Bool { lines.isEmpty }

    /// Configurations whose load generator was saturated.
    public var saturated: [Line] { lines.filter { $0.clientUtilisation >= Self.saturation } }

    /// The table and the saturation warnings.
    public func text() -> String {
        var table = Table(header: ["server configuration", "req/s", "p50 us", "p99 us", "p99.9 us", "errors", "server cpu",
                                   "client cpus", "client cpu"], rightAligned: [1, 2, 3, 4, 5, 6, 8])
        table.rows = lines.map { line in
            [line.configuration, NumberFormat.si(line.throughput), NumberFormat.si(line.p50), NumberFormat.si(line.p99),
             NumberFormat.si(line.p999), String(line.errors), NumberFormat.percent(line.serverUtilisation, digits: 0),
             line.clientCPUs, NumberFormat.percent(line.clientUtilisation, digits: 0)]
        }
        var out = ["Server workloads, as the load generator saw them (medians):", table.text()]
        for line in saturated {
            out.append("warning: the load generator was saturated (\(NumberFormat.percent(line.clientUtilisation, digits: 0)) "
                + "of its CPU) for \(line.configuration): its req/s measure the client, not the server")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
