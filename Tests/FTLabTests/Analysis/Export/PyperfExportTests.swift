import Foundation
import Testing
@testable import FTLabAnalysis
import FTLabCore
import FTLabInterpreters
import FTLabRunner

/// ftlab rows as pyperf JSON: the mapping, checked on synthetic rows, and read by the real
/// pyperf from PyPI.
@Suite struct PyperfExportTests {
    /// Two builds at threads 1 and 2, 2 processes x 3 samples each; one failed row.
    static var rows: [ResultRow] {
        var rows: [ResultRow] = []
        for setup in [Setup.gil, Setup.freeThreaded] {
            for threads in [1, 2] {
                rows += setup.with { $0.threads = threads }.rows(throughput: [100, 110, 120, 130, 140, 150])
            }
        }
        var failed = Setup.gil.with { $0.variant = "broken" }.rows(throughput: [1])[0]
        failed.status = .failed
        return rows + [failed]
    }

    static func decode(_ file: PyperfExport.File) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(file.json.utf8)) as? [String: Any])
    }

    @Test("one suite per interpreter; a configuration is a benchmark, a process a run, a sample a value in s/op")
    func mapping() throws {
        let files = try PyperfExport.files(Self.rows)
        #expect(files.map(\.name) == [PinnedPair.gil + ".json", PinnedPair.freeThreaded + ".json"])
        let suite = try Self.decode(files[0])
        #expect(suite["version"] as? String == "1.0")
        let metadata = try #require(suite["metadata"] as? [String: Any])
        #expect(metadata["ftlab_build"] as? String == "gil")
        #expect(metadata.values.allSatisfy { ($0 as? String)?.isEmpty != true }, "pyperf refuses empty values")
        let benchmarks = try #require(suite["benchmarks"] as? [[String: Any]])
        #expect(benchmarks.count == 2, "the failed configuration has no benchmark")
        let names = benchmarks.compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }
        #expect(names == ["log-processing/regex threads=1", "log-processing/regex threads=2"])
        let runs = try #require(benchmarks[0]["runs"] as? [[String: Any]])
        #expect(runs.count == 2)
        let values = try #require(runs[0]["values"] as? [Double])
        let expected: [Double] = [100.0, 110.0, 120.0].map { throughput in 1000 / throughput / 1000 }
        #expect(values.count == expected.count)
        #expect(zip(values, expected).allSatisfy { abs($0 / $1 - 1) < 1e-15 })
        #expect((runs[0]["metadata"] as? [String: Any])?["loops"] as? Int == 1000)
    }

    @Test("names match across the builds, so pyperf compare_to pairs them")
    func namesMatch() throws {
        let files = try PyperfExport.files(Self.rows)
        let names = try files.map { file in
            try #require(Self.decode(file)["benchmarks"] as? [[String: Any]])
                .compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }
        }
        #expect(names[0] == names[1])
    }

    @Test("pyperf 2.11 from PyPI reads the export: stats, hist, compare_to, and the same medians",
          .tags(.integration, .needsLab, .network), .skippedInUnitRuns)
    func realPyperf() throws {
        let python = try Self.pyperfPython()
        let out = TestPaths.scratch() + "/pyperf"
        let export = try ftlab(["export", TestPaths.repository + "/results/full-2cpu-epyc.csv", "-o", out])
        #expect(export.status == 0, "stderr: \(export.stderr)")
        // The committed run is about CPython 3.13.5 (its interpreters name the files).
        let gil = out + "/cpython-3.13.5.json", ft = out + "/cpython-3.13.5t.json"
        for arguments in [["stats", "--quiet", gil], ["hist", "--quiet", ft], ["compare_to", "--quiet", "--table", gil, ft]] {
            let run = try runProgram(python, ["-m", "pyperf"] + arguments)
            #expect(run.status == 0, "pyperf \(arguments[0]): \(run.stderr)")
            #expect(!run.stdout.isEmpty)
        }
        // pyperf's median of each benchmark equals the median of ftlab's seconds per op.
        let script = """
            import json, sys, pyperf
            suite = pyperf.BenchmarkSuite.load(sys.argv[1])
            print(json.dumps({b.get_name(): b.median() for b in suite.get_benchmarks()}))
            """
        let medians = try runProgram(python, ["-c", script, ft])
        #expect(medians.status == 0, "\(medians.stderr)")
        let fromPyperf = try #require(try JSONSerialization.jsonObject(with: Data(medians.stdout.utf8)) as? [String: Double])
        let rows = try ResultReader(path: TestPaths.repository + "/results/full-2cpu-epyc.csv").rows
            .filter { $0.interpreter == "cpython-3.13.5t" && $0.status == .ok }
        let first = try #require(rows.first { $0.workload == "log-processing" && $0.variant == "partitioned" && $0.threads == 2 && $0.allocator == "system" })
        let ours = Descriptive.median(rows.filter { $0.configurationKey() == first.configurationKey() }.map { $0.wallSeconds / Double($0.ops) })
        let name = try #require(fromPyperf.keys.first { $0.hasPrefix("log-processing/partitioned threads=2") && $0.contains("allocator=system") })
        #expect(abs(fromPyperf[name]! / ours - 1) < 1e-15, "pyperf \(fromPyperf[name]!) vs ftlab \(ours)")
    }

    /// A venv with pyperf 2.11.0 from PyPI, made once from the lab build `build` (its venv gets
    /// pip from ensurepip's bundled wheel) and kept in the cache: `tools/pyperf-2.11.0` for the
    /// GIL build, `tools/pyperf-2.11.0t` for the free-threaded one.
    static func pyperfPython(_ build: Interpreter.Build = .gil) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["FTLAB_CACHE"] ?? (environment["XDG_CACHE_HOME"] ?? (environment["HOME"] ?? "/root") + "/.cache") + "/ftlab"
        let venv = cache + "/tools/pyperf-2.11.0" + (build == .freethreaded ? "t" : "")
        let python = venv + "/bin/python"
        let check = FileManager.default.isExecutableFile(atPath: python) ? try runProgram(python, ["-c", "import pyperf"]) : nil
        if check?.status != 0 {
            try? FileManager.default.removeItem(atPath: venv)
            let made = try runProgram(try TestPaths.labPython(build), ["-m", "venv", venv])
            try #require(made.status == 0, "venv: \(made.stderr)")
            let pip = try runProgram(venv + "/bin/pip", ["install", "--quiet", "--disable-pip-version-check", "pyperf==2.11.0"])
            try #require(pip.status == 0, "pip install pyperf: \(pip.stderr)")
        }
        return python
    }
}

/// pyperf and pyperformance JSON read back as rows, for `report` and `compare`.
@Suite struct PyperfImportTests {
    @Test("a suite's runs are processes and its values samples; warmups and calibration runs are left out")
    func mapping() throws {
        let json = #"""
            {"version": "1.0", "metadata": {"hostname": "box", "python_version": "3.14.8 (64-bit) revision abc",
             "python_executable": "/c/pythons/cpython-3.14.8t/bin/python3.14t", "python_config_args": "'--disable-gil'",
             "performance_version": "1.11.0", "cpu_count": 16},
             "benchmarks": [{"metadata": {"name": "nbody", "loops": 4},
               "runs": [{"metadata": {"date": "2026-12-01T10:00:00"}, "warmups": [[1, 0.5]]},
                        {"warmups": [[4, 0.3]], "values": [0.25, 0.5]},
                        {"values": [0.2]}]}]}
            """#
        let path = TestPaths.scratch() + "/ft.json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        let rows = try PyperfImport.rows(path: path)
        #expect(rows.count == 3)
        #expect(rows.map(\.process) == [1, 1, 2] && rows.map(\.sample) == [1, 2, 1])
        #expect(rows.map(\.throughput) == [4, 2, 5] && rows.allSatisfy { $0.ops == 4 })
        #expect(abs(rows[0].wallSeconds - 1.0) < 1e-12)
        let first = rows[0]
        #expect(first.workload == "pyperformance" && first.variant == "nbody" && first.threads == 1)
        #expect(first.interpreter == "cpython-3.14.8t" && first.pythonVersion == "3.14.8" && first.build == "freethreaded")
        #expect(first.host == "box" && first.cpusOnline == 16 && first.runID == "pyperf")
        let bad = TestPaths.scratch() + "/bad.json"
        try #"{"benchmarks": []}"#.write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: ResultsError.self) { try PyperfImport.rows(path: bad) }
    }

    @Test("ftlab's own export reads back with its interpreters, builds, run and medians")
    func roundTrip() throws {
        let directory = TestPaths.scratch()
        var rows: [ResultRow] = []
        for file in try PyperfExport.files(PyperfExportTests.rows) {
            let path = directory + "/" + file.name
            try file.json.write(toFile: path, atomically: true, encoding: .utf8)
            rows += try PyperfImport.rows(path: path)
        }
        let original = PyperfExportTests.rows.filter { $0.status == .ok }
        #expect(Set(rows.map(\.interpreter)) == Set(original.map(\.interpreter)))
        #expect(Set(rows.map(\.build)) == ["gil", "freethreaded"])
        #expect(Set(rows.map(\.runID)) == Set(original.map(\.runID)))
        #expect(rows.count == original.count)
        #expect(abs(Descriptive.median(rows.map(\.throughput)) / Descriptive.median(original.map(\.throughput)) - 1) < 1e-9)
    }

    @Test("real pyperf results of both builds, pyperformance-style: the PEP 779 line is the geometric mean of time ratios",
          .tags(.integration, .needsLab, .network), .skippedInUnitRuns)
    func pyperformanceResults() throws {
        let directory = TestPaths.scratch()
        // What pyperformance does: pyperf benchmarks with its version in the metadata.
        let script = directory + "/bench.py"
        try """
            import json, pyperf
            runner = pyperf.Runner(processes=3, values=3, warmups=1, min_time=0.005)
            runner.metadata["performance_version"] = "1.11.0"
            data = {"k%d" % i: [i, str(i), {"x": i}] for i in range(50)}
            runner.bench_func("json_dumps", json.dumps, data)
            runner.bench_func("sum_range", sum, range(2000))
            """.write(toFile: script, atomically: true, encoding: .utf8)
        var files: [String] = []
        for build in [Interpreter.Build.gil, .freethreaded] {
            let output = directory + "/\(build).json"
            let run = try runProgram(try PyperfExportTests.pyperfPython(build), [script, "--quiet", "-o", output])
            try #require(run.status == 0, "pyperf on \(build): \(run.stderr)")
            files.append(output)
        }
        // The PEP's figure, computed from pyperf's own medians.
        let medians = try runProgram(try PyperfExportTests.pyperfPython(), ["-c", """
            import math, sys, pyperf
            gil, ft = (pyperf.BenchmarkSuite.load(p) for p in sys.argv[1:3])
            ratios = [ft.get_benchmark(b.get_name()).median() / b.median() for b in gil.get_benchmarks()]
            print(math.exp(sum(map(math.log, ratios)) / len(ratios)) - 1)
            """, files[0], files[1]])
        try #require(medians.status == 0, "\(medians.stderr)")
        let expected = try #require(Double(medians.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let report = try ftlab(["report"] + files + ["--format", "markdown", "-o", directory + "/report.md"])
        #expect(report.status == 0, "\(report.stderr)")
        let text = try String(contentsOfFile: directory + "/report.md", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("pyperformance: free-threaded slower by") }, "\(text)")
        #expect(line.contains(NumberFormat.percent(expected)), "\(line) should give \(NumberFormat.percent(expected))")
        #expect(line.contains("geometric mean of 2 benchmarks' time ratios"))
        let compare = try ftlab(["compare"] + files + ["--ignore", "interpreter,python_version,build", "--format", "json"])
        #expect([0, 1].contains(compare.status), "\(compare.stderr)")
        #expect(compare.stdout.contains("json_dumps") && compare.stdout.contains("sum_range"))
    }
}
