import FTLabCore
import FTLabHarness
import FTLabRunner
/// What `ftlab explain` runs: for each interpreter, one configuration at the baseline thread
/// count and one at the target, otherwise alike.
public struct ExplainPlan: Sendable {
    public var workload: String
    public var pairs: [(baseline: RunConfiguration, target: RunConfiguration)]
    public var warnings: [String]

    /// Resolves `request` (its `threads` are ignored) for one `selector` naming exactly one
    /// workload variant, at `threads` against `baselineThreads`.
    public static func make(selector: String, threads: Int, baselineThreads: Int, request: RunRequest,
                            catalog: WorkloadCatalog, topology: Topology) throws -> ExplainPlan {
        let selected = try catalog.select([selector])
        guard selected.count == 1, let only = selected.first else {
            throw ExplainError.notOneVariant(selector: selector, matches: selected.map { "\($0.workload.name)/\($0.variant)" })
        }
        guard only.workload.manifest.kind == .batch else { throw ExplainError.serverWorkload(only.workload.name) }
        guard baselineThreads >= 1, baselineThreads < threads else {
            throw ExplainError.badThreads(threads: threads, baseline: baselineThreads)
        }
        var resolved = request
        resolved.selectors = [selector]
        resolved.threads = [baselineThreads, threads]
        let plan = try RunPlan.make(resolved, catalog: catalog, topology: topology)
        let pairs = resolved.interpreters.compactMap { interpreter -> (RunConfiguration, RunConfiguration)? in
            let mine = plan.configurations.filter { $0.interpreter == interpreter }
            guard let base = mine.first(where: { $0.threads == baselineThreads }),
                  let target = mine.first(where: { $0.threads == threads }) else { return nil }
            return (base, target)
        }
        return ExplainPlan(workload: "\(only.workload.name)/\(only.variant)", pairs: pairs, warnings: plan.warnings)
    }
}
