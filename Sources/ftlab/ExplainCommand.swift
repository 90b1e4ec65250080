import ArgumentParser
import Foundation
import FTLabCore
import FTLabRunner
import FTLabExplain

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
              ftlab explain log-processing/shared-lock --threads 2 --format json   one `ftlab.explain/1` object

            Exit codes: 0 explained; 1 a measuring process failed; 2 bad input; 130 interrupted.
            """)

    @Argument(help: "The workload variant: NAME/VARIANT (or NAME when it has one variant).")
    var selector: String

    @Option(help: "Thread count to explain.")
    var threads: Int

    @Option(name: .customLong("baseline-threads"), help: "Thread count to compare against.")
    var baselineThreads: Int = 1

    @OptionGroup var interpreters: InterpreterOptions

    @OptionGroup var placementOptions: PlacementOptions

    @OptionGroup var settings: SettingsOptions

    @OptionGroup var sampleOptions: SampleOptions

    @OptionGroup var timeoutOptions: TimeoutOptions

    @OptionGroup var workloads: WorkloadsDirOptions

    @Option(help: ArgumentHelp("Also write the explanation as a self-contained HTML section to FILE.", valueName: "FILE"))
    var html: String?

    @OptionGroup var format: FormatOptions<Self>

    @OptionGroup var quietOptions: QuietOptions

    func validate() throws {
        guard RunRequest.splitPlacements(placementOptions.placement).count == 1 else {
            throw ValidationError("bad --placement \(placementOptions.placement); explain takes one placement, e.g. compact")
        }
    }

    func run() async throws {
        var options = ExplainSession.Options(selector: selector, threads: threads)
        options.baselineThreads = baselineThreads
        options.pythons = interpreters.pythons
        options.placement = placementOptions.placement
        options.env = settings.env
        options.params = settings.params
        if let samples = sampleOptions.samples { options.samples = samples }
        if let seconds = sampleOptions.targetSeconds { options.targetSeconds = seconds }
        options.timeoutSeconds = timeoutOptions.timeout
        options.workloadsDirectories = workloads.workloadsDirs
        options.quiet = quietOptions.quiet
        InterruptHandler.install()
        let explanation = try await ExplainSession(options).run()
        print(format.value == .json ? try ExplainJSON.render(explanation) : ExplainText.render(explanation),
              terminator: "")
        if let html {
            do {
                try ExplainHTML.render(explanation).write(toFile: html, atomically: true, encoding: .utf8)
            } catch {
                throw ExplainError.cannotWrite(path: html, reason: error.localizedDescription)
            }
            if !quietOptions.quiet { Diagnostics.progress("html: \(html)") }
        }
    }
}

extension ExplainCommand: FormatChoices {
    static let command = "ftlab explain"
    static let accepted: [OutputFormat] = [.text, .json]
    static let defaultFormat = OutputFormat.text
}
