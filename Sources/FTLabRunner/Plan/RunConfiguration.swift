import Foundation
import FTLabInterpreters
import FTLabHarness

/// One point of the matrix: everything that defines what a process measures.
public struct RunConfiguration: Sendable, Equatable {
    public var workload: Workload
    public var variant: String
    public var params: [String: String]
    public var interpreter: InterpreterChoice
    public var threads: Int
    public var placement: PlacementChoice
    public var allocator: AllocatorChoice
    /// The user's `--env` settings, in the order given.
    public var env: [EnvSetting]
    public var seed: Int
    /// The venv the process runs from (the workload's `requirements`, or the user's own venv).
    public var packages: PackageState = .none

    /// The python the harness runs from: the venv's when there is one, else the interpreter.
    public var pythonPath: String {
        if case .ready(let set) = packages { return set.python }
        return interpreter.path
    }

    /// The `packages` CSV column: the short hash of the venv's freeze; empty without a venv.
    public var packagesIdentity: String {
        if case .ready(let set) = packages { return set.identity }
        return ""
    }

    /// Requirements named by the configuration's `kind = "requirements"` parameters (e.g.
    /// http-handling's `app_requirements`), read when the plan is made.
    public var parameterRequirements: [String] = []

    /// The PyPI requirements of this configuration: its variant's, then its parameters'.
    public var requirements: [String] {
        var all = workload.manifest.requirements(for: variant)
        for item in parameterRequirements where !all.contains(item) { all.append(item) }
        return all
    }

    /// The variant's `process_group`: configurations of one group share their processes.
    public var processGroup: String? { workload.manifest.variants.first { $0.name == variant }?.processGroup }

    /// `k=v;k=v` with keys sorted: the `params` CSV column. A parameter whose default is
    /// empty is left out while it stays empty (an optional input such as `app`), so adding one to
    /// a manifest does not change the configurations earlier runs recorded.
    public var paramsText: String {
        let optional = Set(workload.manifest.params.filter { $0.default.isEmpty }.map(\.name))
        return params.filter { !($0.value.isEmpty && optional.contains($0.key)) }
            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
    }

    /// `k=v;k=v` in the order given: the `env` CSV column.
    public var envText: String { env.map { "\($0.key)=\($0.value)" }.joined(separator: ";") }

    /// A stable identity for progress lines and resume.
    public var name: String {
        var parts = ["\(workload.name)/\(variant)", interpreter.label, "threads=\(threads)"]
        if placement.policy != "none" { parts.append("placement=\(placement.policy)") }
        if allocator.name != "system" { parts.append("allocator=\(allocator.name)") }
        if !env.isEmpty { parts.append("env=\(envText)") }
        if !params.isEmpty { parts.append("params=\(paramsText)") }
        return parts.joined(separator: " ")
    }
}
