import Foundation
import FTLabCore

/// An interpreter as the runner needs it: a label for the CSV, the executable, and its build
/// (which decides how an allocator can be swapped in).
public struct InterpreterChoice: Sendable, Equatable {
    public var label: String
    public var path: String
    public var build: Interpreter.Build
    /// `X.Y.Z` as probed; nil for `native-swift` and for choices made without a probe.
    public var version: String?

    public init(label: String, path: String, build: Interpreter.Build = .gil, version: String? = nil) {
        self.label = label
        self.path = path
        self.build = build
        self.version = version
    }

    public init(_ interpreter: Interpreter) {
        self.init(label: interpreter.label, path: interpreter.path, build: interpreter.build, version: interpreter.version)
    }

    /// Resolves `--python` values (paths, lab labels, `lab`, `native-swift`); none means the
    /// lab pair. Duplicates (same executable) are dropped.
    public static func resolve(_ specs: [String]) async throws(InterpreterError) -> [InterpreterChoice] {
        var chosen: [InterpreterChoice] = []
        for spec in specs.isEmpty ? ["lab"] : specs {
            if spec == NativeImplementations.label {
                if !chosen.contains(where: { $0.build == .native }) { chosen.append(.nativeSwift) }
                continue
            }
            for interpreter in try await InterpreterResolver.resolve(spec) where !chosen.contains(where: { $0.path == interpreter.path }) {
                chosen.append(InterpreterChoice(interpreter))
            }
        }
        return chosen
    }

    /// The run header's line on which CPython release(s) the figures are about, and, when the
    /// lab's default pair is used, why that release: nil when no CPython runs.
    public static func releaseLine(_ choices: [InterpreterChoice], specs: [String], cache: LabCache = LabCache()) -> String? {
        let versions = Set(choices.compactMap(\.version)).sorted(by: ReleaseNumber.precedes)
        guard !versions.isEmpty else { return nil }
        var line = versions.count == 1 ? "figures are about CPython \(versions[0])" : "figures are about CPython \(versions.joined(separator: ", ")) (each compared within its release)"
        if specs.isEmpty || specs.contains("lab"), let chosen = LabDefault.read(cache: cache) {
            line += "; the default pair is \(chosen.version) because \(chosen.reason)"
        }
        return line
    }
}

extension InterpreterChoice {
    /// ftlab itself, running a workload's native implementation (`ftlab _native`).
    public static var nativeSwift: InterpreterChoice {
        InterpreterChoice(label: NativeImplementations.label, path: executablePath(), build: .native)
    }
}

/// Where a process and each of its worker threads may run, already resolved to CPUs.
public struct PlacementChoice: Sendable, Equatable {
    /// The policy as the user wrote it (`none`, `compact`, `node:1`...).
    public var policy: String
    /// One CPU per worker thread; empty when threads are not pinned.
    public var threadCPUs: [Int]
    /// The process's CPU set (empty: inherit).
    public var processCPUs: [Int]
    /// `local`, `bind` or `interleave`.
    public var memoryPolicy: String
    public var memNodes: [Int]
    /// Arguments that make `ftlab _launch` apply this before exec, ending in `--` (empty: start
    /// the interpreter directly).
    public var launcherArguments: [String]
    public var warnings: [String]
    /// Server workloads: the CPUs of the load generator's threads, away from the server's
    /// where the machine allows (empty: unpinned).
    public var clientCPUs: [Int]

    public init(policy: String, threadCPUs: [Int] = [], processCPUs: [Int] = [], memoryPolicy: String = "local",
                memNodes: [Int] = [], launcherArguments: [String] = [], warnings: [String] = [], clientCPUs: [Int] = []) {
        self.policy = policy
        self.threadCPUs = threadCPUs
        self.processCPUs = processCPUs
        self.memoryPolicy = memoryPolicy
        self.memNodes = memNodes
        self.launcherArguments = launcherArguments
        self.warnings = warnings
        self.clientCPUs = clientCPUs
    }

    /// No pinning at all.
    public static let unpinned = PlacementChoice(policy: "none")
}

/// Repetition: processes per configuration, warmup and measured samples per process.
public struct Repetition: Sendable, Equatable {
    public var processes: Int
    public var samples: Int
    public var warmups: Int
    /// Seconds one calibrated sample should last.
    public var targetSeconds: Double
    /// A fixed batch (work units per thread per sample) instead of calibration.
    public var batch: Int?

    public init(processes: Int, samples: Int, warmups: Int, targetSeconds: Double, batch: Int? = nil) {
        self.processes = processes
        self.samples = samples
        self.warmups = warmups
        self.targetSeconds = targetSeconds
        self.batch = batch
    }

    /// The defaults for a full run, sized so the full suite fits 20 minutes on a 2-CPU machine
    /// (the arithmetic is in Sources/README.md, *Defaults*): 3 processes x 6 samples of 0.2 s, one
    /// warmup on top of calibration. Every process still verifies its output.
    public static let standard = Repetition(processes: 3, samples: 6, warmups: 1, targetSeconds: 0.2)
    /// The smallest run that still gives a usable confidence interval.
    public static let quick = Repetition(processes: 3, samples: 5, warmups: 1, targetSeconds: 0.1)
}

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

    public init(workload: Workload, variant: String, params: [String: String], interpreter: InterpreterChoice,
                threads: Int, placement: PlacementChoice, allocator: AllocatorChoice, env: [EnvSetting], seed: Int) {
        self.workload = workload
        self.variant = variant
        self.params = params
        self.interpreter = interpreter
        self.threads = threads
        self.placement = placement
        self.allocator = allocator
        self.env = env
        self.seed = seed
    }

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

/// A `KEY=VALUE` environment setting for the interpreter.
public struct EnvSetting: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// Parses `KEY=VALUE`.
    public static func parse(_ text: String) throws(RunInputError) -> EnvSetting {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else { throw .badEnv(text) }
        let key = String(text[..<eq])
        guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { throw .badEnv(text) }
        return EnvSetting(key: key, value: String(text[text.index(after: eq)...]))
    }
}

/// Bad values given to `ftlab run`.
public enum RunInputError: FTLabError, Equatable {
    case badEnv(String)
    case badThreads(String)
    case badRepetition(option: String, value: Int)
    case badMemoryLimit(String)
    case badPrecision(option: String, value: String)

    public var description: String {
        switch self {
        case .badEnv(let text): "bad --env or --ab-env \"\(text)\"; expected KEY=VALUE, e.g. PYTHON_GIL=1"
        case .badThreads(let text):
            "bad --threads \"\(text)\"; expected a comma-separated list of positive integers, e.g. 1,2,4"
        case let .badRepetition(option, value): "bad \(option) \(value); expected a positive integer"
        case let .badPrecision(option, value):
            option == "--budget"
                ? "bad --budget \"\(value)\"; expected a duration such as 90s, 30m or 2h"
                : "bad --ci-target \"\(value)\"; expected a CI half-width such as 2% or 0.02 (above 0, below 100%)"
        case .badMemoryLimit(let text):
            "bad --memory-limit \"\(text)\"; expected a size of at least 16M with an optional K, M, G or T suffix, e.g. 2G"
        }
    }
}

/// Parses `1,2,4` into thread counts.
public func parseThreadList(_ text: String) throws(RunInputError) -> [Int] {
    var counts: [Int] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
        guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n > 0, n <= 4096 else {
            throw .badThreads(text)
        }
        if !counts.contains(n) { counts.append(n) }
    }
    if counts.isEmpty { throw .badThreads(text) }
    return counts
}

/// The default thread counts: 1, 2, 4, ... up to `cpus`, `cpus` itself, and one
/// oversubscribed point (`cpus + 1`), where scaling must stop and contention shows.
public func defaultThreadCounts(cpus: Int) -> [Int] {
    var counts: [Int] = []
    var n = 1
    while n < cpus { counts.append(n); n *= 2 }
    counts.append(max(1, cpus))
    counts.append(max(1, cpus) + 1)
    return counts
}
