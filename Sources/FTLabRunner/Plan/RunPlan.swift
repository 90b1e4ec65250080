import FTLabCore
import FTLabInterpreters
import FTLabHarness
import FTLabLoadGen
import FTLabNative
/// What the user asked `ftlab run` for, before it is resolved against the machine.
public struct RunRequest: Sendable {
    public var selectors: [String] = []
    public var interpreters: [InterpreterChoice] = []
    public var threads: [Int] = [1]
    /// Placement policies as written (`compact`, `none`, `node:1`, `cpus:0-3`).
    public var placements: [String] = ["compact"]
    public var allocators: [Allocator] = [.system]
    public var env: [EnvSetting] = []
    /// When not empty, every configuration runs twice, side by side: with `env` (the A side)
    /// and with `env` plus these settings (the B side, which wins on equal keys).
    public var abEnv: [EnvSetting] = []
    /// `KEY=VALUE` or `WORKLOAD.KEY=VALUE` settings.
    public var params: [String] = []
    /// Seeds every workload's input generator: the same input on every interpreter.
    public var seed = 20261127
    /// Variants an interpreter cannot run (`ScriptProbe`): skipped and said so, not failed.
    public var unsupported: [UnsupportedVariant] = []
    /// `--quick` with no selector: workloads with `quick_variants` run only those.
    public var quickSuite = false

    public init() {}

    /// The environments every configuration runs with: `env` alone, and with `abEnv` an A/B
    /// pair (`env`, then `env` overridden and extended by `abEnv`).
    public var envSides: [[EnvSetting]] {
        guard !abEnv.isEmpty else { return [env] }
        let overridden = Set(abEnv.map(\.key))
        return [env, env.filter { !overridden.contains($0.key) } + abEnv]
    }

    /// The allocators compared when `--allocator` is not given: the full suite (no selector)
    /// sets the system allocator against jemalloc; a run of named workloads uses the system
    /// one. Where jemalloc is not installed the full suite goes on without it and says so.
    public static func defaultAllocators(
        fullSuite: Bool, resolve: (String) async throws(AllocatorError) -> Allocator = AllocatorRegistry.resolve
    ) async -> (allocators: [Allocator], warnings: [String]) {
        guard fullSuite else { return ([.system], []) }
        do {
            return ([.system, try await resolve("jemalloc")], [])
        } catch {
            return ([.system], ["the full suite compares the system allocator with jemalloc, but \(error.description); "
                                + "running with the system allocator only (install libjemalloc2, or pass --allocator)"])
        }
    }

    /// Splits a `--placement` sweep on commas, keeping the commas inside a `cpus:` list:
    /// `compact,cpus:0,2,none` -> [compact, cpus:0,2, none].
    public static func splitPlacements(_ text: String) -> [String] {
        var result: [String] = []
        for token in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            let startsPolicy = ["none", "compact", "spread"].contains(token) || token.hasPrefix("node:") || token.hasPrefix("cpus:")
            if !startsPolicy, let last = result.last, last.hasPrefix("cpus:") {
                result[result.count - 1] = last + "," + token
            } else {
                result.append(token)
            }
        }
        return result
    }
}

/// The matrix of configurations a run will measure, with the warnings its placements raise.
public struct RunPlan: Sendable {
    /// The quick suite's share of `selection`: a workload with `quick_variants` keeps those
    /// (of the ones it has); a note per workload says what was left for the full suite.
    static func quickSubset(_ selection: [(workload: Workload, variant: String)])
        -> (selection: [(workload: Workload, variant: String)], notes: [String]) {
        var notes: [String] = []
        var kept: [(workload: Workload, variant: String)] = []
        var seen = Set<String>()
        for entry in selection {
            guard let quick = entry.workload.manifest.quickVariants else { kept.append(entry); continue }
            if quick.contains(entry.variant) { kept.append(entry) }
            if seen.insert(entry.workload.name).inserted {
                let all = selection.filter { $0.workload.name == entry.workload.name }.map(\.variant)
                let chosen = all.filter(quick.contains)
                notes.append("\(entry.workload.name): the quick suite runs \(chosen.count) of its \(all.count) variants "
                    + "(\(chosen.joined(separator: ", "))); name the workload, or drop --quick, for all of them")
            }
        }
        return (kept, notes)
    }

    public var configurations: [RunConfiguration]
    public var warnings: [String]
    /// Configurations not run, each with the reason (e.g. a variant's `max_threads`).
    public var skipped: [String] = []

    /// Resolves `request` against the workload catalog and the machine's topology. Fails (exit 2)
    /// on unknown workloads, variants, parameters, placements, or CPUs the machine lacks.
    public static func make(_ request: RunRequest, catalog: WorkloadCatalog, topology: Topology) throws -> RunPlan {
        var selection = try catalog.select(request.selectors)
        var notes: [String] = []
        if request.quickSuite && request.selectors.isEmpty {
            (selection, notes) = quickSubset(selection)
        }
        let params = try ParameterSettings.parse(request.params, catalog: catalog, selection: selection.map(\.workload))
        let policies = try request.placements.map { text throws(PlacementError) in try PlacementPolicy(parsing: text) }
        var placements: [Int: [PlacementChoice]] = [:]
        var warnings: [String] = []
        for n in request.threads {
            for policy in policies {
                let plan = try Planner.plan(threads: n, policy: policy, topology: topology)
                warnings += plan.warnings.map { "placement \(plan.policy), \(n) threads: \($0)" }
                var choice = PlacementChoice(plan: plan)
                choice.clientCPUs = Planner.clientCPUs(besides: plan, allowed: topology.allowedCPUs)
                placements[n, default: []].append(choice)
            }
        }
        if request.selectors.isEmpty {
            for workload in catalog.workloads {
                if let reason = workload.unavailable {
                    warnings.append("workload \(workload.name) left out: \(reason); get it with `\(ScriptSource.getCommand)`")
                }
            }
        }
        var configurations: [RunConfiguration] = []
        var namedRequirements: [String: [String]] = [:]
        var skipped: [String] = notes
        var nativeRefusals: [String] = []
        for (workload, variant) in selection {
            if workload.manifest.kind == .server {
                for values in params.combinations(for: workload) { _ = try LoadOptions.parse(params: values) }
            }
            let maxThreads = workload.manifest.variants.first { $0.name == variant }?.maxThreads
            for n in request.threads {
                if let maxThreads, n > maxThreads {
                    skipped.append("\(workload.name)/\(variant) at \(n) threads: the variant runs at most \(maxThreads) "
                        + "thread\(maxThreads == 1 ? "" : "s") (max_threads in its workload.toml)")
                    continue
                }
                if workload.manifest.kind == .server {
                    for choice in placements[n] ?? [] where choice.clientCPUs.contains(where: choice.processCPUs.contains) {
                        warnings.append("placement \(choice.policy), \(n) threads: no CPU is left for the load generator; "
                            + "it shares CPU \(choice.clientCPUs.map(String.init).joined(separator: ",")) with the server")
                    }
                }
                for interpreter in request.interpreters {
                    if let reason = request.unsupported.first(where: {
                        $0.interpreterPath == interpreter.path && $0.workload == workload.name && $0.variant == variant
                    })?.reason {
                        let note = "\(workload.name)/\(variant) on \(interpreter.label): \(reason)"
                        if !skipped.contains(note) { skipped.append(note) }
                        continue
                    }
                    for placement in placements[n] ?? [] {
                        for allocator in request.allocators {
                            for env in request.envSides {
                                if interpreter.build == .native, let refusal = NativeImplementations.refusal(
                                    workload: workload.name, variant: variant, allocator: allocator.name) {
                                    if !nativeRefusals.contains(refusal) { nativeRefusals.append(refusal) }
                                    continue
                                }
                                for values in params.combinations(for: workload) {
                                    var configuration = RunConfiguration(
                                        workload: workload, variant: variant, params: values,
                                        interpreter: interpreter, threads: n, placement: placement,
                                        allocator: allocatorChoice(allocator, build: interpreter.build, version: interpreter.version, env: env),
                                        env: env, seed: request.seed)
                                    configuration.parameterRequirements = try parameterRequirements(workload, values, &namedRequirements)
                                    configurations.append(configuration)
                                }
                            }
                        }
                    }
                }
            }
        }
        if request.interpreters.contains(where: { $0.build == .native }) {
            guard configurations.contains(where: { $0.interpreter.build == .native }) else {
                throw NativeError.nothingToRun(reasons: nativeRefusals)
            }
            warnings += nativeRefusals.map { "\($0); skipped" }
        }
        return RunPlan(configurations: configurations, warnings: warnings, skipped: skipped)
    }

    /// The requirements `values` name through `workload`'s `kind = "requirements"` parameters,
    /// each value read once (`read` keeps them); a value that names none is bad input.
    static func parameterRequirements(_ workload: Workload, _ values: [String: String],
                                      _ read: inout [String: [String]]) throws(WorkloadError) -> [String] {
        var all: [String] = []
        for parameter in workload.manifest.params where parameter.kind == WorkloadManifest.Parameter.requirementsKind {
            let value = values[parameter.name] ?? ""
            let items: [String]
            if let known = read[value] {
                items = known
            } else {
                items = try Requirements.fromParameter(parameter.name, value: value)
                read[value] = items
            }
            for item in items where !all.contains(item) { all.append(item) }
        }
        return all
    }

    /// How `allocator` is swapped in on `build`, with the scope the final environment really
    /// gives once the user's `--env` settings have won (e.g. `--env PYTHONMALLOC=pymalloc`
    /// narrows a GIL build's `all` to `raw`).
    package static func allocatorChoice(
        _ allocator: Allocator, build: Interpreter.Build, version: String? = nil, env: [EnvSetting]
    ) -> AllocatorChoice {
        var choice = AllocatorRegistry.choice(for: allocator, build: build, version: version)
        var final = choice.environment
        for setting in env { final[setting.key] = setting.value }
        choice.scope = AllocatorScope.effective(environment: final, build: build, version: version, library: allocator.path).rawValue
        return choice
    }
}
