import FTLabCore
/// A placement that cannot be planned; the description names the value and what the machine offers.
public enum PlacementError: FTLabError, Equatable {
    case badPolicy(String)
    case badCPUList(policy: String, CPUListError)
    case badThreadCount(Int)
    case noSuchNode(policy: String, node: Int, nodes: [Int])
    case nodeWithoutCPUs(policy: String, node: Int, allowed: [Int])
    case noSuchCPU(policy: String, cpu: Int, online: [Int])
    case cpuOffline(policy: String, cpu: Int, online: [Int])
    case cpuNotAllowed(policy: String, cpu: Int, allowed: [Int])

    public var description: String {
        switch self {
        case let .badPolicy(text):
            "unknown placement \"\(text)\"; accepted: \(PlacementPolicy.acceptedForms)"
        case let .badCPUList(policy, error):
            "placement \"\(policy)\": \(error)"
        case let .badThreadCount(count):
            "thread count \(count): expected 1 or more"
        case let .noSuchNode(policy, node, nodes):
            "placement \"\(policy)\": no NUMA node \(node); this machine has node(s) \(CPUList.format(nodes))"
        case let .nodeWithoutCPUs(policy, node, allowed):
            "placement \"\(policy)\": node \(node) has none of the CPUs this process may use (\(CPUList.format(allowed)))"
        case let .noSuchCPU(policy, cpu, online):
            "placement \"\(policy)\": CPU \(cpu) does not exist; online CPUs: \(CPUList.format(online))"
        case let .cpuOffline(policy, cpu, online):
            "placement \"\(policy)\": CPU \(cpu) is offline; online CPUs: \(CPUList.format(online))"
        case let .cpuNotAllowed(policy, cpu, allowed):
            "placement \"\(policy)\": CPU \(cpu) is outside the CPUs this process may use (\(CPUList.format(allowed)))"
        }
    }
}
