import FTLabCore
/// Where a run's worker threads go; parsed from `--placement`.
public enum PlacementPolicy: Sendable, Equatable, CustomStringConvertible {
    /// No pinning: the process keeps the CPUs and memory policy it inherits.
    case none
    /// Fill one node, physical cores before SMT siblings, then the next node.
    case compact
    /// Round-robin across nodes, physical cores everywhere before any SMT sibling.
    case spread
    /// Only node N's CPUs, memory bound to node N.
    case node(Int)
    /// Exactly these CPUs, one per thread in the order given; memory local.
    case cpus([Int])

    /// The accepted spellings, for error messages and help.
    public static let acceptedForms = "none, compact, spread, node:N, cpus:LIST (e.g. cpus:0-3,8)"

    /// Parses `none|compact|spread|node:N|cpus:LIST`.
    public init(parsing text: String) throws(PlacementError) {
        switch text {
        case "none": self = .none
        case "compact": self = .compact
        case "spread": self = .spread
        case _ where text.hasPrefix("node:"):
            guard let id = Int(text.dropFirst("node:".count)), id >= 0 else { throw .badPolicy(text) }
            self = .node(id)
        case _ where text.hasPrefix("cpus:"):
            do { self = .cpus(try CPUList.parse(String(text.dropFirst("cpus:".count)))) } catch {
                throw .badCPUList(policy: text, error)
            }
        default: throw .badPolicy(text)
        }
    }

    /// The canonical spelling, which parses back to the same policy.
    public var description: String {
        switch self {
        case .none: "none"
        case .compact: "compact"
        case .spread: "spread"
        case let .node(id): "node:\(id)"
        case let .cpus(cpus): "cpus:\(CPUList.format(cpus))"
        }
    }
}
