import Foundation
import FTLabCore
import FTLabHarness
import FTLabInterpreters

extension ServeSession {
    /// What `ftlab serve` asks for, as its options give it (already checked for syntax).
    public struct Options: Sendable {
        /// `WORKLOAD` or `WORKLOAD/VARIANT` of a server workload.
        public var selector = "http-handling"
        public var threads = 1
        /// 0: any free port.
        public var port = 0
        public var host = ServeSession.loopback
        /// `--python`; nil: the lab pair's free-threaded build.
        public var python: String?
        /// `--placement`: one placement.
        public var placement = "compact"
        public var allocator = "system"
        public var env: [EnvSetting] = []
        /// `KEY=VALUE` or `WORKLOAD.KEY=VALUE` parameter settings.
        public var params: [String] = []
        /// `--workloads-dir` folders, besides the built-in catalog.
        public var workloadsDirectories: [String] = []
        /// No notes while the requirements install.
        public var quiet = false

        public init() {}
    }

    /// Readies one server as `ftlab run` would run it: resolves the interpreter and the
    /// allocator, plans the one configuration, installs its requirements, checks its
    /// parameters, and makes the runner (logs under a temporary folder). Plan warnings go to
    /// standard error. Bad input throws (``ServeError`` and the planner's errors) before any
    /// server starts.
    public static func prepare(_ options: Options, launcher: String = executablePath()) async throws -> ServeSession {
        let catalog = try WorkloadCatalog.load(extra: options.workloadsDirectories)
        guard let (workload, variant) = try catalog.select([options.selector]).first, workload.manifest.kind == .server else {
            throw ServeError.notAServer(options.selector,
                                        servers: catalog.workloads.filter { $0.manifest.kind == .server }.map(\.name))
        }
        var request = RunRequest()
        request.selectors = ["\(workload.name)/\(variant)"]
        request.interpreters = [try await interpreter(options.python)]
        request.threads = try parseThreadList(String(options.threads))
        request.placements = [options.placement]
        request.allocators = [try await AllocatorRegistry.resolve(options.allocator)]
        request.env = options.env
        request.params = options.params
        var plan = try RunPlan.make(request, catalog: catalog, topology: try Topology.read())
        let quiet = options.quiet
        let packages = try await plan.preparePackages(announce: { if !quiet { Diagnostics.note($0) } })
        if !quiet { packages.lines.forEach { Diagnostics.note($0) } }
        try await plan.checkParameters(harnessScript: catalog.harnessScript)
        guard let configuration = plan.configurations.first else {
            throw ServeError.cannotServe(plan.skipped.first ?? request.selectors[0])
        }
        for warning in Set(plan.warnings).sorted() { Diagnostics.warning(warning) }

        let logDirectory = NSTemporaryDirectory() + "ftlab-serve-\(getpid())"
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        let runner = WorkUnitRunner(harnessScript: catalog.harnessScript, launcher: launcher, repetition: .quick,
                                    timeoutSeconds: 365 * 86_400, logDirectory: logDirectory)
        return ServeSession(unit: WorkUnit(configuration: configuration, process: 1), runner: runner,
                            port: options.port, host: options.host)
    }

    /// The interpreter: the one named, or the lab pair's free-threaded build.
    static func interpreter(_ python: String?) async throws -> InterpreterChoice {
        let found = try await InterpreterChoice.resolve(python.map { [$0] } ?? [])
        if python == nil, let freethreaded = found.first(where: { $0.build == .freethreaded }) { return freethreaded }
        guard found.count == 1 else { throw ServeError.notOneInterpreter(python ?? "lab", count: found.count) }
        return found[0]
    }

    /// The server's stderr log.
    public var logPath: String { runner.spec(for: unit).stderrLogPath }
}

/// Why `ftlab serve` cannot serve what it was asked to (bad input: exit 2).
public enum ServeError: FTLabError, Equatable {
    /// The selector is not a server workload.
    case notAServer(String, servers: [String])
    /// `--python` resolved to several interpreters (or none); serve runs one.
    case notOneInterpreter(String, count: Int)
    /// The plan has no configuration to serve; why (a skipped reason, or the selector).
    case cannotServe(String)

    public var description: String {
        switch self {
        case let .notAServer(selector, servers):
            "\(selector) is not a server workload; server workloads: \(servers.joined(separator: ", "))"
        case let .notOneInterpreter(python, count): "--python \(python) names \(count) interpreters; serve runs one"
        case .cannotServe(let reason): "cannot serve \(reason)"
        }
    }
}
