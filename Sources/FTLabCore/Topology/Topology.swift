/// What the machine is: its CPUs, NUMA nodes, SMT siblings and the CPUs this process may use.
///
/// Read it with ``Topology/read(root:)``, from the live machine or from a captured sysfs tree.
/// All CPU and node lists are sorted ascending.
public struct Topology: Sendable, Codable, Equatable {
    /// A NUMA node.
    public struct Node: Sendable, Codable, Equatable {
        public var id: Int
        /// Online CPUs on this node (empty for a memory-only node).
        public var cpus: [Int]
        /// Memory attached to this node, in KiB.
        public var memoryKiB: Int
        /// True when the node has CPUs but no memory: its threads allocate from other nodes.
        public var memoryless: Bool
        /// Distance to each node, in the order of ``Topology/nodes`` (10 means local).
        public var distances: [Int]

        /// Keys in snake_case, as every ftlab JSON document has them.
        enum CodingKeys: String, CodingKey {
            case id, cpus, memoryless, distances
            case memoryKiB = "memory_kib"
        }
    }

    /// One online logical CPU.
    public struct CPU: Sendable, Codable, Equatable {
        public var id: Int
        /// The NUMA node it belongs to.
        public var node: Int
        /// The physical core id, unique only within its package.
        public var core: Int
        /// The physical package (socket) id.
        public var package: Int
        /// The logical CPUs sharing its physical core, itself included.
        public var siblings: [Int]
    }

    /// The CPU model name, when `/proc/cpuinfo` was readable.
    public var model: String?
    public var onlineCPUs: [Int]
    /// CPUs present but switched off (hotplug or SMT control); plans never use them.
    public var offlineCPUs: [Int]
    /// Online CPUs this process may run on (its affinity mask, shaped by cgroup cpusets);
    /// the only CPUs a plan uses.
    public var allowedCPUs: [Int]
    /// The online CPUs, by id.
    public var cpus: [CPU]
    public var nodes: [Node]
    /// True when some physical core runs more than one logical CPU.
    public var smt: Bool
    /// False when the kernel or libnuma offers no NUMA support: the machine was read as one
    /// node and memory cannot be bound or interleaved.
    public var numa: Bool
    /// Facts a user should know before reading a plan or a result from this machine.
    public var warnings: [String]

    /// Keys in snake_case, as every ftlab JSON document has them.
    enum CodingKeys: String, CodingKey {
        case model, cpus, nodes, smt, numa, warnings
        case onlineCPUs = "online_cpus", offlineCPUs = "offline_cpus", allowedCPUs = "allowed_cpus"
    }

    public init(model: String?, onlineCPUs: [Int], offlineCPUs: [Int], allowedCPUs: [Int],
                cpus: [CPU], nodes: [Node], smt: Bool, numa: Bool, warnings: [String]) {
        self.model = model
        self.onlineCPUs = onlineCPUs
        self.offlineCPUs = offlineCPUs
        self.allowedCPUs = allowedCPUs
        self.cpus = cpus
        self.nodes = nodes
        self.smt = smt
        self.numa = numa
        self.warnings = warnings
    }

    /// The online CPU `id`, or nil when it is offline or does not exist.
    public func cpu(_ id: Int) -> CPU? {
        cpus.first { $0.id == id }
    }

    /// The node `id`, or nil when the machine has none by that id.
    public func node(_ id: Int) -> Node? {
        nodes.first { $0.id == id }
    }

    /// The distance between nodes `from` and `to`, or nil when either is missing.
    public func distance(from: Int, to: Int) -> Int? {
        guard let source = node(from), let index = nodes.firstIndex(where: { $0.id == to }),
              index < source.distances.count else { return nil }
        return source.distances[index]
    }
}
