import ArgumentParser
import Foundation
import FTLabCore
import FTLabHarness
import FTLabInterpreters
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
        // The run's own options are checked before anything is installed.
        var arguments = runOptions
        if !arguments.contains(where: { $0 == "--threads" || $0.hasPrefix("--threads=") }) { arguments += ["--threads", "1,2"] }
        // Hundreds of tests: unless told otherwise, short samples (what the cachetools page used).
        let repetition = ["--processes", "--samples", "--target-seconds", "--batch", "--warmups", "--quick"]
        if !arguments.contains(where: { given in repetition.contains { given == $0 || given.hasPrefix($0 + "=") } }) {
            arguments += Self.defaultRepetition
        }
        // The project summary replaces the per-test tables (`ftlab report --format text` has them).
        if !arguments.contains("--no-tables") { arguments.append("--no-tables") }
        let probe = try RunCommand.parse(["placeholder"] + arguments)
        let source = try ProjectSource.read(folder: folder, name: name, extras: extras.isEmpty ? nil : extras,
                                            requirementsFiles: requirementsFiles)
        let interpreters = try await InterpreterChoice.resolve(probe.interpreters.pythons)
        let catalog = try WorkloadCatalog.load()
        let selection = TestSelection(tests: tests, keyword: k, pytestOptions: pytestOptions)
        let suite = try await ProjectSuite.prepare(source, selection: selection, interpreters: interpreters,
                                                   builtinDirectory: catalog.builtinDirectory,
                                                   plainRunTimeout: probe.timeoutOptions.timeout,
                                                   announce: { Diagnostics.note($0) })
        describe(suite.record)
        if let against {
            var changed = try ProjectSource.read(folder: against, name: name, extras: extras.isEmpty ? nil : extras,
                                                 requirementsFiles: requirementsFiles)
            changed.name = source.name
            let new = try await ProjectSuite.prepare(changed, selection: selection, interpreters: interpreters,
                                                     builtinDirectory: catalog.builtinDirectory, plainRunTimeout: nil,
                                                     announce: { Diagnostics.note($0) })
            describe(new.record)
            try await runPair(ProjectPair.make(base: suite, new: new, builtinDirectory: catalog.builtinDirectory),
                              arguments: arguments, output: probe.output)
            return
        }

        var output = probe.output
        if output == nil {
            output = RunOutput.defaultPath(prefix: "project-\(suite.record.name)")
            arguments += ["-o", output!]
        }
        let run = try RunCommand.parse([suite.record.name, "--workloads-dir", suite.workloadDirectory] + arguments)
        let outcome = try await RunSession(try run.sessionOptions()).run()
        run.printSummary(outcome)
        let unsafe = Dictionary(suite.record.tests.compactMap { t in t.threadUnsafe.map { (t.nodeid, $0) } }, uniquingKeysWith: { a, _ in a })
        let summary = ProjectSummary(rows: outcome.rows, workload: suite.record.name, oneThreadOnly: unsafe)
        print(summary.text(explain: { nodeid, threads in
            "ftlab explain \(ProjectWorkloadFolder.shellQuoted(suite.record.name + "/" + nodeid)) --workloads-dir \(ProjectWorkloadFolder.shellQuoted(suite.workloadDirectory)) --threads \(threads)"
        }))
        if !suite.record.plainSeconds.isEmpty {
            let plain = suite.record.plainSeconds.sorted { $0.key < $1.key }
                .map { "\($0.key) \(String(format: "%.2f", $0.value)) s" }.joined(separator: ", ")
            print("  plain pytest of the same tests (T): \(plain)")
        }
        if outcome.exitStatus != 0 { throw ExitCode(outcome.exitStatus) }
    }

    /// Both checkouts in one run (the `checkout` parameter swept), their summaries, and the
    /// comparison of the change against the base.
    func runPair(_ pair: ProjectPair, arguments: [String], output: String?) async throws {
        for test in pair.unpaired { Diagnostics.note("\(test): collected in one checkout only, not compared") }
        let output = URL(fileURLWithPath: output ?? RunOutput.defaultPath(prefix: "project-\(pair.name)-ab")).standardizedFileURL.path
        var arguments = arguments.filter { $0 != "-o" && !$0.hasPrefix("--output") }
        if let index = runOptions.firstIndex(where: { $0 == "-o" || $0 == "--output" }), index + 1 < runOptions.count {
            arguments.removeAll { $0 == runOptions[index + 1] }
        }
        let run = try RunCommand.parse([pair.name, "--workloads-dir", pair.workloadDirectory, "-o", output]
                                       + ProjectPair.values.flatMap { ["--param", "checkout=\($0)"] } + arguments)
        // The checkout parameter's requirements files are found beside the generated manifest.
        let here = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(pair.workloadDirectory)
        let outcome: RunOutcome
        do { outcome = try await RunSession(try run.sessionOptions()).run() } catch {
            _ = FileManager.default.changeCurrentDirectoryPath(here)
            throw error
        }
        _ = FileManager.default.changeCurrentDirectoryPath(here)
        run.printSummary(outcome)
        let options = pytestOptions.map(ProjectWorkloadFolder.shellQuoted).joined(separator: " ")
        let sides = ProjectPair.values.map { pair.paramsText($0, pytestOptions: options) }
        for (label, params) in zip(["base", "new"], sides) {
            print("\(label) (\(params)):")
            print(ProjectSummary(rows: outcome.rows.filter { $0.params == params }, workload: pair.name).text())
        }
        print("\nftlab compare \(ProjectWorkloadFolder.shellQuoted(output)) --base \(ProjectWorkloadFolder.shellQuoted("params=" + sides[0])) --new \(ProjectWorkloadFolder.shellQuoted("params=" + sides[1])) --threshold \(threshold)")
        let compare = try CompareCommand.parse([output, "--base", "params=" + sides[0], "--new", "params=" + sides[1],
                                                "--threshold", threshold])
        // The comparison's verdict first (exit 1 on a regression), then the run's own failures.
        try compare.run()
        if outcome.exitStatus != 0 { throw ExitCode(outcome.exitStatus) }
    }

    /// What collection found, before measuring.
    func describe(_ record: ProjectRecord) {
        for entry in record.interpreters {
            if let failure = entry.installFailure {
                Diagnostics.warning("\(entry.interpreter): the project does not install; its rows are failed: \(failure)")
                continue
            }
            guard let c = entry.collection else { continue }
            var line = "\(entry.interpreter): pytest \(c.pytest) collected \(c.tests.count) tests"
            let unsafe = c.tests.filter { $0.threadUnsafe != nil }.count
            if unsafe > 0 { line += ", \(unsafe) thread-unsafe (one thread only)" }
            if !c.skipped.isEmpty { line += ", \(c.skipped.count) skipped by their marks" }
            if !c.unsupported.isEmpty { line += ", \(c.unsupported.count) not measurable (\(c.unsupported[0].reason))" }
            Diagnostics.note(line)
            for error in c.errors {
                Diagnostics.warning("\(entry.interpreter): \(error.nodeid) failed to collect (its tests are left out):\n\(error.reason)")
            }
            for module in c.gilEnabledBy {
                let from = module.distribution.isEmpty ? "" : " (distribution \(module.distribution))"
                Diagnostics.warning("\(entry.interpreter): importing \(module.module)\(from) re-enabled the GIL")
            }
            if !entry.builtFromSource.isEmpty {
                Diagnostics.note("\(entry.interpreter): pip built from source: \(entry.builtFromSource.joined(separator: ", "))")
            }
        }
    }
}
