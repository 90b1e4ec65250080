import ArgumentParser
import Foundation
import FTLabCore
import FTLabInterpreters
import FTLabRunner
import FTLabAnalysis

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
              ftlab run http-handling/flask-waitress --threads 1,2 --quick
              ftlab run my-workload --python ~/venvs/app/bin/python
              ftlab run --callable sysconfig:get_paths --threads 1,2 --quick
              ftlab run --callable work:parse --callable-dir ./mycode --requirement orjson
              ftlab run http-handling/waitress --param app=httpbin:app \\
                  --param requests=req.txt --param app_requirements=deps.txt

            A workload whose workload.toml declares `requirements` runs from a venv made for each \
            interpreter under the ftlab cache (pip from PyPI, reused by later runs); the freeze is \
            printed, kept in the run's log folder and identified in every row (`packages`). An \
            install that fails on some interpreters only (no wheel for that ABI) records their \
            configurations as failed and the rest runs; one no interpreter can install is bad input. \
            A server's own app names its requirements with --param app_requirements=FILE|DIR, \
            --callable with --requirement and --requirements; they go into the same venvs.

            --callable MODULE:FUNCTION runs one function as a workload (named MODULE, variant \
            FUNCTION; alone, it is the whole run): every worker thread calls it with no arguments; \
            its result at 1 thread must come back from every call at N threads (--no-result-check \
            for a result that varies; rows say result_check=off). A module that does not import, \
            a missing or non-callable attribute, or a function that raises at 1 thread is bad \
            input, with the exception, before anything is measured.

            Exit codes: 0 every process verified; 1 some process failed or timed out;
            2 bad input; 130 interrupted.
            """)

    @Argument(help: "Workloads to run: NAME or NAME/VARIANT (default: the full suite, every workload and variant).")
    var selectors: [String] = []

    @OptionGroup var interpreters: InterpreterOptions

    @Option(help: ArgumentHelp(
        "Thread counts, e.g. 1,2,4 (default: 1,2,4,... up to the online CPUs N, then N+1 oversubscribed).",
        valueName: "LIST"))
    var threads: String?

    @OptionGroup var placementOptions: PlacementOptions

    @Option(help: ArgumentHelp(
        "Allocators: system|jemalloc|mimalloc|tcmalloc|PATH.so, comma-separated to sweep "
            + "(default: system,jemalloc for the full suite, system when workloads are named).",
        valueName: "LIST"))
    var allocator: String?

    @OptionGroup var settings: SettingsOptions

    @OptionGroup var workloads: WorkloadsDirOptions

    @OptionGroup var callableOptions: CallableOptions

    @Option(name: .customLong("ab-env"), help: ArgumentHelp(
        "A/B in one run: every configuration runs twice, side by side in time, without (A) and with (B) this setting, "
            + "so a shared machine's drift hits both alike; then `ftlab compare FILE --base env= --new env=KEY=VALUE`. "
            + "Repeatable (all go to B).",
        valueName: "KEY=VALUE"))
    var abEnvSettings: [String] = []

    @Option(help: "Interpreter processes per configuration.")
    var processes: Int?

    @OptionGroup var sampleOptions: SampleOptions

    @Option(help: "Warmup samples per process (discarded; also used for calibration).")
    var warmups: Int?

    @Option(help: "Fixed work units per thread per sample (disables calibration).")
    var batch: Int?

    @Flag(help: "Smallest trustworthy run (3 processes x 5 samples, 0.1 s samples): smoke tests and CI.")
    var quick = false

    @OptionGroup var timeoutOptions: TimeoutOptions

    @Option(name: .customLong("memory-limit"), help: ArgumentHelp(
        "Address space per interpreter process, e.g. 2G (RLIMIT_AS): a workload that allocates past it "
            + "is a failed row \"out of memory\" and the suite goes on. Allocators reserve more than they use: "
            + "leave headroom.", valueName: "SIZE"))
    var memoryLimit: String?

    @Option(name: .customLong("ci-target"), help: ArgumentHelp(
        "Measure until precise: after the first processes, add rounds of one more process to exactly the "
            + "configurations whose 95% throughput CI is wider than this half-width, e.g. 2%, until each meets "
            + "it, has --max-processes, or --budget is spent. With --ab-env, the figure is each A/B pair's "
            + "ratio: both sides get processes until the ratio's CI is within it (then gate with compare "
            + "--threshold at that value).", valueName: "PCT"))
    var ciTarget: String?

    @Option(help: ArgumentHelp("With --ci-target: wall-clock time the run may take, e.g. 30m (no process starts after it).",
                               valueName: "DURATION"))
    var budget: String = "30m"

    @Option(name: .customLong("max-processes"), help: "With --ci-target: processes per configuration at most.")
    var maxProcesses: Int = 30

    @Flag(help: "Skip configurations already complete in the output file.")
    var resume = false

    @Option(help: ArgumentHelp(
        "Run only shard I of N of the plan: its configurations are dealt round robin, every process of one "
            + "configuration in one shard. Rows record the shard and the plan's id; `ftlab merge` checks that all N "
            + "are there once. Every shard must see the same plan: on nodes with different CPU counts pass --threads.",
        valueName: "I/N"))
    var shard: String?

    @Option(name: .customLong("run-id"), help: ArgumentHelp(
        "The run id the rows carry (letters, digits, . _ -). Default: a new one per run; with --shard, "
            + "shards-PLAN_ID, so the shards of one plan merge into one run wherever they ran.",
        valueName: "ID"))
    var runID: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Results CSV (default: results/local/run-<time>.csv; a checkout ignores results/local/, so what you generate stays apart from the published results).", valueName: "FILE.csv"))
    var output: String?

    @Flag(help: "No progress lines.")
    var quiet = false

    @Flag(name: .customLong("no-tables"), help: ArgumentHelp(
        "Leave the per-variant tables out of the end-of-run summary (`ftlab project` does: a suite has hundreds of tests; "
            + "`ftlab report --format text` prints them)."))
    var noTables = false

    @OptionGroup var colorOptions: ColorOptions

    func validate() throws {
        for (option, value) in [("--processes", processes), ("--batch", batch)] {
            if let value, value < 1 { throw ValidationError(RunInputError.badRepetition(option: option, value: value).description) }
        }
        if let warmups, warmups < 0 { throw ValidationError("bad --warmups \(warmups); expected 0 or more") }
        if let threads { _ = try validating { () throws(RunInputError) in try parseThreadList(threads) } }
        if let memoryLimit { _ = try validating { () throws(RunInputError) in try MemoryLimit(parsing: memoryLimit) } }
        _ = try precisionTarget()
        for setting in abEnvSettings { _ = try validating { () throws(RunInputError) in try EnvSetting.parse(setting) } }
        _ = try shardSetting()
        if let runID, runID.isEmpty || !runID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            throw ValidationError("bad --run-id \"\(runID)\"; expected letters, digits, '.', '_' and '-', e.g. cluster-a-2026")
        }
    }

    /// The parsed `--shard` (nil without it).
    func shardSetting() throws -> Shard? {
        guard let shard else { return nil }
        do { return try Shard(parsing: shard) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        let outcome = try await RunSession(try sessionOptions()).run()
        printSummary(outcome)
        if outcome.exitStatus != 0 { throw ExitCode(outcome.exitStatus) }
    }

    /// The end-of-run summary: the scaling tables (unless --no-tables), servers, the footer.
    func printSummary(_ outcome: RunOutcome) {
        print(ScalingSummary(rows: outcome.rows).text(color: colorOptions.enabled, tables: !noTables))
        let servers = ServerSummary(rows: outcome.rows)
        if !servers.isEmpty { print(servers.text()) }
        outcome.footer.forEach { print($0) }
    }

    /// The session's options, from this command's (checked in `validate()`).
    func sessionOptions() throws -> RunSession.Options {
        var options = RunSession.Options()
        options.selectors = selectors
        options.pythons = interpreters.pythons
        options.threads = try threads.map(parseThreadList)
        options.placement = placementOptions.placement
        options.allocators = allocator?.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        options.env = settings.env
        options.abEnv = try abEnvSettings.map(EnvSetting.parse)
        options.params = settings.params
        options.quick = quick
        options.repetition = repetitionSetting()
        options.timeoutSeconds = timeoutOptions.timeout
        options.memoryLimit = try memoryLimit.map(MemoryLimit.init(parsing:))
        options.precision = try precisionTarget()
        options.resume = resume
        options.shard = try shardSetting()
        options.runID = runID
        options.output = output
        options.quiet = quiet
        options.workloadsDirectories = workloads.workloadsDirs
        options.callable = try callableOptions.target()
        return options
    }

    /// `--ci-target`, `--budget` and `--max-processes` as one target; nil without `--ci-target`.
    func precisionTarget() throws -> PrecisionTarget? {
        guard let ciTarget else { return nil }
        guard maxProcesses >= 1 else { throw ValidationError("bad --max-processes \(maxProcesses); expected a positive integer") }
        return try validating { () throws(RunInputError) in
            PrecisionTarget(halfWidth: try PrecisionTarget.parseHalfWidth(ciTarget),
                            budgetSeconds: try PrecisionTarget.parseDuration(budget), maxProcesses: maxProcesses,
                            pairsByEnv: !abEnvSettings.isEmpty)
        }
    }

    /// The repetition the options ask for (checked in `validate()`).
    func repetitionSetting() -> Repetition {
        var r = quick ? Repetition.quick : Repetition.standard
        r.processes = processes ?? r.processes
        r.samples = sampleOptions.samples ?? r.samples
        r.warmups = warmups ?? r.warmups
        r.targetSeconds = sampleOptions.targetSeconds ?? r.targetSeconds
        r.batch = batch
        return r
    }
}
