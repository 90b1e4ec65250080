/// One request target of a server workload's mix and what its answer must be: the server
/// workload publishes these in its `listening` message (Workloads/_harness/PROTOCOL.md).
public struct RequestCheck: Sendable, Equatable, Decodable {
    /// Path and query, e.g. `/items?category=books&limit=10`.
    public var target: String
    /// Checked on every response.
    public var status: Int
    /// Body length in bytes (checked on every response); nil: the body is not checked (a
    /// request line that checks the status only), or not learned yet (`learn`).
    public var length: Int?
    /// CRC-32 of the body (checked on a sample of responses); nil: not checked.
    public var crc32: UInt32?
    /// The body is learned by the runner before the load (``BodyLearner``): two requests made
    /// exactly like the load generator's must get the same body, whose length and CRC-32 are
    /// then checked under load (a `crc32` given with it must match the learned body).
    public var learn: Bool

    public init(target: String, status: Int, length: Int?, crc32: UInt32?, learn: Bool = false) {
        self.target = target
        self.status = status
        self.length = length
        self.crc32 = crc32
        self.learn = learn
    }

    package enum CodingKeys: String, CodingKey { case target, status, length, crc32, learn }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(target: try c.decode(String.self, forKey: .target), status: try c.decode(Int.self, forKey: .status),
                  length: try c.decodeIfPresent(Int.self, forKey: .length), crc32: try c.decodeIfPresent(UInt32.self, forKey: .crc32),
                  learn: try c.decodeIfPresent(Bool.self, forKey: .learn) ?? false)
    }

    /// Only the status is checked: no length, no checksum, nothing to learn.
    public var statusOnly: Bool { length == nil && crc32 == nil && !learn }
}
