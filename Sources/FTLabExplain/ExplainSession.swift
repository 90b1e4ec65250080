import Foundation
import FTLabCore
import FTLabHarness
import FTLabInterpreters
import FTLabRunner

/// One `ftlab explain` from parsed options to an explanation: resolves the interpreters,
/// plans the baseline and target of each, finds perf, and runs the probes. Plan warnings go to
/// standard error, progress too unless `quiet`. Bad input throws before anything runs.
public struct ExplainSession: Sendable {
    /// What `ftlab explain` is asked, as its options give it (already checked for syntax).
    public struct Options: Sendable {
        /// `NAME/VARIANT`, or `NAME` when it has one variant.
        public var selector: String
        /// The thread count explained, and the one it is compared with.
        public var threads: Int
        public var baselineThreads = 1
        /// `--python` values; empty: the lab pair.
        public var pythons: [String] = []
        /// One placement.
        public var placement = "compact"
        public var env: [EnvSetting] = []
        /// `KEY=VALUE` or `WORKLOAD.KEY=VALUE` parameter settings.
        public var params: [String] = []
        /// Measured samples per probe process, and how long each should last: explain's own
        /// defaults, 3 of 0.25 s.
        public var samples = 3
        public var targetSeconds = 0.25
        public var timeoutSeconds: Double = 300
        /// `--workloads-dir` folders, besides the built-in catalog.
        public var workloadsDirectories: [String] = []
        public var quiet = false

        public init(selector: String, threads: Int) {
            self.selector = selector
            self.threads = threads
        }
    }

    public var options: Options
    /// The ftlab executable, the pre-exec launcher of every probe process.
    public var launcher: String

    public init(launcher: String = executablePath(), _ options: Options) {
        self.options = options
        self.launcher = launcher
    }

    /// Runs the probes and assembles the explanation.
    public func run() async throws -> Explanation {
        let catalog = try WorkloadCatalog.load(extra: options.workloadsDirectories)
        var request = RunRequest()
        request.interpreters = try await InterpreterChoice.resolve(options.pythons)
        request.placements = [options.placement]
        request.env = options.env
        request.params = options.params
        let plan = try ExplainPlan.make(selector: options.selector, threads: options.threads,
                                        baselineThreads: options.baselineThreads, request: request,
                                        catalog: catalog, topology: try Topology.read())
        for warning in Set(plan.warnings).sorted() { Diagnostics.warning(warning) }
        let quiet = options.quiet
        let runner = ExplainRunner(
            harnessScript: catalog.harnessScript, launcher: launcher,
            repetition: Repetition(processes: 1, samples: options.samples, warmups: 1, targetSeconds: options.targetSeconds),
            timeoutSeconds: options.timeoutSeconds, perf: await PerfTool.locate(),
            progress: { line in if !quiet { Diagnostics.progress("explain: \(line)") } })
        return try await runner.explain(plan)
    }
}
