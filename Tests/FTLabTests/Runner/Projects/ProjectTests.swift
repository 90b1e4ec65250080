import Foundation
import Testing
@testable import FTLabCore
@testable import FTLabHarness
@testable import FTLabInterpreters
@testable import FTLabRunner
@testable import FTLabAnalysis

/// The parts of `ftlab project` that need no interpreter: reading a project, the generated
/// workload, tests that share a process, and the summary's verdicts.
@Suite struct ProjectTests {
    static func folder(_ pyproject: String) throws -> String {
        let dir = TestPaths.scratch()
        try pyproject.write(toFile: dir + "/pyproject.toml", atomically: true, encoding: .utf8)
        return dir
    }

    @Test("pyproject.toml: the name, the test extras found by name, a test dependency group with an include")
    func readsPyproject() throws {
        let dir = try Self.folder("""
            [project]
            name = "mylib"
            [project.optional-dependencies]
            test = ["pytest>=8", "pyyaml"]
            docs = ["sphinx"]
            [dependency-groups]
            tests = ["hypothesis", {include-group = "lint"}]
            lint = ["ruff"]
            """)
        let source = try ProjectSource.read(folder: dir)
        #expect(source.name == "mylib" && source.distribution == "mylib" && source.installable)
        let renamed = try ProjectSource.read(folder: dir, name: "base")
        #expect(renamed.name == "base" && renamed.distribution == "mylib", "--name renames the rows, not what pip installs")
        #expect(source.extras == ["test"])
        #expect(source.testRequirements == ["hypothesis", "ruff"])
        #expect(throws: ProjectError.unknownExtra(name: "bench", known: ["docs", "test"])) {
            try ProjectSource.read(folder: dir, extras: ["bench"])
        }
        #expect(throws: ProjectError.notAFolder("/no/such/folder")) { try ProjectSource.read(folder: "/no/such/folder") }
    }

    @Test("a setup.cfg-only project takes its name from [metadata]; a folder with no packaging is named after itself")
    func names() throws {
        let dir = TestPaths.scratch()
        try "[metadata]\nname = oldlib\nversion = 1\n".write(toFile: dir + "/setup.cfg", atomically: true, encoding: .utf8)
        #expect(try ProjectSource.read(folder: dir).name == "oldlib")
        let bare = TestPaths.scratch() + "/scripts"
        try FileManager.default.createDirectory(atPath: bare, withIntermediateDirectories: true)
        let source = try ProjectSource.read(folder: bare)
        #expect(source.name == "scripts" && !source.installable && source.extras.isEmpty)
    }

    @Test("the generated workload.toml loads as a workload: node ids as variants, one process group per file, thread-unsafe tests at one thread")
    func generatedManifest() throws {
        let collection = TestCollection(
            pytest: "9", exitCode: 0, output: "",
            tests: [.init(nodeid: "tests/test_a.py::test_x[1-\"q\"]", kind: "function", threadUnsafe: nil),
                    .init(nodeid: "tests/test_a.py::Case::test_y", kind: "unittest", threadUnsafe: nil),
                    .init(nodeid: "tests/test_b.py::test_z", kind: "function", threadUnsafe: "uses thread-unsafe fixture(s): {'monkeypatch'}")],
            unsupported: [], skipped: [], errors: [], gilEnabledBy: [], gilEnabled: false)
        let record = ProjectRecord(name: "mylib", folder: "/src/mylib", snapshot: "/cache/src", digest: "abc",
                                   requirements: ["pytest>=8", "mylib[test] @ file:///cache/src"], pytestOptions: ["-p", "no:xdist", "-o x=a b"],
                                   selection: [], interpreters: [InterpreterCollection(interpreter: "a", build: "gil", collection: collection,
                                                                                        installFailure: nil, builtFromSource: [])],
                                   plainSeconds: [:])
        let manifest = try WorkloadManifest.parse(ProjectWorkloadFolder.manifest(record), path: "workload.toml")
        #expect(manifest.name == "mylib" && manifest.unit == "calls")
        #expect(manifest.variants.map(\.name) == record.tests.map(\.nodeid))
        #expect(manifest.variants.map(\.processGroup) == ["tests/test_a.py", "tests/test_a.py", "tests/test_b.py"])
        #expect(manifest.variants.map(\.maxThreads) == [nil, nil, 1])
        #expect(manifest.variants[2].question.contains("monkeypatch"))
        #expect(manifest.requirements == record.requirements)
        #expect(manifest.params.map(\.name) == ["test_runner", "pytest_options"])
        #expect(manifest.params.last?.default == "-p no:xdist '-o x=a b'", "shell-quoted for the harness's shlex")
    }

    @Test("variants of one process group share a process per configuration and repetition; others keep their own")
    func sharedSchedule() throws {
        let dir = TestPaths.scratch()
        var text = "name = \"grp\"\ndescription = \"d\"\nquestion = \"q\"\nunit = \"calls\"\n"
        for (name, group) in [("f1::a", "f1"), ("f1::b", "f1"), ("f2::c", "f2"), ("solo", "")] {
            text += "[[variants]]\nname = \"\(name)\"\nquestion = \"q\"\n" + (group.isEmpty ? "" : "process_group = \"\(group)\"\n")
        }
        try text.write(toFile: dir + "/workload.toml", atomically: true, encoding: .utf8)
        try "".write(toFile: dir + "/workload.py", atomically: true, encoding: .utf8)
        let workload = try Workload.load(directory: dir)
        var configurations: [RunConfiguration] = []
        for threads in [1, 2] {
            for variant in ["f1::a", "f1::b", "f2::c", "solo"] {
                configurations.append(RunConfiguration(workload: workload, variant: variant, params: [:],
                                                       interpreter: InterpreterChoice(label: "a", path: "/p"), threads: threads,
                                                       placement: .unpinned, allocator: .system, env: [], seed: 1))
            }
        }
        let units = WorkUnitRunner.schedule(configurations, processes: 2)
        let shape = units.map { "\($0.members.map(\.variant).joined(separator: "+"))@\($0.configuration.threads)p\($0.process)" }
        #expect(shape == ["f1::a+f1::b@1p1", "f1::a+f1::b@2p1", "f1::a+f1::b@1p2", "f1::a+f1::b@2p2",
                          "f2::c@1p1", "f2::c@2p1", "f2::c@1p2", "f2::c@2p2",
                          "solo@1p1", "solo@2p1", "solo@1p2", "solo@2p2"])
        let runner = WorkUnitRunner(harnessScript: "run.py", launcher: "ftlab", repetition: .quick, timeoutSeconds: 10, logDirectory: dir)
        let command = runner.command(for: units[0])
        #expect(command.arguments.filter { $0.hasPrefix("--variant=") } == ["--variant=f1::a", "--variant=f1::b"])
        #expect(runner.spec(for: units[0]).timeoutSeconds == 20, "--timeout is per variant")
    }

    @Test("a shared process's transcript is split at its variant lines")
    func variantParts() {
        let output = """
            {"type":"variant","name":"t::a"}
            {"type":"hello"}
            {"type":"bye"}
            {"type":"variant","name":"t::b"}
            {"type":"error","message":"x"}
            {"type":"variant","name":"t::c"}
            """
        let parts = WorkUnitRunner.variantParts(output)
        #expect(parts.map(\.variant) == ["t::a", "t::b", "t::c"])
        #expect(parts.map { $0.text.split(separator: "\n").count } == [2, 1, 0])
    }

    @Test("the summary: the geometric mean of ft/gil at 1 thread with its interval, and each test's verdict")
    func summaryVerdicts() throws {
        let tiny = try WorkloadCatalog.load(builtin: TestPaths.fixtures + "/workloads", extra: []).workload(named: "tiny")
        let maker = RowMaker(identity: RunIdentity(runID: "r", startedUTC: "t", host: "h", cpuModel: "c", kernel: "k",
                                                   numaNodes: 1, cpusOnline: 2, smt: false, suiteRev: "s"))
        var rows: [ResultRow] = []
        // test throughput per (build, threads): scales 100 -> 190, contends 100 -> 60, failing at 2 threads on ft.
        let plan: [(String, [String: Double], Bool)] = [
            ("t::scales", ["gil1": 120, "gil2": 120, "ft1": 100, "ft2": 190], false),
            ("t::contends", ["gil1": 120, "gil2": 100, "ft1": 100, "ft2": 60], false),
            ("t::racy", ["gil1": 120, "gil2": 120, "ft1": 100, "ft2": 150], true),
        ]
        for (variant, figures, racy) in plan {
            for (key, value) in figures {
                let ft = key.hasPrefix("ft")
                let threads = key.hasSuffix("2") ? 2 : 1
                let config = RunConfiguration(workload: tiny, variant: variant, params: [:],
                                              interpreter: InterpreterChoice(label: ft ? "cpython-3.14.7t" : "cpython-3.14.7", path: "/p",
                                                                             build: ft ? .freethreaded : .gil, version: "3.14.7"),
                                              threads: threads, placement: .unpinned, allocator: .system, env: [], seed: 1)
                for sample in 1...3 {
                    var row = maker.baseRow(for: config)
                    row.workload = "proj"
                    row.pythonVersion = "3.14.7"
                    row.process = 1
                    row.sample = sample
                    row.throughput = value
                    row.gilEnabled = !ft
                    row.build = ft ? "freethreaded" : "gil"
                    if racy && ft && threads == 2 { row.status = RowStatus.failed; row.message = "failed while 2 threads ran it" }
                    rows.append(row)
                }
            }
        }
        let summary = ProjectSummary(rows: rows, workload: "proj")
        #expect(summary.tests.map(\.verdict) == [.scales, .contends, .failsInThreads])
        let geomean = try #require(summary.singleThreadGeomean)
        #expect(abs(geomean.value - 100.0 / 120.0) < 1e-9 && geomean.low <= geomean.value && geomean.value <= geomean.high)
        #expect(summary.text().contains("1 scales, 1 contends, 1 fails in threads"))
    }
}
