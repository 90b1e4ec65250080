import ArgumentParser
import Foundation
import FTLabCore
import FTLabRunner
import FTLabAnalysis

struct ProjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Measure a project's own test suite: each test's body run in N threads, on both builds.",
        discussion: """
            Point ftlab at a project folder with a pytest (or unittest) suite. ftlab snapshots the \
            folder, makes one venv per interpreter with the project, its test extra ([test], [tests], \
            [testing] or [dev], or --extra) or test dependency group, pytest and pytest-run-parallel, \
            collects the tests as pytest does, and measures each collected test as a variant: pytest \
            sets up its fixtures once per process, then ftlab's pinned worker threads call its body in \
            calibrated batches (warmups, samples, processes, both builds), every call checked to pass.

            A test pytest-run-parallel calls thread-unsafe (its thread_unsafe marker, a thread-unsafe \
            fixture such as monkeypatch or capsys, its own detection) runs at one thread only, and \
            the summary says why. A test that passes alone but fails when threads run it at once is a \
            thread-safety finding, with the failure.

            The rows are ordinary rows (workload = the project, variant = the node id): `ftlab report`, \
            `ftlab compare` and `ftlab explain` take them. Every option after the project's own ones \
            goes to `ftlab run` (--python, --threads, --processes, --quick, -o, --timeout, ...); \
            the defaults here are threads 1,2 and, unless a repetition option is given, \
            --processes 3 --samples 3 --target-seconds 0.01 (a suite has hundreds of tests). Before measuring, a plain `pytest` of the collected \
            tests is timed on each interpreter (the suite's T, printed with the summary; it gets \
            --timeout too).

            Examples:
              ftlab project ~/src/mylib
              ftlab project ~/src/mylib --test tests/test_core.py -k 'not slow' --threads 1,2,4
              ftlab project . --extra test --requirements requirements-test.txt -o results/local/mylib.csv
              # a regression gate: the base commit, then the change
              ftlab project base-checkout -o base.csv && ftlab project . -o new.csv && ftlab compare base.csv new.csv

            Exit codes: 0 every test verified; 1 some test failed or timed out; 2 bad input (no \
            tests, pytest cannot collect, no interpreter installs the project); 130 interrupted.
            """)

    @Argument(help: "The project folder (holding pyproject.toml, setup.py or setup.cfg, and its tests).")
    var folder: String

    @Option(name: .customLong("test"), help: ArgumentHelp(
        "A test path or node id to collect, as pytest takes it (default: the project's testpaths). Repeatable.",
        valueName: "PATH|NODEID"))
    var tests: [String] = []

    @Option(name: .short, help: ArgumentHelp("Only tests matching this pytest -k expression.", valueName: "EXPR"))
    var k: String?

    @Option(name: .customLong("pytest-option"), help: ArgumentHelp(
        "A pytest option for collecting and measuring, e.g. --pytest-option=-pno:xdist. Repeatable.", valueName: "OPTION"))
    var pytestOptions: [String] = []

    @Option(name: .customLong("extra"), help: ArgumentHelp(
        "The project's extra to install with it (default: its test/tests/testing/dev extras). Repeatable.", valueName: "NAME"))
    var extras: [String] = []

    @Option(name: .customLong("requirements"), help: ArgumentHelp(
        "A requirements file of test-only packages to install too. Repeatable.", valueName: "FILE"))
    var requirementsFiles: [String] = []

    @Option(help: ArgumentHelp("The workload name the rows carry (default: the project's distribution name).", valueName: "NAME"))
    var name: String?

    @Option(help: ArgumentHelp(
        "A second checkout of the project (the change; DIR is the base): both are measured in one run, every test's "
            + "configurations of the two side by side in time, then compared like `ftlab compare` (exit 1 on a significant regression).",
        valueName: "DIR"))
    var against: String?

    @Option(help: "With --against: the smallest change called significant, as `ftlab compare --threshold` takes it.")
    var threshold = "5%"

    @Argument(parsing: .allUnrecognized, help: "Options for `ftlab run` (see `ftlab run --help`).")
    var runOptions: [String] = []

    /// The repetition a project's tests get when no repetition option is given.
    static let defaultRepetition = ["--processes", "3", "--samples", "3", "--target-seconds", "0.01"]

    func validate() throws {
        if let name, name.isEmpty || name.contains("/") || name.hasPrefix("_") || name.hasPrefix(".") {
            throw ValidationError("bad --name \"\(name)\"; expected a name without '/' that does not start with '_' or '.'")
        }
    }

    func run() async throws {
        var options = ProjectSession.Options(folder: folder)
        options.against = against
        options.name = name
        options.extras = extras
        options.requirementsFiles = requirementsFiles
        options.selection = TestSelection(tests: tests, keyword: k, pytestOptions: pytestOptions)
        // The run's own options are checked before anything is installed.
        let run = try RunCommand.parse(["placeholder"] + runArguments())
        options.run = try run.sessionOptions()
        let comparison = try against.map { _ in try ComparisonOptions(threshold: threshold, ignore: nil, metrics: nil) }
        let outcome = try await ProjectSession(options).run()
        run.printSummary(outcome.run)
        if let pair = outcome.pair, let comparison {
            try compare(pair, outcome: outcome, options: comparison, color: run.colorOptions.enabled)
        } else {
            printSummary(outcome)
        }
        if outcome.run.exitStatus != 0 { throw ExitCode(outcome.run.exitStatus) }
    }

    /// `ftlab run`'s options as given, with a project's defaults where none is: threads 1,2,
    /// short samples (hundreds of tests), no per-test tables (the project summary replaces them;
    /// `ftlab report --format text` has them).
    func runArguments() -> [String] {
        var arguments = runOptions
        if !arguments.contains(where: { $0 == "--threads" || $0.hasPrefix("--threads=") }) { arguments += ["--threads", "1,2"] }
        let repetition = ["--processes", "--samples", "--target-seconds", "--batch", "--warmups", "--quick"]
        if !arguments.contains(where: { given in repetition.contains { given == $0 || given.hasPrefix($0 + "=") } }) {
            arguments += Self.defaultRepetition
        }
        if !arguments.contains("--no-tables") { arguments.append("--no-tables") }
        return arguments
    }

    /// The project summary: verdicts, the tests that scale least with their explain commands,
    /// and plain pytest's time for the same tests.
    func printSummary(_ outcome: ProjectOutcome) {
        let record = outcome.suite.record, folder = outcome.suite.workloadDirectory
        let unsafe = Dictionary(record.tests.compactMap { t in t.threadUnsafe.map { (t.nodeid, $0) } }, uniquingKeysWith: { a, _ in a })
        let summary = ProjectSummary(rows: outcome.run.rows, workload: record.name, oneThreadOnly: unsafe)
        print(summary.text(explain: { nodeid, threads in
            "ftlab explain \(ProjectWorkloadFolder.shellQuoted(record.name + "/" + nodeid)) --workloads-dir \(ProjectWorkloadFolder.shellQuoted(folder)) --threads \(threads)"
        }))
        if !record.plainSeconds.isEmpty {
            let plain = record.plainSeconds.sorted { $0.key < $1.key }
                .map { "\($0.key) \(String(format: "%.2f", $0.value)) s" }.joined(separator: ", ")
            print("  plain pytest of the same tests (T): \(plain)")
        }
    }

    /// Both checkouts' summaries, then the change against the base like `ftlab compare`
    /// (exit 1 on a significant regression, before the run's own failures).
    func compare(_ pair: ProjectPair, outcome: ProjectOutcome, options: ComparisonOptions, color: Bool) throws {
        let sides = outcome.sideParams(pytestOptions: pytestOptions)
        for (label, params) in zip(["base", "new"], sides) {
            print("\(label) (\(params)):")
            print(ProjectSummary(rows: outcome.run.rows.filter { $0.params == params }, workload: pair.name).text())
        }
        let output = outcome.run.output.path
        print("\nftlab compare \(ProjectWorkloadFolder.shellQuoted(output)) --base \(ProjectWorkloadFolder.shellQuoted("params=" + sides[0])) --new \(ProjectWorkloadFolder.shellQuoted("params=" + sides[1])) --threshold \(threshold)")
        var options = options
        options.baseSelection = RowSelection(column: "params", value: sides[0])
        options.newSelection = RowSelection(column: "params", value: sides[1])
        let (comparison, warnings) = try Comparison.read(base: output, new: nil, options: options)
        warnings.forEach(Diagnostics.warning)
        print(comparison.rendered(as: .text, color: color), terminator: "")
        if comparison.exitCode != 0 { throw ExitCode(comparison.exitCode) }
    }

}
