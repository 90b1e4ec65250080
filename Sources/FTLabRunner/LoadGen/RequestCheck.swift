import FTLabCore
/// One request target of a server workload's mix and what its answer must be: the server
/// workload publishes these in its `listening` message (Workloads/_harness/PROTOCOL.md).
public struct RequestCheck: Sendable, Equatable, Decodable {
    /// Path and query, e.g. `/items?category=books&limit=10`.
    public var target: String
    public var status: Int
    /// Body length in bytes (checked on every response).
    public var length: Int
    /// CRC-32 of the body (checked on a sample of responses); nil: not checked (a user's
    /// request file without checksums: status and length are still checked on every response).
    public var crc32: UInt32?

    public init(target: String, status: Int, length: Int, crc32: UInt32?) {
        self.target = target
        self.status = status
        self.length = length
        self.crc32 = crc32
    }

    /// The request for `target` on a keep-alive connection to 127.0.0.1:`port`.
    package func request(port: UInt16) -> [UInt8] {
        Array("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: ftlab-loadgen\r\nAccept: */*\r\n\r\n".utf8)
    }
}
