import FTLabCore
/// Why `ftlab explain` could not explain.
public enum ExplainError: FTLabError, Equatable {
    /// The selector does not name exactly one workload variant.
    case notOneVariant(selector: String, matches: [String])
    case badThreads(threads: Int, baseline: Int)
    /// Server workloads are driven by the load generator, which explain does not run.
    case serverWorkload(String)
    /// A measuring process failed: without its figures there is nothing to explain.
    case processFailed(configuration: String, message: String)
    case cannotWrite(path: String, reason: String)
    case interrupted

    public var description: String {
        switch self {
        case let .notOneVariant(selector, matches):
            "explain takes one workload variant; \"\(selector)\" selects \(matches.count): \(matches.joined(separator: ", "))"
        case let .badThreads(threads, baseline):
            "bad --threads \(threads) with --baseline-threads \(baseline); expected 1 <= baseline < threads, e.g. --threads 2 --baseline-threads 1"
        case .serverWorkload(let name):
            "explain measures batch workloads; \(name) is a server workload (measure it with ftlab run)"
        case let .processFailed(configuration, message): "\(configuration) failed: \(message)"
        case let .cannotWrite(path, reason): "cannot write \(path): \(reason)"
        case .interrupted: "interrupted"
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .notOneVariant, .badThreads, .serverWorkload, .cannotWrite: 2
        case .processFailed: 1
        case .interrupted: 130
        }
    }
}
