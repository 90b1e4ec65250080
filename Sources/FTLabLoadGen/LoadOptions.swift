/// How the load generator drives a server.
public struct LoadOptions: Sendable, Equatable {
    /// Keep-alive connections, each with at most one request in flight.
    public var connections: Int
    /// Requests per second over all connections (open loop, latency measured from each
    /// request's intended send time); nil: closed loop, each connection sends its next request
    /// as soon as the previous answer arrived.
    public var rate: Double?
    /// One client thread per CPU, pinned to it; empty: one unpinned client thread.
    public var clientCPUs: [Int]
    /// A request unanswered this long counts as a timeout and its connection is closed.
    public var requestTimeout: Double
    /// The body checksum is checked on every `verifyEvery`-th response of each connection (the
    /// first included); statuses and lengths are checked on every response.
    public var verifyEvery: Int

    public init(connections: Int = 8, rate: Double? = nil, clientCPUs: [Int] = [], requestTimeout: Double = 5,
                verifyEvery: Int = 16) {
        self.connections = connections
        self.rate = rate
        self.clientCPUs = clientCPUs
        self.requestTimeout = requestTimeout
        self.verifyEvery = verifyEvery
    }

    /// The client threads: one per client CPU, no more than there are connections.
    public var threads: Int { max(1, min(connections, clientCPUs.count)) }

    /// Reads the load parameters of a server workload, `connections` (>= 1) and `rate`
    /// (requests/s; 0 or absent: closed loop); other parameters are the server's own.
    public static func parse(params: [String: String]) throws(LoadGenError) -> LoadOptions {
        var options = LoadOptions()
        if let text = params["connections"] {
            guard let n = Int(text), (1...4096).contains(n) else {
                throw .badParameter(name: "connections", value: text, expected: "an integer from 1 to 4096")
            }
            options.connections = n
        }
        if let text = params["rate"] {
            guard let r = Double(text), r >= 0, r.isFinite else {
                throw .badParameter(name: "rate", value: text, expected: "requests per second >= 0 (0: closed loop)")
            }
            options.rate = r > 0 ? r : nil
        }
        return options
    }
}
