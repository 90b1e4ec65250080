import ArgumentParser
import Foundation
import FTLabCore
import FTLabRunner
import FTLabAnalysis
import FTLabExplain
import FTLabBuilds

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show why a configuration does (not) scale: per-thread time, lock waits, a differential profile, a verdict.",
        discussion: """
            Runs the workload variant again with probes, per interpreter: at the baseline and
            the target thread count with per-thread time accounting from /proc (no privileges
            needed), the target under `perf trace` (futex calls per thread), and both under
            `perf record -e cpu-clock` with Python's perf trampoline, to find the symbols
            whose share of samples grew. Without perf, or without permission to use it, the
            time accounting is still printed and the sections that need perf say why not.

            Examples:
              ftlab explain log-processing/shared-lock --threads 2
              ftlab explain log-processing/partitioned --threads 4 --python cpython-3.13.5t
              ftlab explain my-workload --workloads-dir ~/my-workloads --threads 2 --html why.html

            Exit codes: 0 explained; 1 a measuring process failed; 2 bad input; 130 interrupted.
            """)

    @Argument(help: "The workload variant: NAME/VARIANT (or NAME when it has one variant).")
    var selector: String

    @Option(help: "Thread count to explain.")
    var threads: Int

    @Option(name: .customLong("baseline-threads"), help: "Thread count to compare against.")
    var baselineThreads: Int = 1

    @Option(name: .customLong("python"), help: ArgumentHelp(
        "Interpreter: a path, a lab label (cpython-3.13.5, cpython-3.13.5t) or `lab` for the pair. Repeatable.",
        valueName: "PATH|LABEL"))
    var pythons: [String] = []

    @Option(help: ArgumentHelp("Placement: none|compact|spread|node:N|cpus:LIST (default: compact).", valueName: "POLICY"))
    var placement: String = "compact"

    @Option(name: .customLong("env"), help: ArgumentHelp("Environment for the interpreter, e.g. PYTHON_GIL=1. Repeatable.", valueName: "KEY=VALUE"))
    var envSettings: [String] = []

    @Option(name: .customLong("param"), help: ArgumentHelp("Workload parameter, e.g. lines=50000. Repeatable.", valueName: "KEY=VALUE"))
    var params: [String] = []

    @Option(help: "Measured samples per process.")
    var samples: Int = 3

    @Option(name: .customLong("target-seconds"), help: "How long one calibrated sample should last.")
    var targetSeconds: Double = 0.25

    @Option(help: "Seconds before an interpreter process is killed.")
    var timeout: Double = 300

    @Option(name: .customLong("workloads-dir"), help: ArgumentHelp("A folder with your own workloads. Repeatable.", valueName: "DIR"))
    var workloadsDirs: [String] = []

    @Option(help: ArgumentHelp("Also write the explanation as a self-contained HTML section to FILE.", valueName: "FILE"))
    var html: String?

    @Flag(help: "No progress lines.")
    var quiet = false

    func run() async throws {
        guard samples >= 1 else { throw RunInputError.badRepetition(option: "--samples", value: samples) }
        guard targetSeconds > 0 else { throw ValidationError("bad --target-seconds \(targetSeconds); expected seconds > 0, e.g. 0.25") }
        guard timeout > 0 else { throw ValidationError("bad --timeout \(timeout); expected seconds > 0") }
        let catalog = try WorkloadCatalog.load(extra: workloadsDirs)
        var request = RunRequest()
        request.interpreters = try await InterpreterChoice.resolve(pythons)
        request.placements = RunRequest.splitPlacements(placement)
        guard request.placements.count == 1 else {
            throw ValidationError("bad --placement \(placement); explain takes one placement, e.g. compact")
        }
        request.env = try envSettings.map(EnvSetting.parse)
        request.params = params
        let plan = try ExplainPlan.make(selector: selector, threads: threads, baselineThreads: baselineThreads,
                                        request: request, catalog: catalog, topology: try Topology.read())
        for warning in Set(plan.warnings).sorted() { note("warning: \(warning)") }

        let quiet = quiet
        let runner = ExplainRunner(
            harnessScript: catalog.harnessScript, launcher: executablePath(),
            repetition: Repetition(processes: 1, samples: samples, warmups: 1, targetSeconds: targetSeconds),
            timeoutSeconds: timeout, perf: await PerfTool.locate(),
            progress: { line in if !quiet { FileHandle.standardError.write(Data("explain: \(line)\n".utf8)) } })
        InterruptHandler.install()
        let explanation = try await runner.explain(plan)
        print(ExplainText.render(explanation), terminator: "")
        if let html {
            do {
                try ExplainHTML.render(explanation).write(toFile: html, atomically: true, encoding: .utf8)
            } catch {
                throw ExplainError.cannotWrite(path: html, reason: error.localizedDescription)
            }
            print("html: \(html)")
        }
    }

    func note(_ text: String) {
        FileHandle.standardError.write(Data("ftlab: \(text)\n".utf8))
    }
}
