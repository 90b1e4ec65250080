import CNuma
import Foundation
import FTLabCore

/// Puts a plan into effect before the interpreter starts: `ftlab _launch` applies the CPU set and
/// memory policy to itself, then execs the program, which inherits both.
public enum ProcessPlacement {
    /// Pins the calling thread to `cpus` and sets its memory policy over `nodes`; nil leaves
    /// that part as inherited. Both survive `execv`, which keeps only the calling thread.
    public static func apply(cpus: [Int]?, memoryPolicy: MemoryPolicy?, nodes: [Int]) throws(LaunchError) {
        if let cpus {
            let rc = cpus.map(Int32.init).withUnsafeBufferPointer {
                ftlab_set_affinity(0, $0.baseAddress, Int32($0.count))
            }
            if rc != 0 { throw .affinityFailed(cpus: cpus, reason: String(cString: strerror(rc))) }
        }
        if let memoryPolicy {
            let code: Int32 = switch memoryPolicy {
            case .local: 0
            case .bind: 1
            case .interleave: 2
            }
            let rc = nodes.map(Int32.init).withUnsafeBufferPointer {
                ftlab_set_mempolicy(code, $0.baseAddress, Int32($0.count))
            }
            if rc != 0 {
                throw .memoryPolicyFailed(argument: memoryArgument(memoryPolicy, nodes), reason: String(cString: strerror(rc)))
            }
        }
    }

    /// The arguments that make `ftlab` apply `plan` and exec a program:
    /// `_launch --cpus LIST --mem SPEC --`, to be followed by the program and its arguments.
    /// For `none` nothing is changed: `_launch --`.
    public static func launcherArguments(for plan: PlacementPlan) -> [String] {
        guard !plan.threadCPUs.isEmpty else { return ["_launch", "--"] }
        return ["_launch", "--cpus", CPUList.format(plan.processCPUs),
                "--mem", memoryArgument(plan.memoryPolicy, plan.memNodes), "--"]
    }

    /// Parses a `--cpus` value (a cpulist).
    public static func parseCPUs(_ text: String) throws(LaunchError) -> [Int] {
        do { return try CPUList.parse(text) } catch {
            throw .badArgument(option: "--cpus", value: text, expected: "a CPU list: \(error)")
        }
    }

    /// Parses a `--mem` value: `local`, `bind:NODES` or `interleave:NODES` (NODES a cpulist of node ids).
    public static func parseMemory(_ text: String) throws(LaunchError) -> (policy: MemoryPolicy, nodes: [Int]) {
        let expected = "local, bind:NODES or interleave:NODES (e.g. bind:0, interleave:0-3)"
        if text == "local" { return (.local, []) }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let policy = MemoryPolicy(rawValue: parts[0]), policy != .local else {
            throw .badArgument(option: "--mem", value: text, expected: expected)
        }
        do { return (policy, try CPUList.parse(parts[1])) } catch {
            throw .badArgument(option: "--mem", value: text, expected: "\(expected): \(error)")
        }
    }

    package static func memoryArgument(_ policy: MemoryPolicy, _ nodes: [Int]) -> String {
        policy == .local ? "local" : "\(policy.rawValue):\(CPUList.format(nodes))"
    }

    /// Limits this process (and what it execs) to `bytes` of address space (`RLIMIT_AS`).
    public static func limitAddressSpace(to bytes: UInt64) throws(LaunchError) {
        var limit = rlimit(rlim_cur: rlim_t(bytes), rlim_max: rlim_t(bytes))
        guard setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0 else {
            throw .badArgument(option: "--memory-limit", value: String(bytes), expected: "a limit this process may set (\(String(cString: strerror(errno))))")
        }
    }

    /// Replaces this process with `program` (looked up on `PATH` unless it contains a slash),
    /// passing `arguments` after it, with no signal blocked or ignored (``SignalState``).
    /// Returns only by throwing.
    public static func exec(program: String, arguments: [String]) throws(LaunchError) -> Never {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        guard let path = findOnPath(program, environment: ["PATH": searchPath]) else {
            throw .programNotFound(program: program, searchPath: searchPath)
        }
        var argv = ([program] + arguments).map { strdup($0) }
        argv.append(nil)
        SignalState.resetForExec()
        execv(path, argv)
        let reason = String(cString: strerror(errno))
        argv.forEach { free($0) }
        throw .execFailed(program: path, reason: reason)
    }
}
