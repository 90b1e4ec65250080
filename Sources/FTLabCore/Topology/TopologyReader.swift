import CNuma
import Foundation

extension Topology {
    /// Reads the topology under `root`: `<root>/sys/devices/system/{cpu,node}` and, when present,
    /// `<root>/proc/cpuinfo` (CPU model) and `<root>/proc/meminfo` (memory without NUMA).
    ///
    /// For the live machine (`root` is `/`) the allowed CPUs come from `sched_getaffinity` and a
    /// machine where libnuma reports NUMA unavailable is read as one node, with a warning. For a
    /// captured tree they come from the `Cpus_allowed_list` line of `<root>/proc/self/status`
    /// when that file exists, else every online CPU is allowed.
    public static func read(root: String = "/") throws(TopologyError) -> Topology {
        try TopologyReader(root: root).read()
    }
}

/// A topology file that is missing, unreadable or not in the kernel's format.
public enum TopologyError: FTLabError, Equatable {
    case cannotRead(path: String, reason: String)
    case badContent(path: String, content: String, expected: String)
    case inconsistent(root: String, detail: String)

    public var description: String {
        switch self {
        case let .cannotRead(path, reason):
            "cannot read \(path): \(reason) (--sysfs-root must hold sys/devices/system/cpu and sys/devices/system/node)"
        case let .badContent(path, content, expected):
            "\(path) has \"\(content)\"; expected \(expected)"
        case let .inconsistent(root, detail):
            "the topology under \(root) is inconsistent: \(detail)"
        }
    }
}

/// Reads one sysfs tree; every path is relative to `root`.
package struct TopologyReader {
    package let root: String
    /// True when `root` is this machine's `/`, so syscalls and libnuma describe the same machine.
    package let isLive: Bool

    package init(root: String) {
        self.root = root
        isLive = URL(fileURLWithPath: root).standardizedFileURL.path == "/"
    }

    package func read() throws(TopologyError) -> Topology {
        let online = try cpuList("sys/devices/system/cpu/online")
        let offline = try optional("sys/devices/system/cpu/offline").map { text throws(TopologyError) in
            try parseCPUList(text, path: "sys/devices/system/cpu/offline")
        } ?? []
        let allowed = try allowedCPUs(online: online)
        var warnings: [String] = []
        let (nodes, numa) = try readNodes(online: online, warnings: &warnings)
        let nodeOf = Dictionary(nodes.flatMap { node in node.cpus.map { ($0, node.id) } },
                                uniquingKeysWith: { first, _ in first })
        var cpus: [Topology.CPU] = []
        for id in online {
            guard let node = nodeOf[id] else {
                throw .inconsistent(root: root, detail: "CPU \(id) is online but on no node's cpulist")
            }
            let dir = "sys/devices/system/cpu/cpu\(id)/topology"
            cpus.append(Topology.CPU(
                id: id, node: node,
                core: try integer("\(dir)/core_id"),
                package: try integer("\(dir)/physical_package_id"),
                siblings: try cpuList("\(dir)/thread_siblings_list").filter(online.contains)))
        }

        if nodes.count == 1 { warnings.append("1 NUMA node: placement policies differ only in CPU choice") }
        for node in nodes where node.memoryless {
            warnings.append("node \(node.id) has CPUs but no memory: its threads allocate from other nodes")
        }
        if !offline.isEmpty {
            warnings.append("CPUs \(CPUList.format(offline)) are offline; plans never use them")
        }
        if allowed != online {
            warnings.append("this process may use only CPUs \(CPUList.format(allowed)) of \(CPUList.format(online)) (affinity or cgroup cpuset); plans stay inside them")
        }
        return Topology(model: try model(), onlineCPUs: online, offlineCPUs: offline, allowedCPUs: allowed,
                        cpus: cpus, nodes: nodes, smt: cpus.contains { $0.siblings.count > 1 },
                        numa: numa, warnings: warnings)
    }

    // MARK: Nodes

    /// The nodes, and whether the machine has NUMA support at all.
    private func readNodes(online: [Int], warnings: inout [String]) throws(TopologyError) -> ([Topology.Node], Bool) {
        if isLive, numa_available() < 0 {
            warnings.append("libnuma reports NUMA unavailable: read as one node; memory cannot be bound")
            return ([try singleNode(online: online)], false)
        }
        guard let text = try optional("sys/devices/system/node/online") else {
            warnings.append("no sys/devices/system/node (kernel without NUMA): read as one node; memory cannot be bound")
            return ([try singleNode(online: online)], false)
        }
        let ids = try parseCPUList(text, path: "sys/devices/system/node/online")
        var nodes: [Topology.Node] = []
        for id in ids {
            let dir = "sys/devices/system/node/node\(id)"
            let memory = try nodeMemory("\(dir)/meminfo")
            let cpus = try cpuList("\(dir)/cpulist").filter(online.contains)
            let distances = try distanceRow("\(dir)/distance")
            guard distances.count == ids.count else {
                throw .badContent(path: path(dir + "/distance"), content: distances.map(String.init).joined(separator: " "),
                                  expected: "\(ids.count) distances, one per online node")
            }
            nodes.append(Topology.Node(id: id, cpus: cpus, memoryKiB: memory,
                                       memoryless: memory == 0 && !cpus.isEmpty, distances: distances))
        }
        return (nodes, true)
    }

    /// The whole machine as node 0, sized from `/proc/meminfo` when it is there.
    private func singleNode(online: [Int]) throws(TopologyError) -> Topology.Node {
        let memory = try optional("proc/meminfo").flatMap { meminfoTotal($0) } ?? 0
        return Topology.Node(id: 0, cpus: online, memoryKiB: memory, memoryless: false, distances: [10])
    }

    private func nodeMemory(_ relative: String) throws(TopologyError) -> Int {
        let text = try contents(relative)
        guard let kib = meminfoTotal(text) else {
            throw .badContent(path: path(relative), content: String(text.prefix(80)), expected: "a MemTotal line in kB")
        }
        return kib
    }

    /// The kB figure of the `MemTotal:` line, in both `/proc/meminfo` and per-node `meminfo` form.
    private func meminfoTotal(_ text: String) -> Int? {
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            if let label = words.firstIndex(of: "MemTotal:"), label + 1 < words.count {
                return Int(words[label + 1])
            }
        }
        return nil
    }

    private func distanceRow(_ relative: String) throws(TopologyError) -> [Int] {
        let text = try contents(relative).trimmingCharacters(in: .whitespacesAndNewlines)
        let values = text.split(separator: " ").map { Int($0) }
        guard !values.isEmpty, !values.contains(nil) else {
            throw .badContent(path: path(relative), content: text, expected: "distances separated by spaces")
        }
        return values.compactMap { $0 }
    }

    // MARK: Process and CPU model

    private func allowedCPUs(online: [Int]) throws(TopologyError) -> [Int] {
        let mask: [Int]
        if isLive {
            var buffer = [Int32](repeating: 0, count: Int(FTLAB_MAX_CPUS))
            let count = ftlab_get_affinity(0, &buffer, Int32(buffer.count))
            guard count >= 0 else {
                throw .cannotRead(path: "sched_getaffinity", reason: String(cString: strerror(-count)))
            }
            mask = buffer.prefix(Int(count)).map(Int.init)
        } else if let status = try optional("proc/self/status") {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else {
                throw .badContent(path: path("proc/self/status"), content: String(status.prefix(80)),
                                  expected: "a Cpus_allowed_list line")
            }
            mask = try parseCPUList(String(line.dropFirst("Cpus_allowed_list:".count)), path: "proc/self/status")
        } else {
            return online
        }
        let allowed = Set(mask)
        let usable = online.filter(allowed.contains)
        guard !usable.isEmpty else {
            throw .inconsistent(root: root, detail: "none of the online CPUs \(CPUList.format(online)) is allowed")
        }
        return usable
    }

    private func model() throws(TopologyError) -> String? {
        guard let cpuinfo = try optional("proc/cpuinfo") else { return nil }
        let line = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    // MARK: Files

    private func path(_ relative: String) -> String {
        URL(fileURLWithPath: root).appendingPathComponent(relative).path
    }

    private func contents(_ relative: String) throws(TopologyError) -> String {
        guard let text = try optional(relative) else {
            throw .cannotRead(path: path(relative), reason: "no such file")
        }
        return text
    }

    /// The file's text, or nil when it does not exist.
    private func optional(_ relative: String) throws(TopologyError) -> String? {
        let full = path(relative)
        guard FileManager.default.fileExists(atPath: full) else { return nil }
        do { return try String(contentsOfFile: full, encoding: .utf8) } catch {
            throw .cannotRead(path: full, reason: error.localizedDescription)
        }
    }

    private func integer(_ relative: String) throws(TopologyError) -> Int {
        let text = try contents(relative).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = Int(text) else {
            throw .badContent(path: path(relative), content: text, expected: "an integer")
        }
        return value
    }

    private func cpuList(_ relative: String) throws(TopologyError) -> [Int] {
        try parseCPUList(try contents(relative), path: relative)
    }

    /// A sysfs cpulist, sorted; an empty file is an empty list.
    private func parseCPUList(_ text: String, path relative: String) throws(TopologyError) -> [Int] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [] }
        do { return try CPUList.parse(trimmed).sorted() } catch {
            throw .badContent(path: path(relative), content: trimmed, expected: "a cpulist such as 0-3,8")
        }
    }
}
