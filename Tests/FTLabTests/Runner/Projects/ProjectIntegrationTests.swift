import Foundation
import Testing
import FTLabCore
import FTLabRunner
import FTLabAnalysis

extension LoadSensitiveTests {
    /// `ftlab project` end to end on the lab pair: a real project folder (Fixtures/projects/
    /// fixtureproj, with a C extension) installed by pip into a venv per build, its tests
    /// collected by pytest and measured by the harness's worker threads.
    @Suite("A project's test suite as the workload (ftlab project)", .serialized, .tags(.integration, .needsLab, .network),
           .skippedInUnitRuns)
    struct ProjectIntegrationTests {
        static let fixture = TestPaths.fixtures + "/projects/fixtureproj"
        static let tiny = ["--processes", "2", "--samples", "3", "--target-seconds", "0.05"]

        @Test("each kind of test is reported as what it is: scales, contends, fails in threads, GIL re-enabled, one thread only")
        func fourKinds() throws {
            let csv = TestPaths.scratch() + "/fixtureproj.csv"
            var run = try ftlab(["project", Self.fixture, "--threads", "1,2", "-o", csv] + Self.tiny)
            var summary = try Self.summary(csv)
            // Scaling is judged from timings: when other work took a CPU (pinned threads of the
            // free-threaded build then wait for each other at every stop-the-world collection),
            // measure again, up to twice.
            for attempt in 2...3 where Self.timingVerdicts(summary) != ["scales", "scales", "contends"] {
                run = try ftlab(["project", Self.fixture, "--threads", "1,2", "-o", csv + ".\(attempt).csv"] + Self.tiny)
                summary = try Self.summary(csv + ".\(attempt).csv")
            }
            // The not-thread-safe test fails (exit 1); nothing else may.
            #expect(run.status == 1, "stderr: \(run.stderr.suffix(3000))")
            let verdicts = Dictionary(uniqueKeysWithValues: summary.tests.map { ($0.nodeid, $0) })
            func verdict(_ name: String) -> ProjectSummary.Verdict? { verdicts.first { $0.key.hasSuffix(name) }?.value.verdict }
            #expect(verdicts.count == 6, "\(verdicts.keys.sorted())")
            #expect(verdict("::test_scales") == .scales, "\(Self.describe(summary))")
            #expect(verdict("::ChecksumCase::test_unittest_style") == .scales, "unittest.TestCase methods run too: \(Self.describe(summary))")
            #expect(verdict("::test_contends") == .contends, "\(Self.describe(summary))")
            #expect(verdict("::test_not_thread_safe") == .failsInThreads, "\(Self.describe(summary))")
            #expect(verdict("::test_gil_extension") == .gilReenabled, "\(Self.describe(summary))")
            #expect(verdict("::test_marked_thread_unsafe") == .oneThreadOnly, "\(Self.describe(summary))")

            let failure = try #require(verdicts.first { $0.key.hasSuffix("::test_not_thread_safe") }?.value.failure)
            #expect(failure.threads == 2 && failure.message.contains("while 2 threads ran it at once")
                    && failure.message.contains("already registered"), "\(failure.message)")
            #expect(run.stdout.contains("thread-safety finding: passes alone, fails at 2 threads"), "\(run.stdout)")
            #expect(run.stdout.contains("one thread only: tests/test_fixture.py::test_marked_thread_unsafe (writes one module-level list)"),
                    "\(run.stdout)")
            #expect(run.stderr.contains("importing fixtureproj_gil (distribution fixtureproj) re-enabled the GIL"), "\(run.stderr)")
            #expect(run.stdout.contains("single thread, free-threaded/GIL throughput (geometric mean over"), "\(run.stdout)")
            #expect(run.stdout.contains("why: ftlab explain fixtureproj/tests/test_fixture.py::test_contends --workloads-dir "),
                    "each least-scaling test has its explain command: \(run.stdout)")
        }

        @Test("bad input: a folder that is not there, one without tests, a node id that does not exist, an unknown extra: exit 2 naming it",
              arguments: [
                  (["/nonexistent/project"], "project folder /nonexistent/project does not exist"),
                  (["EMPTY"], "has no tests: pytest collected none"),
                  ([fixture, "--test", "tests/test_fixture.py::test_nope"], "pytest could not collect the tests (exit code 4)"),
                  ([fixture, "--extra", "nope"], "the project has no extra \"nope\"; its extras: test"),
              ])
        func badInput(arguments: [String], message: String) throws {
            let scratch = TestPaths.scratch()
            let empty = scratch + "/empty-project"
            try FileManager.default.createDirectory(atPath: empty + "/tests", withIntermediateDirectories: true)
            try "[project]\nname = \"emptyproj\"\nversion = \"1\"\n".write(toFile: empty + "/pyproject.toml", atomically: true, encoding: .utf8)
            let given = arguments.map { $0 == "EMPTY" ? empty : $0 }
            let run = try ftlab(["project"] + given + ["--python", PinnedPair.freeThreaded, "-o", scratch + "/bad.csv"] + Self.tiny)
            #expect(run.status == 2, "\(given): \(run.stderr)")
            #expect(run.stderr.contains(message), "\(given): \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: scratch + "/bad.csv"), "nothing measured")
        }

        @Test("a module that fails to collect is named and left out while the others are measured; a test that fails alone is a failed row; one that hangs is killed by --timeout and named")
        func partialCollection() throws {
            let scratch = TestPaths.scratch()
            let project = scratch + "/partial"
            try FileManager.default.createDirectory(atPath: project + "/tests", withIntermediateDirectories: true)
            try "[project]\nname = \"partialproj\"\nversion = \"1\"\n[build-system]\nrequires = [\"setuptools>=69\"]\nbuild-backend = \"setuptools.build_meta\"\n[tool.setuptools]\npy-modules = []\n"
                .write(toFile: project + "/pyproject.toml", atomically: true, encoding: .utf8)
            try "import warnings\nwarnings.simplefilter('error')\nimport no_such_module_anywhere\n"
                .write(toFile: project + "/tests/test_broken.py", atomically: true, encoding: .utf8)
            try "def test_fine():\n    assert sum(range(100)) == 4950\n\ndef test_fails():\n    assert 1 + 1 == 3, 'arithmetic'\n"
                .write(toFile: project + "/tests/test_ok.py", atomically: true, encoding: .utf8)
            try "import time\n\ndef test_hangs():\n    time.sleep(3600)\n"
                .write(toFile: project + "/tests/test_hang.py", atomically: true, encoding: .utf8)
            let csv = scratch + "/partial.csv"
            let run = try ftlab(["project", project, "--python", PinnedPair.freeThreaded, "--threads", "1", "--timeout", "5", "-o", csv]
                                + Self.tiny)
            #expect(run.status == 1, "stderr: \(run.stderr)")
            #expect(run.stderr.contains("tests/test_broken.py failed to collect (its tests are left out)"), "\(run.stderr)")
            #expect(run.stderr.contains("No module named 'no_such_module_anywhere'"), "\(run.stderr)")
            let rows = try ResultReader(path: csv).rows
            #expect(Set(rows.map(\.variant)) == ["tests/test_ok.py::test_fine", "tests/test_ok.py::test_fails", "tests/test_hang.py::test_hangs"])
            let hung = rows.filter { $0.variant.hasSuffix("test_hangs") }
            #expect(!hung.isEmpty && hung.allSatisfy { $0.status == .timeout && $0.message.contains("killed after") },
                    "a test that hangs is killed and named: \(hung.map(\.message))")
            #expect(rows.filter { $0.variant.hasSuffix("test_fine") }.allSatisfy { $0.status == .ok })
            let failed = rows.filter { $0.variant.hasSuffix("test_fails") }
            #expect(!failed.isEmpty && failed.allSatisfy { $0.status == .failed && $0.message.contains("fails alone") && $0.message.contains("arithmetic") },
                    "\(failed.map(\.message))")
        }

        static func summary(_ csv: String) throws -> ProjectSummary {
            let rows = try ResultReader(path: csv).rows
            return ProjectSummary(rows: rows, workload: "fixtureproj",
                                  oneThreadOnly: ["tests/test_fixture.py::test_marked_thread_unsafe": "writes one module-level list"])
        }

        static func timingVerdicts(_ summary: ProjectSummary) -> [String] {
            ["::test_scales", "::ChecksumCase::test_unittest_style", "::test_contends"].map { name in summary.tests.first { $0.nodeid.hasSuffix(name) }?.verdict.rawValue ?? "-" }
        }

        /// Two copies of the fixture project in `scratch`: the base, and a change whose
        /// checksum() walks its range twice.
        static func baseAndSlowerChange(in scratch: String) throws -> (base: String, change: String) {
            let base = scratch + "/base", change = scratch + "/change"
            for copy in [base, change] { try FileManager.default.copyItem(atPath: fixture, toPath: copy) }
            let module = change + "/src/fixtureproj/__init__.py"
            let text = try String(contentsOfFile: module, encoding: .utf8)
            let slower = text.replacingOccurrences(of: "    for i in range(n):\n        total = (total * 31 + i) % 1_000_003\n    return total",
                                                   with: "    for i in range(2 * n):\n        total = (total * 31 + i % n) % 1_000_003\n    return total")
            #expect(slower != text, "the fixture's checksum() changed; the slower change no longer applies")
            try slower.write(toFile: module, atomically: true, encoding: .utf8)
            return (base, change)
        }

        static func describe(_ summary: ProjectSummary) -> String {
            summary.tests.map { "\($0.nodeid): \($0.verdict.rawValue) \($0.speedups)" }.joined(separator: "; ")
        }
    }
}

extension LoadSensitiveTests.ProjectIntegrationTests {
    @Test("the regression gate: the project at a base and at a change that doubles one function's work; compare exits 1 naming that test")
    func regressionGate() throws {
        let scratch = TestPaths.scratch()
        let (base, change) = try Self.baseAndSlowerChange(in: scratch)
        let options = ["--test", "tests/test_fixture.py::test_scales", "--test", "tests/test_fixture.py::test_contends",
                       "--python", PinnedPair.freeThreaded, "--threads", "1", "--processes", "3", "--samples", "3",
                       "--target-seconds", "0.05"]
        for (folder, csv) in [(base, "base.csv"), (change, "new.csv")] {
            let run = try ftlab(["project", folder, "-o", scratch + "/" + csv] + options)
            #expect(run.status == 0, "\(folder): \(run.stderr.suffix(2000))")
        }
        let compare = try ftlab(["compare", scratch + "/base.csv", scratch + "/new.csv", "--threshold", "10%"])
        #expect(compare.status == 1, "a regression: \(compare.stdout) \(compare.stderr)")
        let flagged = compare.stdout.split(separator: "\n").filter { $0.contains("test_scales") }
        #expect(!flagged.isEmpty, "\(compare.stdout)")
    }
}

extension LoadSensitiveTests.ProjectIntegrationTests {
    @Test("a project whose test requirements do not install on one build: that build's rows are failed, naming the package; the other build runs")
    func installsOnOneBuild() throws {
        let scratch = TestPaths.scratch()
        let project = scratch + "/onebuild"
        try FileManager.default.createDirectory(atPath: project + "/tests", withIntermediateDirectories: true)
        try "def test_fine():\n    assert sorted([3, 1, 2]) == [1, 2, 3]\n".write(toFile: project + "/tests/test_ok.py", atomically: true, encoding: .utf8)
        // A local package whose build refuses the free-threaded ABI (Fixtures/userapp/gil-only).
        let gilOnly = TestPaths.fixtures + "/userapp/gil-only"
        try "ftlab-gil-only @ file://\(gilOnly)\n".write(toFile: scratch + "/test-reqs.txt", atomically: true, encoding: .utf8)
        let csv = scratch + "/onebuild.csv"
        let run = try ftlab(["project", project, "--requirements", scratch + "/test-reqs.txt", "--threads", "1", "-o", csv] + Self.tiny)
        #expect(run.status == 1, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("\(PinnedPair.freeThreaded): the project does not install; its rows are failed"), "\(run.stderr)")
        let rows = try ResultReader(path: csv).rows
        let gil = rows.filter { $0.interpreter == PinnedPair.gil }, ft = rows.filter { $0.interpreter == PinnedPair.freeThreaded }
        #expect(!gil.isEmpty && gil.allSatisfy { $0.status == .ok }, "\(gil.map(\.message))")
        #expect(!ft.isEmpty && ft.allSatisfy { $0.status == .failed && $0.message.contains("ftlab-gil-only") }, "\(ft.map(\.message))")
    }
}

extension LoadSensitiveTests.ProjectIntegrationTests {
    @Test("--against: the base and the change in one run, interleaved (the checkout parameter swept), then compared: exit 1 naming the slower test")
    func againstInOneRun() throws {
        let scratch = TestPaths.scratch()
        let (base, change) = try Self.baseAndSlowerChange(in: scratch)
        let csv = scratch + "/ab.csv"
        let run = try ftlab(["project", base, "--against", change, "--test", "tests/test_fixture.py::test_scales",
                             "--test", "tests/test_fixture.py::test_contends", "--python", PinnedPair.freeThreaded,
                             "--threads", "1", "--processes", "3", "--samples", "3", "--target-seconds", "0.05",
                             "--threshold", "10%", "-o", csv])
        #expect(run.status == 1, "a regression: \(run.stdout) \(run.stderr.suffix(2000))")
        let rows = try ResultReader(path: csv).rows
        #expect(Set(rows.map(\.params)) == ["checkout=base.txt;test_runner=pytest", "checkout=new.txt;test_runner=pytest"])
        // Interleaved: the processes of the two checkouts alternate in the file.
        let order = rows.filter { $0.variant.hasSuffix("test_scales") && $0.sample == 1 }.map { $0.params.hasPrefix("checkout=base") ? "b" : "n" }
        #expect(order.joined() == "bnbnbn", "\(order)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.contains { $0.contains("tests/test_fixture.py::test_scales") && $0.hasSuffix("slower") }, "\(run.stdout)")
        #expect(lines.contains { $0.contains("tests/test_fixture.py::test_contends") && $0.hasSuffix("same") }, "\(run.stdout)")
        #expect(run.stdout.contains("(regression: exit 1)"), "\(run.stdout)")
    }
}
