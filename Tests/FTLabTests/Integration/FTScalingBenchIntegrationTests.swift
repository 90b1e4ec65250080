import Foundation
import Testing
import FTLabCore
import FTLabHarness
import FTLabRunner

/// The ftscalingbench workload on the real lab pair: the script loaded at run time, every
/// registered function a variant, return values verified, variants an interpreter lacks skipped.
@Suite("ftscalingbench", .serialized, .tags(.integration, .needsLab), .skippedInUnitRuns)
struct FTScalingBenchIntegrationTests {
    /// A script of ftscalingbench's shape, written by the test (CPython's file is never copied).
    static let script = """
        WORK_SCALE = 100
        ALL_BENCHMARKS = {}
        def register_benchmark(func):
            ALL_BENCHMARKS[func.__name__] = func
            return func

        class Counter:
            def __init__(self):
                self.i = 0
            def next_number(self):
                self.i += 1
                return self.i

        @register_benchmark
        def pymethod():
            c = Counter()
            for i in range(1000 * WORK_SCALE):
                c.next_number()
            return c.i

        @register_benchmark
        def quiet():
            for i in range(100 * WORK_SCALE):
                pass

        calls = [0]

        @register_benchmark
        def drifting():
            calls[0] += 1
            return calls[0]

        if hasattr(__builtins__, "no_such_api_for_ftlab_tests"):
            @register_benchmark
            def needs_new_api():
                pass
        """

    static func writeScript() throws -> String {
        let folder = TestPaths.scratch()
        try Self.script.write(toFile: folder + "/ftscalingbench.py", atomically: true, encoding: .utf8)
        return folder
    }

    @Test("both builds run every registered function with --param scale; a wrong return value fails; an unregistered one is skipped")
    func runsTheScriptTheFtscalingbenchWay() throws {
        let folder = try Self.writeScript()
        let csv = folder + "/run.csv"
        let run = try ftlab(["run", "ftscalingbench", "--python", PinnedPair.gil, "--python", PinnedPair.freeThreaded,
                             "--threads", "1,2", "--param", "scale=2", "-o", csv] + LoadSensitiveTests.RunIntegrationTests.tiny,
                            environment: ["FTLAB_FTSCALINGBENCH": folder])
        #expect(run.status == 1, "drifting() fails its processes: exit 1; stderr: \(run.stderr)")
        for label in [PinnedPair.gil, PinnedPair.freeThreaded] {
            #expect(run.stderr.contains("skipped ftscalingbench/needs_new_api on \(label): the script does not register needs_new_api on CPython \(PinnedPair.version)"),
                    "\(run.stderr)")
        }
        let rows = try ResultReader(path: csv).rows
        #expect(!rows.contains { $0.variant == "needs_new_api" })
        let digest = try #require(WorkloadCatalog.load(locator: ToolScriptLocator(environment: ["FTLAB_FTSCALINGBENCH": folder]))
            .workload(named: "ftscalingbench").script?.located?.sha256)
        for variant in ["pymethod", "quiet"] {
            let measured = rows.filter { $0.variant == variant }
            #expect(Set(measured.map(\.interpreter)) == [PinnedPair.gil, PinnedPair.freeThreaded])
            #expect(Set(measured.map(\.threads)) == [1, 2])
            #expect(measured.allSatisfy { $0.status == .ok && $0.unit == "calls" && $0.params == "scale=2;script_sha256=\(digest)" },
                    "\(measured.map(\.message))")
        }
        let drifting = rows.filter { $0.variant == "drifting" }
        #expect(!drifting.isEmpty && drifting.allSatisfy { $0.status == .failed })
        #expect(drifting.first?.message.contains("output verification failed") == true, "\(drifting.first?.message ?? "")")
    }

    @Test("a closed form the script's loops do not give fails verification")
    func closedFormsAreChecked() throws {
        let folder = TestPaths.scratch()
        try Self.script.replacingOccurrences(of: "return c.i", with: "return c.i + 1")
            .write(toFile: folder + "/ftscalingbench.py", atomically: true, encoding: .utf8)
        let csv = folder + "/run.csv"
        let run = try ftlab(["run", "ftscalingbench/pymethod", "--python", PinnedPair.freeThreaded, "--threads", "1",
                             "--param", "scale=1", "-o", csv] + LoadSensitiveTests.RunIntegrationTests.tiny,
                            environment: ["FTLAB_FTSCALINGBENCH": folder])
        #expect(run.status == 1)
        let row = try #require(try ResultReader(path: csv).rows.first)
        #expect(row.message.contains("pymethod() at scale 1 returned 1001, its loops give 1000"), "\(row.message)")
    }

    @Test("no script: naming the workload exits 2 with the command that gets it")
    func unavailableExitsTwo() throws {
        let run = try ftlab(["run", "ftscalingbench", "--python", try TestPaths.labPython(.freethreaded),
                             "-o", TestPaths.scratch() + "/x.csv"],
                            environment: ["FTLAB_FTSCALINGBENCH": "/nonexistent/ftscalingbench.py"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("workload ftscalingbench is unavailable: FTLAB_FTSCALINGBENCH=/nonexistent/ftscalingbench.py holds no ftscalingbench.py"))
        #expect(run.stderr.contains("get the script with `ftlab lab examples`"), "\(run.stderr)")
    }

    @Test("ftlab lab examples fetches Debian's python3.15-examples into the cache; CPython's own script then runs on the lab's free-threaded build",
          .tags(.network), .skippedInUnitRuns)
    func realScriptFromDebian() throws {
        let cache = TestPaths.scratch()
        let fetch = try ftlab(["lab", "examples"], environment: ["FTLAB_CACHE": cache])
        #expect(fetch.status == 0, "\(fetch.stderr)")
        #expect(fetch.stdout.contains("checked against the archive's index"))
        let listed = try ftlab(["list"], environment: ["FTLAB_CACHE": cache])
        #expect(listed.stdout.contains("  script: \(cache)/tools/python3.15-examples-"), "\(listed.stdout)")
        for variant in ["pymethod", "create_pyobject", "thread_local_read", "create_frozendict"] {
            #expect(listed.stdout.contains("ftscalingbench/\(variant) "))
        }
        let again = try ftlab(["lab", "examples"], environment: ["FTLAB_CACHE": cache])
        #expect(again.stdout.contains("already unpacked"))
        let csv = cache + "/run.csv"
        let run = try ftlab(["run", "ftscalingbench/pymethod", "ftscalingbench/object_cfunction", "ftscalingbench/create_frozendict",
                             "--python", try TestPaths.labPython(.freethreaded), "--threads", "1,2", "--param", "scale=10",
                             "-o", csv] + LoadSensitiveTests.RunIntegrationTests.tiny,
                            environment: ["FTLAB_CACHE": cache])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("skipped ftscalingbench/create_frozendict on "), "3.13 has no frozendict: \(run.stderr)")
        let rows = try ResultReader(path: csv).rows
        #expect(Set(rows.map(\.variant)) == ["pymethod", "object_cfunction"])
        #expect(rows.allSatisfy { $0.status == .ok && $0.gilEnabled == false })
    }
}
