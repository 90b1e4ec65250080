import ArgumentParser
import Foundation
import FTLabCore
import FTLabRunner
import FTLabAnalysis
import FTLabExplain
import FTLabBuilds

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run workloads over interpreters x threads x placement x allocator and write CSV.",
        discussion: """
            Every measured sample becomes one CSV row (schema v1), appended and flushed as each \
            interpreter process finishes. A process that crashes, hangs past --timeout or fails \
            its own output check is recorded as failed/timeout with the stderr tail, and the \
            suite goes on. Ctrl-C kills the interpreter processes, keeps finished rows, exits 130.

            With no workload named, this is the full suite: every workload and variant on both lab \
            builds, threads 1,2,4,... up to the online CPUs plus one oversubscribed point, compact \
            placement, the system allocator and jemalloc.

            Examples:
              ftlab run -o results/full.csv
              ftlab run --quick -o results/quick.csv
              ftlab run log-processing/partitioned --threads 1,2,4 --python lab
              ftlab run log-processing --python /usr/bin/python3.13 --env PYTHON_GIL=1
              ftlab run buffered-copy/independent --python lab --python native-swift
              ftlab run log-processing --ab-env PYTHONMALLOC=malloc -o ab.csv
              ftlab compare ab.csv --base env= --new env=PYTHONMALLOC=malloc
              ftlab run --workloads-dir ~/my-workloads my-workload --quick

            Exit codes: 0 every process verified; 1 some process failed or timed out;
            2 bad input; 130 interrupted.
            """)

    @Argument(help: "Workloads to run: NAME or NAME/VARIANT (default: the full suite, every workload and variant).")
    var selectors: [String] = []

    @Option(name: .customLong("python"), help: ArgumentHelp(
        "Interpreter: a path, a lab label (cpython-3.13.5, cpython-3.13.5t), `lab` for the pair, or native-swift (ftlab's Swift ceilings). Repeatable.",
        valueName: "PATH|LABEL"))
    var pythons: [String] = []

    @Option(help: ArgumentHelp(
        "Thread counts, e.g. 1,2,4 (default: 1,2,4,... up to the online CPUs N, then N+1 oversubscribed).",
        valueName: "LIST"))
    var threads: String?

    @Option(help: ArgumentHelp(
        "Placements: none|compact|spread|node:N|cpus:LIST, comma-separated to sweep (default: compact).",
        valueName: "LIST"))
    var placement: String = "compact"

    @Option(help: ArgumentHelp(
        "Allocators: system|jemalloc|mimalloc|tcmalloc|PATH.so, comma-separated to sweep "
            + "(default: system,jemalloc for the full suite, system when workloads are named).",
        valueName: "LIST"))
    var allocator: String?

    @Option(name: .customLong("env"), help: ArgumentHelp("Environment for the interpreter, e.g. PYTHON_GIL=1. Repeatable.", valueName: "KEY=VALUE"))
    var envSettings: [String] = []

    @Option(name: .customLong("ab-env"), help: ArgumentHelp(
        "A/B in one run: every configuration runs twice, side by side in time, without (A) and with (B) this setting, "
            + "so a shared machine's drift hits both alike; then `ftlab compare FILE --base env= --new env=KEY=VALUE`. "
            + "Repeatable (all go to B).",
        valueName: "KEY=VALUE"))
    var abEnvSettings: [String] = []

    @Option(name: .customLong("param"), help: ArgumentHelp(
        "Workload parameter, e.g. lines=50000 or log-processing.lines=50000. Repeatable (see `ftlab list`).",
        valueName: "KEY=VALUE"))
    var params: [String] = []

    @Option(help: "Interpreter processes per configuration.")
    var processes: Int?

    @Option(help: "Measured samples per process.")
    var samples: Int?

    @Option(help: "Warmup samples per process (discarded; also used for calibration).")
    var warmups: Int?

    @Option(name: .customLong("target-seconds"), help: "How long one calibrated sample should last.")
    var targetSeconds: Double?

    @Option(help: "Fixed work units per thread per sample (disables calibration).")
    var batch: Int?

    @Flag(help: "Smallest trustworthy run (3 processes x 5 samples, 0.1 s samples): smoke tests and CI.")
    var quick = false

    @Option(help: "Seconds before an interpreter process is killed and recorded as timeout.")
    var timeout: Double = 300

    @Flag(help: "Skip configurations already complete in the output file.")
    var resume = false

    @Option(name: .customLong("workloads-dir"), help: ArgumentHelp("A folder with your own workloads. Repeatable.", valueName: "DIR"))
    var workloadsDirs: [String] = []

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Results CSV (default: results/run-<time>.csv).", valueName: "FILE.csv"))
    var output: String?

    @Flag(help: "No progress lines.")
    var quiet = false

    func run() async throws {
        let catalog = try WorkloadCatalog.load(extra: workloadsDirs)
        for broken in catalog.broken { warn("skipped the broken workload \(broken.name): \(broken.problem)") }
        let topology = try Topology.read()
        let repetition = try repetitionSetting()
        guard timeout > 0 else { throw ValidationError("bad --timeout \(timeout); expected seconds > 0") }
        var request = RunRequest()
        request.selectors = selectors
        request.interpreters = try await InterpreterChoice.resolve(pythons)
        request.threads = try threads.map(parseThreadList) ?? defaultThreadCounts(cpus: topology.onlineCPUs.count)
        request.placements = RunRequest.splitPlacements(placement)
        if let allocator {
            request.allocators = try allocator.split(separator: ",", omittingEmptySubsequences: false)
                .map { try AllocatorRegistry.resolve(String($0)) }
        } else {
            let defaults = RunRequest.defaultAllocators(fullSuite: selectors.isEmpty)
            request.allocators = defaults.allocators
            defaults.warnings.forEach { warn($0) }
        }
        request.env = try envSettings.map(EnvSetting.parse)
        request.abEnv = try abEnvSettings.map(EnvSetting.parse)
        request.params = params
        let plan = try RunPlan.make(request, catalog: catalog, topology: topology)
        for warning in Set(plan.warnings).sorted() { warn(warning) }
        for reason in plan.skipped { FileHandle.standardError.write(Data("ftlab: skipped \(reason)\n".utf8)) }

        let outputPath = output ?? defaultOutputPath()
        let suiteRev = RunIdentity.suiteRevision(of: catalog.builtinDirectory)
        var identity = RunIdentity.current(suiteRev: suiteRev, topology: topology)
        var completed = Set<String>()
        if resume, FileManager.default.fileExists(atPath: outputPath) {
            let existing = try ResultReader(path: outputPath)
            existing.warnings.forEach { warn($0) }
            let state = Suite.completedUnits(in: existing.rows, samplesPerProcess: repetition.samples)
            completed = state.complete
            if let first = existing.rows.first {
                identity.runID = first.runID
                identity.startedUTC = first.startedUTC
            }
            if !state.partial.isEmpty {
                try ResultFile.rewrite(path: outputPath, keeping: existing.rows.filter { !state.partial.contains(Suite.unitKey($0)) })
                warn("dropped the rows of \(state.partial.count) partly written process(es); they run again")
            }
        } else if FileManager.default.fileExists(atPath: outputPath), !resume {
            let existing = (try? ResultReader(path: outputPath).rows.count) ?? 0
            if existing > 0 {
                throw ValidationError("\(outputPath) already holds \(existing) rows; pass --resume to continue it or choose another -o")
            }
        }
        let writer = try ResultWriter(path: outputPath)
        let logDirectory = outputPath.replacingOccurrences(of: ".csv", with: "") + ".logs"
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)

        let runner = SuiteRunner(
            harnessScript: catalog.harnessScript, launcher: executablePath(), repetition: repetition,
            timeoutSeconds: timeout, logDirectory: logDirectory)
        let units = SuiteRunner.schedule(plan.configurations, processes: repetition.processes)
        InterruptHandler.install()
        let suite = Suite(runner: runner, rowMaker: RowMaker(identity: identity))
        let report = try await suite.run(units, completed: completed, writer: writer, progress: Progress(quiet: quiet))

        let allRows = try ResultReader(path: outputPath).rows
        print(ScalingSummary(rows: allRows).text(color: TerminalStyle.colorEnabled()))
        let servers = ServerSummary(rows: allRows)
        if !servers.isEmpty { print(servers.text()) }
        print("results: \(outputPath) (\(allRows.count) rows; per-process logs in \(logDirectory))")
        // Without selectors the run meant every workload, the broken ones too.
        let skippedBroken = selectors.isEmpty ? catalog.broken : []
        if !skippedBroken.isEmpty { print("skipped \(skippedBroken.count) broken workload(s): \(skippedBroken.map(\.name).joined(separator: ", "))") }
        if report.interrupted { throw ExitCode(130) }
        if report.processesFailed > 0 || allRows.contains(where: { $0.status != .ok }) || !skippedBroken.isEmpty { throw ExitCode(1) }
    }

    func repetitionSetting() throws -> Repetition {
        var r = quick ? Repetition.quick : Repetition.standard
        for (option, value) in [("--processes", processes), ("--samples", samples)] {
            if let value, value < 1 { throw RunInputError.badRepetition(option: option, value: value) }
        }
        if let warmups, warmups < 0 { throw RunInputError.badRepetition(option: "--warmups", value: warmups) }
        if let batch, batch < 1 { throw RunInputError.badRepetition(option: "--batch", value: batch) }
        if let targetSeconds, !(targetSeconds > 0) {
            throw ValidationError("bad --target-seconds \(targetSeconds); expected seconds > 0, e.g. 0.25")
        }
        r.processes = processes ?? r.processes
        r.samples = samples ?? r.samples
        r.warmups = warmups ?? r.warmups
        r.targetSeconds = targetSeconds ?? r.targetSeconds
        r.batch = batch
        return r
    }

    func defaultOutputPath() -> String {
        let stamp = RunIdentity.newRunID().id.split(separator: "-").first.map(String.init) ?? "run"
        return "results/run-\(stamp).csv"
    }

    func warn(_ text: String) {
        FileHandle.standardError.write(Data("ftlab: warning: \(text)\n".utf8))
    }
}
