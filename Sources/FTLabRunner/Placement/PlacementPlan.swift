import FTLabCore
/// How a process's memory is placed across NUMA nodes.
public enum MemoryPolicy: String, Sendable, Codable {
    /// The kernel default: each thread allocates on the node it runs on.
    case local
    /// Only from ``PlacementPlan/memNodes``.
    case bind
    /// Pages spread round-robin over ``PlacementPlan/memNodes``.
    case interleave
}

/// The outcome of planning: which CPU each worker thread gets and where memory comes from.
/// Encoded as-is for `ftlab plan --format json`.
public struct PlacementPlan: Sendable, Codable, Equatable {
    /// The policy, in its canonical spelling (`compact`, `cpus:1,0`, ...).
    public var policy: String
    /// The number of worker threads planned for.
    public var threads: Int
    /// One CPU per worker thread, in thread order; empty for `none`. CPUs repeat round-robin
    /// when there are more threads than CPUs.
    public var threadCPUs: [Int]
    /// The CPUs the whole process may run on, sorted.
    public var processCPUs: [Int]
    public var memoryPolicy: MemoryPolicy
    /// The nodes memory is bound to or interleaved over; empty for `local`.
    public var memNodes: [Int]
    /// What makes this plan less than clean: oversubscription, shared cores, cross-node threads.
    public var warnings: [String]

    /// Keys in snake_case, as every ftlab JSON document has them.
    enum CodingKeys: String, CodingKey {
        case policy, threads, warnings
        case threadCPUs = "thread_cpus", processCPUs = "process_cpus", memoryPolicy = "memory_policy", memNodes = "mem_nodes"
    }

    public init(policy: String, threads: Int, threadCPUs: [Int], processCPUs: [Int],
                memoryPolicy: MemoryPolicy, memNodes: [Int], warnings: [String]) {
        self.policy = policy
        self.threads = threads
        self.threadCPUs = threadCPUs
        self.processCPUs = processCPUs
        self.memoryPolicy = memoryPolicy
        self.memNodes = memNodes
        self.warnings = warnings
    }

    /// A human-readable plan: one line per thread with its CPU, node and core, then the process
    /// CPU set, the memory policy and the warnings.
    public func summaryText(topology: Topology) -> String {
        var lines = ["placement \(policy), \(threads) thread\(threads == 1 ? "" : "s")"]
        if threadCPUs.isEmpty {
            lines.append("threads: not pinned")
        } else {
            lines.append(renderTable(
                header: ["thread", "cpu", "node", "package", "core", "siblings"],
                rows: threadCPUs.enumerated().map { thread, id in
                    let cpu = topology.cpu(id)
                    return [String(thread), String(id), cpu.map { String($0.node) } ?? "?",
                            cpu.map { String($0.package) } ?? "?", cpu.map { String($0.core) } ?? "?",
                            cpu.map { CPUList.format($0.siblings) } ?? "?"]
                }))
        }
        lines.append("process CPUs: \(CPUList.format(processCPUs))")
        lines.append("memory: \(memoryPolicy.rawValue)"
            + (memNodes.isEmpty ? "" : " on node(s) \(CPUList.format(memNodes))"))
        lines += warnings.map { "warning: " + $0 }
        return lines.joined(separator: "\n")
    }
}
