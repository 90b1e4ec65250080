import FTLabCore
/// Turns a placement policy into a plan for one machine.
public enum Planner {
    /// Plans `threads` worker threads under `policy`, using only the topology's allowed CPUs.
    ///
    /// More threads than CPUs is not an error: CPUs are reused round-robin and the plan says
    /// "oversubscribed". Unknown nodes, and CPUs that are offline or not allowed, are errors.
    public static func plan(threads: Int, policy: PlacementPolicy, topology: Topology) throws(PlacementError) -> PlacementPlan {
        guard threads >= 1 else { throw .badThreadCount(threads) }
        let allowed = topology.allowedCPUs
        let name = policy.description
        var memory = MemoryPolicy.local
        var memNodes: [Int] = []
        var warnings: [String] = []
        let order: [Int]
        let processCPUs: [Int]

        switch policy {
        case .none:
            if threads > allowed.count { warnings.append(oversubscribed(threads, allowed.count)) }
            return PlacementPlan(policy: name, threads: threads, threadCPUs: [], processCPUs: allowed,
                                 memoryPolicy: .local, memNodes: [], warnings: warnings)
        case .compact:
            order = topology.nodes.flatMap { node in byCore(node.cpus.filter(allowed.contains), topology).joined() }
            processCPUs = Set(order.prefix(threads)).sorted()
        case .spread:
            order = spreadOrder(allowed, topology)
            processCPUs = Set(order.prefix(threads)).sorted()
        case let .node(id):
            guard let node = topology.node(id) else {
                throw .noSuchNode(policy: name, node: id, nodes: topology.nodes.map(\.id))
            }
            let cpus = node.cpus.filter(allowed.contains)
            guard !cpus.isEmpty else { throw .nodeWithoutCPUs(policy: name, node: id, allowed: allowed) }
            order = Array(byCore(cpus, topology).joined())
            processCPUs = cpus
            (memory, memNodes) = memoryPlacement(for: node, topology, warnings: &warnings)
        case let .cpus(list):
            for cpu in list {
                if topology.cpu(cpu) == nil {
                    throw topology.offlineCPUs.contains(cpu)
                        ? .cpuOffline(policy: name, cpu: cpu, online: topology.onlineCPUs)
                        : .noSuchCPU(policy: name, cpu: cpu, online: topology.onlineCPUs)
                }
                if !allowed.contains(cpu) { throw .cpuNotAllowed(policy: name, cpu: cpu, allowed: allowed) }
            }
            order = list
            processCPUs = list.sorted()
        }

        let threadCPUs = (0..<threads).map { order[$0 % order.count] }
        if threads > order.count { warnings.append(oversubscribed(threads, order.count)) }
        warnings += sharingWarnings(threadCPUs, topology)
        return PlacementPlan(policy: name, threads: threads, threadCPUs: threadCPUs, processCPUs: processCPUs,
                             memoryPolicy: memory, memNodes: memNodes, warnings: warnings)
    }

    /// `cpus` in levels: first one CPU of each physical core, then each core's second SMT
    /// sibling, and so on; each level sorted by CPU id.
    private static func byCore(_ cpus: [Int], _ topology: Topology) -> [[Int]] {
        let set = Set(cpus)
        var levels: [[Int]] = []
        for id in cpus.sorted() {
            let siblings = topology.cpu(id)?.siblings.filter(set.contains) ?? [id]
            let level = siblings.firstIndex(of: id) ?? 0
            while levels.count <= level { levels.append([]) }
            levels[level].append(id)
        }
        return levels
    }

    /// Round-robin across nodes, level by level, so every node's physical cores come before
    /// any SMT sibling.
    private static func spreadOrder(_ allowed: [Int], _ topology: Topology) -> [Int] {
        let perNode = topology.nodes.map { byCore($0.cpus.filter(allowed.contains), topology) }
        let depth = perNode.map(\.count).max() ?? 0
        var order: [Int] = []
        for level in 0..<depth {
            let lists = perNode.map { level < $0.count ? $0[level] : [] }
            let width = lists.map(\.count).max() ?? 0
            for index in 0..<width {
                for list in lists where index < list.count { order.append(list[index]) }
            }
        }
        return order
    }

    /// `node:N` binds memory to N, or to the nearest node with memory when N has none; without
    /// NUMA support memory stays local.
    private static func memoryPlacement(for node: Topology.Node, _ topology: Topology,
                                        warnings: inout [String]) -> (MemoryPolicy, [Int]) {
        guard topology.numa else {
            warnings.append("no NUMA support: memory is not bound to node \(node.id)")
            return (.local, [])
        }
        guard node.memoryless, let nearest = nearestNodeWithMemory(to: node, topology) else {
            return (.bind, [node.id])
        }
        warnings.append("node \(node.id) has no memory; memory is bound to the nearest node with memory, "
            + "node \(nearest.id) (distance \(nearest.distance))")
        return (.bind, [nearest.id])
    }

    /// The node with memory closest to `node` (lowest id on ties), and its distance.
    private static func nearestNodeWithMemory(to node: Topology.Node, _ topology: Topology) -> (id: Int, distance: Int)? {
        topology.nodes.filter { $0.memoryKiB > 0 }
            .map { (id: $0.id, distance: topology.distance(from: node.id, to: $0.id) ?? .max) }
            .min { ($0.distance, $0.id) < ($1.distance, $1.id) }
    }

    private static func oversubscribed(_ threads: Int, _ cpus: Int) -> String {
        "oversubscribed: \(threads) threads on \(cpus) CPU\(cpus == 1 ? "" : "s"); CPUs are reused round-robin"
    }

    /// "SMT siblings used" when two planned CPUs share a core, "cross-node" when they span nodes.
    private static func sharingWarnings(_ threadCPUs: [Int], _ topology: Topology) -> [String] {
        let planned = Set(threadCPUs)
        let cpus = planned.sorted().compactMap(topology.cpu)
        var warnings: [String] = []
        var seen = Set<[Int]>()
        let shared = cpus.map { $0.siblings.filter(planned.contains) }
            .filter { $0.count > 1 && seen.insert($0).inserted }
        if !shared.isEmpty {
            warnings.append("SMT siblings used: CPUs \(shared.map(CPUList.format).joined(separator: " ")) share physical cores")
        }
        let nodes = Set(cpus.map(\.node)).sorted()
        if nodes.count > 1 {
            let farthest = nodes.flatMap { a in nodes.compactMap { b in topology.distance(from: a, to: b) } }.max() ?? 0
            warnings.append("cross-node: threads run on nodes \(CPUList.format(nodes)) (distance up to \(farthest))")
        }
        return warnings
    }
}
