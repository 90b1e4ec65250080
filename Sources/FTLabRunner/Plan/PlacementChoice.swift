import Foundation

/// Where a process and each of its worker threads may run, already resolved to CPUs.
public struct PlacementChoice: Sendable, Equatable {
    /// The policy as the user wrote it (`none`, `compact`, `node:1`...).
    public var policy: String
    /// One CPU per worker thread; empty when threads are not pinned.
    public var threadCPUs: [Int]
    /// The process's CPU set (empty: inherit).
    public var processCPUs: [Int]
    /// `local`, `bind` or `interleave`.
    public var memoryPolicy: String
    public var memNodes: [Int]
    /// Arguments that make `ftlab _launch` apply this before exec, ending in `--` (empty: start
    /// the interpreter directly).
    public var launcherArguments: [String]
    public var warnings: [String]
    /// Server workloads: the CPUs of the load generator's threads, away from the server's
    /// where the machine allows (empty: unpinned).
    public var clientCPUs: [Int]

    public init(policy: String, threadCPUs: [Int] = [], processCPUs: [Int] = [], memoryPolicy: String = "local",
                memNodes: [Int] = [], launcherArguments: [String] = [], warnings: [String] = [], clientCPUs: [Int] = []) {
        self.policy = policy
        self.threadCPUs = threadCPUs
        self.processCPUs = processCPUs
        self.memoryPolicy = memoryPolicy
        self.memNodes = memNodes
        self.launcherArguments = launcherArguments
        self.warnings = warnings
        self.clientCPUs = clientCPUs
    }

    /// No pinning at all.
    public static let unpinned = PlacementChoice(policy: "none")
}
