import Foundation
import Testing
@testable import FTLabAnalysis
import FTLabCore

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
        let gil = out + "/\(PinnedPair.gil).json", ft = out + "/\(PinnedPair.freeThreaded).json"
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
            .filter { $0.interpreter == PinnedPair.freeThreaded && $0.status == .ok }
        let first = try #require(rows.first { $0.workload == "log-processing" && $0.variant == "partitioned" && $0.threads == 2 && $0.allocator == "system" })
        let ours = Descriptive.median(rows.filter { $0.configurationKey() == first.configurationKey() }.map { $0.wallSeconds / Double($0.ops) })
        let name = try #require(fromPyperf.keys.first { $0.hasPrefix("log-processing/partitioned threads=2") && $0.contains("allocator=system") })
        #expect(abs(fromPyperf[name]! / ours - 1) < 1e-15, "pyperf \(fromPyperf[name]!) vs ftlab \(ours)")
    }

    /// A venv with pyperf 2.11.0 from PyPI, made once from the lab's GIL build (its venv gets
    /// pip from ensurepip's bundled wheel) and kept in the cache.
    static func pyperfPython() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["FTLAB_CACHE"] ?? (environment["XDG_CACHE_HOME"] ?? (environment["HOME"] ?? "/root") + "/.cache") + "/ftlab"
        let venv = cache + "/tools/pyperf-2.11.0"
        let python = venv + "/bin/python"
        let check = FileManager.default.isExecutableFile(atPath: python) ? try runProgram(python, ["-c", "import pyperf"]) : nil
        if check?.status != 0 {
            try? FileManager.default.removeItem(atPath: venv)
            let made = try runProgram(try TestPaths.labPython(.gil), ["-m", "venv", venv])
            try #require(made.status == 0, "venv: \(made.stderr)")
            let pip = try runProgram(venv + "/bin/pip", ["install", "--quiet", "--disable-pip-version-check", "pyperf==2.11.0"])
            try #require(pip.status == 0, "pip install pyperf: \(pip.stderr)")
        }
        return python
    }
}
