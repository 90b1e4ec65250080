import Foundation

extension Topology {
    /// A human-readable report: CPUs, nodes with their memory, distances, SMT siblings, warnings.
    public var summaryText: String {
        var lines: [String] = []
        lines.append("CPU model: \(model ?? "unknown")")
        lines.append("CPUs: \(onlineCPUs.count) online (\(CPUList.format(onlineCPUs)))"
            + "; offline: \(offlineCPUs.isEmpty ? "none" : CPUList.format(offlineCPUs))"
            + "; allowed: \(CPUList.format(allowedCPUs))")
        lines.append("")
        lines.append(renderTable(
            header: ["node", "cpus", "packages", "memory"],
            rows: nodes.map { node in
                let packages = Set(cpus.filter { $0.node == node.id }.map(\.package)).sorted()
                return [String(node.id), node.cpus.isEmpty ? "none" : CPUList.format(node.cpus),
                        packages.isEmpty ? "-" : CPUList.format(packages),
                        node.memoryless ? "none (memoryless)" : Self.formatKiB(node.memoryKiB)]
            }))
        lines.append("distances:")
        lines.append(renderTable(
            header: ["node"] + nodes.map { String($0.id) },
            rows: nodes.map { node in [String(node.id)] + node.distances.map(String.init) }))
        lines.append("SMT siblings: " + (smt ? siblingGroups.map(CPUList.format).joined(separator: " ") : "none"))
        if !warnings.isEmpty {
            lines.append("")
            lines.append("warnings:")
            lines += warnings.map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// The CPUs of each physical core that runs more than one logical CPU, by first CPU.
    package var siblingGroups: [[Int]] {
        var seen = Set<[Int]>()
        return cpus.map(\.siblings).filter { $0.count > 1 && seen.insert($0).inserted }
    }

    private static func formatKiB(_ kib: Int) -> String {
        let gib = Double(kib) / 1_048_576
        return gib >= 1 ? String(format: "%.1f GiB", gib) : "\(kib / 1024) MiB"
    }
}
