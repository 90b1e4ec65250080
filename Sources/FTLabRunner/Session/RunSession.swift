import Foundation
import FTLabCore
import FTLabHarness
import FTLabInterpreters

/// One `ftlab run` from parsed options to rows on disk: resolves the interpreters and
/// allocators, plans, installs requirements, names the run (identity, shard, run id), prepares
/// the output file (resume, lock, log folder), runs the schedule with progress, and reads the
/// rows back. The caller prints the outcome (tables live in FTLabAnalysis) and exits with
/// ``RunOutcome/exitStatus``.
public struct RunSession: Sendable {
    /// What the run is asked to do, as `ftlab run`'s options give it (already checked for syntax).
    public struct Options: Sendable {
        /// `NAME` or `NAME/VARIANT`; empty: the full suite.
        public var selectors: [String] = []
        /// `--python` values; empty: the lab pair.
        public var pythons: [String] = []
        /// Thread counts; nil: 1, 2, 4, ... up to the online CPUs, then one oversubscribed.
        public var threads: [Int]?
        /// `--placement` as written (a comma-separated list sweeps).
        public var placement = "compact"
        /// Allocator names or paths; nil: the default for a full suite or named workloads.
        public var allocators: [String]?
        public var env: [EnvSetting] = []
        public var abEnv: [EnvSetting] = []
        /// `KEY=VALUE` or `WORKLOAD.KEY=VALUE` parameter settings.
        public var params: [String] = []
        public var quick = false
        public var repetition = Repetition.standard
        public var timeoutSeconds: Double = 300
        public var memoryLimit: MemoryLimit?
        /// Measure until precise (`--ci-target`); nil: a fixed number of processes.
        public var precision: PrecisionTarget?
        public var resume = false
        public var shard: Shard?
        public var runID: String?
        /// The results CSV; nil: `results/local/run-<time>.csv`.
        public var output: String?
        public var quiet = false
        /// The workloads: the built-in catalog plus `--workloads-dir` folders.
        public var workloadsDirectories: [String] = []
        /// `--callable`'s workload, added to the selected ones (alone, the whole run).
        public var callable: CallableTarget?

        public init() {}
    }

    public var options: Options
    /// The ftlab executable: the pre-exec launcher that pins a process (`ftlab _launch`) and
    /// the native implementations (`ftlab _native`).
    public var launcher: String

    public init(launcher: String = executablePath(), _ options: Options) {
        self.options = options
        self.launcher = launcher
    }

    /// Runs it. Warnings and notes go to standard error as they come (``Diagnostics``);
    /// progress too unless `quiet`. Bad input throws before anything is measured.
    public func run() async throws -> RunOutcome {
        var catalog = try WorkloadCatalog.load(extra: options.workloadsDirectories)
        for broken in catalog.broken { Diagnostics.warning("skipped the broken workload \(broken.name): \(broken.problem)") }
        if let callable = options.callable { try catalog.add(callable) }
        let selectors = options.selectors + (options.callable.map { [$0.selector] } ?? [])
        let topology = try Topology.read()
        var request = try await makeRequest(selectors: selectors, catalog: catalog, topology: topology)
        request.unsupported = await ScriptProbe.unsupported(try catalog.select(selectors), interpreters: request.interpreters)

        var plan = try RunPlan.make(request, catalog: catalog, topology: topology)
        for warning in Set(plan.warnings).sorted() { Diagnostics.warning(warning) }
        for reason in plan.skipped { Diagnostics.note("skipped \(reason)") }
        let packages = try await plan.preparePackages(announce: { Diagnostics.note($0) })
        packages.lines.forEach { Diagnostics.note($0) }
        try await plan.checkParameters(harnessScript: catalog.harnessScript)

        var identity = RunIdentity.current(suiteRev: await RunIdentity.suiteRevision(of: catalog.builtinDirectory),
                                           topology: topology)
        if let shard = options.shard {
            identity.planID = plan.identity(repetition: options.repetition)
            identity.shard = shard.description
            identity.runID = "shards-" + identity.planID
            let total = plan.configurations.count
            plan.configurations = try plan.configurations(in: shard)
            if !options.quiet {
                Diagnostics.note("shard \(shard) of plan \(identity.planID): \(plan.configurations.count) of \(total) configurations")
            }
        }
        if let runID = options.runID { identity.runID = runID }
        let output = try RunOutput.prepare(path: options.output ?? RunOutput.defaultPath(), resume: options.resume,
                                           samplesPerProcess: options.repetition.samples, identity: &identity)
        output.warnings.forEach(Diagnostics.warning)
        Diagnostics.note("machine: \(identity.machine.summary)")
        identity.machine.warnings(cpus: topology.onlineCPUs.count).forEach(Diagnostics.warning)
        let writer = try ResultWriter(path: output.path)
        packages.write(to: output.logDirectory)

        var runner = WorkUnitRunner(
            harnessScript: catalog.harnessScript, launcher: launcher, repetition: options.repetition,
            timeoutSeconds: options.timeoutSeconds, logDirectory: output.logDirectory)
        runner.memoryLimit = options.memoryLimit
        let units = WorkUnitRunner.schedule(plan.configurations, processes: options.repetition.processes)
        InterruptHandler.install()
        let suite = Suite(runner: runner, rowMaker: RowMaker(identity: identity))
        let progress = Progress(quiet: options.quiet)
        let report: SuiteReport
        var standings: [PrecisionTarget.Standing] = []
        if let target = options.precision {
            (report, standings) = try await suite.run(
                units, until: target, configurations: plan.configurations, completed: output.completed,
                earlier: output.earlierRows, writer: writer, progress: progress)
        } else {
            report = try await suite.run(units, completed: output.completed, writer: writer, progress: progress)
        }
        // Without selectors the run meant every workload, the broken ones too.
        return RunOutcome(
            output: output, rows: try ResultReader(path: output.path).rows, report: report, standings: standings,
            precision: options.precision, packageLines: packages.lines,
            loadAverage: (identity.machine.loadAverage, MachineState.loadAverage()), cpus: topology.onlineCPUs.count,
            skippedBroken: selectors.isEmpty ? catalog.broken.map(\.name) : [])
    }

    /// The plan's request: interpreters, threads, placements, allocators and settings resolved.
    private func makeRequest(selectors: [String], catalog: WorkloadCatalog, topology: Topology) async throws -> RunRequest {
        var request = RunRequest()
        request.selectors = selectors
        request.interpreters = try await InterpreterChoice.resolve(options.pythons)
        if let line = InterpreterChoice.releaseLine(request.interpreters, specs: options.pythons) { Diagnostics.note(line) }
        request.threads = options.threads ?? defaultThreadCounts(cpus: topology.onlineCPUs.count)
        request.placements = RunRequest.splitPlacements(options.placement)
        if let names = options.allocators {
            request.allocators = []
            for name in names { request.allocators.append(try await AllocatorRegistry.resolve(name)) }
        } else {
            let defaults = await RunRequest.defaultAllocators(fullSuite: selectors.isEmpty)
            request.allocators = defaults.allocators
            defaults.warnings.forEach(Diagnostics.warning)
        }
        request.env = options.env
        request.abEnv = options.abEnv
        request.params = options.params + (options.callable?.params ?? [])
        request.quickSuite = options.quick
        return request
    }
}

/// What a run did: the rows of its output file (earlier rows too when resumed), how the
/// processes went, and the footer lines `ftlab run` prints after the tables.
public struct RunOutcome: Sendable {
    /// The output file; it stays locked while this value lives.
    public var output: RunOutput
    /// Every row in the output file.
    public var rows: [ResultRow]
    public var report: SuiteReport
    /// With a precision target: where each configuration ended.
    public var standings: [PrecisionTarget.Standing]
    public var precision: PrecisionTarget?
    /// One line per venv made or failed install.
    public var packageLines: [String]
    /// The load average at the start and at the end.
    public var loadAverage: (start: Double, end: Double)
    public var cpus: Int
    /// Broken workloads a full-suite run had to leave out.
    public var skippedBroken: [String]

    /// 0 every process verified; 1 some process failed or timed out, or a broken workload was
    /// left out of a full suite; 130 interrupted.
    public var exitStatus: Int32 {
        if report.interrupted { return 130 }
        if report.processesFailed > 0 || rows.contains(where: { $0.status != .ok }) || !skippedBroken.isEmpty { return 1 }
        return 0
    }

    /// The lines after the tables: packages, precision, load, where the results are, what was skipped.
    public var footer: [String] {
        var lines = packageLines
        if let precision { lines.append(precision.summary(standings)) }
        lines.append("load average: \(String(format: "%.2f", loadAverage.start)) at the start, "
                     + "\(String(format: "%.2f", loadAverage.end)) at the end (\(cpus) CPUs)")
        lines.append("results: \(output.path) (\(rows.count) rows; per-process logs in \(output.logDirectory))")
        if !skippedBroken.isEmpty {
            lines.append("skipped \(skippedBroken.count) broken workload(s): \(skippedBroken.joined(separator: ", "))")
        }
        return lines
    }
}
